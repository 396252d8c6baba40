"""Advocate pages: what each user sees, bad input, and queries that do not grow with the data."""

from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from appeals.enums import DeadlineStatus, StepType
from appeals.services import add_appeal_step
from cases.enums import Sensitivity, Status
from cases.models import StatusChange
from cases.services import record_status_change, save_record
from tests.factories import (
    AppealFactory,
    CaseFactory,
    DeadlineFactory,
    MembershipFactory,
    OfficialResponseFactory,
    PersonIdentityFactory,
    SourceFactory,
    StatusChangeFactory,
)


@pytest.fixture
def advocate_client(client, advocate, case):
    case.team.add(advocate)
    client.force_login(advocate)
    return client


def test_pages_require_login(client, case):
    for url in ["/cases/", f"/cases/{case.pk}/", "/deadlines/"]:
        response = client.get(url)
        assert (response.status_code, response["Location"].split("?")[0]) == (302, "/accounts/login/")


def test_case_list_shows_team_cases_with_current_status(advocate_client, case):
    change = StatusChangeFactory(case=case, status=Status.DISAPPEARED, when="c. Mar 2023")

    page = advocate_client.get("/cases/").content.decode()

    assert case.title in page
    assert change.person.codename in page
    assert "Disappeared / whereabouts unknown" in page
    assert "since c. Mar 2023" in page


def test_case_list_hides_cases_of_other_teams(client, charlie, case):
    client.force_login(charlie)

    response = client.get("/cases/")

    assert case.title not in response.content.decode()
    assert response.context["total"] == 0


def test_case_list_total_counts_the_team_cases_whole_and_filtered(advocate_client, advocate, case, alice):
    # The whole list's total is read from the team table, a filtered one from the filtered list: both must say
    # what the list holds, never another team's cases.
    CaseFactory(title="Another of ours", region="Dagestan", team=[advocate])
    CaseFactory(title="Someone else's", region="Dagestan", team=[alice])

    whole = advocate_client.get("/cases/")
    narrowed = advocate_client.get("/cases/?region=Dagestan")
    refused = advocate_client.get("/cases/?status=kidnapped")

    assert (whole.context["total"], narrowed.context["total"]) == (2, 1)
    assert '<p class="count" role="status">2 cases</p>' in whole.content.decode()
    assert sorted(c.title for c in whole.context["page"].object_list) == sorted(["Another of ours", case.title])
    assert '<p class="count" role="status">1 case</p>' in narrowed.content.decode()
    assert [c.title for c in narrowed.context["page"].object_list] == ["Another of ours"]
    assert (refused.status_code, refused.context["total"]) == (400, 0)


@pytest.mark.parametrize(
    ("query", "status", "message"),
    [
        ("status=kidnapped", 400, "Select a valid choice. kidnapped is not one of the available choices."),
        ("page=99", 404, "There is no page “99”: the list has 1."),
        ("page=abc", 404, "There is no page “abc”"),
    ],
)
def test_case_list_bad_input_gets_a_clear_message(advocate_client, query, status, message):
    response = advocate_client.get(f"/cases/?{query}")

    assert response.status_code == status
    assert message in response.content.decode()


def test_case_list_filters_by_overdue_deadline_and_whereabouts(advocate_client, case, alice):
    CaseFactory(title="Nothing overdue", team=list(case.team.all()))
    DeadlineFactory(appeal=AppealFactory(case=case), due_on=date(2021, 2, 12))
    StatusChangeFactory(case=case, status=Status.DISAPPEARED)

    overdue = advocate_client.get("/cases/?overdue=on").context["page"].object_list
    unknown = advocate_client.get("/cases/?whereabouts_unknown=on").context["page"].object_list

    assert [c.title for c in overdue] == [case.title]
    assert [c.title for c in unknown] == [case.title]


def test_timeline_merges_events_in_date_order_with_numbered_sources(advocate_client, case):
    source = SourceFactory(case=case, title="Court letter")
    change = StatusChangeFactory(case=case, when="6 Feb 2021")
    change.sources.add(source)
    appeal = AppealFactory(case=case, title="Rule 39 request", reference="")
    add_appeal_step(
        by=None,
        reason="t",
        appeal=appeal,
        step_type=StepType.INTERIM_GRANTED,
        when="8 Feb 2021",
        response_due_on=date(2021, 2, 12),
    )
    OfficialResponseFactory(case=case, when="c. 2017", summary="Such people do not exist")

    response = advocate_client.get(f"/cases/{case.pk}/")

    events = response.context["timeline"].events
    assert [(str(e.when), e.kind) for e in events] == [
        ("c. 2017", "response"),
        ("6 Feb 2021", "status"),
        ("8 Feb 2021", "interim"),
        ("12 Feb 2021", "deadline"),
    ]
    assert events[1].source_numbers == [1]
    assert events[3].state == "overdue"
    assert "Court letter" in response.content.decode()
    assert response["Cache-Control"] == "max-age=0, no-cache, no-store, must-revalidate, private"


def test_timeline_shows_disagreeing_accounts_side_by_side(advocate_client, case):
    court = StatusChangeFactory(case=case, when="16–28 Mar 2017")
    StatusChangeFactory(case=case, person=court.person, when="15–28 Mar 2017", differs_from=court)

    page = advocate_client.get(f"/cases/{case.pk}/").content.decode()

    assert "Sources disagree" in page
    assert page.index("16–28 Mar 2017") < page.index("15–28 Mar 2017")


def test_person_page_says_which_report_another_account_disagrees_with(advocate_client, case):
    court = StatusChangeFactory(case=case, when="16–28 Mar 2017")
    StatusChangeFactory(case=case, person=court.person, when="Apr 2017", differs_from=court)

    page = advocate_client.get(f"/people/{court.person.pk}/").content.decode()

    assert page.count("Another account of the report of") == 1
    assert "Another account of the report of 16–28 Mar 2017" in page


def test_person_page_dates_each_answer_once(advocate_client, case):
    person = MembershipFactory(case=case).person
    appeal = AppealFactory(case=case)
    appeal.people.add(person)
    OfficialResponseFactory(case=case, appeal=appeal, body="Prosecutor's office", when="29 Mar 2019")

    page = advocate_client.get(f"/people/{person.pk}/").content.decode()

    answers = page[page.index('id="responses-title"') :]
    assert answers.count("29 Mar 2019") == 1
    assert "Prosecutor&#x27;s office: " in answers


def test_timeline_shows_markup_typed_into_records_as_text(advocate_client, case):
    markup = '<img src=x onerror="alert(1)">'
    first = StatusChangeFactory(case=case, place=markup, description=markup, internal_notes=markup)
    StatusChangeFactory(case=case, person=first.person, when="5 Feb 2021", description=markup, differs_from=first)
    appeal = AppealFactory(case=case, title=markup)
    add_appeal_step(by=None, reason="t", appeal=appeal, step_type=StepType.LODGED, when="2021", description=markup)
    DeadlineFactory(appeal=appeal, description=markup, note=markup)
    OfficialResponseFactory(case=case, appeal=appeal, official=markup, summary=markup, quote=markup)

    page = advocate_client.get(f"/cases/{case.pk}/").content.decode()

    assert "<img" not in page
    # The first report's place, description and internal note (3), the other account's description (1), the
    # appeal's title on its step, deadline and answer (3), the step's description (1), the deadline's
    # description and note (2), the answer's official, summary and quote (3).
    assert page.count("&lt;img src=x onerror=&quot;alert(1)&quot;&gt;") == 13


def test_timeline_filters_by_kind_and_person(advocate_client, case):
    first = StatusChangeFactory(case=case)
    StatusChangeFactory(case=case, status=Status.RELEASED)
    OfficialResponseFactory(case=case)

    responses = advocate_client.get(f"/cases/{case.pk}/?kind=response").context["timeline"].events
    of_first = advocate_client.get(f"/cases/{case.pk}/?person={first.person.pk}").context["timeline"].events

    assert [e.kind for e in responses] == ["response"]
    assert [e.people for e in of_first] == [[first.person.codename]]


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("as_of=yesterday", "“yesterday” is not a day we can read. A day: 8 Feb 2021, 2021-02-08 or 08.02.2021."),
        ("as_of=1 Jan 2099", "“As known on” cannot be in the future."),
        ("kind=rumour", "Select a valid choice. rumour is not one of the available choices."),
        ("person=00000000-0000-0000-0000-000000000000", "Select a valid choice."),
    ],
)
def test_timeline_bad_input_gets_a_clear_message(advocate_client, case, query, message):
    response = advocate_client.get(f"/cases/{case.pk}/?{query}")

    assert response.status_code == 400
    assert message in response.content.decode()


def test_timeline_as_known_on_reads_the_record_as_it_stood(advocate_client, alice, case):
    change = StatusChangeFactory(case=case, status=Status.DETAINED)
    last_week = timezone.now() - timedelta(days=7)
    StatusChange.history.update(history_date=last_week)
    change.status = Status.RELEASED
    save_record(change, by=alice, reason="Lawyer confirmed release")
    record_status_change(
        by=alice, reason="New report", person=change.person, case=case, status=Status.RELOCATED_ABROAD, when="2021"
    )

    before = advocate_client.get(f"/cases/{case.pk}/?as_of={(last_week + timedelta(days=1)).date()}")
    now = advocate_client.get(f"/cases/{case.pk}/")

    assert [e.title for e in before.context["timeline"].events] == ["Detained (acknowledged)"]
    assert "As known on" in before.content.decode()
    assert sorted(e.title for e in now.context["timeline"].events) == ["Released", "Relocated abroad"]


def test_timeline_as_known_on_leads_to_the_export_of_the_record_as_it_is_now(advocate_client, case):
    StatusChangeFactory(case=case)

    page = advocate_client.get(f"/cases/{case.pk}/?as_of={timezone.localdate()}").content.decode()

    assert reverse("exports:case_export", args=[case.pk]) not in page
    assert "What each level leaves out" not in page
    assert "A summary is exported from the record as it is now, not as it stood on a past day." in page
    assert f'<a href="/cases/{case.pk}/#export-title">Export from the record as it is now</a>' in page


def test_timeline_of_another_teams_case_is_404_like_a_missing_one(client, charlie, case):
    client.force_login(charlie)

    assert client.get(f"/cases/{case.pk}/").status_code == 404
    assert client.get("/cases/00000000-0000-0000-0000-000000000000/").status_code == 404


def test_person_page_shows_identity_only_to_staff(client, alice, advocate, case):
    identity = PersonIdentityFactory(legal_name="Timur Vymyshlenny", current_whereabouts="Safe house B")
    MembershipFactory(case=case, person=identity.person)
    case.team.add(advocate)
    url = f"/people/{identity.person.pk}/"

    client.force_login(alice)
    as_staff = client.get(url).content.decode()
    client.force_login(advocate)
    as_advocate = client.get(url).content.decode()

    assert "Safe house B" in as_staff
    assert "Timur Vymyshlenny" not in as_advocate
    assert "Safe house B" not in as_advocate
    assert identity.person.codename in as_advocate


def test_person_page_lists_the_spellings_of_the_name_to_staff_allowed_identities_only(client, alice, advocate, case):
    from cases.enums import AccessAction, Script
    from cases.models import AccessRecord
    from tests.factories import NameVariantFactory

    person = MembershipFactory(case=case).person
    NameVariantFactory(person=person, name="Джохар Джабраилов", script=Script.CYRILLIC)
    NameVariantFactory(person=person, name="Jokhar Jabrailov", script=Script.LATIN, source_note="media")
    case.team.add(advocate)
    url = f"/people/{person.pk}/"

    client.force_login(alice)
    as_staff = client.get(url).content.decode()
    client.force_login(advocate)
    as_advocate = client.get(url).content.decode()

    assert "Джохар Джабраилов" in as_staff
    assert "Jokhar Jabrailov" in as_staff
    assert "media" in as_staff
    assert "Jabrailov" not in as_advocate
    assert "Джабраилов" not in as_advocate
    assert list(AccessRecord.objects.filter(person_id=person.pk).order_by("at").values_list("action", flat=True)) == [
        AccessAction.VIEW_IDENTITY,
        AccessAction.VIEW_PERSON,
    ]


def test_public_person_is_named_on_the_timeline(advocate_client, case):
    identity = PersonIdentityFactory(legal_name="Maxim Lapunov")
    person = identity.person
    person.sensitivity, person.consent_publicity = Sensitivity.PUBLIC, "given"
    save_record(person, by=None, reason="Consent recorded")
    StatusChangeFactory(case=case, person=MembershipFactory(case=case, person=person).person)

    events = advocate_client.get(f"/cases/{case.pk}/").context["timeline"].events

    assert events[0].people == [f"Maxim Lapunov ({person.codename})"]


def test_deadlines_dashboard_lists_overdue_upcoming_and_waiting(advocate_client, case):
    appeal = AppealFactory(case=case, filed=date(2021, 2, 5))
    DeadlineFactory(appeal=appeal, description="Reply to Rule 39", due_on=date(2021, 2, 12))
    DeadlineFactory(appeal=appeal, description="Observations", due_on=timezone.localdate() + timedelta(days=10))

    response = advocate_client.get("/deadlines/")

    assert [r["deadline"].description for r in response.context["overdue"]] == ["Reply to Rule 39"]
    assert [r["label"] for r in response.context["upcoming"]] == ["Due in 10 days"]
    assert [r["appeal"] for r in response.context["waiting"]] == [appeal]


def test_deadlines_due_today_and_tomorrow_say_so_in_words_a_reader_expects(advocate_client, case):
    appeal = AppealFactory(case=case)
    today = timezone.localdate()
    DeadlineFactory(appeal=appeal, description="Today's", due_on=today)
    DeadlineFactory(appeal=appeal, description="Tomorrow's", due_on=today + timedelta(days=1))

    upcoming = advocate_client.get("/deadlines/").context["upcoming"]

    assert [(r["deadline"].description, r["label"]) for r in upcoming] == [
        ("Today's", "Due today"),
        ("Tomorrow's", "Due in 1 day"),
    ]


def test_deadlines_page_totals_agree_with_the_navigation(advocate_client, case, charlie):
    appeal = AppealFactory(case=case)
    today = timezone.localdate()
    for days in (-30, -2, 3, 40):
        DeadlineFactory(appeal=appeal, description=f"Due {days}", due_on=today + timedelta(days=days))
    DeadlineFactory(
        appeal=appeal, description="Met", due_on=today - timedelta(days=9), status=DeadlineStatus.MET, settled_on=today
    )
    DeadlineFactory(appeal=AppealFactory(case=CaseFactory(team=[charlie])), due_on=today - timedelta(days=1))

    page = advocate_client.get("/deadlines/").content.decode()

    assert "Overdue (2)" in page
    assert "Upcoming (2)" in page
    assert '<strong class="badge overdue">2 overdue</strong>' in page
    assert '<span class="badge due-soon">1 due within a week</span>' in page


def _events(case, count, person=None):
    """Per event: a status change citing a source, an appeal with an interim measure and the deadline it sets,
    and the State's answer; about ``person``, or about someone new to the case."""
    for _ in range(count):
        change = StatusChangeFactory(case=case, **({"person": person} if person else {}))
        change.sources.add(SourceFactory(case=case))
        appeal = AppealFactory(case=case)
        appeal.people.add(change.person)
        add_appeal_step(
            by=None,
            reason="t",
            appeal=appeal,
            step_type=StepType.INTERIM_GRANTED,
            when="2021",
            response_due_on=date(2021, 12, 31),
        )
        OfficialResponseFactory(case=case, appeal=appeal)


@pytest.mark.parametrize("url", ["/cases/", "/cases/{case}/", "/cases/{case}/?as_of={today}", "/deadlines/"])
def test_page_query_count_does_not_grow_with_events(advocate_client, case, url, django_assert_num_queries):
    url = url.format(case=case.pk, today=timezone.localdate())
    _events(case, 1)
    with CaptureQueriesContext(connection) as with_one:
        assert advocate_client.get(url).status_code == 200
    _events(case, 5)

    with django_assert_num_queries(len(with_one)):
        assert advocate_client.get(url).status_code == 200


# Queries per page, pinned as pretalx pins them: the same number for 1 and for 20 events, people and cases,
# so a query per row fails, and so does any new query at all (if a change needs one, update the number here).
# The same on SQLite and PostgreSQL. Each page counts, for the navigation, the reader's overdue and due-soon
# deadlines (reminders/context_processors.py): one aggregate. The deadlines page counts its own totals and the
# navigation's in that one aggregate. Whether the reader is an administrator is asked once a request.
PAGE_QUERIES = {
    # page: (as an advocate on the team, as an administrator)
    "/cases/": (13, 13),
    "/cases/{case}/": (27, 27),
    "/cases/{case}/?as_of={today}": (29, 29),
    "/people/{person}/": (17, 18),  # an administrator also reads the spellings of the name
    "/deadlines/": (11, 11),
}


@pytest.mark.parametrize("size", [1, 20])
@pytest.mark.parametrize("role", ["advocate", "administrator"])
@pytest.mark.parametrize("page", list(PAGE_QUERIES))
def test_page_query_count_is_pinned(client, request, case, page, role, size, django_assert_num_queries):
    user = request.getfixturevalue(role)
    if role == "advocate":
        case.team.add(user)
    client.force_login(user)
    person = MembershipFactory(case=case).person
    _events(case, size, person=person)
    _events(case, size)
    for _ in range(size - 1):
        _events(CaseFactory(team=list(case.team.all())), 1)
    url = page.format(case=case.pk, person=person.pk, today=timezone.localdate())
    client.get(url)  # what a running server has cached already (content types, ...) is not counted

    with django_assert_num_queries(PAGE_QUERIES[page][role == "administrator"]):
        assert client.get(url).status_code == 200


def test_a_proposed_deadline_reads_in_the_readers_language_and_a_reworded_one_as_written(advocate_client, case):
    appeal = AppealFactory(case=case, title="Rule 39 request", reference="")
    add_appeal_step(
        by=None,
        reason="t",
        appeal=appeal,
        step_type=StepType.INTERIM_GRANTED,
        when="8 Feb 2021",
        response_due_on=date(2021, 2, 12),
    )
    reworded = AppealFactory(case=case, title="Second request", reference="")
    add_appeal_step(
        by=None,
        reason="t",
        appeal=reworded,
        step_type=StepType.INTERIM_GRANTED,
        when="9 Feb 2021",
        response_due_on=date(2021, 2, 13),
    )
    own_words = reworded.deadlines.get()
    own_words.description = "Government's reply to the interim measures, by fax"
    save_record(own_words, by=None, reason="Reworded")
    russian = {"headers": {"accept-language": "ru"}}

    deadlines = advocate_client.get("/deadlines/", **russian).content.decode()
    timeline = advocate_client.get(f"/cases/{case.pk}/", **russian).content.decode()

    for page in (deadlines, timeline):
        assert "Ответ властей на обеспечительные меры" in page
        assert "Government&#x27;s reply to the interim measures</" not in page
        assert "Government&#x27;s reply to the interim measures, by fax" in page
    assert "Government&#x27;s reply to the interim measures" in advocate_client.get("/deadlines/").content.decode()


def test_the_appeals_on_the_dashboard_are_named_in_each_readers_language(advocate_client, case):
    # Choice labels are translated once per language and kept: one reader's language must not stick for the next.
    appeal = AppealFactory(case=case, forum="ecthr", kind="application", reference="")
    DeadlineFactory(appeal=appeal, description="Observations", due_on=timezone.localdate() + timedelta(days=3))

    pages = [
        advocate_client.get("/deadlines/", headers={"accept-language": language}).content.decode()
        for language in ("ru", "en", "ru")
    ]

    assert "Европейский суд по правам человека (Индивидуальная жалоба (статья 34 Конвенции))" in pages[0]
    assert "European Court of Human Rights (Individual application (Art. 34))" in pages[1]
    assert "European Court of Human Rights" not in pages[2]


def test_a_steps_own_words_and_its_reply_date_read_apart(advocate_client, case):
    for description, due in [("Faxed to the Registry on 8 February", 12), ("Sent by post.", 20)]:
        add_appeal_step(
            by=None,
            reason="t",
            appeal=AppealFactory(case=case),
            step_type=StepType.INTERIM_GRANTED,
            when="8 Feb 2021",
            description=description,
            response_due_on=date(2021, 2, due),
        )

    page = advocate_client.get(f"/cases/{case.pk}/").content.decode()

    assert "Faxed to the Registry on 8 February — Reply due by 12 Feb 2021." in page
    assert "Sent by post. Reply due by 20 Feb 2021." in page
