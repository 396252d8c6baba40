"""The access log and the erasure records, for administrators: readable, filterable, never editable."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.roles import is_administrator
from cases.models import AccessRecord, IdentityErasure, Person
from cases.services import erase_identity


class ReadOnlyForAdministrators(admin.ModelAdmin):
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


class ErasureForm(forms.Form):
    codename = forms.CharField(label=gettext_lazy("Type the person's codename to confirm"), max_length=40)
    reason = forms.CharField(label=gettext_lazy("Why the identity is erased"), widget=forms.Textarea, max_length=2000)

    def __init__(self, *args, person, **kwargs):
        super().__init__(*args, **kwargs)
        self.person = person

    def clean_codename(self):
        typed = self.cleaned_data["codename"].strip()
        if typed != self.person.codename:
            raise forms.ValidationError(_("That is not this person's codename; nothing was erased."))
        return typed


def erase_identity_view(model_admin, request, object_id):
    """Confirm, then erase a person's identity for good (administrators only)."""
    if not is_administrator(request.user):
        raise PermissionDenied
    person = get_object_or_404(Person.objects.visible_to(request.user), pk=object_id)
    form = ErasureForm(request.POST or None, person=person)
    if request.method == "POST" and form.is_valid():
        erasure = erase_identity(person, by=request.user, reason=form.cleaned_data["reason"])
        messages.success(
            request,
            _("The identity of %(codename)s was erased, with %(rows)d history rows.")
            % {"codename": person.codename, "rows": erasure.history_rows_redacted},
        )
        return redirect("admin:cases_person_change", person.pk)
    context = {
        **model_admin.admin_site.each_context(request),
        "title": _("Erase the identity of %(codename)s") % {"codename": person.codename},
        "opts": Person._meta,
        "object": person,
        "form": form,
    }
    return TemplateResponse(request, "admin/audited/erase_identity.html", context)
