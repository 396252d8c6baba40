"""What every admin page for case records shares: scoping, reasons, history and restore."""

from urllib.parse import urlencode

from django.contrib import admin, messages
from django.contrib.admin.actions import delete_selected
from django.contrib.admin.options import ActionLocation
from django.contrib.admin.views.main import IS_FACETS_VAR, ORDER_VAR, PAGE_VAR, SEARCH_VAR
from django.contrib.admin.widgets import AutocompleteSelect, AutocompleteSelectMultiple
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import DataError, IntegrityError, models, transaction
from django.db.models import Q
from django.forms.models import BaseInlineFormSet
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.roles import is_administrator
from cases.access_log import record_access
from cases.crypto import EncryptedLookup, EncryptedTextField
from cases.datefields import DayField, DayInput
from cases.enums import AccessAction
from cases.forms import ReasonForm, VersionedForm
from cases.history import history_page, select_required_relations
from cases.models import (
    Case,
    Person,
    in_cases_visible_to,
    searches_by_name,
    visible_case_count,
    visible_person_count,
)
from cases.reasons import readable
from cases.restore import deleted_rows, restore
from cases.search import recall_search, remember_search
from cases.services import delete_record, save_record
from cases.submissions import earlier_submission, remember_submission

REASON_FIELD = "change_reason"
# The address parameter that carries a search's opaque id (cases.search.remember_search), never the term.
SEARCH_ID = "sq"
VERSION_FIELD = "seen_version"
SUBMISSION_FIELD = "submission_key"
# What an address may carry while its list still holds every record the user may see: the page, the order and
# whether filters show their counts. Anything else searches or filters.
WHOLE_LIST_PARAMETERS = {PAGE_VAR, ORDER_VAR, IS_FACETS_VAR}
WHOLE_LIST_COUNTS = {Case: visible_case_count, Person: visible_person_count}
# Fields of the "Why" section, which every form of a record ends with.
WHY_FIELDS = {REASON_FIELD, VERSION_FIELD, SUBMISSION_FIELD}


def search_user(request):
    """Whose rights a search runs with: the user's, but an autocomplete (whose term travels in its address)
    looks names up only among people everyone may name."""
    match = getattr(request, "resolver_match", None)
    return None if match is not None and match.url_name == "autocomplete" else request.user


def _scoped(model, user):
    manager = model._default_manager
    return manager.visible_to(user) if hasattr(manager, "visible_to") else manager.all()


def _access_subject(record) -> dict:
    """What an access record names: the case and the person a record belongs to, by identifier only."""
    if isinstance(record, Case):
        return {"case": record}
    if isinstance(record, Person):
        return {"person": record}
    case = getattr(record, "case", None) or getattr(getattr(record, "appeal", None), "case", None)
    return {"case": case, "person": getattr(record, "person", None)}


class SearchByPostMixin:
    """The list's search box posts its term, which is kept in the session; addresses carry only its id, so a
    name typed into a search reaches no log, no browser history and no lockout record (cases.search)."""

    def get_urls(self):
        prefix = f"{self.model._meta.app_label}_{self.model._meta.model_name}"
        return [
            path("search/", self.admin_site.admin_view(self.search_view), name=f"{prefix}_search"),
            *super().get_urls(),
        ]

    def changelist_view(self, request, extra_context=None):
        search_id = request.GET.get(SEARCH_ID)
        if search_id:
            term = recall_search(request, search_id)
            if term is None:
                self.message_user(request, _("That search is no longer kept; search again."), messages.WARNING)
                return HttpResponseRedirect(request.path)
            # Django's list reads the term from "q": give it the term here, never in the address.
            request.GET = request.GET.copy()
            del request.GET[SEARCH_ID]
            request.GET[SEARCH_VAR] = term
            request.search_id = search_id
        try:
            # Rendered here, in a savepoint, so that a filter value the database refuses (a year out of
            # range, a malformed date) is a 400 with a message, not a server error.
            with transaction.atomic():
                response = super().changelist_view(request, extra_context)
                if hasattr(response, "render"):
                    response.render()
        except (DataError, OverflowError, ValueError, EncryptedLookup):
            return TemplateResponse(
                request, "400.html", {"message": _("This list cannot be filtered that way.")}, status=400
            )
        return response

    def lookup_allowed(self, lookup, value, request=None):
        # A filter in the address is typed by anyone: never a pattern the database evaluates, never a
        # comparison with an encrypted value (which could only fail, or be an oracle if it did not).
        field_name, _sep, operator = lookup.partition("__")
        field = next((f for f in self.model._meta.concrete_fields if f.name == field_name), None)
        if operator.split("__")[-1] in {"regex", "iregex"} or isinstance(field, EncryptedTextField):
            return False
        return super().lookup_allowed(lookup, value, request)

    def get_changelist_instance(self, request):
        changelist = super().get_changelist_instance(request)
        if not (changelist.has_active_filters or changelist.query):
            # The whole list: its total is the full one, so the search box says nothing of "results" (the admin,
            # told not to count the full list, would say "7 results (Show all)" of a list nobody searched).
            changelist.full_result_count = changelist.result_count
        search_id = getattr(request, "search_id", None)
        if search_id:
            # The list's links (pages, filters, sorting) carry the search's id, not the term.
            changelist.params.pop(SEARCH_VAR, None)
            changelist.params[SEARCH_ID] = search_id
            changelist.filter_params.pop(SEARCH_VAR, None)
            changelist.filter_params[SEARCH_ID] = [search_id]
            changelist.add_facet_link = changelist.get_query_string({IS_FACETS_VAR: True})
            changelist.remove_facet_link = changelist.get_query_string(remove=[IS_FACETS_VAR])
            changelist.clear_all_filters_qs = changelist.get_query_string(remove=changelist.get_filters_params())
        return changelist

    def search_view(self, request):
        """The admin's search box posts here; the term is kept in the session, the address gets its id."""
        if request.method != "POST" or not self.has_view_or_change_permission(request):
            raise PermissionDenied
        term = request.POST.get(SEARCH_VAR, "").strip()
        params = {k: v for k, v in request.POST.items() if k not in {SEARCH_VAR, SEARCH_ID, "csrfmiddlewaretoken"}}
        if term:
            params[SEARCH_ID] = remember_search(request, term)
            if searches_by_name(term):
                record_access(request, AccessAction.SEARCH_BY_NAME, detail=f"admin {self.model._meta.model_name}")
        changelist = reverse(f"admin:{self.model._meta.app_label}_{self.model._meta.model_name}_changelist")
        return HttpResponseRedirect(f"{changelist}?{urlencode(params)}" if params else changelist)


class ScopedFormfieldsMixin:
    """Choices in foreign-key and many-to-many fields only offer what the user may see; days are typed
    and shown like every other date (cases.datefields), not through a calendar that writes ISO."""

    formfield_overrides = {models.DateField: {"form_class": DayField, "widget": DayInput}}

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if hasattr(db_field.related_model._default_manager, "visible_to"):
            kwargs["queryset"] = _scoped(db_field.related_model, request.user)
        return _finding_people_said(db_field, self, super().formfield_for_foreignkey(db_field, request, **kwargs))

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if hasattr(db_field.related_model._default_manager, "visible_to"):
            kwargs["queryset"] = _scoped(db_field.related_model, request.user)
        return _finding_people_said(db_field, self, super().formfield_for_manytomany(db_field, request, **kwargs))


def _finding_people_said(db_field, model_admin, formfield):
    """A box that looks people up as one types says how it finds them: by codename, and by name only those who
    consented to publicity (``search_user``), so that no one wonders why a name finds nothing."""
    if formfield is not None and db_field.related_model is Person and db_field.name in model_admin.autocomplete_fields:
        formfield.help_text = _(
            "Type a codename. A name finds only people who consented to publicity: what is typed here travels "
            "in the page's address."
        )
    return formfield


class NamedChoicesMixin:
    """An autocomplete box whose chosen records its formset named beforehand, for all its rows in one query;
    Django's own box looks them up with a query for each row."""

    # {str(pk): label, or None for one not among the choices}, set by InlineRowsFormSet on a page it shows.
    names = None

    def optgroups(self, name, value, attr=None):
        chosen = {str(v) for v in value if str(v) not in self.choices.field.empty_values}
        if self.names is None or not chosen <= self.names.keys():
            return super().optgroups(name, value, attr)
        options = []
        if not self.is_required and not self.allow_multiple_selected:
            options.append(self.create_option(name, "", "", False, 0))
        for pk, label in self.names.items():
            if pk in chosen and label is not None:
                options.append(self.create_option(name, pk, label, True, len(options)))
        return [(None, options, 0)]


class NamedAutocompleteSelect(NamedChoicesMixin, AutocompleteSelect):
    pass


class NamedAutocompleteSelectMultiple(NamedChoicesMixin, AutocompleteSelectMultiple):
    pass


def _inner_widget(widget):
    return getattr(widget, "widget", widget)  # the admin wraps a relation's box with its add and change links


class InlineRowsFormSet(BaseInlineFormSet):
    """The rows of an inline, read in the same number of queries however many there are.

    With ``shown_at_most``, a long list shows only its latest rows (by ``latest_first``) and says how many more
    are in the list of those records (``all_rows_url``): no one edits a thousand forms. A submission is matched
    with the rows it was shown, whichever are the latest by then.
    """

    shown_at_most = None
    latest_first = ()
    all_rows_url = ""
    records_name = ""

    def get_queryset(self):
        if not hasattr(self, "_queryset"):
            rows = super().get_queryset()
            self._all_rows = rows
            if self.is_bound:
                rows = rows.filter(pk__in=self._posted_pks())
            elif self.shown_at_most is not None:
                rows = rows.filter(pk__in=self.latest(rows))
            # What each row's title (its str()) reads, and the links its boxes show, come with the rows.
            links = [f.name for f in self.model._meta.many_to_many if f.name in self.form.base_fields]
            self._queryset = select_required_relations(rows, but=self.fk.name).prefetch_related(*links)
        return self._queryset

    def latest(self, rows):
        """The ids of the latest ``shown_at_most`` of ``rows``."""
        return rows.order_by(*self.latest_first).values("pk")[: self.shown_at_most]

    def _posted_pks(self) -> list:
        pk = self.model._meta.pk
        to_python = self._get_to_python(pk)
        posted = []
        for index in range(min(self.initial_form_count(), self.total_form_count())):
            try:
                posted.append(to_python(self.data.get(f"{self.add_prefix(index)}-{pk.name}")))
            except ValidationError:
                continue  # a tampered key matches no row, as in Django's own formset
        return posted

    @cached_property
    def rows_total(self) -> int:
        self.get_queryset()
        return self._all_rows.count()

    @property
    def rows_not_shown(self) -> int:
        if self.is_bound or self.shown_at_most is None:
            return 0
        return self.rows_total - len(self.get_queryset())

    @cached_property
    def _chosen_names(self) -> dict:
        """For each autocomplete field, the names of the records its rows have chosen: one query a field."""
        rows = self.get_queryset()
        names = {}
        for name, field in self.form.base_fields.items():
            if not isinstance(_inner_widget(field.widget), NamedChoicesMixin):
                continue
            model_field = self.model._meta.get_field(name)
            if model_field.many_to_many:
                chosen = {str(linked.pk) for row in rows for linked in getattr(row, name).all()}
            else:
                chosen = {str(pk) for row in rows if (pk := getattr(row, model_field.attname)) is not None}
            found = select_required_relations(field.queryset.filter(pk__in=chosen))
            names[name] = {str(record.pk): field.label_from_instance(record) for record in found}
            names[name].update(dict.fromkeys(chosen - names[name].keys()))
        return names

    def _construct_form(self, i, **kwargs):
        form = super()._construct_form(i, **kwargs)
        # A submission shown again with its errors names what was posted, which the rows do not hold.
        if not self.is_bound:
            for name, names in self._chosen_names.items():
                _inner_widget(form.fields[name].widget).names = names
        return form


class VersionedInlineMixin(ScopedFormfieldsMixin):
    form = VersionedForm
    formset = InlineRowsFormSet
    # A long list shows its latest rows only, and links to all of them (InlineRowsFormSet).
    shown_at_most = None
    latest_first = ()

    def get_queryset(self, request):
        return _scoped(self.model, request.user)

    def get_fields(self, request, obj=None):
        fields = [f for f in super().get_fields(request, obj) if f != VERSION_FIELD]
        return [*fields, VERSION_FIELD]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name in self.get_autocomplete_fields(request) and "widget" not in kwargs:
            kwargs["widget"] = NamedAutocompleteSelect(db_field, self.admin_site, using=kwargs.get("using"))
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name in self.get_autocomplete_fields(request) and "widget" not in kwargs:
            kwargs["widget"] = NamedAutocompleteSelectMultiple(db_field, self.admin_site, using=kwargs.get("using"))
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        formset.shown_at_most, formset.latest_first = self.shown_at_most, self.latest_first
        formset.records_name = self.model._meta.verbose_name_plural
        if obj is not None and self.shown_at_most is not None:
            opts = self.model._meta
            changelist = reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")
            formset.all_rows_url = f"{changelist}?{urlencode({formset.fk.name: obj.pk})}"
        return formset


class AuditedInline(VersionedInlineMixin, admin.TabularInline):
    extra = 0
    show_change_link = True
    template = "admin/audited/tabular.html"


class AuditedStackedInline(VersionedInlineMixin, admin.StackedInline):
    extra = 0
    template = "admin/audited/stacked.html"


def delete_selected_with_reason(modeladmin, request, queryset):
    if request.POST.get("post") and not request.POST.get(REASON_FIELD, "").strip():
        modeladmin.message_user(request, _("Give a reason for deleting; nothing was deleted."), messages.ERROR)
        return None
    return delete_selected(modeladmin, request, queryset)


delete_selected_with_reason.short_description = gettext_lazy("Delete selected %(verbose_name_plural)s")
delete_selected_with_reason.allowed_permissions = ("delete",)


class AuditedAdmin(SearchByPostMixin, ScopedFormfieldsMixin, admin.ModelAdmin):
    """Admin for a domain record: sees only what the user may see and records who changed what, and why."""

    form = ReasonForm
    change_list_template = "admin/audited/change_list.html"
    delete_confirmation_template = "admin/audited/delete_confirmation.html"
    delete_selected_confirmation_template = "admin/audited/delete_selected_confirmation.html"
    object_history_template = "admin/audited/object_history.html"
    list_per_page = 50
    # The admin would count the list twice when it is searched or filtered: once as filtered, and once whole
    # for "N results (M total)". On a register of 100,000 people the second count costs as much as the page.
    show_full_result_count = False

    # Reading a record or its history in the admin is logged as this action (cases.models.AccessAction).
    read_access = AccessAction.VIEW_CASE

    # --- what this user may see ---

    def get_queryset(self, request):
        return _scoped(self.model, request.user)

    def get_paginator(self, request, queryset, per_page, orphans=0, allow_empty_first_page=True):
        paginator = super().get_paginator(request, queryset, per_page, orphans, allow_empty_first_page)
        whole_count = WHOLE_LIST_COUNTS.get(self.model)
        # Neither searched nor filtered, the list is every record the user may see: its total is read from the
        # table the scoping reads, where counting the list checks each of the register's records against it.
        if whole_count is not None and not set(request.GET) - WHOLE_LIST_PARAMETERS:
            paginator.count = whole_count(request.user)
        return paginator

    def change_view(self, request, object_id, form_url="", extra_context=None):
        response = super().change_view(request, object_id, form_url, extra_context)
        record = getattr(response, "context_data", {}).get("original")
        if request.method == "GET" and record is not None:
            record_access(request, self.read_access, detail="admin", **_access_subject(record))
        return response

    # --- the reason for each change, and saving through the services ---

    def get_fieldsets(self, request, obj=None):
        left_out = set(WHY_FIELDS)
        if obj is None:
            # A read-only value drawn when a record is made (a codename, a case reference) is drawn again when
            # it is saved: shown on the add page, it would be a codename the person never gets.
            left_out |= {
                f.name
                for f in self.model._meta.fields
                if f.name in self.get_readonly_fields(request, obj) and f.has_default() and callable(f.default)
            }
        fieldsets = [
            (name, {**options, "fields": [f for f in options["fields"] if f not in left_out]})
            for name, options in super().get_fieldsets(request, obj)
        ]
        if obj is not None and self.has_change_permission(request, obj):
            fieldsets.append((_("Why"), {"fields": [REASON_FIELD, VERSION_FIELD], "classes": ["change-reason"]}))
        elif obj is None and self.has_add_permission(request):
            why = [REASON_FIELD, VERSION_FIELD, SUBMISSION_FIELD]
            fieldsets.append((_("Why"), {"fields": why, "classes": ["change-reason"]}))
        return fieldsets

    def _reason(self, request, form=None) -> str:
        if form is not None and hasattr(form, "cleaned_data"):
            return form.cleaned_data.get(REASON_FIELD, "")
        return request.POST.get(REASON_FIELD, "")

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        adding = object_id is None and request.method == "POST"
        if adding and (earlier := earlier_submission(request.POST.get(SUBMISSION_FIELD), request.user)):
            return self._already_saved(request, earlier)
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except IntegrityError:
            # The same form sent twice at once: the first saved its record and key; this one's were rolled back.
            if adding and (earlier := earlier_submission(request.POST.get(SUBMISSION_FIELD), request.user)):
                return self._already_saved(request, earlier)
            raise
        except ValidationError as refusal:
            # The services refused after the forms passed (another editor saved first, or a rule that
            # spans the record and its inlines). The admin's transaction is rolled back, so nothing of
            # the submission is saved; say why instead of failing with a server error.
            self.message_user(request, " ".join(refusal.messages), messages.ERROR)
            return HttpResponseRedirect(request.get_full_path())

    def save_model(self, request, obj, form, change):
        save_record(obj, by=request.user, reason=self._reason(request, form), validate=False)
        if not change:
            remember_submission(form.cleaned_data.get(SUBMISSION_FIELD), request.user, obj)

    def _already_saved(self, request, earlier):
        """The answer to a create form sent again: what the first one created, not a second copy."""
        record = self.get_queryset(request).filter(pk=earlier.object_id).first()
        self.message_user(
            request,
            _("This was already saved when you first sent it; it was not saved a second time."),
            messages.WARNING,
        )
        if record is None:  # deleted since, or no longer visible to this user
            return HttpResponseRedirect(reverse(f"admin:{self.opts.app_label}_{self.opts.model_name}_changelist"))
        return HttpResponseRedirect(
            reverse(f"admin:{self.opts.app_label}_{self.opts.model_name}_change", args=[record.pk])
        )

    def save_related(self, request, form, formsets, change):
        form.save_m2m()
        for formset in formsets:
            self._save_inline(request, form, formset)

    def _save_inline(self, request, form, formset):
        reason = self._reason(request, form)
        instances = formset.save(commit=False)
        for obj in formset.deleted_objects:
            delete_record(obj, by=request.user, reason=reason)
        for obj in instances:
            save_record(obj, by=request.user, reason=reason, validate=False)
        formset.save_m2m()

    def delete_view(self, request, object_id, extra_context=None):
        if request.method == "POST" and not request.POST.get(REASON_FIELD, "").strip():
            self.message_user(request, _("Give a reason for deleting; nothing was deleted."), messages.ERROR)
            return HttpResponseRedirect(request.path)
        return super().delete_view(request, object_id, extra_context)

    def delete_model(self, request, obj):
        delete_record(obj, by=request.user, reason=self._reason(request))

    def delete_queryset(self, request, queryset):
        reason = self._reason(request)
        with transaction.atomic():
            for obj in queryset:
                delete_record(obj, by=request.user, reason=reason)

    def get_actions(self, request, action_location=ActionLocation.CHANGE_LIST):
        actions = super().get_actions(request, action_location)
        if "delete_selected" in actions:
            actions["delete_selected"] = (
                delete_selected_with_reason,
                "delete_selected",
                delete_selected_with_reason.short_description,
            )
        return actions

    # --- history: who changed what, when and why, including the record's parts ---

    def history_querysets(self, request, obj):
        """Historical rows shown on this record's history page; admins add their parts the user may see."""
        rows = self.model.history.filter(**{self.model._meta.pk.attname: obj.pk})
        if any(f.attname == "case_id" for f in self.model._meta.concrete_fields):
            # A record moved between cases keeps rows from its time in a case this user may not see.
            rows = rows.filter(in_cases_visible_to(request.user) | Q(case_id__isnull=True))
        return [rows]

    def history_view(self, request, object_id, extra_context=None):
        obj = self.get_object(request, admin.utils.unquote(object_id))
        if obj is None:
            raise Http404
        if not self.has_view_or_change_permission(request, obj):
            raise PermissionDenied
        # Newest first, a page at a time: a long case's history is thousands of entries.
        page = history_page(self.history_querysets(request, obj), request.GET.get(PAGE_VAR))
        context = {
            **self.admin_site.each_context(request),
            "title": _("History of %(record)s") % {"record": obj},
            "subtitle": None,
            "object": obj,
            "opts": self.model._meta,
            "entries": page.object_list,
            "page": page,
            "page_range": page.paginator.get_elided_page_range(page.number),
            "page_var": PAGE_VAR,
            **(extra_context or {}),
        }
        request.current_app = self.admin_site.name
        record_access(request, self.read_access, detail="admin history", **_access_subject(obj))
        return TemplateResponse(request, self.object_history_template, context)

    # --- deleted records, findable and restorable by administrators ---

    def get_urls(self):
        prefix = f"{self.model._meta.app_label}_{self.model._meta.model_name}"
        return [
            path("deleted/", self.admin_site.admin_view(self.deleted_view), name=f"{prefix}_deleted"),
            path(
                "deleted/<int:history_id>/restore/",
                self.admin_site.admin_view(self.restore_view),
                name=f"{prefix}_restore",
            ),
            *super().get_urls(),
        ]

    def changelist_view(self, request, extra_context=None):
        extra_context = {**(extra_context or {}), "may_restore": is_administrator(request.user)}
        return super().changelist_view(request, extra_context)

    def deleted_view(self, request):
        if not is_administrator(request.user):
            raise PermissionDenied
        rows = list(deleted_rows(self.model)[:200])
        for row in rows:
            row.reason = readable(row.history_change_reason or "")
        context = {
            **self.admin_site.each_context(request),
            "title": _("Deleted %(records)s") % {"records": self.model._meta.verbose_name_plural},
            "opts": self.model._meta,
            "rows": rows,
        }
        request.current_app = self.admin_site.name
        return TemplateResponse(request, "admin/audited/deleted_list.html", context)

    def restore_view(self, request, history_id):
        if not is_administrator(request.user):
            raise PermissionDenied
        if request.method != "POST":
            return HttpResponseRedirect(
                reverse(f"admin:{self.model._meta.app_label}_{self.model._meta.model_name}_deleted")
            )
        row = get_object_or_404(deleted_rows(self.model), history_id=history_id)
        try:
            instance = restore(row, by=request.user)
        except ValidationError as error:
            self.message_user(request, " ".join(error.messages), messages.ERROR)
            return HttpResponseRedirect("../..")
        self.message_user(request, _("%(record)s was restored with its history.") % {"record": instance})
        return HttpResponseRedirect(
            reverse(f"admin:{self.model._meta.app_label}_{self.model._meta.model_name}_change", args=[instance.pk])
        )


class ReadOnlyForAdministrators(SearchByPostMixin, admin.ModelAdmin):
    # The access log grows with every page read: counted once, as AuditedAdmin's lists are.
    show_full_result_count = False

    def has_module_permission(self, request):
        return is_administrator(request.user)

    def has_view_permission(self, request, obj=None):
        return is_administrator(request.user)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
