"""Appeal life cycles: the current stage, proposed deadlines and their settlement.

These run after every save of an appeal step or an official response (through
``cases.services.save_record``), so the admin, the loader and the tests all get
the same derived state.
"""

import calendar
from datetime import date, timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from appeals.enums import (
    ANSWERING_RESPONSES,
    CLOSING_STEPS,
    INTERIM_STEP_STATE,
    DeadlineStatus,
    Forum,
    Party,
    StepType,
)
from appeals.models import Appeal, AppealStep, Deadline, OfficialResponse, steps_in_order
from cases.fuzzydate import FuzzyDate
from cases.services import after_delete, after_save, save_record

# The ECtHR time limit fell from six to four months for final decisions from this day.
FOUR_MONTH_RULE_FROM = date(2022, 2, 1)

# Rule codes of proposed deadlines that each kind of step or response settles.
_REPLY_RULES = {"interim_reply", "un_reply", "state_observations", "reply_due"}
SETTLED_BY_STEP = {
    StepType.GOVERNMENT_REPLY: _REPLY_RULES,
    StepType.STATE_OBSERVATIONS: _REPLY_RULES,
    StepType.LODGED: {"ecthr_time_limit"},
    StepType.REFERRAL_REQUESTED: {"referral_window"},
    StepType.REFERRAL_REFUSED: {"referral_window"},
    StepType.JUDGMENT_FINAL: {"referral_window"},
}


def add_months(day: date, months: int) -> date:
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def proposals_for(step: AppealStep) -> list[tuple[str, str, date, str]]:
    """Deadlines a step typically starts: (rule, what is due, due on, from whom)."""
    day, kind, forum = step.when.anchor, step.step_type, step.appeal.forum
    proposals = []
    if kind == StepType.INTERIM_GRANTED and step.response_due_on:
        proposals.append(
            ("interim_reply", _("Government's reply to the interim measures"), step.response_due_on, Party.GOVERNMENT)
        )
    elif kind == StepType.COMMUNICATION_SENT:
        due = step.response_due_on or day + timedelta(days=60)
        proposals.append(("un_reply", _("Government's reply to the UN communication"), due, Party.GOVERNMENT))
    elif kind == StepType.TRANSMITTED_TO_STATE:
        due = step.response_due_on or add_months(day, 6)
        proposals.append(("state_observations", _("State's observations on the complaint"), due, Party.GOVERNMENT))
    elif kind == StepType.FINAL_DOMESTIC_DECISION:
        months = 4 if day >= FOUR_MONTH_RULE_FROM else 6
        proposals.append(
            (
                "ecthr_time_limit",
                _("Lodge the ECtHR application (%(months)d-month time limit)") % {"months": months},
                add_months(day, months),
                Party.US,
            )
        )
    elif kind == StepType.CHAMBER_JUDGMENT and forum == Forum.ECTHR:
        proposals.append(
            (
                "referral_window",
                _("Request referral to the Grand Chamber, or the judgment becomes final"),
                add_months(day, 3),
                Party.US,
            )
        )
    elif step.response_due_on:
        proposals.append(("reply_due", _("Reply to: %(step)s") % {"step": step.get_step_type_display()},
                          step.response_due_on, Party.GOVERNMENT))  # fmt: skip
    return proposals


@after_save(AppealStep)
def _after_step_saved(step: AppealStep, *, by, **_ignored):
    for rule, description, due_on, party in proposals_for(step):
        # A proposal is made once; staff may then edit it freely without a later save undoing that.
        if not Deadline.objects.filter(origin_step=step, rule=rule).exists():
            deadline = Deadline(
                appeal=step.appeal, origin_step=step, rule=rule, description=description, due_on=due_on,
                responsible=party,
            )  # fmt: skip
            save_record(deadline, by=by, reason=_("Proposed automatically from a step"))
    rules = SETTLED_BY_STEP.get(step.step_type)
    if rules:
        settle_deadlines(step.appeal, rules=rules, on=step.when.end or timezone.localdate(), by=by)
    refresh_appeal_state(step.appeal_id)


@after_delete(AppealStep)
def _after_step_deleted(step: AppealStep, **_ignored):
    refresh_appeal_state(step.appeal_id)


@after_save(OfficialResponse)
def _after_response_saved(response: OfficialResponse, *, by, **_ignored):
    if response.appeal_id and response.response_type in ANSWERING_RESPONSES:
        settle_deadlines(response.appeal, rules=_REPLY_RULES, on=response.when.end or timezone.localdate(), by=by)


def settle_deadlines(appeal: Appeal, *, rules: set[str], on: date, by) -> None:
    """Close the open proposed deadlines an answer responds to: met if on time, missed if late.

    ``on`` is the latest day the answer may have come: an answer known only as "Feb 2021" is not
    counted as on time for a deadline of 12 Feb 2021.
    """
    for deadline in appeal.deadlines.filter(status=DeadlineStatus.OPEN, rule__in=rules):
        deadline.status = DeadlineStatus.MET if on <= deadline.due_on else DeadlineStatus.MISSED
        deadline.settled_on = on
        save_record(deadline, by=by, reason=_("Settled automatically by the answer of %(day)s") % {"day": on})


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
    with transaction.atomic():
        save_record(step, by=by, reason=reason)
        if sources:
            step.sources.set(sources)
    return step


def record_official_response(*, by, reason: str, case, response_type: str, when, sources=(), **fields):
    response = OfficialResponse(case=case, response_type=response_type, **fields)
    response.when = when if isinstance(when, FuzzyDate) else FuzzyDate.parse(when)
    with transaction.atomic():
        save_record(response, by=by, reason=reason)
        if sources:
            response.sources.set(sources)
    return response
