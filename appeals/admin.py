from django.contrib import admin
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from appeals.enums import FORUM_KINDS, FORUM_STEPS, AppealKind, DeadlineStatus, Forum, StepType
from appeals.models import Appeal, AppealStep, Deadline, OfficialResponse
from cases.admin import OverdueDeadlineFilter, StepsOfParentMixin
from cases.admin_base import AuditedAdmin, AuditedInline, AuditedStackedInline
from cases.datefields import FuzzyDateField
from cases.forms import FuzzyDateForm, ReasonForm
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


class AppealForm(ReasonForm):
    filed = FuzzyDateField(label=_("Filed on"), required=False)

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
    """On an appeal's page a response belongs to the appeal's case."""

    class Meta(FuzzyDateForm.Meta):
        model = OfficialResponse

    def clean(self):
        if self.instance.appeal_id and not self.instance.case_id:
            self.instance.case_id = Appeal.objects.values_list("case_id", flat=True).get(pk=self.instance.appeal_id)
        return super().clean()


class AppealStepInline(AuditedInline):
    model = AppealStep
    form = StepForm
    fields = ["step_type", "when", "response_due_on", "description", "sources"]
    autocomplete_fields = ["sources"]
    ordering = EARLIEST_FIRST
    show_change_link = False

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        formset.form.base_fields["step_type"].choices = _steps_of(obj.forum if obj else None)
        return formset


class DeadlineInline(AuditedInline):
    model = Deadline
    fields = ["description", "responsible", "due_on", "status", "settled_on", "note", "days_left"]
    readonly_fields = ["days_left"]
    show_change_link = False

    @admin.display(description=_("days left"))
    def days_left(self, deadline):
        if deadline._state.adding or deadline.status != DeadlineStatus.OPEN:
            return "—"
        days = (deadline.due_on - timezone.localdate()).days
        return _("%(days)d days overdue") % {"days": -days} if days < 0 else days


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
    list_filter = ["forum", "current_stage", "interim_measures", AppealOverdueFilter, "is_closed", "rule41_priority"]
    list_select_related = ["case"]
    autocomplete_fields = ["case", "people"]
    search_fields = ["reference", "title", "case__reference"]
    inlines = [AppealStepInline, DeadlineInline, ResponseOfAppealInline]
    fieldsets = [
        (None, {"fields": ["case", "people", ("forum", "kind"), "mandates", ("reference", "title")]}),
        (_("Filing"), {"fields": [("filed", "filed_by"), "rule41_priority"]}),
        (_("Derived from the steps"), {"fields": [("current_stage", "interim_measures")]}),
        (_("Notes"), {"fields": ["notes"]}),
    ]
    readonly_fields = ["current_stage", "interim_measures"]

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
            results = results | queryset.filter(case__in=Case.objects.matching(search_term))
        return results, duplicates

    def history_querysets(self, request, appeal):
        return [
            *super().history_querysets(request, appeal),
            AppealStep.history.filter(appeal_id=appeal.pk),
            Deadline.history.filter(appeal_id=appeal.pk),
            OfficialResponse.history.filter(appeal_id=appeal.pk),
        ]


@admin.register(AppealStep)
class AppealStepAdmin(AuditedAdmin):
    form = StepAdminForm
    list_display = ["__str__", "appeal", "response_due_on"]
    list_filter = ["step_type", "appeal__forum"]
    list_select_related = ["appeal"]
    autocomplete_fields = ["appeal", "sources"]
    search_fields = ["appeal__reference", "description"]
    fields = ["appeal", "step_type", "when", "response_due_on", "description", "sources"]


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


@admin.register(Deadline)
class DeadlineAdmin(AuditedAdmin):
    form = DeadlineAdminForm
    list_display = ["description", "appeal", "responsible", "due_on", "status", "overdue"]
    list_filter = [DeadlineOverdueFilter, "status", "responsible", "appeal__forum"]
    list_select_related = ["appeal"]
    autocomplete_fields = ["appeal"]
    search_fields = ["description", "appeal__reference"]
    fields = ["appeal", "description", "responsible", "due_on", "status", "settled_on", "note"]
    ordering = ["due_on"]

    @admin.display(description=_("overdue"), boolean=True)
    def overdue(self, deadline):
        return deadline.is_overdue


@admin.register(OfficialResponse)
class OfficialResponseAdmin(AuditedAdmin):
    form = ResponseAdminForm
    list_display = ["__str__", "case", "appeal", "verification"]
    list_filter = ["response_type", "verification"]
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
