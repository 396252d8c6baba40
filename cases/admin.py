from functools import partial
from uuid import UUID

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Exists, F, OuterRef, Q
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import NoReverseMatch, path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from accounts.roles import is_administrator
from cases.admin_base import (
    AuditedAdmin,
    AuditedInline,
    AuditedStackedInline,
    InlineRowsFormSet,
    ReadOnlyForAdministrators,
    search_user,
)
from cases.chronology import in_timeline_order
from cases.datefields import FuzzyDateField
from cases.duplicates import duplicates_of
from cases.enums import AccessAction, Status
from cases.forms import (
    ErasureForm,
    ReasonForm,
    SourceFileForm,
    StatusChangeForm,
    StatusChangeInlineFormSet,
)
from cases.models import (
    AccessRecord,
    Case,
    CaseMembership,
    IdentityErasure,
    NameVariant,
    Person,
    PersonIdentity,
    Source,
    StatusChange,
    in_cases_visible_to,
    matched_once,
    matching_person_ids,
    may_see_identities,
    team_candidates_for,
)
from cases.services import erase_identity, mentions_of


class StatusChangeAdminForm(ReasonForm, StatusChangeForm):
    class Meta(StatusChangeForm.Meta):
        pass


class PersonIdentityInline(AuditedStackedInline):
    model = PersonIdentity
    can_delete = False
    max_num = 1
    verbose_name_plural = _("identity (protected)")


class NameVariantInline(AuditedInline):
    model = NameVariant
    fields = ["name", "script", "scheme", "source_note"]
    show_change_link = False


class MembershipOfPersonInline(AuditedInline):
    model = CaseMembership
    fields = ["case", "role", "note"]
    autocomplete_fields = ["case"]
    verbose_name_plural = _("cases of this person")
    show_change_link = False


class MembershipInline(AuditedInline):
    model = CaseMembership
    fields = ["person", "role", "note"]
    autocomplete_fields = ["person"]
    show_change_link = False


# A case page shows the latest of each kind of record and links to the list of all of them: no one edits a
# thousand forms, and each form costs about 5 ms to draw (bench/case_page.py); with 5 of each kind a case of
# 1,000 events draws in about the time of one of 10.
SHOWN_ON_CASE_PAGE = 5
# The latest reported events first: the reverse of EARLIEST_FIRST, an open end (“after 2019”) the latest.
LATEST_FIRST = [F("date_start").desc(nulls_last=True), F("date_end").desc(nulls_first=True), "-created_at", "-pk"]


class StatusChangeRowsFormSet(InlineRowsFormSet, StatusChangeInlineFormSet):
    def latest(self, rows):
        """The latest reports in the order of the timeline (cases.chronology): by their dates, each person's in their
        one order, another account beside the report it disagrees with. By the dates alone, a report known only as
        "2019" that staff said follows one of March 2019 would count as older than it, and drop off the page while
        the timeline shows it last. (People seized together are one event on the timeline, here a row each.)"""
        columns = ("pk", "person_id", "differs_from_id", "follows_id", "date_start", "date_end", "created_at")
        reports = in_timeline_order(list(rows.values_list(*columns, named=True)))
        return [report.pk for report in reports[-self.shown_at_most :]]


class StatusChangeInline(AuditedStackedInline):
    model = StatusChange
    form = StatusChangeForm
    formset = StatusChangeRowsFormSet
    shown_at_most = SHOWN_ON_CASE_PAGE
    fields = [
        ("person", "status"),
        ("when", "place", "verification"),
        "whereabouts",
        "description",
        "sources",
        ("differs_from", "follows"),
        "internal_notes",
    ]
    autocomplete_fields = ["person", "sources", "differs_from", "follows"]
    ordering = ["sequence", "date_start"]


class SourceDownloads:
    """Links to a source's files through the checked and logged downloads: the copy served, to everyone who may
    see the case; the original as uploaded, with its metadata, to those allowed identities."""

    def download_fields(self, request) -> list[str]:
        return ["attachment", "original_attachment"] if may_see_identities(request.user) else ["attachment"]

    @admin.display(description=_("file"))
    def attachment(self, source):
        return self._download_link(source, "front:source_file", _("Download (recorded in the access log)"))

    @admin.display(description=_("original as uploaded"))
    def original_attachment(self, source):
        return self._download_link(
            source, "front:source_original", _("Download the original, metadata and all (recorded in the access log)")
        )

    def _download_link(self, source, url_name, text):
        if not source.file:
            return "—"
        return format_html('<a href="{}">{}</a>', reverse(url_name, args=[source.pk]), text)


class SourceInline(SourceDownloads, AuditedInline):
    model = Source
    form = SourceFileForm
    shown_at_most = SHOWN_ON_CASE_PAGE
    latest_first = ["-created_at", "-pk"]  # the latest added: many sources carry no date
    fields = ["source_type", "title", "publisher", "published", "url", "language", "reliability", "file"]
    readonly_fields = ["attachment", "original_attachment"]

    def get_fields(self, request, obj=None):
        return [*super().get_fields(request, obj), *self.download_fields(request)]


class CaseFilter(admin.SimpleListFilter):
    """The records of one case: where its page links for all of them (``?case=<its id>``)."""

    title = _("case")
    parameter_name = "case"

    def lookups(self, request, model_admin):
        # Offered once chosen, never a list of every case (the case list is for finding one); named only if the
        # user may see it. A value that is no id is refused with a 400 (SearchByPostMixin).
        if not self.value():
            return []
        case = Case.objects.visible_to(request.user).filter(pk=UUID(self.value())).first()
        return [(str(case.pk), str(case))] if case else []

    def queryset(self, request, queryset):
        return queryset.filter(case_id=UUID(self.value())) if self.value() else queryset


class StatusFilter(admin.SimpleListFilter):
    """A current status from the vocabulary; each subclass says whose, as the user may see it."""

    parameter_name = "status"

    def lookups(self, request, model_admin):
        return Status.choices

    def queryset(self, request, queryset):
        if self.value() in Status.values:
            return queryset.filter(self.having(self.value()))
        return queryset


class PeopleStatusFilter(StatusFilter):
    title = _("current status of someone in the case")

    def having(self, status):
        # As the case itself records it, never another team's case about the same person.
        return Exists(CaseMembership.objects.filter(case=OuterRef("pk"), current_status=status))


class SeenStatusFilter(StatusFilter):
    """A person's current status from the cases the user may see (``with_status_seen_by``)."""

    title = _("current status")

    def having(self, status):
        return Q(seen_status=status)


class MatchingSearchMixin:
    """Admin search through the model's own ``matching`` (names in any script, codenames)."""

    search_fields = ["pk"]  # enables the search box; the search itself is ``matching``

    def get_search_results(self, request, queryset, search_term):
        if not search_term.strip():
            return queryset, False
        # Filtering by the matches keeps the list's own scoping, ordering and annotations.
        return matched_once(queryset, queryset.matching(search_term, search_user(request))), False


class PersonForm(ReasonForm):
    consent_recorded = FuzzyDateField(label=_("Consent recorded on"), required=False)

    class Meta:
        model = Person
        fields = "__all__"


@admin.register(Person)
class PersonAdmin(MatchingSearchMixin, AuditedAdmin):
    form = PersonForm
    list_display = ["codename", "sensitivity", "status", "status_since", "consent_publicity"]
    list_filter = [SeenStatusFilter, "sensitivity", "consent_publicity", "consent_partner_sharing"]
    inlines = [PersonIdentityInline, NameVariantInline, MembershipOfPersonInline]
    # Drawn at random, never typed: a codename chosen by hand that collided with another team's would tell
    # its author that someone with that codename exists.
    readonly_fields = ["codename"]
    fieldsets = [
        (None, {"fields": ["codename", "sensitivity"]}),
        (
            _("Consent"),
            {
                "fields": [
                    ("consent_publicity", "consent_partner_sharing", "consent_un_submission"),
                    "consent_recorded",
                    "consent_notes",
                ]
            },
        ),
    ]

    def get_urls(self):
        return [
            path(
                "<uuid:object_id>/erase/",
                self.admin_site.admin_view(partial(erase_identity_view, self)),
                name="cases_person_erase",
            ),
            *super().get_urls(),
        ]

    read_access = AccessAction.VIEW_IDENTITY

    def has_merge_permission(self, request):
        """Asked by the merge of two people (imports/admin.py): administrators only."""
        return is_administrator(request.user)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        names_changed = any(
            formset.has_changed() for formset in formsets if formset.model in (PersonIdentity, NameVariant)
        )
        if names_changed:
            # Among the people this user may see only: a warning never hints at anyone outside their cases.
            for duplicate in duplicates_of(form.instance, request.user):
                self.message_user(request, str(duplicate), messages.WARNING)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        extra_context = {**(extra_context or {}), "may_erase": is_administrator(request.user)}
        return super().change_view(request, object_id, form_url, extra_context)

    def get_queryset(self, request):
        return super().get_queryset(request).with_status_seen_by(request.user)

    @admin.display(description=_("current status"), ordering="seen_status")
    def status(self, person):
        return person.get_seen_status_display() or "—"

    @admin.display(description=_("since"), ordering="seen_since_start")
    def status_since(self, person):
        return str(person.seen_since or "—")

    def history_querysets(self, request, person):
        # A person may be in cases of other teams: only what was recorded in cases this user may see.
        in_visible_cases = in_cases_visible_to(request.user)
        identity = []
        if may_see_identities(request.user):
            identity = [
                PersonIdentity.history.filter(person_id=person.pk),
                NameVariant.history.filter(person_id=person.pk),
            ]
        return [
            *super().history_querysets(request, person),
            *identity,
            CaseMembership.history.filter(in_visible_cases, person_id=person.pk),
            StatusChange.history.filter(in_visible_cases, person_id=person.pk),
        ]


TEAM_HELP = _(
    "Who may see this case; administrators see every case. An editor can add people who share an organisation "
    "group with them or who are on one of their case teams; an administrator can add anyone."
)
# A choice outside the list offered only comes from a forged or stale form.
TEAM_REFUSED = _(
    "You can add only people who share an organisation group or a case team with you. Ask an administrator to add "
    "anyone else."
)


class CaseForm(ReasonForm):
    class Meta:
        model = Case
        fields = "__all__"

    editing_user = None  # set per request by CaseAdmin.get_form

    def clean_team(self):
        team = self.cleaned_data.get("team")
        user = self.editing_user
        if user is not None and not is_administrator(user) and user not in team:
            raise ValidationError(
                _("Keep yourself on the case team: without it you could no longer see this case."),
                code="self_removal",
            )
        return team


@admin.register(Case)
class CaseAdmin(MatchingSearchMixin, AuditedAdmin):
    form = CaseForm
    list_display = ["reference", "title", "region", "confidentiality", "opened_on"]
    list_filter = [PeopleStatusFilter, "confidentiality"]
    inlines = [MembershipInline, StatusChangeInline, SourceInline]
    # The apps above add their parts of a case page (appeals: appeals, responses, their filters and history;
    # exports: the export action) through extend(), so this app never imports them.
    history_parts: list = []
    # A plain list to pick from, of the people the user may add: the admin's autocomplete would look users
    # up through the user admin, which editors may not see.
    filter_horizontal = ["team"]
    fieldsets = [
        (None, {"fields": ["reference", "title", "summary", ("region", "opened_on", "confidentiality")]}),
        (_("Team and notes"), {"fields": ["team", "internal_notes"]}),
    ]
    readonly_fields = ["reference"]

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        form.editing_user = request.user
        return form

    def get_changeform_initial_data(self, request):
        return {"team": [request.user.pk], **super().get_changeform_initial_data(request)}

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name == "team":
            kwargs.update(
                queryset=team_candidates_for(request.user),
                help_text=TEAM_HELP,
                error_messages={"invalid_choice": TEAM_REFUSED},
            )
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def history_querysets(self, request, case):
        return [
            *super().history_querysets(request, case),
            CaseMembership.history.filter(case_id=case.pk),
            StatusChange.history.filter(case_id=case.pk),
            Source.history.filter(case_id=case.pk),
            *(queryset for part in self.history_parts for queryset in part(case)),
        ]

    @classmethod
    def extend(cls, *, inlines=(), before=None, list_filters=(), actions=(), history_parts=()):
        """Add a higher app's parts of the case page, e.g. appeals' inlines ``before`` the sources."""
        at = cls.inlines.index(before) if before in cls.inlines else len(cls.inlines)
        cls.inlines = [*cls.inlines[:at], *inlines, *cls.inlines[at:]]
        cls.list_filter = [*cls.list_filter, *list_filters]
        cls.actions = [*(cls.actions or []), *actions]
        cls.history_parts = [*cls.history_parts, *history_parts]


@admin.register(StatusChange)
class StatusChangeAdmin(AuditedAdmin):
    form = StatusChangeAdminForm
    list_display = ["person", "status", "when_display", "place", "verification", "case"]
    list_filter = [CaseFilter, "status", "verification", "date_precision"]
    list_select_related = ["person", "case"]
    autocomplete_fields = ["person", "case", "sources", "differs_from", "follows"]
    search_fields = ["person__codename", "case__reference", "description"]
    fields = [
        "case",
        "person",
        "status",
        "when",
        "place",
        "whereabouts",
        "verification",
        "description",
        "sources",
        "differs_from",
        "follows",
        "internal_notes",
    ]
    ordering = [F("date_start").desc(nulls_last=True)]

    @admin.display(description=_("when"), ordering="date_start")
    def when_display(self, change):
        return str(change.when)

    def get_search_results(self, request, queryset, search_term):
        results, duplicates = super().get_search_results(request, queryset, search_term)
        if search_term.strip():
            results = results | queryset.filter(person__in=matching_person_ids(search_term, search_user(request)))
        return results, duplicates


class SourceAdminForm(ReasonForm, SourceFileForm):
    class Meta:
        model = Source
        fields = "__all__"


@admin.register(Source)
class SourceAdmin(SourceDownloads, AuditedAdmin):
    form = SourceAdminForm
    list_display = ["title", "source_type", "publisher", "published_display", "reliability", "case"]
    list_filter = [CaseFilter, "source_type", "reliability", "language"]
    list_select_related = ["case"]
    search_fields = ["title", "publisher", "case__reference"]
    autocomplete_fields = ["case"]
    readonly_fields = ["sha256", "served_sha256", "media_type", "attachment", "original_attachment"]

    def get_fields(self, request, obj=None):
        base = ["case", "source_type", "title", "publisher", "published", "url", "language", "reliability"]
        # Once stored, evidence is never swapped, and it is offered only through the checked download views.
        if obj is not None and obj.file:
            return [*base, *self.download_fields(request), "media_type", "sha256", "served_sha256"]
        return [*base, "file"]

    @admin.display(description=_("date"), ordering="published_start")
    def published_display(self, source):
        return str(source.published or "—")


@admin.register(CaseMembership)
class CaseMembershipAdmin(AuditedAdmin):
    list_display = ["person", "role", "case"]
    list_filter = ["role"]
    list_select_related = ["person", "case"]
    autocomplete_fields = ["person", "case"]
    search_fields = ["person__codename", "case__reference"]
    fields = ["case", "person", "role", "note"]


@admin.register(NameVariant)
class NameVariantAdmin(AuditedAdmin):
    list_display = ["person", "script", "scheme"]
    list_filter = ["script", "scheme"]
    list_select_related = ["person"]
    autocomplete_fields = ["person"]
    fields = ["person", "name", "script", "scheme", "source_note"]
    search_fields = ["person__codename"]
    read_access = AccessAction.VIEW_IDENTITY

    def get_search_results(self, request, queryset, search_term):
        if not search_term.strip():
            return queryset, False
        return queryset.filter(person__in=matching_person_ids(search_term, search_user(request))), False


@admin.register(PersonIdentity)
class PersonIdentityAdmin(AuditedAdmin):
    list_display = ["__str__"]
    list_select_related = ["person"]
    autocomplete_fields = ["person"]
    search_fields = ["person__codename"]

    read_access = AccessAction.VIEW_IDENTITY


# --- The access log and erasures, for administrators: readable, filterable, never editable ---


@admin.register(AccessRecord)
class AccessRecordAdmin(ReadOnlyForAdministrators):
    list_display = ["at", "username", "action", "case_reference", "person_codename", "detail"]
    list_filter = ["action", "username", "case_reference"]
    search_fields = ["username", "case_reference", "person_codename"]
    date_hierarchy = "at"


@admin.register(IdentityErasure)
class IdentityErasureAdmin(ReadOnlyForAdministrators):
    list_display = ["at", "person_codename", "erased_by_username", "reason", "history_rows_redacted"]
    search_fields = ["person_codename", "erased_by_username"]


def _admin_url(record) -> str:
    try:
        return reverse(f"admin:{record._meta.app_label}_{record._meta.model_name}_change", args=[record.pk])
    except NoReverseMatch:
        return ""


def erase_identity_view(model_admin, request, object_id):
    """Confirm, then erase a person's identity for good (administrators only)."""
    if not is_administrator(request.user):
        raise PermissionDenied
    person = get_object_or_404(Person.objects.visible_to(request.user), pk=object_id)
    form = ErasureForm(request.POST or None, person=person)
    if request.method == "POST" and form.is_valid():
        # Read before erasing, while the names can still be read; shown after, for staff to review.
        mentions = mentions_of(person)
        erasure = erase_identity(person, by=request.user, reason=form.cleaned_data["reason"])
        messages.success(
            request,
            _("The identity of %(codename)s was erased, with %(rows)d history rows.")
            % {"codename": person.codename, "rows": erasure.history_rows_redacted},
        )
        context = {
            **model_admin.admin_site.each_context(request),
            "title": _("Erased: what else may name %(codename)s") % {"codename": person.codename},
            "opts": Person._meta,
            "object": person,
            "mentions": [
                {
                    "kind": m.record._meta.verbose_name,
                    "record": m.record,
                    "field": m.record._meta.get_field(m.field).verbose_name,
                    "url": _admin_url(m.record),
                }
                for m in mentions
            ],
        }
        return TemplateResponse(request, "admin/audited/erased.html", context)
    context = {
        **model_admin.admin_site.each_context(request),
        "title": _("Erase the identity of %(codename)s") % {"codename": person.codename},
        "opts": Person._meta,
        "object": person,
        "form": form,
    }
    return TemplateResponse(request, "admin/audited/erase_identity.html", context)
