"""Judgment outcomes and facts about States, entered in the admin, read on the timeline, case list and exports."""

import html
import json
import re
from datetime import date

import pytest

from appeals.enums import AppealKind, Forum, StepType
from appeals.models import ArticleFinding, Award, StateFact
from appeals.services import add_appeal_step, file_appeal
from cases.services import save_record
from exports.services import export_case
from tests.admin_forms import form_as_shown, formset
from tests.conftest import VerifiedClient
from tests.factories import CaseFactory


@pytest.fixture
def judgment(alice, case):
    application = file_appeal(
        by=alice,
        reason="Filed",
        case=case,
        forum=Forum.ECTHR,
        kind=AppealKind.APPLICATION,
        reference="28834/19",
        title="Lapunov v. Russia",
    )
    add_appeal_step(by=alice, reason="Lodged", appeal=application, step_type=StepType.LODGED, when="24 May 2019")
    return add_appeal_step(
        by=alice, reason="Judgment", appeal=application, step_type=StepType.CHAMBER_JUDGMENT, when="12 Sep 2023"
    )


@pytest.fixture
def advocate_client(advocate, case):
    # A client of its own: the tests also act as alice, through alice_client.
    case.team.add(advocate)
    client = VerifiedClient()
    client.force_login(advocate)
    return client


def _text(response) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", response.content.decode())).split())


FINDINGS = [
    {"article": "3", "limb": "substantive", "finding": "violation"},
    {"article": "3", "limb": "procedural", "finding": "violation"},
    {"article": "14", "taken_with_article": "3", "finding": "violation"},
    {"article": "5", "paragraph": "1", "finding": "violation"},
]


def _record_findings(client, judgment, findings=FINDINGS, awards=()):
    url = f"/admin/appeals/appealstep/{judgment.pk}/change/"
    data = form_as_shown(client.get(url).content.decode())
    blank = {"paragraph": "", "limb": "", "taken_with_article": "", "taken_with_paragraph": ""}
    data.update(formset("findings", [{**blank, **row} for row in findings]))
    data.update(formset("awards", list(awards)))
    data["change_reason"] = "Judgment read"
    return client.post(url, data)


def test_staff_record_each_article_found_violated(alice_client, judgment):
    response = _record_findings(
        alice_client,
        judgment,
        awards=[{"head": "non_pecuniary", "amount": "19500", "currency": "eur", "awarded_to": "the applicant"}],
    )

    assert response.status_code == 302
    assert [f.label for f in ArticleFinding.objects.order_by("created_at")] == [
        "Art. 3 (substantive): violation",
        "Art. 3 (procedural): violation",
        "Art. 14 taken with Art. 3: violation",
        "Art. 5 § 1: violation",
    ]
    assert Award.objects.get().label == "EUR 19\u202f500 for non-pecuniary damage (the applicant)"


def test_timeline_and_every_export_level_state_the_findings(alice, alice_client, advocate_client, case, judgment):
    _record_findings(alice_client, judgment)

    page = _text(advocate_client.get(f"/cases/{case.pk}/"))
    public = json.loads(export_case(case_id=case.pk, user=alice, level="public", fmt="json", purpose="Press").content)

    assert (
        "Chamber judgment Lapunov v. Russia · European Court of Human Rights 28834/19 Art. 3 (substantive): violation"
        in page
    )
    judgment_event = next(e for e in public["events"] if e["title"] == "Chamber judgment")
    assert judgment_event["findings"][2] == "Art. 14 taken with Art. 3: violation"


def test_case_list_filters_cases_where_a_violation_of_an_article_was_found(
    alice, alice_client, advocate_client, case, judgment
):
    _record_findings(alice_client, judgment)
    CaseFactory(title="No judgment yet", team=[alice, *case.team.all()])

    found = advocate_client.get("/cases/", {"violation": "3"})
    not_found = advocate_client.get("/cases/", {"violation": "8"})

    assert [c.title for c in found.context["page"].object_list] == [case.title]
    assert not_found.status_code == 400  # Art. 8 was found violated nowhere, so it is not offered
    admin = alice_client.get("/admin/cases/case/", {"violation": "14"})
    assert [c.title for c in admin.context["cl"].result_list] == [case.title]


def test_a_finding_on_a_step_that_decides_nothing_is_refused(alice_client, alice, case):
    appeal = file_appeal(by=alice, reason="Filed", case=case, forum=Forum.ECTHR, kind=AppealKind.APPLICATION)
    lodged = add_appeal_step(by=alice, reason="Lodged", appeal=appeal, step_type=StepType.LODGED, when="2019")

    response = _record_findings(alice_client, lodged, findings=[{"article": "three", "finding": "violation"}])

    errors = response.context["inline_admin_formsets"][0].formset.errors[0]
    assert errors["article"] == ["Write the Article's number, e.g. 3, or P1-1 for Art. 1 of Protocol No. 1."]
    assert not ArticleFinding.objects.exists()


def test_the_fact_that_russia_left_the_convention_shows_on_the_timelines_it_affects(advocate_client, alice, case):
    application = file_appeal(
        by=alice,
        reason="Filed",
        case=case,
        forum=Forum.ECTHR,
        kind=AppealKind.APPLICATION,
        reference="12345/23",
        respondent_state="RU",
        facts="Jan 2023",
    )

    page = _text(advocate_client.get(f"/cases/{case.pk}/"))

    assert StateFact.objects.get().on == date(2022, 9, 16)
    assert "16 Sep 2022 Fact about a State Russia: Russia ceased to be a party to the European Convention" in page
    assert "Russia ceased to be a party on 16 Sep 2022: the forum cannot examine facts after that day." in page
    assert application.warnings() == [
        "Russia ceased to be a party on 16 Sep 2022: the forum cannot examine facts after that day."
    ]


def test_the_shipped_fact_reads_in_the_readers_language_until_reworded(advocate_client, alice, case):
    file_appeal(
        by=alice,
        reason="Filed",
        case=case,
        forum=Forum.ECTHR,
        kind=AppealKind.APPLICATION,
        reference="12345/23",
        respondent_state="RU",
        facts="Jan 2021",
    )
    russian = {"headers": {"accept-language": "ru"}}

    shipped = _text(advocate_client.get(f"/cases/{case.pk}/", **russian))
    fact = StateFact.objects.get()
    fact.description = "Russia was expelled from the Council of Europe and left the Convention"
    save_record(fact, by=None, reason="Reworded")
    reworded = _text(advocate_client.get(f"/cases/{case.pk}/", **russian))

    assert "Россия перестала быть участницей Европейской конвенции о защите прав человека" in shipped
    assert "Суд по-прежнему рассматривает жалобы" in shipped
    assert "Russia ceased to be a party" not in shipped
    assert "Russia was expelled from the Council of Europe and left the Convention" in reworded


def test_saving_an_application_about_later_facts_warns_staff(alice_client, case):
    url = "/admin/appeals/appeal/add/"
    data = form_as_shown(alice_client.get(url).content.decode())
    data.update(
        case=case.pk,
        forum="ecthr",
        kind="application",
        respondent_state="RU",
        facts="2021 – 2023",
        change_reason="Filed",
    )

    response = alice_client.post(url, data, follow=True)

    assert "Russia ceased to be a party on 16 Sep 2022: only facts before that day can be examined." in _text(response)


def test_editors_read_facts_about_states_but_only_administrators_change_them(alice_client, client, administrator):
    fact = StateFact.objects.get()

    assert alice_client.get(f"/admin/appeals/statefact/{fact.pk}/change/").status_code == 200
    refused = alice_client.post(f"/admin/appeals/statefact/{fact.pk}/change/", {"description": "Changed"})
    client.force_login(administrator)
    allowed = client.get(f"/admin/appeals/statefact/{fact.pk}/change/")

    assert refused.status_code == 403
    assert StateFact.objects.get().description.startswith("Russia ceased")
    assert 'name="description"' in allowed.content.decode()
