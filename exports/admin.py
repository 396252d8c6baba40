from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _

from cases.admin import CaseAdmin
from cases.admin_base import ReadOnlyForAdministrators
from exports.document import ExportRefused
from exports.forms import ExportForm
from exports.models import ExportRecord
from exports.services import start_bulk_export


@admin.register(ExportRecord)
class ExportRecordAdmin(ReadOnlyForAdministrators):
    list_display = ["at", "username", "references", "level", "format", "language", "purpose", "sha256"]
    list_filter = ["level", "format", "language", "username"]
    search_fields = ["username", "purpose", "sha256", "filename"]
    date_hierarchy = "at"

    @admin.display(description=_("cases"))
    def references(self, record):
        return ", ".join(record.case_references)


@admin.action(description=_("Export selected cases (one ZIP, made in the background)"))
def export_selected(modeladmin, request, queryset):
    form = ExportForm(request.POST if "apply" in request.POST else None)
    if form.is_valid():
        try:
            job = start_bulk_export(
                case_ids=list(queryset.values_list("pk", flat=True)),
                user=request.user,
                level=form.cleaned_data["level"],
                fmt=form.cleaned_data["format"],
                purpose=form.cleaned_data["purpose"],
                language=form.cleaned_data["language"],
            )
        except ExportRefused as refusal:
            modeladmin.message_user(request, str(refusal), messages.ERROR)
            return None
        return redirect("exports:job_status", job.pk)
    context = {
        **modeladmin.admin_site.each_context(request),
        "title": _("Export %(count)d cases") % {"count": queryset.count()},
        "opts": modeladmin.model._meta,
        "form": form,
        "queryset": queryset,
        "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
    }
    return TemplateResponse(request, "admin/exports/export_selected.html", context)


CaseAdmin.extend(actions=[export_selected])
