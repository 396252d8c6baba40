"""An event that answers or follows another is never shown before it, however imprecise its date."""

import re

import pytest

from appeals.enums import AppealKind, Forum, ResponseType, StepType
from appeals.services import add_appeal_step, file_appeal, record_official_response
from cases.enums import Status
from cases.models import StatusChange
from tests.factories import StatusChangeFactory


@pytest.fixture
def advocate_client(client, advocate, case):
    case.team.add(advocate)
    client.force_login(advocate)
    return client


def _titles(response) -> list[str]:
    return [
        " ".join(re.sub(r"<[^>]+>", " ", title).split())
        for title in re.findall(r'<h3 class="event-title">(.*?)</h3>', response.content.decode(), re.S)
    ]


def test_an_answer_known_to_the_month_comes_after_the_filing_it_answers(advocate_client, alice, case):
    complaint = file_appeal(
        by=alice,
        reason="Filed",
        case=case,
        forum=Forum.DOMESTIC_INVESTIGATIVE,
        kind=AppealKind.CRIME_REPORT,
        filed="24 Aug 2017",
    )
    add_appeal_step(by=alice, reason="Filed", appeal=complaint, step_type=StepType.SUBMITTED, when="24 Aug 2017")
    record_official_response(
        by=alice,
        reason="Answer",
        case=case,
        appeal=complaint,
        when="Aug 2017",
        response_type=ResponseType.REFUSAL_TO_OPEN_CASE,
        body="Investigative Committee",
    )

    titles = _titles(advocate_client.get(f"/cases/{case.pk}/", {"kind": ["appeal", "response"]}))

    assert titles == ["Submitted", "Refusal to open a criminal case — Investigative Committee"]


def test_a_step_known_to_the_year_comes_after_the_filing(advocate_client, alice, case):
    application = file_appeal(
        by=alice, reason="Filed", case=case, forum=Forum.ECTHR, kind=AppealKind.APPLICATION, reference="28834/19"
    )
    add_appeal_step(by=alice, reason="Step", appeal=application, step_type=StepType.REGISTERED, when="2019")
    add_appeal_step(by=alice, reason="Step", appeal=application, step_type=StepType.LODGED, when="24 May 2019")
    add_appeal_step(
        by=alice, reason="Step", appeal=application, step_type=StepType.FINAL_DOMESTIC_DECISION, when="2019"
    )

    titles = _titles(advocate_client.get(f"/cases/{case.pk}/", {"kind": "appeal"}))

    assert titles == [
        "Final domestic decision (starts the time limit)",
        "Application lodged (complete Rule 47 form)",
        "Registered",
    ]


def test_an_answer_to_a_step_comes_after_that_step(advocate_client, alice, case):
    letter = file_appeal(
        by=alice, reason="Filed", case=case, forum=Forum.UN_SPECIAL_PROCEDURES, kind=AppealKind.URGENT_APPEAL
    )
    add_appeal_step(by=alice, reason="Step", appeal=letter, step_type=StepType.SUBMITTED, when="2 Sep 2019")
    sent = add_appeal_step(
        by=alice, reason="Step", appeal=letter, step_type=StepType.COMMUNICATION_SENT, when="20 Sep 2019"
    )
    record_official_response(
        by=alice,
        reason="Answer",
        case=case,
        appeal=letter,
        answers_step=sent,
        when="Sep 2019",
        response_type=ResponseType.DENIAL,
        state="Russian Federation",
    )

    titles = _titles(advocate_client.get(f"/cases/{case.pk}/"))

    assert titles[:2] == ["Submitted", "Communication sent to the Government"]
    assert titles[2] == "Denial of facts — Russian Federation"


def test_an_answer_to_a_step_of_another_appeal_is_refused(alice_client, alice, case):
    first = file_appeal(by=alice, reason="Filed", case=case, forum=Forum.OMBUDSPERSON, kind=AppealKind.PETITION)
    second = file_appeal(by=alice, reason="Filed", case=case, forum=Forum.OMBUDSPERSON, kind=AppealKind.PETITION)
    step = add_appeal_step(by=alice, reason="Step", appeal=first, step_type=StepType.SUBMITTED, when="2019")

    response = alice_client.post(
        "/admin/appeals/officialresponse/add/",
        {
            "case": case.pk,
            "appeal": second.pk,
            "answers_step": step.pk,
            "when": "2020",
            "response_type": "denial",
            "verification": "confirmed",
            "state": "Russian Federation",
            "change_reason": "Answer",
        },
    )

    assert response.context["adminform"].form.errors["answers_step"] == ["Choose a step of the appeal this answers."]


def _reports(response) -> list[tuple[str, list[str]]]:
    """Each status event on the page: its status and those of the other accounts shown beside it."""
    events = response.context["timeline"].events
    return [(event.status, [other.status for other in event.other_accounts]) for event in events]


def test_a_report_that_follows_another_account_comes_after_the_event_that_account_stands_beside(advocate_client, case):
    detained = StatusChangeFactory(case=case, status=Status.DETAINED, when="Mar 2019")
    disappeared = StatusChangeFactory(
        case=case, person=detained.person, status=Status.DISAPPEARED, when="Apr 2019", differs_from=detained
    )
    # Known to the year only, and said to follow the other account: by its date alone it would come first.
    StatusChangeFactory(case=case, person=detained.person, status=Status.RELEASED, when="2019", follows=disappeared)

    response = advocate_client.get(f"/cases/{case.pk}/")

    assert _reports(response) == [(Status.DETAINED, [Status.DISAPPEARED]), (Status.RELEASED, [])]


def test_an_account_of_another_account_and_a_loop_of_accounts_stay_on_the_timeline(advocate_client, case):
    first = StatusChangeFactory(case=case, status=Status.DETAINED, when="Mar 2019")
    second = StatusChangeFactory(
        case=case, person=first.person, status=Status.DISAPPEARED, when="Apr 2019", differs_from=first
    )
    third = StatusChangeFactory(
        case=case, person=first.person, status=Status.RELEASED, when="May 2019", differs_from=first
    )
    # Records written before the forms refused it: an account of an account, and two accounts of each other.
    StatusChange.objects.filter(pk=third.pk).update(differs_from=second)
    looped = StatusChangeFactory(case=case, person=first.person, status=Status.IN_HIDING, when="2020")
    other = StatusChangeFactory(
        case=case, person=first.person, status=Status.RELOCATED_ABROAD, when="2021", differs_from=looped
    )
    StatusChange.objects.filter(pk=looped.pk).update(differs_from=other)

    response = advocate_client.get(f"/cases/{case.pk}/")

    assert _reports(response) == [
        (Status.DETAINED, [Status.DISAPPEARED, Status.RELEASED]),
        (Status.IN_HIDING, [Status.RELOCATED_ABROAD]),
    ]
