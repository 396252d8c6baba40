"""Figures for advocacy: counts of the records, made in the database, each traceable to its records.

A figure counts records of the cases a user may see (``Case.objects.visible_to``), narrowed by the
filters (``Scope``). Each ``Tally`` is one GROUP BY query whatever the size of the register, and names
the queryset of its records, so a number on the page leads to exactly the records it counts
(``records_behind``). Reported dates count no more precisely than they are known: by the year and month
the database keeps beside each reported date (``cases.datefields.certain_year_and_month``), so an event
known only to the year counts in that year with its month unknown, never in January, and the counts read
an index rather than the records. A scope's counts are kept until the records change (``counts_of``,
exports.counted): a view reads them back rather than counting every record again.

At the public level only what a public document may state is counted (exports/levels.py):
established reports, and nothing that concerns only restricted people without consent to publicity.
Each count also says how much of it concerns people who did not consent to publicity;
exports/public_figures.py suppresses those counts when they are small.
"""

import calendar
import functools
import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

from django.db.models import (
    Avg,
    Count,
    Exists,
    F,
    OuterRef,
    Q,
    QuerySet,
    Value,
    When,
)
from django.db.models import Case as Choose
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy, pgettext_lazy

from accounts.roles import is_administrator
from appeals.enums import (
    INSTRUMENTS,
    INTERIM_STEP_STATE,
    DeadlineRule,
    DeadlineStatus,
    Finding,
    Forum,
    OccurrenceStatus,
    Party,
    ResponseType,
    StepType,
)
from appeals.models import (
    Appeal,
    AppealStep,
    ArticleFinding,
    Deadline,
    DeadlineOccurrence,
    OfficialResponse,
    article_label,
)
from appeals.states import STATE_CODES, state_name
from cases.datefields import MONTH_UNKNOWN, OPEN_ENDED, SPANS_YEARS
from cases.enums import STATUS_FAMILY, Consent, DatePrecision, Level, Sensitivity, Status
from cases.fuzzydate import FuzzyDate
from cases.models import Case, CaseMembership, Person, StatusChange
from exports.counted import changed_since_viewed, recount, remembered
from exports.levels import EVENT_VERIFICATIONS, NEEDS_PUBLICITY_CONSENT

# Counting events month by month is offered for periods up to this many months; longer ones count by year.
MONTHS_SHOWN = 36


@dataclass(frozen=True)
class Scope:
    """What the figures count: the cases a user may see, narrowed by the filters, and for which audience."""

    user: object
    # The cases counted; None for every case (an administrator without filters), which needs no subquery.
    cases: QuerySet | None
    today: date
    forum: str = ""
    start: date | None = None
    end: date | None = None
    level: str = Level.INTERNAL
    # Everything the counts depend on, said once: whose cases, the filters, the audience and the day (what is
    # overdue changes with it). Scopes with the same identity count the same records alike.
    identity: str = ""

    @property
    def public(self) -> bool:
        return self.level == Level.PUBLIC

    @property
    def months(self) -> list[tuple[int, int]] | None:
        """The months of the period, when it is short enough to count events month by month."""
        if self.start is None or self.end is None:
            return None
        first, last = self.start.year * 12 + self.start.month - 1, self.end.year * 12 + self.end.month - 1
        if last - first + 1 > MONTHS_SHOWN:
            return None
        return [divmod(index, 12) for index in range(first, last + 1)]


def scope_for(user, *, today, region="", case=None, forum="", start=None, end=None, level=Level.INTERNAL) -> Scope:
    """The scope of ``user``'s figures: the cases they may see, of a region, one case, with an appeal to a forum."""
    cases = Case.objects.visible_to(user)
    if region:
        cases = cases.filter(region=region)
    if case is not None:
        cases = cases.filter(pk=case.pk)
    if forum:
        cases = cases.filter(Exists(Appeal.objects.filter(case=OuterRef("pk"), forum=forum)))
    administrator = is_administrator(user)
    every_case = administrator and not (region or case or forum)
    # Every administrator sees every case, and so counts the same; anyone else, the cases of their own teams.
    viewer = "administrators" if administrator else f"user {user.pk}"
    filters = [region, str(case.pk) if case else "", forum, str(start or ""), str(end or "")]
    return Scope(
        user=user,
        cases=None if every_case else cases,
        today=today,
        forum=forum,
        start=start,
        end=end,
        level=Level(level),
        identity=json.dumps([viewer, *filters, str(level), today.isoformat(), _tallies_shape()]),
    )


# --- Dates counted no more precisely than they are known ----------------------------------------


def _within(records: QuerySet, scope: Scope, prefix: str) -> QuerySet:
    """Records whose reported date lies certainly within the period: all its possible days inside it."""
    if scope.start:
        records = records.filter(**{f"{prefix}_start__gte": scope.start})
    if scope.end:
        records = records.filter(**{f"{prefix}_end__lte": scope.end})
    return records


def _on_days_within(records: QuerySet, scope: Scope, name: str) -> QuerySet:
    if scope.start:
        records = records.filter(**{f"{name}__gte": scope.start})
    if scope.end:
        records = records.filter(**{f"{name}__lte": scope.end})
    return records


def year_label(year: int) -> str:
    if year == SPANS_YEARS:
        return str(_("Dates spanning more than one year"))
    if year == OPEN_ENDED:
        return str(_("Dates known at one end only (before, after)"))
    return str(year)


def month_label(year: int, month: int) -> str:
    if month == MONTH_UNKNOWN:
        return str(_("%(year)s, month unknown") % {"year": year_label(year)})
    first = date(year, month, 1)
    return str(FuzzyDate(first, first.replace(day=calendar.monthrange(year, month)[1]), DatePrecision.MONTH))


# --- Who a record concerns, at the public level ---------------------------------------------------

# How a record stands for a public document: it may be stated (it concerns someone who consented to
# publicity, or no one in particular); it concerns only people without that consent, so it may only be
# counted among others; or it concerns only restricted people without that consent, and is left out
# altogether, as exports/document.py leaves them out of a public case summary.
STATED, WITHHELD, LEFT_OUT = "stated", "withheld", "left_out"


def _person_standing(path: str):
    if path:
        # Records about a person ask which few people consented or are restricted, once, rather than read each
        # record's person: the count then stays within the index of the records (see StatusChange's indexes).
        people = Person._base_manager.values("pk")
        return Choose(
            When(**{f"{path}in": people.filter(consent_publicity=Consent.GIVEN)}, then=Value(STATED)),
            When(**{f"{path}in": people.filter(sensitivity=Sensitivity.RESTRICTED)}, then=Value(LEFT_OUT)),
            default=Value(WITHHELD),
        )
    return Choose(
        When(consent_publicity=Consent.GIVEN, then=Value(STATED)),
        When(sensitivity=Sensitivity.RESTRICTED, then=Value(LEFT_OUT)),
        default=Value(WITHHELD),
    )


def _appeal_standing(path: str):
    """What an appeal and its steps, deadlines and answers concern: the people it covers (as on a timeline).
    An answer to the case in general, or an appeal covering no one, concerns no one in particular."""
    covered = Appeal.people.through.objects.filter(appeal=OuterRef(path))
    return Choose(
        When(~Exists(covered), then=Value(STATED)),
        When(Exists(covered.filter(person__consent_publicity=Consent.GIVEN)), then=Value(STATED)),
        When(Exists(covered.filter(person__sensitivity=Sensitivity.RESTRICTED)), then=Value(LEFT_OUT)),
        default=Value(WITHHELD),
    )


def _stated(records: QuerySet, scope: Scope, field_name: str = "verification") -> QuerySet:
    """At levels that state only established reports, only those are counted."""
    verifications = EVENT_VERIFICATIONS[scope.level]
    return records if verifications is None else records.filter(**{f"{field_name}__in": verifications})


# --- What is counted -------------------------------------------------------------------------------


def _in_cases(records: QuerySet, scope: Scope, path: str = "case") -> QuerySet:
    return records if scope.cases is None else records.filter(**{f"{path}__in": scope.cases})


def _of_appeals(records: QuerySet, scope: Scope, path: str) -> QuerySet:
    records = _in_cases(records, scope, f"{path}case")
    return records.filter(**{f"{path}forum": scope.forum}) if scope.forum else records


def _people(scope: Scope) -> QuerySet:
    """Everyone with a status in the cases counted, once, with their status as those cases record it (the
    one rule of cases.chronology, applied by ``with_status_seen_by``); with a period, those whose current
    status was reported within it."""
    if scope.cases is None:
        # Every case is seen by administrators only, who read the status stored on each person.
        in_cases = CaseMembership.objects.values("person")
        people = Person.objects.filter(pk__in=in_cases).with_status_seen_by(scope.user).exclude(seen_status="")
    else:
        people = Person.objects.with_status_decided_in(scope.cases)
    if scope.start:
        people = people.filter(seen_since_start__gte=scope.start)
    if scope.end:
        people = people.filter(seen_since_end__lte=scope.end)
    return _stated(people, scope, "seen_verification")


def _reports(scope: Scope) -> QuerySet:
    # Another account of the same event stands beside it (cases.chronology): one event, counted once.
    reports = _in_cases(StatusChange.objects.filter(differs_from__isnull=True), scope)
    return _within(_stated(reports, scope), scope, "date")


def _steps(scope: Scope) -> QuerySet:
    return _within(_of_appeals(AppealStep.objects.all(), scope, "appeal__"), scope, "date")


def _responses(scope: Scope) -> QuerySet:
    responses = _in_cases(OfficialResponse.objects.all(), scope)
    if scope.forum:
        responses = responses.filter(appeal__forum=scope.forum)
    return _within(_stated(responses, scope), scope, "date")


def _appeals(scope: Scope) -> QuerySet:
    return _within(_of_appeals(Appeal.objects.all(), scope, ""), scope, "filed")


def _interim_steps(scope: Scope) -> QuerySet:
    return _steps(scope).filter(step_type__in=INTERIM_STEP_STATE)


def _deadline_outcome(scope: Scope):
    """Met, missed, ended, overdue (the one rule: ``Deadline.objects.overdue``) or not yet due."""
    overdue = Deadline.objects.overdue(scope.today).filter(pk=OuterRef("pk"))
    return Choose(
        When(status=DeadlineStatus.MET, then=Value(DeadlineStatus.MET)),
        When(status=DeadlineStatus.MISSED, then=Value(DeadlineStatus.MISSED)),
        When(status=DeadlineStatus.ENDED, then=Value(DeadlineStatus.ENDED)),
        When(Exists(overdue), then=Value(OVERDUE)),
        default=Value(PENDING),
    )


OVERDUE, PENDING = "overdue", "pending"


def _deadlines(scope: Scope) -> QuerySet:
    deadlines = _on_days_within(_of_appeals(Deadline.objects.all(), scope, "appeal__"), scope, "due_on")
    return deadlines.annotate(outcome=_deadline_outcome(scope))


def _interim_deadlines(scope: Scope) -> QuerySet:
    return _deadlines(scope).filter(rule__in=[DeadlineRule.INTERIM_REPLY, DeadlineRule.INTERIM_REPORTS])


def _interim_reports(scope: Scope) -> QuerySet:
    occurrences = _of_appeals(DeadlineOccurrence.objects.all(), scope, "deadline__appeal__")
    occurrences = occurrences.filter(deadline__rule=DeadlineRule.INTERIM_REPORTS)
    return _on_days_within(occurrences, scope, "due_on")


# Replies owed by the other side: the Government before an international forum, the authority addressed at home.
OWED_BY_THEM = [Party.GOVERNMENT, Party.FORUM]


def _replies(scope: Scope) -> QuerySet:
    return _deadlines(scope).filter(responsible__in=OWED_BY_THEM)


def _findings(scope: Scope) -> QuerySet:
    findings = _of_appeals(ArticleFinding.objects.all(), scope, "step__appeal__")
    return _within(findings, scope, "step__date")


# How long an answer took: from the step that asked, known to the day, to the answer (an answer known only to
# the month counts from the month's last day, as deadlines are settled, so this is at most the time taken).
_TIMED = Q(status__in=[DeadlineStatus.MET, DeadlineStatus.MISSED], origin_step__date_precision=DatePrecision.DAY)
_TIME_TAKEN = F("settled_on") - F("origin_step__date_start")


@dataclass(frozen=True)
class Dim:
    """A column a tally groups by, and how it reads in a link's query string and on the page."""

    param: str
    field: str
    parse: Callable[[str], object]
    label: Callable[[object], str]


def _choice(choices) -> Callable[[str], str]:
    values = {str(value) for value in choices}

    def parse(text: str) -> str:
        if text not in values:
            raise ValueError(text)
        return text

    return parse


def _integer(low: int, high: int) -> Callable[[str], int]:
    def parse(text: str) -> int:
        number = int(text)
        if not low <= number <= high:
            raise ValueError(text)
        return number

    return parse


def _text(limit: int) -> Callable[[str], str]:
    def parse(text: str) -> str:
        if len(text) > limit:
            raise ValueError(text)
        return text

    return parse


def _label_of(choices, empty):
    labels = dict(choices)
    return lambda value: str(labels.get(value, value) if value else empty)


def _state_label(value: str) -> str:
    return state_name(value) if value in STATE_CODES else (value or str(_("State not recorded")))


def _article_label(value: str) -> str:
    return str(article_label(value)) if value else "—"


OUTCOMES = [
    (DeadlineStatus.MET, _("answered on time")),
    (DeadlineStatus.MISSED, _("answered late")),
    (OVERDUE, _("overdue")),
    (PENDING, _("not yet due")),
    (DeadlineStatus.ENDED, _("ended (recurring)")),
]
STATUS = Dim("status", "seen_status", _choice(Status.values), _label_of(Status.choices, ""))
REPORTED_STATUS = Dim("status", "status", _choice(Status.values), _label_of(Status.choices, ""))
YEAR = Dim("year", "date_year", _integer(OPEN_ENDED, 9999), year_label)
MONTH = Dim("month", "date_month", _integer(MONTH_UNKNOWN, 12), lambda m: str(m))
FORUM = Dim("forum", "forum", _choice(Forum.values), _label_of(Forum.choices, ""))
STAGE = Dim("stage", "current_stage", _choice(["", *StepType.values]), _label_of(StepType.choices, _("No step yet")))
STEP = Dim("step", "step_type", _choice(StepType.values), _label_of(StepType.choices, ""))
RULE = Dim("rule", "rule", _choice(DeadlineRule.values), _label_of(DeadlineRule.choices, ""))
OUTCOME = Dim("outcome", "outcome", _choice([o for o, _label in OUTCOMES]), _label_of(OUTCOMES, ""))
OCCURRENCE = Dim("report", "status", _choice(OccurrenceStatus.values), _label_of(OccurrenceStatus.choices, ""))
RESPONSE_TYPE = Dim("type", "response_type", _choice(ResponseType.values), _label_of(ResponseType.choices, ""))
RESPONSE_STATE = Dim("state", "state", _text(100), lambda s: s or str(_("State not recorded")))
RESPONDENT = Dim("respondent", "appeal__respondent_state", _text(2), _state_label)
OWED_BY = Dim("owed", "responsible", _choice(OWED_BY_THEM), _label_of(Party.choices, ""))
ARTICLE = Dim("article", "article", _text(8), _article_label)
TAKEN_WITH = Dim("taken_with", "taken_with_article", _text(8), _article_label)
FINDING = Dim("finding", "finding", _choice(Finding.values), _label_of(Finding.choices, ""))


def _forum_at(path: str) -> Dim:
    return Dim(FORUM.param, f"{path}forum", FORUM.parse, FORUM.label)


# How many of a tally's unit, in the grammar of the number ("1 person", "3 people"; Russian has three forms).
PEOPLE = ngettext_lazy("%(n)s person", "%(n)s people", "n")
STATUS_REPORTS = ngettext_lazy("%(n)s status report", "%(n)s status reports", "n")
APPEAL_STEPS = ngettext_lazy("%(n)s appeal step", "%(n)s appeal steps", "n")
RESPONSES = ngettext_lazy("%(n)s response", "%(n)s responses", "n")
APPEALS = ngettext_lazy("%(n)s appeal", "%(n)s appeals", "n")
DEADLINES = ngettext_lazy("%(n)s deadline", "%(n)s deadlines", "n")
REPORTS_DUE = ngettext_lazy("%(n)s report due", "%(n)s reports due", "n")
REPLIES_DUE = ngettext_lazy("%(n)s reply due", "%(n)s replies due", "n")
DECISIONS = ngettext_lazy("%(n)s judgment or decision", "%(n)s judgments and decisions", "n")


@dataclass(frozen=True)
class Tally:
    """One GROUP BY: the records behind a family of figures, the columns that tell its counts apart, and
    what each count counts (distinct values of ``counted``: people, appeals, decisions...)."""

    slug: str
    title: str
    records: Callable[[Scope], QuerySet]
    by: tuple[Dim, ...]
    unit: str
    counted: str = "pk"
    # What the records concern, for the public level: a person ("person" path) or an appeal's people.
    person: str | None = None
    appeal: str | None = None
    timed: bool = False
    # How many it counts, said in the grammar of the number (the records page's "3 people").
    how_many: object = None

    def dim(self, param: str) -> Dim | None:
        return next((d for d in self.by if d.param == param), None)


TALLIES = {
    tally.slug: tally
    for tally in [
        Tally("people", _("People by current status"), _people, (STATUS,), _("people"), how_many=PEOPLE, person=""),
        Tally(
            "status_years",
            _("People reported in each status, by year"),
            _reports,
            (REPORTED_STATUS, YEAR),
            _("people"),
            how_many=PEOPLE,
            counted="person",
            person="person__",
        ),
        Tally(
            "status_reports",
            _("Status reports"),
            _reports,
            (YEAR, MONTH),
            _("status reports"),
            how_many=STATUS_REPORTS,
            person="person__",
        ),
        Tally(
            "appeal_steps",
            _("Appeal steps"),
            _steps,
            (YEAR, MONTH),
            _("appeal steps"),
            how_many=APPEAL_STEPS,
            appeal="appeal",
        ),
        Tally(
            "responses_dated",
            _("Official responses"),
            _responses,
            (YEAR, MONTH),
            _("responses"),
            how_many=RESPONSES,
            appeal="appeal",
        ),
        Tally(
            "appeals",
            _("Appeals by forum and stage"),
            _appeals,
            (FORUM, STAGE),
            _("appeals"),
            how_many=APPEALS,
            appeal="pk",
        ),
        Tally(
            "interim",
            _("Interim measures"),
            _interim_steps,
            (_forum_at("appeal__"), STEP),
            _("appeals"),
            how_many=APPEALS,
            counted="appeal",
            appeal="appeal",
        ),
        Tally(
            "interim_deadlines",
            _("Replies and reports due under interim measures"),
            _interim_deadlines,
            (_forum_at("appeal__"), RULE, OUTCOME),
            _("deadlines"),
            how_many=DEADLINES,
            appeal="appeal",
        ),
        Tally(
            "interim_reports",
            _("Periodic reports under interim measures"),
            _interim_reports,
            (_forum_at("deadline__appeal__"), OCCURRENCE),
            _("reports due"),
            how_many=REPORTS_DUE,
            appeal="deadline__appeal",
        ),
        Tally(
            "responses",
            _("Official responses by type and State"),
            _responses,
            (RESPONSE_TYPE, RESPONSE_STATE),
            _("responses"),
            how_many=RESPONSES,
            appeal="appeal",
        ),
        Tally(
            "replies",
            _("Replies owed by States and authorities"),
            _replies,
            (RESPONDENT, _forum_at("appeal__"), OWED_BY, OUTCOME),
            _("replies due"),
            how_many=REPLIES_DUE,
            appeal="appeal",
            timed=True,
        ),
        Tally(
            "findings",
            _("Findings per Article"),
            _findings,
            (_forum_at("step__appeal__"), ARTICLE, TAKEN_WITH, FINDING),
            _("judgments and decisions"),
            how_many=DECISIONS,
            counted="step",
            appeal="step__appeal",
        ),
    ]
}


@dataclass
class Cell:
    """One count: how many, how many of them concern people without consent to publicity (public level),
    and the tally and values that find its records."""

    n: int = 0
    withheld: int = 0
    tally: str = ""
    key: dict = field(default_factory=dict)
    # What a public table shows instead of the count ("<5", "x"), set by exports/public_figures.py.
    shown: str | None = None
    # Where the records behind it are listed, set by the page.
    href: str = ""
    # For replies: how many answers were timed, of them without consent, and the days they took in all.
    timed: int = 0
    timed_withheld: int = 0
    days: int = 0

    def __str__(self) -> str:
        return self.shown if self.shown is not None else str(self.n)

    @property
    def value(self) -> int | None:
        """The count as a reader of this table learns it: None where it is withheld."""
        return None if self.shown is not None else self.n

    def add(self, other: "Cell") -> None:
        self.n += other.n
        self.withheld += other.withheld
        self.timed += other.timed
        self.timed_withheld += other.timed_withheld
        self.days += other.days


def _standing(tally: Tally):
    if tally.person is not None:
        return _person_standing(tally.person)
    if tally.appeal is not None:
        return _appeal_standing(tally.appeal)
    return Value(STATED)


def _records(tally: Tally, scope: Scope) -> QuerySet:
    records = tally.records(scope)
    if scope.level in NEEDS_PUBLICITY_CONSENT:
        records = records.annotate(standing=_standing(tally)).exclude(standing=LEFT_OUT)
    return records


def count(tally: Tally, scope: Scope) -> dict[tuple, Cell]:
    """The tally's counts in one query, by the values of its columns."""
    records = _records(tally, scope)
    columns = [dim.field for dim in tally.by]
    split = scope.level in NEEDS_PUBLICITY_CONSENT
    # What concerns only people without consent is counted beside the rest in the same groups, rather than grouped
    # apart: the groups then follow the order of an index and the database reads it once, without sorting.
    withheld = Q(standing=WITHHELD) if split else None
    if tally.counted != "pk":
        aggregates = {"n": Count(tally.counted, distinct=True)}
        if split:
            aggregates["withheld"] = Count(tally.counted, distinct=True, filter=withheld)
    else:
        # Records counted as rows, not by their key: the key (a UUID) is not in the indexes the counts read.
        aggregates = {"n": Count("*")}
        if split:
            aggregates["withheld"] = Count(Choose(When(withheld, then=Value(1))))
    if tally.timed:
        aggregates.update(timed=Count("pk", filter=_TIMED), days=Avg(_TIME_TAKEN, filter=_TIMED))
        if split:
            aggregates["timed_withheld"] = Count("pk", filter=_TIMED & withheld)
    # No ordering: an ordering column would join the GROUP BY.
    rows = records.values(*columns).annotate(**aggregates).order_by()
    cells: dict[tuple, Cell] = {}
    for row in rows:
        values = tuple(row[column] for column in columns)
        key = {dim.param: value for dim, value in zip(tally.by, values, strict=True)}
        cell = Cell(tally=tally.slug, key=key, n=row["n"], withheld=row["withheld"] if split else 0)
        if tally.timed and row["timed"]:
            # The average, a duration, back to the days it sums: averages of groups combine by their weights.
            cell.timed, cell.days = row["timed"], round(row["days"].total_seconds() / 86400 * row["timed"])
            cell.timed_withheld = row["timed_withheld"] if split else 0
        cells[values] = cell
    return cells


def records_behind(tally: Tally, scope: Scope, key: dict) -> QuerySet:
    """The records a count with these column values counts, as ``count`` counted them."""
    return _records(tally, scope).filter(**{tally.dim(param).field: value for param, value in key.items()})


def counted_behind(tally: Tally, records: QuerySet) -> int:
    """How many ``tally`` counts among ``records`` (people among reports, appeals among steps...)."""
    if tally.counted == "pk":
        return records.count()
    return records.aggregate(n=Count(tally.counted, distinct=True))["n"]


@functools.cache
def _tallies_shape() -> str:
    """What the tallies count and by which columns, in short: kept counts of another shape (made by other code, as
    in a deploy under way) belong to another scope."""
    shape = [(slug, [dim.field for dim in tally.by], tally.counted, tally.timed) for slug, tally in TALLIES.items()]
    return hashlib.sha256(json.dumps(shape).encode()).hexdigest()[:16]


# Every tally of a scope, by slug: what the tables are laid out from.
Counts = dict[str, dict[tuple, Cell]]
# A cell's numbers, in the order they are kept.
_NUMBERS = ("n", "withheld", "timed", "timed_withheld", "days")


def count_all(scope: Scope) -> Counts:
    """Every tally of the scope, counted now: a query each."""
    return {slug: count(tally, scope) for slug, tally in TALLIES.items()}


def _kept(counts: Counts) -> dict:
    return {
        slug: [[list(values), *(getattr(cell, name) for name in _NUMBERS)] for values, cell in cells.items()]
        for slug, cells in counts.items()
    }


def _from_kept(kept: dict) -> Counts:
    counts: Counts = {}
    for slug, rows in kept.items():
        by = TALLIES[slug].by
        cells = {}
        for values, *numbers in rows:
            key = {dim.param: value for dim, value in zip(by, values, strict=True)}
            cells[tuple(values)] = Cell(tally=slug, key=key, **dict(zip(_NUMBERS, numbers, strict=True)))
        counts[slug] = cells
    return counts


def counts_of(scope: Scope) -> Counts:
    """Every tally of the scope: as counted since the records last changed, or counted now and kept
    (exports.counted); either way read back from what is kept, so a page reads the same numbers both ways."""
    viewer = scope.user if getattr(scope.user, "pk", None) else None
    return _from_kept(remembered(scope.identity, scope.today, lambda: _kept(count_all(scope)), viewer))


def _scope_again(counted) -> Scope | None:
    """The scope kept counts were made for, as their viewer's now: None once it is another (their role changed, or
    the case filtered by is gone), as their next view would count another scope."""
    _viewer, region, case_id, forum, start, end, level, day, _shape = json.loads(counted.identity)
    case = Case.objects.filter(pk=case_id).first() if case_id else None
    if case_id and case is None:
        return None
    scope = scope_for(
        counted.viewer,
        today=date.fromisoformat(day),
        region=region,
        case=case,
        forum=forum,
        start=date.fromisoformat(start) if start else None,
        end=date.fromisoformat(end) if end else None,
        level=level,
    )
    return scope if scope.identity == counted.identity else None


def recount_viewed_figures() -> int:
    """Count again the figures viewed lately that the records have changed since (exports.counted), so that the
    next view reads them at once; the worker does it in the background (exports/worker.py). How many it counted."""
    recounted = 0
    for counted in changed_since_viewed():
        scope = _scope_again(counted)
        if scope is None:
            counted.delete()
            continue
        recounted += recount(counted, lambda scope=scope: _kept(count_all(scope)))
    return recounted


# --- Tables: counts laid out for reading, each with the sums a reader can check --------------------


@dataclass
class Row:
    label: str
    cells: list[Cell]
    total: Cell | None = None
    # "group": a heading row summing the rows under it; "uncertain": dates known less precisely than the rows
    # around it; "item": a row under a heading.
    style: str = ""
    colour: str = ""
    # A value beside the counts that is not a count (the replies' average days to answer).
    extra: str = ""


@dataclass
class Table:
    slug: str
    title: str
    unit: str
    columns: list[str]
    rows: list[Row]
    totals: Row | None = None
    notes: list[str] = field(default_factory=list)
    # Sums a reader can check (cells and the total they add up to): complementary suppression keeps each
    # from giving away a withheld count.
    lines: list[tuple[list[Cell], Cell]] = field(default_factory=list)
    # How the chart draws it: bars of the totals or of some columns, stacked; a grid for tables without sums.
    chart: str = "bars"
    chart_columns: list[int] | None = None
    chart_rows: str = ""
    total_label: str = str(pgettext_lazy("figures", "Total"))
    extra_column: str = ""

    @property
    def has_totals(self) -> bool:
        return any(row.total is not None for row in self.rows)

    @property
    def width(self) -> int:
        """How many columns of numbers a row spans: the counts, the totals, the extra value."""
        return len(self.columns) + self.has_totals + bool(self.extra_column)


def _total(cells: list[Cell], tally: str, key: dict) -> Cell:
    total = Cell(tally=tally, key=key)
    for cell in cells:
        total.add(cell)
    return total


def _cell(counts: dict, values: tuple, tally: Tally) -> Cell:
    return counts.get(values) or Cell(tally=tally.slug, key=dict(zip((d.param for d in tally.by), values, strict=True)))


STATUS_COLOURS = {
    "free": "#2e7d32",
    "safe": "#1565c0",
    "hiding": "#8e6c00",
    "detained": "#b3261e",
    "missing": "#6a1b9a",
    "dead": "#212121",
    "unknown": "#767676",
}


def _people_by_status(scope: Scope, counted: Counts) -> Table:
    tally = TALLIES["people"]
    counts = counted[tally.slug]
    rows = [
        Row(Status(status).label, [counts[(status,)]], colour=STATUS_COLOURS[STATUS_FAMILY[status]])
        for status in Status.values
        if (status,) in counts
    ]
    cells = [row.cells[0] for row in rows]
    total = _total(cells, tally.slug, {})
    notes = [
        _(
            "Each person once, with the current status the cases counted record (the latest of the "
            "best-established reports, as on the case list); people with no status recorded are not counted."
        )
    ]
    if scope.start or scope.end:
        notes.append(_("With a period: people whose current status was reported within it."))
    return Table(
        "people",
        str(tally.title),
        str(tally.unit),
        [str(_("People"))],
        rows,
        totals=Row(str(_("All people counted")), [total]),
        notes=[str(n) for n in notes],
        lines=[(cells, total)],
    )


def _year_order(year: int) -> tuple:
    return (year < 0, -year if year < 0 else year)


def _status_over_years(counted: Counts) -> Table:
    tally = TALLIES["status_years"]
    counts = counted[tally.slug]
    years = sorted({year for _status, year in counts}, key=_year_order)
    statuses = [s for s in Status.values if any((s, year) in counts for year in years)]
    rows = [Row(Status(status).label, [_cell(counts, (status, year), tally) for year in years]) for status in statuses]
    return Table(
        "status_years",
        str(tally.title),
        str(tally.unit),
        [year_label(year) for year in years],
        rows,
        notes=[
            str(
                _(
                    "How many people were reported entering each status in each year. A person counts once per "
                    "status and year, and may count in several: the table has no totals. A report known only "
                    "as “2016 – 2018” or “before Aug 2017” counts in a column of its own, never in a year it "
                    "may not belong to."
                )
            )
        ],
        chart="grid",
    )


EVENT_TALLIES = ["status_reports", "appeal_steps", "responses_dated"]


def _event_counts(counted: Counts) -> list[dict]:
    return [counted[slug] for slug in EVENT_TALLIES]


def _events_table(slug, title, buckets, counts_per_kind, notes) -> Table:
    """Rows of dates (``buckets``: label, style, key, the (year, month) counted in it), a column per kind."""
    rows, lines = [], []
    for label, style, key, members in buckets:
        cells = []
        for tally_slug, counts in zip(EVENT_TALLIES, counts_per_kind, strict=True):
            cell = Cell(tally=tally_slug, key=dict(key))
            for member in members:
                if member in counts:
                    cell.add(counts[member])
            cells.append(cell)
        total = _total(cells, "", key)
        rows.append(Row(label, cells, total=total, style=style))
        lines.append((cells, total))
    columns_totals = []
    for index, tally_slug in enumerate(EVENT_TALLIES):
        column = [row.cells[index] for row in rows]
        total = _total(column, tally_slug, {})
        lines.append((column, total))
        columns_totals.append(total)
    grand = _total(columns_totals, "", {})
    lines.append(([row.total for row in rows], grand))
    lines.append((columns_totals, grand))
    return Table(
        slug,
        str(title),
        str(_("events")),
        [str(TALLIES[s].title) for s in EVENT_TALLIES],
        rows,
        totals=Row(str(_("All dates")), columns_totals, total=grand),
        notes=[str(n) for n in notes],
        lines=lines,
        chart="stacked",
    )


_DATES_NOTE = _(
    "Each event counts where its date certainly falls: an event known only as “2017” counts in “2017, month "
    "unknown”, never in January; one known as “Nov 2017 – Feb 2018” or “before Aug 2017” in a row of its own. "
    "Paler, outlined bars are such less precise dates. Other accounts of the same event count once."
)


def _events_by_year(counts_per_kind: list[dict]) -> Table:
    years = sorted({key[0] for counts in counts_per_kind for key in counts}, key=_year_order)
    buckets = []
    for year in years:
        members = [(year, month) for month in range(MONTH_UNKNOWN, 13)]
        buckets.append((year_label(year), "uncertain" if year < 0 else "", {"year": year}, members))
    return _events_table("events_years", _("Events by year"), buckets, counts_per_kind, [_DATES_NOTE])


def _events_by_month(scope: Scope, counts_per_kind: list[dict]) -> Table | None:
    months = scope.months
    if months is None:
        return None
    buckets = []
    for index, (year, month) in enumerate(months):
        buckets.append((month_label(year, month + 1), "", {"year": year, "month": month + 1}, [(year, month + 1)]))
        if index == len(months) - 1 or months[index + 1][0] != year:
            key = {"year": year, "month": MONTH_UNKNOWN}
            buckets.append((month_label(year, MONTH_UNKNOWN), "uncertain", key, [(year, MONTH_UNKNOWN)]))
    spanning = [(SPANS_YEARS, MONTH_UNKNOWN)]
    buckets.append((year_label(SPANS_YEARS), "uncertain", {"year": SPANS_YEARS}, spanning))
    return _events_table(
        "events_months",
        _("Events by month"),
        buckets,
        counts_per_kind,
        [
            _DATES_NOTE,
            _("A year's row “month unknown” holds the events dated only to that year or to several of its months."),
        ],
    )


def _grouped(tally: Tally, counts: dict, group_dim: Dim, item_dim: Dim, columns, *, order):
    """A table of groups (forums) with rows under them (stages, Articles) and, per column, one value of the rest."""
    groups: dict = {}
    for values, cell in counts.items():
        group, item, *rest = values
        groups.setdefault(group, {}).setdefault(item, {})[tuple(rest)] = cell
    rows, lines = [], []
    group_totals = []
    for group in sorted(groups, key=order):
        items = groups[group]
        item_rows = []
        for item in sorted(items, key=lambda i: str(item_dim.label(i))):
            cells = []
            for column in columns:
                key = {group_dim.param: group, item_dim.param: item}
                key.update(dict(zip((d.param for d in tally.by[2:]), column, strict=True)))
                cells.append(items[item].get(column) or Cell(tally=tally.slug, key=key))
            item_rows.append(Row(item_dim.label(item), cells, style="item"))
        sums = [
            _total([row.cells[i] for row in item_rows], tally.slug, {group_dim.param: group})
            for i in range(len(columns))
        ]
        if len(columns) == 1:
            lines.append(([row.cells[0] for row in item_rows], sums[0]))
            group_totals.append(sums[0])
        rows.append(Row(group_dim.label(group), sums if len(columns) == 1 else [], style="group"))
        rows.extend(item_rows)
    totals = None
    if len(columns) == 1:
        grand = _total(group_totals, tally.slug, {})
        lines.append((group_totals, grand))
        totals = Row(str(_("All forums")), [grand])
    return rows, lines, totals


def _appeals_by_forum(scope: Scope, counted: Counts) -> Table:
    tally = TALLIES["appeals"]
    forums = list(Forum.values)
    rows, lines, totals = _grouped(tally, counted[tally.slug], FORUM, STAGE, [()], order=forums.index)
    notes = [_("Each appeal once, under its forum and its current stage (its latest procedural step).")]
    if scope.start or scope.end:
        notes.append(_("With a period: appeals filed within it; appeals without a filing date are not counted."))
    return Table(
        "appeals",
        str(tally.title),
        str(tally.unit),
        [str(_("Appeals"))],
        rows,
        totals=totals,
        notes=[str(n) for n in notes],
        lines=lines,
        chart_rows="group",
    )


INTERIM_COLUMNS = [
    ("interim", (StepType.INTERIM_REQUESTED,), _("requested")),
    ("interim", (StepType.INTERIM_GRANTED,), _("indicated")),
    ("interim", (StepType.INTERIM_REFUSED,), _("refused")),
    ("interim", (StepType.INTERIM_LIFTED,), _("lifted")),
    ("interim", (StepType.INTERIM_NOT_COMPLIED,), _("not complied with (recorded)")),
    ("interim_deadlines", (DeadlineRule.INTERIM_REPLY, DeadlineStatus.MET), _("reply on time")),
    ("interim_deadlines", (DeadlineRule.INTERIM_REPLY, DeadlineStatus.MISSED), _("reply late")),
    ("interim_deadlines", (DeadlineRule.INTERIM_REPLY, OVERDUE), _("reply overdue")),
    ("interim_reports", (OccurrenceStatus.MET,), _("reports on time")),
    ("interim_reports", (OccurrenceStatus.MISSED,), _("reports late or never received")),
    ("interim_deadlines", (DeadlineRule.INTERIM_REPORTS, OVERDUE), _("reports overdue now")),
]


def _interim_measures(counted: Counts) -> Table:
    counts = {slug: counted[slug] for slug in {column[0] for column in INTERIM_COLUMNS}}
    forums = [f for f in Forum.values if any(key[0] == f for c in counts.values() for key in c)]
    rows = []
    for forum in forums:
        cells = [_cell(counts[slug], (forum, *values), TALLIES[slug]) for slug, values, _label in INTERIM_COLUMNS]
        rows.append(Row(FORUM.label(forum), cells))
    totals, lines = [], []
    for index, (slug, values, _label) in enumerate(INTERIM_COLUMNS):
        column = [row.cells[index] for row in rows]
        key = dict(zip((d.param for d in TALLIES[slug].by[1:]), values, strict=True))
        totals.append(_total(column, slug, key))
        lines.append((column, totals[-1]))
    return Table(
        "interim",
        str(_("Interim measures: indicated and complied with")),
        str(_("appeals, replies and reports")),
        [str(label) for _slug, _values, label in INTERIM_COLUMNS],
        rows,
        totals=Row(str(_("All forums")), totals),
        notes=[
            str(
                _(
                    "The first five columns count appeals with such a step; a request can be indicated, then "
                    "lifted, so they do not add up. Whether the Government complied shows in its replies to the "
                    "indication and in the periodic reports ordered, on time, late or overdue."
                )
            )
        ],
        lines=lines,
        chart_columns=[1, 5, 6, 7, 4],
    )


def _responses_by_type(counted: Counts) -> Table:
    tally = TALLIES["responses"]
    counts = counted[tally.slug]
    states = sorted({state for _type, state in counts}, key=lambda s: (s == "", s))
    types = [t for t in ResponseType.values if any((t, state) in counts for state in states)]
    rows, lines = [], []
    for response_type in types:
        cells = [_cell(counts, (response_type, state), tally) for state in states]
        total = _total(cells, tally.slug, {"type": response_type})
        rows.append(Row(ResponseType(response_type).label, cells, total=total))
        lines.append((cells, total))
    column_totals = []
    for index, state in enumerate(states):
        column = [row.cells[index] for row in rows]
        column_totals.append(_total(column, tally.slug, {"state": state}))
        lines.append((column, column_totals[-1]))
    grand = _total(column_totals, tally.slug, {})
    lines.append(([row.total for row in rows], grand))
    lines.append((column_totals, grand))
    return Table(
        "responses",
        str(tally.title),
        str(tally.unit),
        [RESPONSE_STATE.label(state) for state in states],
        rows,
        totals=Row(str(_("All types")), column_totals, total=grand),
        notes=[str(_("Each response once, by its type and the State it came from (as staff recorded it)."))],
        lines=lines,
        chart="stacked",
    )


REPLY_OUTCOMES = [DeadlineStatus.MET, DeadlineStatus.MISSED, OVERDUE, PENDING, DeadlineStatus.ENDED]


def _replies_owed(counted: Counts) -> Table:
    tally = TALLIES["replies"]
    counts = counted[tally.slug]
    forums = list(Forum.values)
    groups = sorted(
        {values[:3] for values in counts},
        key=lambda g: (g[0] == "", _state_label(g[0]), forums.index(g[1]), OWED_BY_THEM.index(g[2])),
    )
    rows, lines = [], []
    for state, forum, owed in groups:
        cells = [_cell(counts, (state, forum, owed, outcome), tally) for outcome in REPLY_OUTCOMES]
        key = {"respondent": state, "forum": forum, "owed": owed}
        total = _total(cells, tally.slug, key)
        label = f"{_state_label(state)} · {FORUM.label(forum)} · {OWED_BY.label(owed)}"
        rows.append(Row(label, cells, total=total, extra=_days(total)))
        lines.append((cells, total))
    column_totals = []
    for index, outcome in enumerate(REPLY_OUTCOMES):
        column = [row.cells[index] for row in rows]
        column_totals.append(_total(column, tally.slug, {"outcome": outcome}))
        lines.append((column, column_totals[-1]))
    grand = _total(column_totals, tally.slug, {})
    lines.append(([row.total for row in rows], grand))
    lines.append((column_totals, grand))
    return Table(
        "replies",
        str(tally.title),
        str(tally.unit),
        [str(label) for _outcome, label in OUTCOMES],
        rows,
        totals=Row(str(_("All")), column_totals, total=grand, extra=_days(grand)),
        notes=[
            str(
                _(
                    "Replies owed to our appeals: by the respondent State's Government before an international "
                    "forum, by the authority addressed at home. Overdue: open and past its due day, as on the "
                    "deadlines page. Days to answer: on average, from the step that asked (known to the day) to "
                    "the answer; an answer known only to its month counts from the month's last day, so this is "
                    "at most the time taken."
                )
            )
        ],
        lines=lines,
        chart="stacked",
        chart_columns=[0, 1, 2],
        extra_column=str(_("Days to answer (average)")),
    )


def average_days(cell: Cell) -> int | None:
    return round(cell.days / cell.timed) if cell.timed else None


def _days(cell: Cell) -> str:
    days = average_days(cell)
    return "" if days is None else str(days)


def _findings_per_article(counted: Counts) -> Table:
    tally = TALLIES["findings"]
    counts = counted[tally.slug]
    merged: dict = {}
    for (forum, article, taken_with, finding), cell in counts.items():
        merged[(forum, (article, taken_with), finding)] = cell
    findings = list(Finding.values)
    groups: dict = {}
    for (forum, articles, finding), cell in merged.items():
        groups.setdefault(forum, {}).setdefault(articles, {})[finding] = cell
    forums = list(Forum.values)
    rows = []
    for forum in sorted(groups, key=forums.index):
        instrument = INSTRUMENTS.get(forum)
        heading = FORUM.label(forum) if instrument is None else f"{FORUM.label(forum)} · {instrument}"
        rows.append(Row(heading, [], style="group"))
        for articles in sorted(groups[forum], key=_article_order):
            article, taken_with = articles
            label = _article_label(article)
            if taken_with:
                label = str(
                    _("%(article)s taken with %(other)s") % {"article": label, "other": _article_label(taken_with)}
                )
            key = {"forum": forum, "article": article, "taken_with": taken_with}
            cells = [
                groups[forum][articles].get(finding) or Cell(tally=tally.slug, key={**key, "finding": finding})
                for finding in findings
            ]
            rows.append(Row(label, cells, style="item"))
    return Table(
        "findings",
        str(tally.title),
        str(tally.unit),
        [str(label) for _value, label in Finding.choices],
        rows,
        notes=[
            str(
                _(
                    "Judgments, decisions and Views that ruled on each Article, once each, whatever the paragraph "
                    "or limb; an Article “taken with” another is a row of its own. A decision can find a "
                    "violation of one limb and none of another, so the columns do not add up."
                )
            )
        ],
        chart_columns=[0],
        chart_rows="item",
    )


def _article_order(articles: tuple) -> tuple:
    article, taken_with = articles
    return (article.startswith("P"), int("".join(c for c in article if c.isdigit()) or 0), article, taken_with)


def build_tables(scope: Scope) -> list[Table]:
    """Every table of the figures page for this scope, from its counts (``counts_of``)."""
    counted = counts_of(scope)
    events = _event_counts(counted)
    tables = [
        _people_by_status(scope, counted),
        _status_over_years(counted),
        _events_by_year(events),
        _events_by_month(scope, events),
        _appeals_by_forum(scope, counted),
        _interim_measures(counted),
        _responses_by_type(counted),
        _replies_owed(counted),
        _findings_per_article(counted),
    ]
    return [table for table in tables if table is not None]


def period_label(start: date | None, end: date | None) -> str:
    if start is None and end is None:
        return str(_("all dates"))
    if start is None:
        return str(_("until %(day)s") % {"day": FuzzyDate.exact(end)})
    if end is None:
        return str(_("from %(day)s") % {"day": FuzzyDate.exact(start)})
    return str(FuzzyDate(start, end, DatePrecision.RANGE) if start != end else FuzzyDate.exact(start))
