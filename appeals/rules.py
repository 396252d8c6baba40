"""Deadlines that steps of an appeal start, move, settle or end, each with where it comes from.

appeals.services applies these after every save of a step or a response. A proposed deadline is a
starting point: staff may edit it, and a later save never undoes their edit.
"""

import functools
from dataclasses import dataclass
from datetime import date, timedelta

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from appeals.enums import (
    ANSWERING_RESPONSES,
    CLOSING_STEPS,
    AppealKind,
    DeadlineRule,
    Forum,
    Party,
    ResponseType,
    StepType,
)
from appeals.models import add_months, shift

R = DeadlineRule

# What each rule's proposed deadline says: stored with the deadline in its creator's language, and read back in
# the reader's (``described``) for as long as nobody rewords it.
WORDS = {
    R.INTERIM_REPORTS: gettext_lazy("Government's periodic report"),
    R.INTERIM_REPLY: gettext_lazy("Government's reply to the interim measures"),
    R.UN_REPLY: gettext_lazy("Government's reply to the UN communication"),
    R.STATE_OBSERVATIONS: gettext_lazy("State's observations on the complaint"),
    R.REFERRAL_WINDOW: gettext_lazy("Request referral to the Grand Chamber, or the judgment becomes final"),
    R.ACTION_PLAN: gettext_lazy("Action plan or action report to the Committee of Ministers"),
    R.VIEWS_FOLLOW_UP: gettext_lazy("State's information on the measures taken to give effect to the Views"),
    R.CRIME_REPORT_DECISION: gettext_lazy("Decision on the crime report (3 days, CCP art. 144 part 1)"),
    R.CITIZEN_APPEAL_ANSWER: gettext_lazy(
        "Answer to the written appeal (30 days from registration, Federal Law No. 59-FZ art. 12)"
    ),
    R.OMBUDSPERSON_DECISION: gettext_lazy(
        "Ombudsperson's decision whether to take up the complaint (10 days, 1-FKZ art. 20)"
    ),
}

# Convention Art. 35 § 1 as amended by Protocol No. 15: four months instead of six for final domestic
# decisions taken from 1 Feb 2022 on.
FOUR_MONTH_RULE_FROM = date(2022, 2, 1)
# Federal Law No. 59-FZ of 2 May 2006 on citizens' appeals: registered within 3 days of receipt (art. 8
# part 2), answered within 30 days of registration (art. 12 part 1), extendable once by up to 30 days
# (art. 12 part 2).
REGISTRATION_DAYS, ANSWER_DAYS, EXTENSION_DAYS = 3, 30, 30
# Code of Criminal Procedure art. 144: a decision on a crime report within 3 days (part 1), extendable
# to 10 days and, for documentary checks and examinations, to 30 days (part 3).
CRIME_REPORT_DAYS, CRIME_REPORT_EXTENDED_DAYS, CRIME_REPORT_LONGEST_DAYS = 3, 10, 30
# Federal Constitutional Law No. 1-FKZ of 26 Feb 1997, art. 20 part 2: the High Commissioner tells the
# applicant within 10 days whether the complaint is taken up.
OMBUDSPERSON_DAYS = 10
# Special Procedures ask the Government to reply within 60 days (the standard text of communications).
UN_REPLY_DAYS = 60
# Optional Protocol to the ICCPR art. 4 § 2 and Convention against Torture art. 22 § 3: the State's
# written explanations within six months of transmission.
STATE_OBSERVATIONS_MONTHS = 6
# Convention Art. 43 § 1 and 44 § 2: three months to request referral of a Chamber judgment.
REFERRAL_MONTHS = 3
# Committee of Ministers practice (Rules for the supervision of the execution of judgments): an action
# plan or report within six months of the judgment becoming final.
ACTION_PLAN_MONTHS = 6
# The days within which Views ask the State for information on the measures taken: 180 for the Human
# Rights Committee, 90 for the Committee against Torture.
VIEWS_FOLLOW_UP_DAYS = {Forum.UN_HRC: 180, Forum.UN_CAT: 90}

# Authorities answering a written appeal under Federal Law No. 59-FZ (for a regional ombudsperson and
# the presidential council, the general rule of the law is the typical answer time).
CITIZEN_APPEAL_FORUMS = {
    Forum.EXECUTIVE,
    Forum.PRESIDENTIAL_COUNCIL,
    Forum.REGIONAL_OMBUDSPERSON,
    Forum.DOMESTIC_POLICE,
    Forum.DOMESTIC_INVESTIGATIVE,
    Forum.DOMESTIC_PROSECUTOR,
}
CRIME_REPORT_FORUMS = {Forum.DOMESTIC_POLICE, Forum.DOMESTIC_INVESTIGATIVE}

# Rules whose deadline an answer from the Government or authority settles.
REPLY_RULES = {
    R.INTERIM_REPLY,
    R.UN_REPLY,
    R.STATE_OBSERVATIONS,
    R.REPLY_DUE,
    R.CITIZEN_APPEAL_ANSWER,
    R.OMBUDSPERSON_DECISION,
    R.VIEWS_FOLLOW_UP,
    R.ACTION_PLAN,
}
SETTLED_BY_STEP = {
    StepType.GOVERNMENT_REPLY: REPLY_RULES,
    StepType.STATE_OBSERVATIONS: REPLY_RULES,
    StepType.DECISION: {R.CITIZEN_APPEAL_ANSWER, R.OMBUDSPERSON_DECISION},
    StepType.LODGED: {R.ECTHR_TIME_LIMIT},
    StepType.REFERRAL_REQUESTED: {R.REFERRAL_WINDOW},
    StepType.REFERRAL_REFUSED: {R.REFERRAL_WINDOW},
    StepType.JUDGMENT_FINAL: {R.REFERRAL_WINDOW},
    # CCP art. 145: opening a case, refusing to, or passing the report on are the decisions art. 144 asks for.
    StepType.REFUSAL_TO_OPEN_CASE: {R.CRIME_REPORT_DECISION},
    StepType.INVESTIGATION_OPENED: {R.CRIME_REPORT_DECISION},
    StepType.FORWARDED: {R.CRIME_REPORT_DECISION},
}


def settled_by_response(response_type: str) -> set:
    """The rules an official response of this type settles: a decision on a crime report takes more than an
    acknowledgement."""
    rules = set(REPLY_RULES) if response_type in ANSWERING_RESPONSES else set()
    if response_type in {ResponseType.REFUSAL_TO_OPEN_CASE, ResponseType.INVESTIGATION_OPENED}:
        rules.add(R.CRIME_REPORT_DECISION)
    return rules


def ended_by_step(step_type: str) -> set | None:
    """Recurring obligations a step ends: lifting interim measures ends their reports; a closing step, all."""
    if step_type == StepType.INTERIM_LIFTED:
        return {R.INTERIM_REPORTS}
    if step_type in CLOSING_STEPS:
        return set(R.values) | {""}
    return None


@dataclass
class Proposal:
    rule: str
    description: str
    due_on: date
    responsible: str = Party.GOVERNMENT
    repeat_every: int | None = None
    repeat_unit: str = ""


def proposals_for(step) -> list[Proposal]:
    """Deadlines a step typically starts. Domestic authorities answering an appeal or a crime report are the
    body addressed (Party.FORUM); the Government is the State before an international forum."""
    appeal = step.appeal
    day, kind, forum = step.when.anchor, step.step_type, appeal.forum
    due = step.response_due_on
    proposals = []
    if step.reports_every and step.reports_unit:
        first = shift(day, step.reports_every, step.reports_unit)
        proposals.append(
            Proposal(
                R.INTERIM_REPORTS,
                str(WORDS[R.INTERIM_REPORTS]),
                first,
                repeat_every=step.reports_every,
                repeat_unit=step.reports_unit,
            )
        )
    if kind == StepType.INTERIM_GRANTED:
        if due:
            proposals.append(Proposal(R.INTERIM_REPLY, str(WORDS[R.INTERIM_REPLY]), due))
    elif kind == StepType.COMMUNICATION_SENT:
        proposals.append(Proposal(R.UN_REPLY, str(WORDS[R.UN_REPLY]), due or day + timedelta(days=UN_REPLY_DAYS)))
    elif kind == StepType.TRANSMITTED_TO_STATE:
        proposals.append(
            Proposal(
                R.STATE_OBSERVATIONS,
                str(WORDS[R.STATE_OBSERVATIONS]),
                due or add_months(day, STATE_OBSERVATIONS_MONTHS),
            )
        )
    elif kind == StepType.FINAL_DOMESTIC_DECISION:
        months = 4 if day >= FOUR_MONTH_RULE_FROM else 6
        proposals.append(
            Proposal(
                R.ECTHR_TIME_LIMIT,
                _time_limit(months),
                add_months(day, months),
                Party.US,
            )
        )
    elif kind == StepType.CHAMBER_JUDGMENT and forum == Forum.ECTHR:
        proposals.append(
            Proposal(
                R.REFERRAL_WINDOW,
                str(WORDS[R.REFERRAL_WINDOW]),
                add_months(day, REFERRAL_MONTHS),
                Party.US,
            )
        )
    elif kind == StepType.EXECUTION_SUPERVISION:
        proposals.append(
            Proposal(
                R.ACTION_PLAN,
                str(WORDS[R.ACTION_PLAN]),
                due or add_months(day, ACTION_PLAN_MONTHS),
            )
        )
    elif kind == StepType.VIEWS_ADOPTED and forum in VIEWS_FOLLOW_UP_DAYS:
        proposals.append(
            Proposal(
                R.VIEWS_FOLLOW_UP,
                str(WORDS[R.VIEWS_FOLLOW_UP]),
                due or day + timedelta(days=VIEWS_FOLLOW_UP_DAYS[forum]),
            )
        )
    elif kind == StepType.SUBMITTED and appeal.kind == AppealKind.CRIME_REPORT and forum in CRIME_REPORT_FORUMS:
        proposals.append(
            Proposal(
                R.CRIME_REPORT_DECISION,
                str(WORDS[R.CRIME_REPORT_DECISION]),
                due or day + timedelta(days=CRIME_REPORT_DAYS),
                Party.FORUM,
            )
        )
    elif kind == StepType.SUBMITTED and appeal.kind == AppealKind.CITIZEN_APPEAL and forum in CITIZEN_APPEAL_FORUMS:
        proposals.append(
            Proposal(
                R.CITIZEN_APPEAL_ANSWER,
                str(WORDS[R.CITIZEN_APPEAL_ANSWER]),
                due or day + timedelta(days=REGISTRATION_DAYS + ANSWER_DAYS),
                Party.FORUM,
            )
        )
    elif kind == StepType.SUBMITTED and forum == Forum.OMBUDSPERSON:
        proposals.append(
            Proposal(
                R.OMBUDSPERSON_DECISION,
                str(WORDS[R.OMBUDSPERSON_DECISION]),
                due or day + timedelta(days=OMBUDSPERSON_DAYS),
                Party.FORUM,
            )
        )
    elif due:
        proposals.append(Proposal(R.REPLY_DUE, _reply_to(step.get_step_type_display()), due))
    return proposals


def _time_limit(months: int) -> str:
    return _("Lodge the ECtHR application (%(months)d-month time limit)") % {"months": months}


def _reply_to(step_label) -> str:
    return _("Reply to: %(step)s") % {"step": step_label}


@functools.cache
def _proposed_words() -> dict:
    """Every description a rule proposes, in every language offered, with the way to write it again."""
    writers = [(rule, functools.partial(str, words)) for rule, words in WORDS.items()]
    writers += [(R.ECTHR_TIME_LIMIT, functools.partial(_time_limit, months)) for months in (4, 6)]
    writers += [(R.REPLY_DUE, functools.partial(_reply_to, label)) for label in StepType.labels]
    known = {}
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            known.update({(rule, write()): write for rule, write in writers})
    return known


def described(rule: str, description: str) -> str:
    """A deadline's description in the reader's language: one a rule proposed, as nobody reworded it, reads
    as that rule's words now; what staff wrote stays as written."""
    write = _proposed_words().get((rule, description))
    return write() if write else description


def moved_due_day(step, rule: str, due_on: date, origin_day: date) -> date | None:
    """The new due day of an open proposal that this step moves, or None.

    Registration starts the 30 days of Federal Law No. 59-FZ (art. 12 part 1); an extension adds up to
    30 (part 2); extending a crime-report check gives 10 days from the report, then 30 (CCP art. 144 part 3).
    A date written on the step wins over the rule.
    """
    day = step.when.anchor
    if rule == R.CITIZEN_APPEAL_ANSWER and step.step_type == StepType.REGISTERED:
        return step.response_due_on or day + timedelta(days=ANSWER_DAYS)
    if rule == R.CITIZEN_APPEAL_ANSWER and step.step_type == StepType.TIME_EXTENDED:
        return step.response_due_on or due_on + timedelta(days=EXTENSION_DAYS)
    if rule == R.CRIME_REPORT_DECISION and step.step_type == StepType.CHECK_EXTENDED:
        if step.response_due_on:
            return step.response_due_on
        extended = origin_day + timedelta(days=CRIME_REPORT_EXTENDED_DAYS)
        return extended if due_on < extended else origin_day + timedelta(days=CRIME_REPORT_LONGEST_DAYS)
    return None
