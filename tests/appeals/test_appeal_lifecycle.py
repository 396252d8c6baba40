"""Appeals follow their forum's procedure: stage, interim measures and deadlines derive from the steps."""

from datetime import date

import pytest

from appeals.enums import AppealKind, DeadlineStatus, Forum, ResponseType, StepType
from appeals.services import add_appeal_step, record_official_response
from appeals.timeline import deadline_state
from cases.enums import Status, Verification
from cases.models import Person
from cases.services import save_record
from tests.factories import AppealFactory, StatusChangeFactory


def _step(appeal, step_type, when, **fields):
    return add_appeal_step(by=None, reason="Test", appeal=appeal, step_type=step_type, when=when, **fields)


def test_current_stage_is_the_latest_step_in_procedural_order(case):
    appeal = AppealFactory(case=case)
    _step(appeal, StepType.LODGED, "24 May 2019")
    _step(appeal, StepType.COMMUNICATED, "2020")
    _step(appeal, StepType.INTERIM_REQUESTED, "2021")

    appeal.refresh_from_db()

    assert (appeal.current_stage, appeal.interim_measures, appeal.is_closed) == ("communicated", "requested", False)


def test_closing_step_closes_the_appeal(case):
    appeal = AppealFactory(case=case)
    _step(appeal, StepType.LODGED, "2019")
    _step(appeal, StepType.INADMISSIBLE, "2020")

    appeal.refresh_from_db()

    assert (appeal.get_current_stage_display(), appeal.is_closed) == ("Declared inadmissible", True)


@pytest.mark.parametrize(
    ("decided", "due", "months"),
    [
        ("15 Mar 2022", date(2022, 7, 15), 4),
        ("31 Jan 2022", date(2022, 7, 31), 6),
        ("31 Oct 2022", date(2023, 2, 28), 4),
    ],
)
def test_final_domestic_decision_proposes_the_ecthr_time_limit(case, decided, due, months):
    appeal = AppealFactory(case=case, reference="")

    _step(appeal, StepType.FINAL_DOMESTIC_DECISION, decided)

    deadline = appeal.deadlines.get()
    assert (deadline.due_on, deadline.responsible) == (due, "us")
    assert f"{months}-month time limit" in deadline.description


def test_un_communication_expects_a_reply_within_sixty_days_and_an_answer_settles_it(case):
    appeal = AppealFactory(
        case=case, forum=Forum.UN_SPECIAL_PROCEDURES, kind=AppealKind.URGENT_APPEAL, reference="UA RUS 4/2019"
    )
    _step(appeal, StepType.COMMUNICATION_SENT, "1 Mar 2019")
    deadline = appeal.deadlines.get()
    assert (deadline.due_on, deadline.status) == (date(2019, 4, 30), DeadlineStatus.OPEN)

    record_official_response(
        by=None,
        reason="Test",
        case=case,
        appeal=appeal,
        when="10 Jun 2019",
        response_type=ResponseType.DENIAL,
        state="Russian Federation",
    )

    deadline.refresh_from_db()
    assert (deadline.status, deadline.settled_on) == (DeadlineStatus.MISSED, date(2019, 6, 10))


def _answered(case, appeal, when):
    record_official_response(
        by=None,
        reason="Test",
        case=case,
        appeal=appeal,
        when=when,
        response_type=ResponseType.DENIAL,
        state="Russian Federation",
    )
    return deadline_state(appeal.deadlines.get(), date(2026, 1, 1))


@pytest.mark.parametrize(
    ("answered", "state"),
    [
        ("Jun 2019", ("missed", "Missed — answered Jun 2019")),
        ("Apr 2019", ("met", "Met — answered Apr 2019")),
        ("10 Jun 2019", ("missed", "Missed — answered 10 Jun 2019")),
        ("10 Apr 2019", ("met", "Met on 10 Apr 2019")),
    ],
)
def test_a_settled_deadline_reads_the_answers_date_as_precisely_as_it_is_known(case, answered, state):
    appeal = AppealFactory(case=case, forum=Forum.UN_SPECIAL_PROCEDURES, kind=AppealKind.URGENT_APPEAL, reference="")
    _step(appeal, StepType.COMMUNICATION_SENT, "1 Mar 2019")

    # An answer known only to the month counts from its last day ("Apr 2019" is on time for 30 Apr), and is
    # never shown as that day.
    assert _answered(case, appeal, answered) == state


def test_a_settlement_day_staff_enter_themselves_reads_as_that_day(alice, case):
    appeal = AppealFactory(case=case, forum=Forum.UN_SPECIAL_PROCEDURES, kind=AppealKind.URGENT_APPEAL, reference="")
    _step(appeal, StepType.COMMUNICATION_SENT, "1 Mar 2019")
    _answered(case, appeal, "Jun 2019")
    deadline = appeal.deadlines.get()

    deadline.settled_on = date(2019, 6, 3)
    save_record(deadline, by=alice, reason="The reply's letter is dated 3 June")

    assert deadline_state(appeal.deadlines.get(), date(2026, 1, 1)) == ("missed", "Missed — answered 3 Jun 2019")


def test_rule39_reply_on_time_meets_the_deadline(case):
    appeal = AppealFactory(case=case, kind=AppealKind.INTERIM_MEASURES_REQUEST, reference="")
    _step(appeal, StepType.INTERIM_GRANTED, "8 Feb 2021", response_due_on=date(2021, 2, 12))

    _step(appeal, StepType.GOVERNMENT_REPLY, "11 Feb 2021")

    assert appeal.deadlines.get().status == DeadlineStatus.MET


def test_saving_a_step_again_does_not_duplicate_or_undo_an_edited_deadline(case):
    appeal = AppealFactory(case=case, kind=AppealKind.INTERIM_MEASURES_REQUEST, reference="")
    step = _step(appeal, StepType.INTERIM_GRANTED, "8 Feb 2021", response_due_on=date(2021, 2, 12))
    appeal.deadlines.update(due_on=date(2021, 2, 15))

    save_record(step, by=None, reason="Typo in the description")

    assert list(appeal.deadlines.values_list("due_on", flat=True)) == [date(2021, 2, 15)]


def test_overdue_means_open_and_past_its_date(case):
    appeal = AppealFactory(case=case, kind=AppealKind.INTERIM_MEASURES_REQUEST, reference="")
    _step(appeal, StepType.INTERIM_GRANTED, "8 Feb 2021", response_due_on=date(2021, 2, 12))

    deadline = appeal.deadlines.get()

    assert deadline.is_overdue()
    assert list(appeal.deadlines.overdue(today=date(2021, 2, 12))) == []
    assert list(appeal.deadlines.overdue(today=date(2021, 2, 13))) == [deadline]


def test_current_status_is_the_latest_established_one(case):
    detained = StatusChangeFactory(case=case, status=Status.DETAINED, when="15 Feb 2023")
    person = detained.person
    StatusChangeFactory(
        case=case, person=person, status=Status.DISAPPEARED, when="c. Mar 2023", verification=Verification.CREDIBLE
    )
    StatusChangeFactory(
        case=case, person=person, status=Status.AT_LIBERTY, when="2023", verification=Verification.UNVERIFIED
    )

    person = Person.objects.get(pk=person.pk)

    assert (person.current_status, str(person.latest_status_change.when)) == (Status.DISAPPEARED, "c. Mar 2023")
