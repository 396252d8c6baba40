from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from appeals.enums import (
    BEFORE_FILING_STEPS,
    FILING_STEPS,
    FORUM_KINDS,
    FORUM_STEPS,
    REFERENCE_FORMATS,
    AppealKind,
    DeadlineStatus,
    Forum,
    InterimMeasures,
    Party,
    ResponseType,
    StepType,
)
from cases.chronology import chronological
from cases.datefields import FuzzyDateProperty, fuzzy_date_columns
from cases.enums import Verification
from cases.fuzzydate import format_day
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
                violation_error_message=_("Another appeal to this forum already has this reference number."),
            )
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
        if errors:
            raise ValidationError(errors)


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


class DeadlineQuerySet(ScopedQuerySet):
    scope_path = "appeal__case"

    def overdue(self, today=None):
        return self.filter(status=DeadlineStatus.OPEN, due_on__lt=today or timezone.localdate())


class Deadline(Record):
    appeal = models.ForeignKey(Appeal, on_delete=models.CASCADE, related_name="deadlines", verbose_name=_("appeal"))
    description = models.CharField(_("what is due"), max_length=300)
    responsible = models.CharField(_("due from"), max_length=12, choices=Party.choices, default=Party.GOVERNMENT)
    due_on = models.DateField(_("due on"), db_index=True)
    status = models.CharField(
        _("status"), max_length=8, choices=DeadlineStatus.choices, default=DeadlineStatus.OPEN, db_index=True
    )
    settled_on = models.DateField(_("met or missed on"), null=True, blank=True)
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

    history = AuditedHistory()
    objects = DeadlineQuerySet.as_manager()

    class Meta:
        verbose_name = _("deadline")
        verbose_name_plural = _("deadlines")
        ordering = ["due_on"]
        constraints = [
            models.UniqueConstraint(
                fields=["origin_step", "rule"], condition=~models.Q(rule=""), name="one_proposal_per_step_and_rule"
            )
        ]
        # The dashboard and the overdue filters only ever look at open deadlines.
        indexes = [
            models.Index(
                fields=["due_on"], condition=models.Q(status=DeadlineStatus.OPEN), name="open_deadlines_by_due"
            )
        ]

    def __str__(self):
        return f"{self.description} ({format_day(self.due_on)})"

    @property
    def is_overdue(self) -> bool:
        return self.status == DeadlineStatus.OPEN and self.due_on < timezone.localdate()

    def clean(self):
        super().clean()
        if self.status == DeadlineStatus.OPEN and self.settled_on:
            raise ValidationError({"settled_on": _("An open deadline has no settlement date.")})
        if self.status != DeadlineStatus.OPEN and not self.settled_on:
            raise ValidationError({"settled_on": _("Say when the deadline was met or missed.")})


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
        who = self.body or self.state or _("Authorities")
        return f"{who}: {self.get_response_type_display()} ({self.when})"

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
