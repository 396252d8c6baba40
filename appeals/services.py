"""Appeal life cycles: the current stage, proposed deadlines and their settlement.

These run after every save of an appeal step or an official response (through
``cases.services.save_record``, registered in ``register_hooks``), so the admin, the loader
and the tests all get the same derived state.
"""

from datetime import date

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_noop

from appeals import rules
from appeals.enums import CLOSING_STEPS, INTERIM_STEP_STATE, DeadlineStatus, OccurrenceStatus, Party, StepType
from appeals.models import (
    Appeal,
    AppealStep,
    Award,
    Deadline,
    DeadlineOccurrence,
    OfficialResponse,
    as_answered,
    steps_in_order,
)
from cases.fuzzydate import FuzzyDate
from cases.reasons import Day, Label, Text, automatic_reason
from cases.services import MENTION_FIELDS, check_sources_of_case, register, save_record

# What the history says of changes these life cycles make themselves (cases.reasons: stored in English, read
# in the reader's language).
PROPOSED = automatic_reason(gettext_noop("Proposed automatically from a step"))
MOVED_BY_STEP = automatic_reason(
    gettext_noop("Moved by the step “%(step)s” of %(day)s"), step=Label(StepType), day=Day()
)
SETTLED_BY_ANSWER = automatic_reason(gettext_noop("Settled automatically by the answer of %(day)s"), day=Day())
REPORT_RECEIVED = automatic_reason(gettext_noop("Report due %(due)s received %(day)s"), due=Day(), day=Day())
REPORT_NEVER_RECEIVED = automatic_reason(gettext_noop("Report due %(due)s recorded as never received"), due=Day())
ENDED_BY_STEP = automatic_reason(gettext_noop("Ended by a step of %(day)s"), day=Day())
MOVED_WITH_APPEAL = automatic_reason(gettext_noop("Moved with its appeal: %(reason)s"), reason=Text())


def _take_the_case_of_its_appeal(deadline: Deadline, **_ignored):
    # Read under the appeal's row lock, which moving the appeal takes too: a deadline saved while its appeal
    # moves waits for the move and takes the new case, rather than writing back the old one it was loaded with.
    # (Should the two wait for each other, PostgreSQL stops one of them and nothing of it is saved.)
    deadline.case_id = (
        Appeal._base_manager.select_for_update().filter(pk=deadline.appeal_id).values_list("case_id", flat=True).get()
    )


def _derive_next_due(deadline: Deadline, *, adding: bool, **_ignored):
    """A one-off deadline is next due on its day; a recurring one on its first occurrence not yet settled,
    and it ends once nothing is outstanding and nothing more falls due."""
    settled = 0 if adding or not deadline.is_recurring else deadline.settled_occurrences.count()
    deadline.next_due_on = deadline.next_due(settled)
    if not deadline.is_recurring:
        return
    finished = deadline.repeat_until is not None and deadline.next_due_on > deadline.repeat_until
    if finished and deadline.status == DeadlineStatus.OPEN:
        deadline.status, deadline.settled_on = DeadlineStatus.ENDED, deadline.repeat_until
    elif not finished and deadline.status == DeadlineStatus.ENDED:
        deadline.status, deadline.settled_on = DeadlineStatus.OPEN, None


def _after_step_saved(step: AppealStep, *, by, **_ignored):
    for proposal in rules.proposals_for(step):
        # A proposal is made once; staff may then edit it freely without a later save undoing that.
        if not Deadline.objects.filter(origin_step=step, rule=proposal.rule).exists():
            deadline = Deadline(
                appeal=step.appeal,
                origin_step=step,
                rule=proposal.rule,
                description=proposal.description,
                due_on=proposal.due_on,
                responsible=proposal.responsible,
                repeat_every=proposal.repeat_every,
                repeat_unit=proposal.repeat_unit,
            )
            save_record(deadline, by=by, reason=PROPOSED.written())
    _move_due_days(step, by=by)
    settled = rules.SETTLED_BY_STEP.get(step.step_type)
    if settled:
        settle_deadlines(step.appeal, rules=settled, when=step.when, by=by)
    ended = rules.ended_by_step(step.step_type)
    if ended:
        end_recurring(step.appeal, rules=ended, on=step.when.anchor, by=by)
    refresh_appeal_state(step.appeal_id)


def _move_due_days(step: AppealStep, *, by) -> None:
    """Registration, an extension of the answer time or of a crime-report check moves the open deadline."""
    for deadline in step.appeal.deadlines.filter(status=DeadlineStatus.OPEN, origin_step__isnull=False).exclude(
        origin_step=step
    ):
        origin_day = deadline.origin_step.when.anchor
        moved = rules.moved_due_day(step, deadline.rule, deadline.due_on, origin_day)
        if moved and moved != deadline.due_on:
            deadline.due_on = moved
            save_record(
                deadline,
                by=by,
                reason=MOVED_BY_STEP.written(step=step.step_type, day=step.when),
            )


def _after_step_deleted(step: AppealStep, **_ignored):
    refresh_appeal_state(step.appeal_id)


def _after_response_saved(response: OfficialResponse, *, by, **_ignored):
    settles = rules.settled_by_response(response.response_type)
    if not (response.appeal_id and settles):
        return
    if settle_deadlines(response.appeal, rules=settles, when=response.when, by=by, from_step=response.answers_step_id):
        return
    settle_next_occurrence(response.appeal, on=response.when.end or timezone.localdate(), by=by, response=response)


def settle_deadlines(appeal: Appeal, *, rules: set[str], when: FuzzyDate, by, from_step=None) -> int:
    """Close the open one-off deadlines an answer dated ``when`` responds to: met if on time, missed if late.

    They are settled on the latest day the answer may have come (today for one known only as "since ..."): an
    answer known only as "Feb 2021" is not counted as on time for a deadline of 12 Feb 2021, and its date is
    kept beside that day, so that the deadline reads "answered Feb 2021". An answer to a given step settles
    what that step set, if it set anything. Returns how many deadlines were settled.
    """
    on = when.end or timezone.localdate()
    kept = (when.start, when.end, when.precision) if when.end else (None, None, "")
    open_ones = appeal.deadlines.filter(status=DeadlineStatus.OPEN, rule__in=rules, repeat_every__isnull=True)
    if from_step and open_ones.filter(origin_step=from_step).exists():
        open_ones = open_ones.filter(origin_step=from_step)
    settled = 0
    for deadline in open_ones:
        deadline.status = DeadlineStatus.MET if on <= deadline.due_on else DeadlineStatus.MISSED
        deadline.settled_on = on
        deadline.answered_start, deadline.answered_end, deadline.answered_precision = kept
        save_record(deadline, by=by, reason=SETTLED_BY_ANSWER.written(day=as_answered(on, when)))
        settled += 1
    return settled


def settle_next_occurrence(appeal: Appeal, *, on: date | None, by, response=None) -> DeadlineOccurrence | None:
    """Settle the oldest outstanding occurrence of the appeal's open recurring obligation on the Government.

    A report received on ``on`` settles that occurrence only: met if on time, late otherwise; ``on`` None
    records it as never received. A response settles at most one occurrence, however often it is saved.
    """
    if response is not None and DeadlineOccurrence.objects.filter(response=response).exists():
        return None
    deadline = (
        appeal.deadlines.filter(status=DeadlineStatus.OPEN, repeat_every__isnull=False, responsible=Party.GOVERNMENT)
        .order_by("next_due_on")
        .first()
    )
    if deadline is None:
        return None
    return settle_occurrence(deadline, on=on, by=by, response=response)


def settle_occurrence(deadline: Deadline, *, on: date | None, by, response=None) -> DeadlineOccurrence:
    with transaction.atomic():
        number = deadline.settled_occurrences.count() + 1
        due = deadline.occurrence_due(number)
        occurrence = DeadlineOccurrence(
            deadline=deadline,
            number=number,
            due_on=due,
            status=OccurrenceStatus.MET if on is not None and on <= due else OccurrenceStatus.MISSED,
            received_on=on,
            response=response,
        )
        if on is None:
            reason = REPORT_NEVER_RECEIVED.written(due=due)
        else:
            received = as_answered(on, response.when if response is not None else None)
            reason = REPORT_RECEIVED.written(due=due, day=received)
        save_record(occurrence, by=by, reason=reason)
        save_record(deadline, by=by, reason=reason)
    return occurrence


def end_recurring(appeal: Appeal, *, rules: set, on: date, by) -> None:
    """A step lifted or ended the appeal's recurring obligations: nothing falls due after ``on``."""
    for deadline in appeal.deadlines.filter(repeat_every__isnull=False, rule__in=rules).exclude(repeat_until__lte=on):
        deadline.repeat_until = max(on, deadline.due_on)
        save_record(deadline, by=by, reason=ENDED_BY_STEP.written(day=on))


def _answers_and_deadlines_follow_their_appeal(appeal: Appeal, *, adding: bool, by, **_ignored):
    """An appeal moved to another case takes its answers and deadlines along (Appeal.why_it_cannot_move says
    when it may)."""
    if adding:
        return
    for response in OfficialResponse._base_manager.filter(appeal=appeal).exclude(case_id=appeal.case_id):
        response.case_id = appeal.case_id
        save_record(response, by=by, reason=MOVED_WITH_APPEAL.written(reason=appeal._change_reason))
    # A deadline's case is its appeal's, kept beside it for scoping only (not in its history, like next_due_on).
    Deadline._base_manager.filter(appeal=appeal).exclude(case_id=appeal.case_id).update(case_id=appeal.case_id)


def refresh_appeal_state(appeal_id) -> None:
    steps = steps_in_order(AppealStep.objects.filter(appeal_id=appeal_id).select_related("appeal"))
    procedural = [s for s in steps if s.step_type not in INTERIM_STEP_STATE]
    interim = [s for s in steps if s.step_type in INTERIM_STEP_STATE]
    stage = (procedural or steps)[-1].step_type if steps else ""
    Appeal.objects.filter(pk=appeal_id).update(
        current_stage=stage,
        interim_measures=INTERIM_STEP_STATE[interim[-1].step_type] if interim else "",
        is_closed=bool(procedural) and procedural[-1].step_type in CLOSING_STEPS,
    )


def register_hooks() -> None:
    """What follows a save or a delete of appeal records; called once, from AppealsConfig.ready()."""
    register(Appeal, after_save=[_answers_and_deadlines_follow_their_appeal])
    register(Deadline, before_save=[_take_the_case_of_its_appeal, _derive_next_due])
    register(AppealStep, after_save=[_after_step_saved], after_delete=[_after_step_deleted])
    register(OfficialResponse, after_save=[_after_response_saved])
    MENTION_FIELDS.extend(
        [
            (Appeal, ("title", "mandates", "filed_by", "notes"), "case"),
            (AppealStep, ("description",), "appeal__case"),
            (Deadline, ("description", "note"), "appeal__case"),
            (OfficialResponse, ("official", "summary", "quote"), "case"),
            (Award, ("awarded_to",), "step__appeal__case"),
        ]
    )


# --- Domain verbs, for code that has no form -------------------------------------------


def file_appeal(*, by, reason: str, case, people=(), **fields) -> Appeal:
    with transaction.atomic():
        appeal = save_record(Appeal(case=case, **fields), by=by, reason=reason)
        if people:
            appeal.people.set(people)
    return appeal


def add_appeal_step(*, by, reason: str, appeal: Appeal, step_type: str, when, sources=(), **fields) -> AppealStep:
    step = AppealStep(appeal=appeal, step_type=step_type, **fields)
    step.when = when if isinstance(when, FuzzyDate) else FuzzyDate.parse(when)
    check_sources_of_case(appeal.case_id, sources)
    with transaction.atomic():
        save_record(step, by=by, reason=reason)
        if sources:
            step.sources.set(sources)
    return step


def record_official_response(*, by, reason: str, case, response_type: str, when, sources=(), **fields):
    response = OfficialResponse(case=case, response_type=response_type, **fields)
    response.when = when if isinstance(when, FuzzyDate) else FuzzyDate.parse(when)
    check_sources_of_case(case.pk, sources)
    with transaction.atomic():
        save_record(response, by=by, reason=reason)
        if sources:
            response.sources.set(sources)
    return response
