"""One way to type and read a date: every date box takes the same forms and shows back what it saved."""

import re
from datetime import date

import pytest

from appeals.models import Appeal, Deadline
from cases.enums import DatePrecision, Status
from cases.fuzzydate import FuzzyDate
from cases.models import Person, Source, StatusChange
from cases.services import record_status_change
from tests.admin_forms import form_as_shown
from tests.factories import AppealFactory, DeadlineFactory, MembershipFactory, SourceFactory

DATE_HINT = "As precisely as known: 8 Feb 2021 · Feb 2023 · 2017 · 16–28 Mar 2017"
DAY_HINT = "A day: 8 Feb 2021, 2021-02-08 or 08.02.2021."


@pytest.fixture
def report(alice, case):
    person = MembershipFactory(case=case).person
    return record_status_change(
        by=alice, reason="Report", person=person, case=case, status=Status.DETAINED, when="Aug 2017 – Dec 2017"
    )


def _save_as_shown(client, url, reason="Saved again as shown", **changes):
    data = form_as_shown(client.get(url).content.decode())
    data.update(change_reason=reason, **changes)
    return client.post(url, data)


def test_a_range_is_shown_as_typed_and_saves_back_unchanged(alice_client, report):
    url = f"/admin/cases/statuschange/{report.pk}/change/"

    shown = form_as_shown(alice_client.get(url).content.decode())["when"]
    response = _save_as_shown(alice_client, url, description="Added a detail")

    assert shown == "Aug – Dec 2017"
    assert response.status_code == 302
    saved = StatusChange.objects.get(pk=report.pk)
    assert (saved.when, saved.description) == (FuzzyDate.parse("Aug 2017 – Dec 2017"), "Added a detail")


def test_the_case_page_saves_again_with_every_date_as_shown(alice_client, report, case):
    response = _save_as_shown(alice_client, f"/admin/cases/case/{case.pk}/change/", summary="Checked")

    assert response.status_code == 302
    assert StatusChange.objects.get(pk=report.pk).when == report.when


@pytest.mark.parametrize(
    ("typed", "start", "end", "precision"),
    [
        ("28 Jan – 3 Feb 2022", date(2022, 1, 28), date(2022, 2, 3), DatePrecision.RANGE),
        ("before Aug 2017", None, date(2017, 7, 31), DatePrecision.BEFORE),
        ("until Aug 2017", None, date(2017, 8, 31), DatePrecision.UNTIL),
        ("after 2019", date(2020, 1, 1), None, DatePrecision.AFTER),
        ("since Feb 2022", date(2022, 2, 1), None, DatePrecision.SINCE),
    ],
)
def test_ranges_across_months_and_open_dates_are_stored_honestly(alice_client, report, typed, start, end, precision):
    url = f"/admin/cases/statuschange/{report.pk}/change/"

    response = _save_as_shown(alice_client, url, when=typed)

    assert response.status_code == 302
    saved = StatusChange.objects.get(pk=report.pk)
    assert (saved.date_start, saved.date_end, saved.date_precision) == (start, end, precision)
    assert form_as_shown(alice_client.get(url).content.decode())["when"] == typed


def test_filing_consent_and_source_dates_take_a_month(alice_client, alice, case):
    appeal = AppealFactory(case=case)
    source = SourceFactory(case=case)
    person = MembershipFactory(case=case).person

    responses = [
        _save_as_shown(alice_client, f"/admin/appeals/appeal/{appeal.pk}/change/", filed="Aug 2017"),
        _save_as_shown(alice_client, f"/admin/cases/source/{source.pk}/change/", published="Aug 2017"),
        _save_as_shown(alice_client, f"/admin/cases/person/{person.pk}/change/", consent_recorded="Aug 2017"),
    ]

    assert [r.status_code for r in responses] == [302, 302, 302]
    month = FuzzyDate.parse("Aug 2017")
    assert Appeal.objects.get(pk=appeal.pk).filed == month
    assert Source.objects.get(pk=source.pk).published == month
    assert Person.objects.get(pk=person.pk).consent_recorded == month


def test_a_deadline_is_a_day_shown_and_typed_like_every_date(alice_client, case):
    deadline = DeadlineFactory(appeal=AppealFactory(case=case), due_on=date(2021, 2, 12))
    url = f"/admin/appeals/deadline/{deadline.pk}/change/"

    shown = form_as_shown(alice_client.get(url).content.decode())["due_on"]
    refused = _save_as_shown(alice_client, url, due_on="Feb 2021")
    accepted = _save_as_shown(alice_client, url, due_on="19.02.2021")

    assert shown == "12 Feb 2021"
    assert "“Feb 2021” is not a single day." in " ".join(refused.context["adminform"].form.errors["due_on"])
    assert accepted.status_code == 302
    assert Deadline.objects.get(pk=deadline.pk).due_on == date(2021, 2, 19)


@pytest.mark.parametrize(
    "url",
    [
        "/admin/cases/statuschange/add/",
        "/admin/appeals/appeal/add/",
        "/admin/appeals/appealstep/add/",
        "/admin/appeals/deadline/add/",
        "/admin/appeals/officialresponse/add/",
        "/admin/cases/source/add/",
        "/admin/cases/person/add/",
        "/admin/cases/case/add/",
    ],
)
def test_every_date_field_in_the_admin_carries_the_same_hint(alice_client, url):
    page = alice_client.get(url).content.decode()
    date_boxes = re.findall(r'<input type="text" name="([\w-]+)"[^>]*placeholder="8 Feb 2021[^"]*"', page)

    assert date_boxes
    for name in date_boxes:
        inline_row = re.fullmatch(r"(\w+)-(?:\d+|__prefix__)-(\w+)", name)
        # A tabular inline shows the hint once, under its column's heading.
        help_id = f"{inline_row[1]}-{inline_row[2]}-helptext" if inline_row else f"id_{name}_helptext"
        help_text = re.search(rf'id="{re.escape(help_id)}"[^>]*>\s*(?:<div>)?(.*?)<', page, re.S)
        if help_text is None and inline_row:
            help_text = re.search(rf'id="id_{re.escape(name)}_helptext"[^>]*>\s*(?:<div>)?(.*?)<', page, re.S)
        assert help_text, f"no hint under {name}"
        assert DATE_HINT in help_text[1] or DAY_HINT in help_text[1], f"{name}: {help_text[1]}"


def test_history_writes_dates_the_one_way(alice_client, report):
    _save_as_shown(alice_client, f"/admin/cases/statuschange/{report.pk}/change/", when="14 Jun 2017")

    page = " ".join(
        re.sub(
            r"<[^>]+>", " ", alice_client.get(f"/admin/cases/statuschange/{report.pk}/history/").content.decode()
        ).split()
    )

    assert "When : Aug – Dec 2017 → 14 Jun 2017" in page
    assert not re.search(r"\b(Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept?|Oct|Nov|Dec)\. \d", page)


def test_an_approximate_day_typed_in_russian_saves_as_approximate_and_reads_so_in_both_languages(
    alice_client, report, case
):
    url = f"/admin/cases/statuschange/{report.pk}/change/"

    response = _save_as_shown(alice_client, url, when="ок. 17 августа 2017")

    assert response.status_code == 302
    saved = StatusChange.objects.get(pk=report.pk)
    assert (saved.date_start, saved.date_end, saved.date_precision) == (
        date(2017, 8, 17),
        date(2017, 8, 17),
        DatePrecision.APPROXIMATE,
    )
    shown = {
        language: form_as_shown(alice_client.get(url, HTTP_ACCEPT_LANGUAGE=language).content.decode())["when"]
        for language in ("en", "ru")
    }
    assert shown == {"en": "c. 17 Aug 2017", "ru": "около 17 августа 2017"}
    timeline = alice_client.get(f"/cases/{case.pk}/", HTTP_ACCEPT_LANGUAGE="ru").content.decode()
    assert "около 17 августа 2017" in timeline
