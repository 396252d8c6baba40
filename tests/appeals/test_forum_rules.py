"""The forums NGOs write to, with the answer times of the law proposed, moved and settled by their steps."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from appeals.enums import AppealKind, DeadlineRule, DeadlineStatus, Forum, ResponseType, StepType, Supervision
from appeals.models import Appeal, Deadline
from appeals.services import add_appeal_step, file_appeal, record_official_response


def _deadline(appeal, rule) -> Deadline:
    return Deadline.objects.get(appeal=appeal, rule=rule)


@pytest.fixture
def appeal_to(alice, case):
    def make(forum, kind):
        return file_appeal(by=alice, reason="Filed", case=case, forum=forum, kind=kind)

    return make


def test_a_written_appeal_to_the_head_of_a_region_is_answered_within_30_days_of_registration(alice, case, appeal_to):
    appeal = appeal_to(Forum.EXECUTIVE, AppealKind.CITIZEN_APPEAL)

    add_appeal_step(by=alice, reason="Sent", appeal=appeal, step_type=StepType.SUBMITTED, when="1 Mar 2024")
    proposed = _deadline(appeal, DeadlineRule.CITIZEN_APPEAL_ANSWER)
    add_appeal_step(by=alice, reason="Registered", appeal=appeal, step_type=StepType.REGISTERED, when="2 Mar 2024")
    registered = _deadline(appeal, DeadlineRule.CITIZEN_APPEAL_ANSWER)
    add_appeal_step(by=alice, reason="Extended", appeal=appeal, step_type=StepType.TIME_EXTENDED, when="25 Mar 2024")
    extended = _deadline(appeal, DeadlineRule.CITIZEN_APPEAL_ANSWER)
    record_official_response(
        by=alice,
        reason="Answer",
        case=case,
        appeal=appeal,
        when="20 Apr 2024",
        response_type=ResponseType.SUBSTANTIVE_REPLY,
        body="Administration of the Head",
    )

    assert proposed.description == (
        "Answer to the written appeal (30 days from registration, Federal Law No. 59-FZ art. 12)"
    )
    assert (proposed.due_on, registered.due_on, extended.due_on) == (
        date(2024, 4, 3),
        date(2024, 4, 1),
        date(2024, 5, 1),
    )
    settled = _deadline(appeal, DeadlineRule.CITIZEN_APPEAL_ANSWER)
    assert (settled.status, settled.settled_on) == (DeadlineStatus.MET, date(2024, 4, 20))


def test_a_crime_report_to_the_police_is_decided_in_3_days_extendable_to_10_and_30(alice, appeal_to):
    appeal = appeal_to(Forum.DOMESTIC_POLICE, AppealKind.CRIME_REPORT)

    add_appeal_step(by=alice, reason="Sent", appeal=appeal, step_type=StepType.SUBMITTED, when="30 Jan 2019")
    due_dates = [_deadline(appeal, DeadlineRule.CRIME_REPORT_DECISION).due_on]
    for day in ("1 Feb 2019", "8 Feb 2019"):
        add_appeal_step(by=alice, reason="Extended", appeal=appeal, step_type=StepType.CHECK_EXTENDED, when=day)
        due_dates.append(_deadline(appeal, DeadlineRule.CRIME_REPORT_DECISION).due_on)
    add_appeal_step(by=alice, reason="Refused", appeal=appeal, step_type=StepType.REFUSAL_TO_OPEN_CASE, when="Mar 2019")

    assert due_dates == [date(2019, 2, 2), date(2019, 2, 9), date(2019, 3, 1)]
    assert _deadline(appeal, DeadlineRule.CRIME_REPORT_DECISION).status == DeadlineStatus.MISSED


def test_the_federal_ombudsperson_decides_within_10_days(alice, appeal_to):
    appeal = appeal_to(Forum.OMBUDSPERSON, AppealKind.CITIZEN_APPEAL)

    add_appeal_step(by=alice, reason="Sent", appeal=appeal, step_type=StepType.SUBMITTED, when="1 Mar 2024")

    assert _deadline(appeal, DeadlineRule.OMBUDSPERSON_DECISION).due_on == date(2024, 3, 11)


@pytest.mark.parametrize(("forum", "days"), [(Forum.UN_HRC, 180), (Forum.UN_CAT, 90)])
def test_views_ask_the_state_for_follow_up_information(alice, appeal_to, forum, days):
    appeal = appeal_to(forum, AppealKind.INDIVIDUAL_COMPLAINT)

    add_appeal_step(by=alice, reason="Views", appeal=appeal, step_type=StepType.VIEWS_ADOPTED, when="1 Jan 2024")

    assert (_deadline(appeal, DeadlineRule.VIEWS_FOLLOW_UP).due_on - date(2024, 1, 1)).days == days


def test_supervision_of_execution_expects_an_action_plan_within_six_months(alice, appeal_to):
    appeal = appeal_to(Forum.ECTHR, AppealKind.APPLICATION)

    add_appeal_step(
        by=alice,
        reason="Final",
        appeal=appeal,
        step_type=StepType.EXECUTION_SUPERVISION,
        when="12 Dec 2023",
        supervision=Supervision.ENHANCED,
    )

    assert _deadline(appeal, DeadlineRule.ACTION_PLAN).due_on == date(2024, 6, 12)


def test_a_public_appeal_to_the_head_of_a_region_is_named_as_such(alice, appeal_to):
    appeal = appeal_to(Forum.EXECUTIVE, AppealKind.PUBLIC_APPEAL)

    assert str(appeal) == "Head of a region or another executive authority (Public appeal (open letter, video address))"
    assert not Deadline.objects.filter(appeal=appeal).exists()


def test_a_kind_of_appeal_foreign_to_the_forum_is_refused(alice, case):
    with pytest.raises(ValidationError) as error:
        file_appeal(by=alice, reason="Filed", case=case, forum=Forum.EXECUTIVE, kind=AppealKind.CRIME_REPORT)

    assert "Not a kind of appeal to this forum" in error.value.message_dict["kind"][0]
    assert not Appeal.objects.exists()
