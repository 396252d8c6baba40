import calendar
import re
from datetime import date, timedelta
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext, gettext_noop, ngettext
from django.utils.translation import gettext_lazy as _

from appeals.enums import (
    BEFORE_FILING_STEPS,
    DECIDED_STEPS,
    FILING_STEPS,
    FORUM_KINDS,
    FORUM_STEPS,
    OUTCOME_STEPS,
    REFERENCE_FORMATS,
    AppealKind,
    AwardHead,
    DeadlineStatus,
    Finding,
    Forum,
    InterimMeasures,
    Limb,
    OccurrenceStatus,
    Party,
    RepeatUnit,
    ResponseType,
    StateFactKind,
    StepType,
    Supervision,
)
from appeals.states import STATE_CODES, state_name
from cases.chronology import chronological
from cases.datefields import FuzzyDateProperty, fuzzy_date_columns
from cases.enums import DatePrecision, Verification
from cases.fuzzydate import FuzzyDate, format_day
from cases.history import AuditedHistory
from cases.models import EARLIEST_FIRST, Case, FuzzyDated, Person, Record, ScopedQuerySet, Source, scoped_manager


class Appeal(Record):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="appeals", verbose_name=_("case"))
    people = models.ManyToManyField(Person, blank=True, related_name="appeals", verbose_name=_("people covered"))
    forum = models.CharField(_("forum"), max_length=24, choices=Forum.choices)
    kind = models.CharField(_("kind"), max_length=24, choices=AppealKind.choices)
    mandates = models.CharField(
        _("body / mandates"),
        max_length=300,
        blank=True,
        help_text=_("e.g. SR on torture; WGEID; IE SOGI — or the court, prosecutor's office or ministry."),
    )
    reference = models.CharField(
        _("reference number"), max_length=60, blank=True, help_text=_("ECtHR: 28834/19. UN: UA RUS 4/2019.")
    )
    title = models.CharField(
        _("title"),
        max_length=200,
        blank=True,
        help_text=_(
            "e.g. Lapunov v. Russia. Exported to partners and the public: use codenames for anyone who "
            "has not consented to publicity."
        ),
    )
    filed_start, filed_end, filed_precision = fuzzy_date_columns(_("filed on"))
    filed = FuzzyDateProperty("filed", _("filed on"), blank=True)
    respondent_state = models.CharField(
        _("respondent State"),
        max_length=2,
        blank=True,
        help_text=_("The State the appeal is against or addressed to; facts recorded about it show on the timeline."),
    )
    facts_start, facts_end, facts_precision = fuzzy_date_columns(_("facts complained of"))
    facts = FuzzyDateProperty("facts", _("facts complained of"), blank=True)
    filed_by = models.CharField(_("filed by"), max_length=200, blank=True)
    rule41_priority = models.BooleanField(_("Rule 41 priority"), default=False)
    current_stage = models.CharField(
        _("current stage"), max_length=32, choices=StepType.choices, blank=True, editable=False, db_index=True
    )
    interim_measures = models.CharField(
        _("interim measures"),
        max_length=16,
        choices=InterimMeasures.choices,
        blank=True,
        editable=False,
        db_index=True,
    )
    is_closed = models.BooleanField(_("closed"), default=False, editable=False)
    notes = models.TextField(_("internal notes"), blank=True)

    history = AuditedHistory(m2m_fields=[people], excluded_fields=["current_stage", "interim_measures", "is_closed"])
    objects = scoped_manager("case")

    class Meta:
        verbose_name = _("appeal")
        verbose_name_plural = _("appeals")
        ordering = [F("filed_start").desc(nulls_last=True), "-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["forum", "reference"],
                condition=~models.Q(reference=""),
                name="unique_reference_per_forum",
                # Says that the number is in use, never where: it may be in a case this user cannot see.
                violation_error_message=_(
                    "This reference number is already in use for this forum, perhaps in a case you cannot see. "
                    "Check the number; an administrator can tell where it is used."
                ),
            )
        ]
        # The dashboard's "waiting for an answer", longest first (appeals_waiting_for_an_answer): its page is read
        # from this index and stops at its last row instead of sorting every open appeal of the register.
        indexes = [
            models.Index(fields=["filed_start"], condition=models.Q(is_closed=False), name="open_appeals_by_filing")
        ]

    def __str__(self):
        label = self.get_forum_display()
        return f"{label} {self.reference}".strip() if self.reference else f"{label} ({self.get_kind_display()})"

    def clean(self):
        super().clean()
        errors = {}
        if self.forum and self.kind and self.kind not in FORUM_KINDS.get(self.forum, []):
            allowed = ", ".join(str(AppealKind(k).label) for k in FORUM_KINDS[self.forum])
            errors["kind"] = _("Not a kind of appeal to this forum. Choose one of: %(allowed)s.") % {"allowed": allowed}
        self.reference = " ".join(self.reference.split())
        if self.reference and self.forum in REFERENCE_FORMATS:
            pattern, example = REFERENCE_FORMATS[self.forum]
            if not pattern.fullmatch(self.reference):
                errors["reference"] = _("“%(value)s” is not a reference of this forum; expected e.g. %(example)s.") % {
                    "value": self.reference,
                    "example": example,
                }
        if self.respondent_state and self.respondent_state not in STATE_CODES:
            errors["respondent_state"] = _("Choose a State from the list.")
        if move_refused := self.why_it_cannot_move():
            errors["case"] = move_refused
        if errors:
            raise ValidationError(errors)

    def why_it_cannot_move(self) -> list[str]:
        """What keeps this appeal in its case when the case is changed; its answers move along with it.

        Its sources and people belong to the case it is in: left behind, they would show the other case's
        records on this one, or put on this appeal people its new case does not hold.
        """
        if self._state.adding or not self.case_id:
            return []
        moved_from = Appeal._base_manager.filter(pk=self.pk).values_list("case_id", flat=True).first()
        if moved_from in (None, self.case_id):
            return []
        reasons = []
        cited = (
            Source._base_manager.filter(case_id=moved_from)
            .filter(models.Q(appeal_steps__appeal=self) | models.Q(official_responses__appeal=self))
            .distinct()
            .count()
        )
        if cited:
            reasons.append(
                ngettext(
                    "Its steps or answers cite %(count)d source of the case it is in; a source belongs to one "
                    "case. Take it off them first, then move the appeal and attach the source in its new case.",
                    "Its steps or answers cite %(count)d sources of the case it is in; a source belongs to one "
                    "case. Take them off first, then move the appeal and attach the sources in its new case.",
                    cited,
                )
                % {"count": cited}
            )
        outside = self.people.exclude(memberships__case_id=self.case_id).count()
        if outside:
            reasons.append(
                ngettext(
                    "%(count)d person it covers is not in the case chosen: add them to that case first, or "
                    "take them off this appeal.",
                    "%(count)d people it covers are not in the case chosen: add them to that case first, or "
                    "take them off this appeal.",
                    outside,
                )
                % {"count": outside}
            )
        return reasons

    def warnings(self, facts_about_states=None) -> list[str]:
        """What staff should know before relying on this appeal, from facts recorded about its State."""
        if not (self.respondent_state and self.facts):
            return []
        if facts_about_states is None:
            facts_about_states = StateFact.objects.filter(state=self.respondent_state, forum=self.forum)
        found = []
        for fact in facts_about_states:
            if fact.kind != StateFactKind.CEASED_TO_BE_PARTY or (fact.state, fact.forum) != (
                self.respondent_state,
                self.forum,
            ):
                continue
            if self.facts.start and self.facts.start > fact.on:
                found.append(
                    _("%(state)s ceased to be a party on %(day)s: the forum cannot examine facts after that day.")
                    % {"state": state_name(fact.state), "day": format_day(fact.on)}
                )
            elif (self.facts.end or date.max) > fact.on:
                found.append(
                    _("%(state)s ceased to be a party on %(day)s: only facts before that day can be examined.")
                    % {"state": state_name(fact.state), "day": format_day(fact.on)}
                )
        return found


class AppealStep(Record, FuzzyDated):
    appeal = models.ForeignKey(Appeal, on_delete=models.CASCADE, related_name="steps", verbose_name=_("appeal"))
    step_type = models.CharField(_("step"), max_length=32, choices=StepType.choices)
    description = models.TextField(_("description"), blank=True)
    response_due_on = models.DateField(
        _("reply due on"),
        null=True,
        blank=True,
        help_text=_("When this step asks someone to answer by a date, e.g. the Government after a Rule 39 indication."),
    )
    reports_every = models.PositiveSmallIntegerField(
        _("reports every"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(366)],
        help_text=_("When this step orders reports until it is lifted, e.g. on a detainee's health every 2 weeks."),
    )
    reports_unit = models.CharField(_("unit"), max_length=8, choices=RepeatUnit.choices, blank=True)
    supervision = models.CharField(
        _("supervision"),
        max_length=12,
        choices=Supervision.choices,
        blank=True,
        help_text=_("For the Committee of Ministers' supervision of execution: standard or enhanced."),
    )
    sources = models.ManyToManyField(Source, blank=True, related_name="appeal_steps", verbose_name=_("sources"))

    history = AuditedHistory(m2m_fields=[sources])
    objects = scoped_manager("appeal__case")

    class Meta:
        verbose_name = _("appeal step")
        verbose_name_plural = _("appeal steps")
        ordering = EARLIEST_FIRST

    def __str__(self):
        return f"{self.get_step_type_display()} ({self.when})"

    def clean(self):
        super().clean()
        try:
            # On an appeal's add page the appeal is attached but not saved yet, so there is no appeal_id.
            appeal = self.appeal
        except Appeal.DoesNotExist:
            appeal = None
        if appeal is not None and self.step_type:
            forum = appeal.forum
            if self.step_type not in FORUM_STEPS.get(forum, []):
                raise ValidationError(
                    {
                        "step_type": _("“%(step)s” is not a step of the %(forum)s procedure.")
                        % {
                            "step": StepType(self.step_type).label,
                            "forum": Forum(forum).label,
                        }
                    }
                )
        if self.response_due_on and self.date_start and self.response_due_on < self.date_start:
            raise ValidationError({"response_due_on": _("The reply cannot be due before the step itself.")})
        if bool(self.reports_every) != bool(self.reports_unit):
            raise ValidationError({"reports_unit": _("Give both how often and the unit, or neither.")})
        if self.supervision and self.step_type != StepType.EXECUTION_SUPERVISION:
            raise ValidationError({"supervision": _("Only the supervision of execution is standard or enhanced.")})

    def procedural_order(self) -> int:
        steps = FORUM_STEPS.get(self.appeal.forum, [])
        return steps.index(self.step_type) if self.step_type in steps else len(steps)

    def sort_key(self) -> tuple:
        return (*self.when.sort_key(), self.procedural_order(), self.created_at)


def filings(steps) -> dict:
    """The step that brought each appeal before its forum (the first filing step in time), by appeal id."""
    found = {}
    for step in sorted(steps, key=AppealStep.sort_key):
        if step.step_type in FILING_STEPS:
            found.setdefault(step.appeal_id, step)
    return found


def follows_filing(step, filing) -> bool:
    """Every step of an appeal comes after its filing, but what started it (a final domestic decision)."""
    return filing is not None and filing.pk != step.pk and step.step_type not in BEFORE_FILING_STEPS


def steps_in_order(steps) -> list:
    """An appeal's steps as they happened: by date, a step never before the filing, ties in procedural order."""
    steps = list(steps)
    filing = filings(steps)
    return chronological(
        steps,
        key=AppealStep.sort_key,
        ident=lambda step: step.pk,
        after=lambda step: [filing[step.appeal_id].pk] if follows_filing(step, filing.get(step.appeal_id)) else [],
    )


def add_months(day: date, months: int) -> date:
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def shift(day: date, amount: int, unit: str) -> date:
    """``day`` moved on by ``amount`` days, weeks or months (the last day of a shorter month if need be)."""
    if unit == RepeatUnit.MONTHS:
        return add_months(day, amount)
    return day + timedelta(days=amount * (7 if unit == RepeatUnit.WEEKS else 1))


def overdue_condition(today=None) -> Q:
    """The one home of "overdue": an open deadline whose next due day has passed."""
    return Q(status=DeadlineStatus.OPEN, next_due_on__lt=today or timezone.localdate())


class DeadlineQuerySet(ScopedQuerySet):
    scope_path = "case"

    def overdue(self, today=None):
        return self.filter(overdue_condition(today))

    def upcoming(self, today=None):
        return self.filter(status=DeadlineStatus.OPEN, next_due_on__gte=today or timezone.localdate())


def as_answered(day: date, answer: FuzzyDate | None) -> FuzzyDate:
    """What settled something on ``day``, the latest day its answer may have come, dated as precisely as that answer
    is: "Apr 2019", not 30 Apr 2019. ``day`` itself without an answer, or once staff entered a day of their own."""
    return answer if answer is not None and answer.end == day else FuzzyDate.exact(day)


class Deadline(Record):
    appeal = models.ForeignKey(Appeal, on_delete=models.CASCADE, related_name="deadlines", verbose_name=_("appeal"))
    # Its appeal's case, kept by appeals.services (set on every save, and moved with the appeal). Who may see a
    # deadline is read from it: through the appeal, every count of a team's deadlines read the whole appeal
    # table, which doubled an editor's deadlines page and navigation (bench/scale.py).
    case = models.ForeignKey(
        Case, on_delete=models.CASCADE, related_name="+", editable=False, blank=True, verbose_name=_("case")
    )
    description = models.CharField(_("what is due"), max_length=300)
    responsible = models.CharField(_("due from"), max_length=12, choices=Party.choices, default=Party.GOVERNMENT)
    due_on = models.DateField(
        _("due on"), help_text=_("For a recurring obligation, when the first is due; the others follow from it.")
    )
    repeat_every = models.PositiveSmallIntegerField(
        _("recurs every"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(366)],
        help_text=_("For an obligation that recurs, e.g. a report on a detainee's health every 2 weeks."),
    )
    repeat_unit = models.CharField(_("unit"), max_length=8, choices=RepeatUnit.choices, blank=True)
    repeat_until = models.DateField(
        _("recurs until"),
        null=True,
        blank=True,
        help_text=_("Set by the step that lifts or ends the obligation; nothing falls due after this day."),
    )
    # The next due day not yet met: the due day of a one-off deadline, the first outstanding occurrence of a
    # recurring one. Kept by appeals.services; "overdue" and the dashboard read it.
    next_due_on = models.DateField(_("next due on"), null=True, editable=False)
    status = models.CharField(_("status"), max_length=8, choices=DeadlineStatus.choices, default=DeadlineStatus.OPEN)
    settled_on = models.DateField(_("met or missed on"), null=True, blank=True)
    # The date of the answer that settled it, as precisely as the answer is dated: settled_on keeps the answer's
    # latest possible day, which decides on time or late, and "Apr 2019" must not read as "30 Apr 2019".
    answered_start = models.DateField(_("answered, earliest day"), null=True, blank=True, editable=False)
    answered_end = models.DateField(_("answered, latest day"), null=True, blank=True, editable=False)
    answered_precision = models.CharField(
        _("answered, precision"), max_length=12, choices=DatePrecision.choices, blank=True, editable=False
    )
    origin_step = models.ForeignKey(
        AppealStep,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="proposed_deadlines",
        verbose_name=_("proposed from step"),
        editable=False,
    )
    rule = models.CharField(_("rule"), max_length=32, blank=True, editable=False)
    note = models.TextField(_("note"), blank=True)

    history = AuditedHistory(excluded_fields=["next_due_on", "case"])
    objects = DeadlineQuerySet.as_manager()

    class Meta:
        verbose_name = _("deadline")
        verbose_name_plural = _("deadlines")
        ordering = ["next_due_on", "due_on"]
        constraints = [
            models.UniqueConstraint(
                fields=["origin_step", "rule"], condition=~models.Q(rule=""), name="one_proposal_per_step_and_rule"
            )
        ]
        # The dashboard and the overdue filters only ever look at open deadlines. The status's own index is the
        # second, with the due day beside it: SQLite, given "status = open" and an index on the status alone,
        # read every open deadline through it and sorted them for the dashboard's first hundred.
        indexes = [
            models.Index(
                fields=["next_due_on"], condition=models.Q(status=DeadlineStatus.OPEN), name="open_deadlines_by_due"
            ),
            # With the case: the navigation's counts of a team's open deadlines read this index alone, each
            # case checked against the team, rather than every deadline's row as well.
            models.Index(fields=["status", "next_due_on", "case"], name="deadlines_by_status_due_case"),
        ]

    def __str__(self):
        return f"{self.what} ({format_day(self.next_due_on or self.due_on)})"

    @property
    def what(self) -> str:
        """What is due, as the reader's language says it when a rule proposed it (appeals.rules.described)."""
        from appeals.rules import described  # appeals.rules builds on this module

        return described(self.rule, self.description)

    @property
    def is_recurring(self) -> bool:
        return bool(self.repeat_every and self.repeat_unit)

    @property
    def recurrence_label(self) -> str:
        """ "every 2 weeks", or "" for a one-off deadline."""
        if not self.is_recurring:
            return ""
        every = self.repeat_every
        if self.repeat_unit == RepeatUnit.MONTHS:
            return ngettext("every month", "every %(n)d months", every) % {"n": every}
        if self.repeat_unit == RepeatUnit.WEEKS:
            return ngettext("every week", "every %(n)d weeks", every) % {"n": every}
        return ngettext("every day", "every %(n)d days", every) % {"n": every}

    def is_overdue(self, today=None) -> bool:
        due = self.next_due_on or self.due_on
        return self.status == DeadlineStatus.OPEN and due < (today or timezone.localdate())

    def days_left(self, today=None) -> int:
        return ((self.next_due_on or self.due_on) - (today or timezone.localdate())).days

    @property
    def settled_when(self) -> FuzzyDate | None:
        """When it was met or missed, dated as the answer that settled it is (``as_answered``)."""
        if self.settled_on is None:
            return None
        kept = self.answered_precision
        answer = FuzzyDate(self.answered_start, self.answered_end, self.answered_precision) if kept else None
        return as_answered(self.settled_on, answer)

    def next_due(self, settled: int) -> date:
        """The day it is next due once ``settled`` of its occurrences are met or missed (a one-off: its day)."""
        return self.occurrence_due(settled + 1) if self.is_recurring else self.due_on

    def occurrence_due(self, number: int) -> date:
        """The due day of the ``number``-th occurrence (from 1), counted from the first so months do not drift."""
        return shift(self.due_on, (number - 1) * self.repeat_every, self.repeat_unit)

    def occurrences(self, through: date) -> list[tuple[int, date]]:
        """Every occurrence due on or before ``through`` (and before the obligation ended), numbered from 1."""
        found, number = [], 1
        last = min(through, self.repeat_until) if self.repeat_until else through
        while (due := self.occurrence_due(number)) <= last:
            found.append((number, due))
            number += 1
        return found

    def clean(self):
        super().clean()
        if bool(self.repeat_every) != bool(self.repeat_unit):
            raise ValidationError({"repeat_unit": _("Give both how often and the unit, or neither.")})
        if self.repeat_until and self.repeat_until < self.due_on:
            raise ValidationError({"repeat_until": _("It cannot end before the first is due.")})
        if self.status == DeadlineStatus.OPEN and self.settled_on:
            raise ValidationError({"settled_on": _("An open deadline has no settlement date.")})
        if self.status != DeadlineStatus.OPEN and not self.settled_on:
            raise ValidationError({"settled_on": _("Say when the deadline was met or missed.")})


class DeadlineOccurrence(Record):
    """One occurrence of a recurring obligation that was answered (on time or late) or given up as never received."""

    deadline = models.ForeignKey(
        Deadline, on_delete=models.CASCADE, related_name="settled_occurrences", verbose_name=_("deadline")
    )
    number = models.PositiveIntegerField(_("occurrence"))
    due_on = models.DateField(_("due on"))
    status = models.CharField(_("status"), max_length=8, choices=OccurrenceStatus.choices)
    received_on = models.DateField(_("received on"), null=True, blank=True)
    response = models.ForeignKey(
        "OfficialResponse",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="settled_occurrences",
        verbose_name=_("answered by"),
    )

    history = AuditedHistory()
    objects = scoped_manager("deadline__appeal__case")

    class Meta:
        verbose_name = _("occurrence of a recurring deadline")
        verbose_name_plural = _("occurrences of recurring deadlines")
        ordering = ["deadline", "number"]
        constraints = [models.UniqueConstraint(fields=["deadline", "number"], name="one_settlement_per_occurrence")]

    def __str__(self):
        return f"{self.deadline.what} #{self.number} ({format_day(self.due_on)})"


class OfficialResponse(Record, FuzzyDated):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="responses", verbose_name=_("case"))
    appeal = models.ForeignKey(
        Appeal,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="responses",
        verbose_name=_("answers appeal"),
        help_text=_("Leave empty for a response to the case in general, e.g. a minister's statement."),
    )
    answers_step = models.ForeignKey(
        AppealStep,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="answers",
        verbose_name=_("answers step"),
        help_text=_(
            "The step this answers, e.g. the communication or the Rule 39 indication: the answer is never shown "
            "before it, and it settles the deadlines that step set."
        ),
    )
    state = models.CharField(_("state"), max_length=100, blank=True, help_text=_("e.g. Russian Federation"))
    body = models.CharField(_("body"), max_length=200, blank=True, help_text=_("e.g. Ministry of Justice"))
    official = models.CharField(_("named official"), max_length=200, blank=True)
    response_type = models.CharField(_("type"), max_length=24, choices=ResponseType.choices)
    summary = models.TextField(_("summary"), blank=True)
    quote = models.TextField(_("quote"), blank=True)
    verification = models.CharField(
        _("verification"), max_length=12, choices=Verification.choices, default=Verification.CONFIRMED
    )
    sources = models.ManyToManyField(Source, blank=True, related_name="official_responses", verbose_name=_("sources"))

    history = AuditedHistory(m2m_fields=[sources])
    objects = scoped_manager("case")

    class Meta:
        verbose_name = _("official response")
        verbose_name_plural = _("official responses")
        ordering = EARLIEST_FIRST

    def __str__(self):
        return f"{self.what} ({self.when})"

    @property
    def what(self) -> str:
        """Who answered and how, without the date: for a line that gives the date already."""
        who = self.body or self.state or _("Authorities")
        return f"{who}: {self.get_response_type_display()}"

    def clean(self):
        super().clean()
        if self.answers_step_id:
            step_appeal = (
                AppealStep._base_manager.filter(pk=self.answers_step_id).values_list("appeal_id", flat=True).first()
            )
            if not self.appeal_id:
                self.appeal_id = step_appeal
            elif step_appeal != self.appeal_id:
                raise ValidationError({"answers_step": _("Choose a step of the appeal this answers.")})
        if self.appeal_id and self.case_id and self.appeal.case_id != self.case_id:
            raise ValidationError({"appeal": _("This appeal belongs to another case.")})
        if not (self.state or self.body or self.official):
            raise ValidationError(_("Say who responded: a state, a body or a named official."))


ARTICLE = re.compile(r"\d{1,3}|P\d{1,2}-\d{1,2}")


def article_label(article: str, paragraph: str = "") -> str:
    """ "Art. 5 § 1", or "Art. 1 of Protocol No. 1" for the Convention's protocols ("P1-1")."""
    if article.startswith("P"):
        protocol, number = article[1:].split("-")
        label = _("Art. %(number)s of Protocol No. %(protocol)s") % {"number": number, "protocol": protocol}
    else:
        label = _("Art. %(number)s") % {"number": article}
    return f"{label} § {paragraph}" if paragraph else label


def appeals_waiting_for_an_answer(user):
    """Appeals filed and not yet decided that have had no official response at all, longest waiting first."""
    return (
        Appeal.objects.visible_to(user)
        .filter(is_closed=False, filed_start__isnull=False)
        .exclude(current_stage__in=DECIDED_STEPS)
        .exclude(models.Exists(OfficialResponse.objects.filter(appeal=models.OuterRef("pk"))))
        .order_by("filed_start")
    )


def cases_with_appeal_reference(query: str):
    return Appeal._base_manager.filter(reference__icontains=query).values("case_id")


def articles_found_violated(user) -> list[tuple[str, str]]:
    """Choices for "violation of Art. N found": the Articles found violated in cases the user may see."""
    found = (
        ArticleFinding.objects.visible_to(user)
        .filter(finding=Finding.VIOLATION)
        .values_list("article", flat=True)
        .distinct()
    )
    ordered = sorted(set(found), key=lambda a: (a.startswith("P"), [int(n) for n in re.findall(r"\d+", a)]))
    return [(article, article_label(article)) for article in ordered]


def cases_with_violation_of(article: str):
    """Ids of cases where a judgment, decision or Views found a violation of ``article``."""
    return ArticleFinding.objects.filter(finding=Finding.VIOLATION, article=article).values("step__appeal__case_id")


class ArticleFinding(Record):
    """What a judgment, decision or Views found on one Article: violated, not violated, not examined."""

    step = models.ForeignKey(AppealStep, on_delete=models.CASCADE, related_name="findings", verbose_name=_("step"))
    article = models.CharField(
        _("Article"), max_length=8, help_text=_("The number, e.g. 3; for a Protocol, P1-1 (Art. 1 of Protocol No. 1).")
    )
    paragraph = models.CharField(_("§"), max_length=12, blank=True, help_text=_("e.g. 1, or 1 (c)"))
    limb = models.CharField(_("limb"), max_length=12, choices=Limb.choices, blank=True)
    taken_with_article = models.CharField(
        _("taken with Article"), max_length=8, blank=True, help_text=_("e.g. 3, for Art. 14 taken with Art. 3")
    )
    taken_with_paragraph = models.CharField(_("taken with §"), max_length=12, blank=True)
    finding = models.CharField(_("finding"), max_length=16, choices=Finding.choices, default=Finding.VIOLATION)

    history = AuditedHistory()
    objects = scoped_manager("step__appeal__case")

    class Meta:
        verbose_name = _("finding on an Article")
        verbose_name_plural = _("findings on Articles")
        ordering = ["created_at"]

    def __str__(self):
        return self.label

    @property
    def label(self) -> str:
        """ "Art. 14 taken with Art. 3: violation", "Art. 3 (procedural): violation"."""
        text = article_label(self.article, self.paragraph)
        if self.limb:
            text = f"{text} ({Limb(self.limb).label})"
        if self.taken_with_article:
            text = _("%(article)s taken with %(other)s") % {
                "article": text,
                "other": article_label(self.taken_with_article, self.taken_with_paragraph),
            }
        return f"{text}: {Finding(self.finding).label}"

    def clean(self):
        super().clean()
        errors = {}
        for name in ("article", "taken_with_article"):
            value = getattr(self, name).strip().upper()
            setattr(self, name, value)
            if value and not ARTICLE.fullmatch(value):
                errors[name] = _("Write the Article's number, e.g. 3, or P1-1 for Art. 1 of Protocol No. 1.")
        if self.taken_with_paragraph and not self.taken_with_article:
            errors["taken_with_paragraph"] = _("Give the Article it is taken with.")
        step_type = AppealStep._base_manager.filter(pk=self.step_id).values_list("step_type", flat=True).first()
        if step_type and step_type not in OUTCOME_STEPS:
            errors["step"] = _("Findings belong to a judgment, a decision or Views.")
        if errors:
            raise ValidationError(errors)


class Award(Record):
    """Just satisfaction (or a sum in a settlement) awarded by a judgment or decision."""

    step = models.ForeignKey(AppealStep, on_delete=models.CASCADE, related_name="awards", verbose_name=_("step"))
    head = models.CharField(_("for"), max_length=16, choices=AwardHead.choices)
    amount = models.DecimalField(
        _("amount"), max_digits=12, decimal_places=2, validators=[MinValueValidator(Decimal("0.01"))]
    )
    currency = models.CharField(_("currency"), max_length=3, default="EUR", help_text=_("ISO code, e.g. EUR"))
    awarded_to = models.CharField(
        _("awarded to"),
        max_length=200,
        blank=True,
        help_text=_("e.g. the applicant, each applicant, the applicant's mother. Codenames for confidential people."),
    )

    history = AuditedHistory()
    objects = scoped_manager("step__appeal__case")

    class Meta:
        verbose_name = _("award")
        verbose_name_plural = _("awards (just satisfaction)")
        ordering = ["created_at"]

    def __str__(self):
        return self.label

    @property
    def label(self) -> str:
        amount = f"{self.currency} {self.amount:,.2f}".replace(",", "\u202f").replace(".00", "")
        text = f"{amount} {_('for')} {AwardHead(self.head).label}"
        return f"{text} ({self.awarded_to})" if self.awarded_to else text

    def clean(self):
        super().clean()
        self.currency = (self.currency or "").strip().upper()
        if not re.fullmatch(r"[A-Z]{3}", self.currency):
            raise ValidationError({"currency": _("Use the three-letter code, e.g. EUR.")})
        step_type = AppealStep._base_manager.filter(pk=self.step_id).values_list("step_type", flat=True).first()
        if step_type and step_type not in OUTCOME_STEPS:
            raise ValidationError({"step": _("Awards belong to a judgment, a decision or Views.")})


# The words of the fact shipped with the application (appeals/migrations/0009): read in the reader's language for
# as long as nobody rewords them; facts staff add or reword stay as written.
SHIPPED_FACT_WORDS = {
    gettext_noop("Russia ceased to be a party to the European Convention on Human Rights"),
    gettext_noop(
        "The Court still deals with applications about acts or omissions before 16 Sep 2022, and the Committee of "
        "Ministers still supervises the execution of its judgments."
    ),
}


def _shipped(text: str) -> str:
    return gettext(text) if text in SHIPPED_FACT_WORDS else text


class StateFact(Record):
    """A fact about a State before a forum, recorded once for every case: e.g. that Russia ceased to be a
    party to the Convention on 16 Sep 2022. Not tied to any case, so every team sees it."""

    state = models.CharField(_("State"), max_length=2)
    forum = models.CharField(_("forum"), max_length=24, choices=Forum.choices)
    kind = models.CharField(_("kind"), max_length=24, choices=StateFactKind.choices)
    on = models.DateField(_("on"))
    description = models.CharField(
        _("what happened"),
        max_length=300,
        help_text=_("As it should read on a timeline, e.g. “Russia ceased to be a party to the Convention”."),
    )
    consequence = models.TextField(
        _("what it means for appeals"),
        blank=True,
        help_text=_("e.g. The Court still decides applications about facts before that day."),
    )
    source_url = models.URLField(_("source"), max_length=500, blank=True)

    history = AuditedHistory()

    class Meta:
        verbose_name = _("fact about a State")
        verbose_name_plural = _("facts about States")
        ordering = ["on"]
        constraints = [models.UniqueConstraint(fields=["state", "forum", "kind", "on"], name="one_fact_per_day")]

    def __str__(self):
        return f"{state_name(self.state)}: {self.what} ({format_day(self.on)})"

    @property
    def what(self) -> str:
        return _shipped(self.description)

    @property
    def what_it_means(self) -> str:
        return _shipped(self.consequence)

    def clean(self):
        super().clean()
        self.state = (self.state or "").upper()
        if self.state not in STATE_CODES:
            raise ValidationError({"state": _("Choose a State from the list.")})
