from django import forms
from django.contrib import admin, messages
from django.db import transaction
from django.db.models import Count, Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from appeals.enums import FORUM_KINDS, FORUM_STEPS, AppealKind, DeadlineStatus, Forum, StepType
from appeals.models import (
    Appeal,
    AppealStep,
    ArticleFinding,
    Award,
    Deadline,
    DeadlineOccurrence,
    OfficialResponse,
    StateFact,
    articles_found_violated,
    cases_with_violation_of,
)
from appeals.services import settle_occurrence
from appeals.states import state_choices
from cases.admin import LATEST_FIRST, SHOWN_ON_CASE_PAGE, CaseAdmin, CaseFilter, SourceInline
from cases.admin_base import AuditedAdmin, AuditedInline, AuditedStackedInline, InlineRowsFormSet, search_user
from cases.datefields import FuzzyDateField
from cases.forms import FuzzyDateForm, ReasonForm, VersionedForm
from cases.fuzzydate import format_day
from cases.history import ALWAYS, rows_under_shown_parents
from cases.models import EARLIEST_FIRST, Case


def _kinds_by_forum():
    return [("", "---------")] + [
        (Forum(forum).label, [(kind, AppealKind(kind).label) for kind in kinds]) for forum, kinds in FORUM_KINDS.items()
    ]


def _steps_of(forum: str | None):
    steps = FORUM_STEPS.get(forum) if forum else None
    if steps:
        return [("", "---------")] + [(s, StepType(s).label) for s in steps]
    return [("", "---------")] + [
        (Forum(f).label, [(s, StepType(s).label) for s in steps]) for f, steps in FORUM_STEPS.items()
    ]


class AppealOfCaseForm(VersionedForm):
    filed = FuzzyDateField(label=_("Filed on"), required=False)

    class Meta:
        model = Appeal
        fields = "__all__"


class AppealOfCaseInline(AuditedInline):
    model = Appeal
    form = AppealOfCaseForm
    fields = ["forum", "kind", "reference", "title", "filed", "current_stage", "interim_measures"]
    readonly_fields = ["current_stage", "interim_measures"]
    verbose_name_plural = _("appeals (open one to add its steps and deadlines)")
    shown_at_most = SHOWN_ON_CASE_PAGE
    latest_first = [*Appeal._meta.ordering, "-pk"]


class StepsOfParentMixin:
    """The "answers step" choice offers the steps of the appeals on the page's record, named with their appeal."""

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        field = formset.form.base_fields.get("answers_step")
        if field is not None:
            steps = AppealStep.objects.visible_to(request.user).select_related("appeal")
            field.queryset = steps.filter(**{self.steps_of: obj}) if obj is not None else steps.none()
            field.label_from_instance = step_choice_label
            # Read once for the page, not once for each answer's list of choices; the choices stay plain
            # values, which each form copies cheaply. The queryset still checks what is posted.
            steps = list(field.queryset)
            field.choices = [("", field.empty_label), *step_choices(steps)]
            formset.appeal_of_step = {str(step.pk): step.appeal_id for step in steps}
        return formset


def step_choice_label(step) -> str:
    return f"{step.appeal}: {step.get_step_type_display()} ({step.when})"


def step_choices(steps) -> list[tuple[str, str]]:
    """(key, step_choice_label) of each step, each appeal and kind of step named once: naming costs a
    translation lookup, and a long case has hundreds of steps in a few dozen appeals."""
    appeal_names = {}
    kind_names = {value: str(label) for value, label in AppealStep._meta.get_field("step_type").flatchoices}
    choices = []
    for step in steps:
        if step.appeal_id not in appeal_names:
            appeal_names[step.appeal_id] = str(step.appeal)
        kind = kind_names.get(step.step_type, step.step_type)
        choices.append((str(step.pk), f"{appeal_names[step.appeal_id]}: {kind} ({step.when})"))
    return choices


class AnswersOfCaseFormSet(InlineRowsFormSet):
    """An answer shown with its appeal is offered the steps of that appeal, the only ones it may answer, rather
    than every step of a case that may have hundreds; a new answer, or one of no appeal, is offered them all."""

    appeal_of_step: dict = {}

    def _construct_form(self, i, **kwargs):
        form = super()._construct_form(i, **kwargs)
        answer = form.instance
        # A submission shown again keeps every choice: what was posted may be a step of another appeal.
        if not self.is_bound and answer.appeal_id:
            field = form.fields["answers_step"]
            field.choices = [
                (value, label)
                for value, label in field.choices
                if not value or self.appeal_of_step[value] == answer.appeal_id or value == str(answer.answers_step_id)
            ]
        return form


class ResponseOfCaseInline(StepsOfParentMixin, AuditedStackedInline):
    model = OfficialResponse
    form = FuzzyDateForm
    formset = AnswersOfCaseFormSet
    fields = [
        ("when", "response_type", "verification"),
        ("state", "body", "official"),
        ("appeal", "answers_step"),
        "summary",
        "quote",
        "sources",
    ]
    autocomplete_fields = ["appeal", "sources"]
    steps_of = "appeal__case"
    shown_at_most = SHOWN_ON_CASE_PAGE
    latest_first = LATEST_FIRST


class AppealChoiceFilter(admin.SimpleListFilter):
    """Choices from the vocabulary, not from a DISTINCT over every appeal: the list stays fast at scale."""

    field = ""
    vocabulary = ()

    def lookups(self, request, model_admin):
        return self.vocabulary

    def queryset(self, request, queryset):
        if self.value() in {value for value, _label in self.vocabulary}:
            return queryset.filter(pk__in=Appeal.objects.filter(**{self.field: self.value()}).values("case_id"))
        return queryset


class AppealForumFilter(AppealChoiceFilter):
    title = _("appeal to")
    parameter_name = "forum"
    field = "forum"
    vocabulary = Forum.choices


class AppealStageFilter(AppealChoiceFilter):
    title = _("appeal stage")
    parameter_name = "stage"
    field = "current_stage"
    vocabulary = StepType.choices


class ViolationFoundFilter(admin.SimpleListFilter):
    title = _("violation found of")
    parameter_name = "violation"

    def lookups(self, request, model_admin):
        return articles_found_violated(request.user)

    def queryset(self, request, queryset):
        if self.value():
            return queryset.filter(pk__in=cases_with_violation_of(self.value()))
        return queryset


class OverdueDeadlineFilter(admin.SimpleListFilter):
    title = _("overdue deadline")
    parameter_name = "overdue"
    deadline_path = "appeal__case"

    def lookups(self, request, model_admin):
        return [("yes", _("Has an overdue deadline")), ("no", _("None overdue"))]

    def queryset(self, request, queryset):
        overdue = Deadline.objects.overdue().filter(**{self.deadline_path: OuterRef("pk")})
        if self.value() == "yes":
            return queryset.filter(Exists(overdue))
        if self.value() == "no":
            return queryset.exclude(Exists(overdue))
        return queryset


class StateChoiceMixin:
    """State fields offer the States by name in the reader's language (appeals/states.py)."""

    state_fields = ()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in self.state_fields:
            if name in self.fields:
                field = self.fields[name]
                self.fields[name] = forms.ChoiceField(
                    label=field.label,
                    required=field.required,
                    help_text=field.help_text,
                    choices=[("", "---------"), *state_choices()],
                )


class AppealForm(StateChoiceMixin, ReasonForm):
    filed = FuzzyDateField(label=_("Filed on"), required=False)
    facts = FuzzyDateField(
        label=_("Facts complained of"),
        required=False,
        help_text=_("When the facts the appeal is about happened; checked against facts about the State."),
    )
    state_fields = ("respondent_state",)

    class Meta:
        model = Appeal
        fields = "__all__"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "kind" in self.fields:
            self.fields["kind"].choices = _kinds_by_forum()


class StepForm(FuzzyDateForm):
    class Meta(FuzzyDateForm.Meta):
        model = AppealStep


class StepAdminForm(ReasonForm, StepForm):
    class Meta(StepForm.Meta):
        pass


class ResponseAdminForm(ReasonForm, FuzzyDateForm):
    class Meta(FuzzyDateForm.Meta):
        model = OfficialResponse


class ResponseOfAppealForm(FuzzyDateForm):
    """On an appeal's page a response belongs to the appeal's case, also when that page moves the appeal."""

    class Meta(FuzzyDateForm.Meta):
        model = OfficialResponse

    def clean(self):
        # The formset's own field for the appeal gives the appeal being edited, unsaved or moved as it may be.
        self.instance.case_id = self.cleaned_data["appeal"].case_id
        return super().clean()


class AppealStepInline(AuditedInline):
    model = AppealStep
    form = StepForm
    fields = ["step_type", "when", "response_due_on", "reports_every", "reports_unit", "description", "sources"]
    autocomplete_fields = ["sources"]
    ordering = EARLIEST_FIRST
    # A judgment or Views is opened to record its findings and awards.
    show_change_link = True
    verbose_name_plural = _("steps (open a judgment, decision or Views to record findings and awards)")

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        formset.form.base_fields["step_type"].choices = _steps_of(obj.forum if obj else None)
        return formset


def days_left_text(deadline) -> str:
    if deadline._state.adding or deadline.status != DeadlineStatus.OPEN:
        return "—"
    days = deadline.days_left()
    return _("%(days)d days overdue") % {"days": -days} if days < 0 else str(days)


class DeadlineInline(AuditedInline):
    model = Deadline
    fields = [
        "description",
        "responsible",
        "due_on",
        "repeat_every",
        "repeat_unit",
        "repeat_until",
        "status",
        "settled_on",
        "note",
        "next_due",
        "days_left",
    ]
    readonly_fields = ["next_due", "days_left"]
    # A recurring obligation is opened to see each report received or missed.
    show_change_link = True

    @admin.display(description=_("next due"))
    def next_due(self, deadline):
        return format_day(deadline.next_due_on) if deadline.next_due_on and deadline.status == "open" else "—"

    @admin.display(description=_("days left"))
    def days_left(self, deadline):
        return days_left_text(deadline)


class FindingInline(AuditedInline):
    model = ArticleFinding
    fields = ["article", "paragraph", "limb", "taken_with_article", "taken_with_paragraph", "finding"]
    show_change_link = False


class AwardInline(AuditedInline):
    model = Award
    fields = ["head", "amount", "currency", "awarded_to"]
    show_change_link = False


class OccurrenceInline(AuditedInline):
    """Each report of a recurring obligation as it was settled: read here, settled by answers or the action."""

    model = DeadlineOccurrence
    fields = ["number", "due_on", "status", "received_on", "response"]
    readonly_fields = fields
    can_delete = False
    show_change_link = False
    verbose_name_plural = _("reports received or missed")

    def has_add_permission(self, request, obj=None):
        return False


class ResponseOfAppealInline(StepsOfParentMixin, AuditedStackedInline):
    model = OfficialResponse
    form = ResponseOfAppealForm
    fields = [
        ("when", "response_type", "verification"),
        "answers_step",
        ("state", "body", "official"),
        "summary",
        "quote",
        "sources",
    ]
    autocomplete_fields = ["sources"]
    steps_of = "appeal"


class AppealOverdueFilter(OverdueDeadlineFilter):
    deadline_path = "appeal"


@admin.register(Appeal)
class AppealAdmin(AuditedAdmin):
    form = AppealForm
    list_display = [
        "__str__",
        "title",
        "case",
        "kind",
        "current_stage",
        "interim_measures",
        "filed_display",
        "open_deadlines",
    ]
    list_filter = [
        CaseFilter,
        "forum",
        "current_stage",
        "interim_measures",
        AppealOverdueFilter,
        "is_closed",
        "rule41_priority",
    ]
    list_select_related = ["case"]
    autocomplete_fields = ["case", "people"]
    search_fields = ["reference", "title", "case__reference"]
    inlines = [AppealStepInline, DeadlineInline, ResponseOfAppealInline]
    fieldsets = [
        (None, {"fields": ["case", "people", ("forum", "kind"), "mandates", ("reference", "title")]}),
        (_("Filing"), {"fields": [("filed", "filed_by"), "rule41_priority", ("respondent_state", "facts")]}),
        (_("Derived from the steps"), {"fields": [("current_stage", "interim_measures"), "warnings"]}),
        (_("Notes"), {"fields": ["notes"]}),
    ]
    readonly_fields = ["current_stage", "interim_measures", "warnings"]

    @admin.display(description=_("warnings"))
    def warnings(self, appeal):
        return " ".join(appeal.warnings()) or "—"

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        for warning in form.instance.warnings():
            self.message_user(request, warning, messages.WARNING)

    def get_queryset(self, request):
        counted = (
            super()
            .get_queryset(request)
            .annotate(open_total=Count("deadlines", filter=Q(deadlines__status=DeadlineStatus.OPEN)))
        )
        # An aggregate drops the model's default ordering; autocomplete pages need one.
        return counted.order_by(*Appeal._meta.ordering, "pk")

    @admin.display(description=_("filed on"), ordering="filed_start")
    def filed_display(self, appeal):
        return str(appeal.filed or "—")

    @admin.display(description=_("open deadlines"), ordering="open_total")
    def open_deadlines(self, appeal):
        return appeal.open_total

    def get_search_results(self, request, queryset, search_term):
        results, duplicates = super().get_search_results(request, queryset, search_term)
        if search_term.strip():
            results = results | queryset.filter(case__in=Case.objects.matching(search_term, search_user(request)))
        return results, duplicates

    def history_querysets(self, request, appeal):
        # The appeal's own rows from a case this user may not see are left out by the base class; the same
        # goes for the rows of its steps, deadlines and answers written while it was in that case.
        return list(appeal_history(Appeal.history.filter(id=appeal.pk), shown_cases(request.user, appeal)).values())


@admin.register(AppealStep)
class AppealStepAdmin(AuditedAdmin):
    form = StepAdminForm
    list_display = ["__str__", "appeal", "response_due_on"]
    list_filter = ["step_type", "appeal__forum"]
    list_select_related = ["appeal"]
    autocomplete_fields = ["appeal", "sources"]
    search_fields = ["appeal__reference", "description"]
    fields = [
        "appeal",
        "step_type",
        "when",
        "response_due_on",
        ("reports_every", "reports_unit"),
        "supervision",
        "description",
        "sources",
    ]
    inlines = [FindingInline, AwardInline]

    def history_querysets(self, request, step):
        appeal_rows = Appeal.history.filter(id__in=AppealStep.history.filter(id=step.pk).values("appeal_id"))
        parts = appeal_history(appeal_rows, shown_cases(request.user, step.appeal), steps=[step.pk])
        return [parts[kind] for kind in ("steps", "findings", "awards")]


class DeadlineAdminForm(ReasonForm):
    class Meta:
        model = Deadline
        fields = "__all__"


class DeadlineOverdueFilter(admin.SimpleListFilter):
    title = _("overdue")
    parameter_name = "overdue"

    def lookups(self, request, model_admin):
        return [("yes", _("Overdue"))]

    def queryset(self, request, queryset):
        return queryset.overdue() if self.value() == "yes" else queryset


@admin.action(description=_("Record the next report of each selected recurring obligation as never received"))
def record_report_missing(modeladmin, request, queryset):
    recurring = [d for d in queryset if d.is_recurring and d.status == DeadlineStatus.OPEN]
    with transaction.atomic():
        for deadline in recurring:
            settle_occurrence(deadline, on=None, by=request.user)
    modeladmin.message_user(
        request,
        ngettext("%(count)d report recorded as missed.", "%(count)d reports recorded as missed.", len(recurring))
        % {"count": len(recurring)},
        messages.SUCCESS if recurring else messages.WARNING,
    )


@admin.register(Deadline)
class DeadlineAdmin(AuditedAdmin):
    form = DeadlineAdminForm
    list_display = ["what_is_due", "appeal", "responsible", "next_due", "status", "overdue"]
    list_filter = [DeadlineOverdueFilter, "status", "responsible", "appeal__forum"]
    list_select_related = ["appeal"]
    autocomplete_fields = ["appeal"]
    search_fields = ["description", "appeal__reference"]
    fields = [
        "appeal",
        "description",
        "responsible",
        "due_on",
        ("repeat_every", "repeat_unit", "repeat_until"),
        "status",
        "settled_on",
        "note",
    ]
    ordering = ["next_due_on"]
    inlines = [OccurrenceInline]
    actions = [record_report_missing]

    # What a rule proposed reads in the reader's language, as on the timeline (Deadline.what).
    @admin.display(description=_("what is due"), ordering="description")
    def what_is_due(self, deadline):
        return deadline.what

    @admin.display(description=_("next due"), ordering="next_due_on")
    def next_due(self, deadline):
        return format_day(deadline.next_due_on or deadline.due_on)

    @admin.display(description=_("overdue"), boolean=True)
    def overdue(self, deadline):
        return deadline.is_overdue()

    def history_querysets(self, request, deadline):
        appeal_rows = Appeal.history.filter(id__in=Deadline.history.filter(id=deadline.pk).values("appeal_id"))
        parts = appeal_history(appeal_rows, shown_cases(request.user, deadline.appeal), deadlines=[deadline.pk])
        return [parts[kind] for kind in ("deadlines", "occurrences")]


class StateFactForm(StateChoiceMixin, ReasonForm):
    state_fields = ("state",)

    class Meta:
        model = StateFact
        fields = "__all__"


@admin.register(StateFact)
class StateFactAdmin(AuditedAdmin):
    """Facts about States are shared by every team: administrators record them, editors read them."""

    form = StateFactForm
    list_display = ["__str__", "forum", "kind", "on"]
    list_filter = ["forum", "kind"]
    fields = ["state", "forum", "kind", "on", "description", "consequence", "source_url"]


@admin.register(OfficialResponse)
class OfficialResponseAdmin(AuditedAdmin):
    form = ResponseAdminForm
    list_display = ["__str__", "case", "appeal", "verification"]
    list_filter = [CaseFilter, "response_type", "verification"]
    list_select_related = ["case", "appeal"]
    autocomplete_fields = ["case", "appeal", "answers_step", "sources"]
    search_fields = ["state", "body", "official", "case__reference", "appeal__reference"]
    fields = [
        "case",
        "appeal",
        "answers_step",
        "when",
        "response_type",
        "verification",
        "state",
        "body",
        "official",
        "summary",
        "quote",
        "sources",
    ]


def shown_cases(user, appeal) -> set:
    """The cases this appeal has been in that ``user`` may see."""
    been_in = Appeal.history.filter(id=appeal.pk).values("case_id")
    return set(Case.objects.visible_to(user).filter(pk__in=been_in).values_list("pk", flat=True))


def appeal_history(appeal_rows, cases: set, *, steps=None, deadlines=None) -> dict:
    """History rows of appeals and all that hangs from them, each written while its appeal was in ``cases``.

    ``appeal_rows`` must hold every row of each appeal, since a row holds until the appeal's next.

    An appeal moved to another case leaves behind, with its own rows, the rows of its steps, findings,
    awards, deadlines and answers written before the move: the new case's team never saw that case.
    ``steps`` and ``deadlines`` narrow to those records (the history page of one step or one deadline).
    """
    appeals, appeal_spans = rows_under_shown_parents(
        appeal_rows, "case_id", lambda case_id: ALWAYS if case_id in cases else []
    )
    step_rows = AppealStep.history.filter(appeal_id__in=list(appeal_spans))
    deadline_rows = Deadline.history.filter(appeal_id__in=list(appeal_spans))
    if steps is not None:
        step_rows = step_rows.filter(id__in=steps)
    if deadlines is not None:
        deadline_rows = deadline_rows.filter(id__in=deadlines)
    step_history, step_spans = rows_under_shown_parents(step_rows, "appeal_id", lambda a: appeal_spans.get(a, []))
    deadline_history, deadline_spans = rows_under_shown_parents(
        deadline_rows, "appeal_id", lambda a: appeal_spans.get(a, [])
    )

    def under_steps(model):
        return rows_under_shown_parents(
            model.history.filter(step_id__in=list(step_spans)), "step_id", lambda s: step_spans.get(s, [])
        )[0]

    return {
        "appeals": appeals,
        "steps": step_history,
        "findings": under_steps(ArticleFinding),
        "awards": under_steps(Award),
        "deadlines": deadline_history,
        "occurrences": rows_under_shown_parents(
            DeadlineOccurrence.history.filter(deadline_id__in=list(deadline_spans)),
            "deadline_id",
            lambda d: deadline_spans.get(d, []),
        )[0],
        # An answer carries its own case, and moves with its appeal.
        "responses": OfficialResponse.history.filter(appeal_id__in=list(appeal_spans), case_id__in=cases),
    }


def _appeals_history_of_case(case) -> list:
    """The history of a case's appeals and all that hangs from them, for the case's history page."""
    # Every row of an appeal that has been in the case: a row holds until the next, wherever that moved it.
    ever_here = Appeal.history.filter(id__in=Appeal.history.filter(case_id=case.pk).values("id"))
    parts = appeal_history(ever_here, {case.pk})
    # The case's answers, those of no appeal included; each row carries the case it was written in.
    parts["responses"] = OfficialResponse.history.filter(case_id=case.pk)
    return list(parts.values())


CaseAdmin.extend(
    inlines=[AppealOfCaseInline, ResponseOfCaseInline],
    before=SourceInline,
    list_filters=[AppealForumFilter, AppealStageFilter, ViolationFoundFilter, OverdueDeadlineFilter],
    history_parts=[_appeals_history_of_case],
)
