"""Imports in the admin: upload a file, say what its sheets and columns are, read the check of every row, confirm.

The check and the import run in the background worker, like bulk exports; the page shows their progress and
refreshes itself while they run. Each user sees only their own imports: a report quotes the file's cells.
"""

import io

import openpyxl
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cases.admin import CaseAdmin, PersonAdmin
from cases.models import may_see_identities
from imports import layout, services
from imports.engine import error_text
from imports.enums import JobStatus, outcome_count, outcome_label
from imports.forms import ConfirmForm, MappingForm, MergeForm, RoundTripForm, UndoMergeForm, UploadForm
from imports.merging import differing_fields, merge_people, undo_merge
from imports.models import ImportJob, PersonMerge
from imports.reading import Refused
from imports.roundtrip import export_records


def may_import(user) -> bool:
    """Staff allowed identities: an import writes them, and its report quotes them."""
    return user.is_active and user.is_staff and may_see_identities(user)


@admin.register(ImportJob)
class ImportJobAdmin(admin.ModelAdmin):
    list_display = ["created_at", "file_name", "where_it_is", "done", "total", "sha256"]
    list_filter = ["status"]
    list_display_links = ["created_at", "file_name"]
    actions = None

    def get_queryset(self, request):
        return super().get_queryset(request).filter(user=request.user)

    @admin.display(description=gettext_lazy("status"), ordering="status")
    def where_it_is(self, job):
        return job.status_label

    def has_module_permission(self, request):
        return may_import(request.user)

    def has_view_permission(self, request, obj=None):
        return may_import(request.user)

    def has_add_permission(self, request):
        return may_import(request.user)

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def get_urls(self):
        return [
            path("template/", self.admin_site.admin_view(self.template_view), name="imports_importjob_template"),
            path("<uuid:import_id>/preview/", self.admin_site.admin_view(self.job_view), name="imports_importjob_job"),
            *super().get_urls(),
        ]

    def _context(self, request, title, **extra):
        return {**self.admin_site.each_context(request), "title": title, "opts": self.model._meta, **extra}

    def add_view(self, request, form_url="", extra_context=None):
        if not self.has_add_permission(request):
            raise PermissionDenied
        form = UploadForm(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                job = services.upload_file(
                    user=request.user,
                    upload=upload,
                    file_name=upload.name,
                    encoding=form.cleaned_data["encoding"],
                    record_type=form.cleaned_data["record_type"],
                )
            except Refused as refusal:
                form.add_error("file", str(refusal))
            else:
                return HttpResponseRedirect(reverse("admin:imports_importjob_job", args=[job.pk]))
        context = self._context(
            request, _("Import records from a spreadsheet"), form=form, record_types=layout.RECORD_TYPES
        )
        return TemplateResponse(request, "admin/imports/upload.html", context)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        return HttpResponseRedirect(reverse("admin:imports_importjob_job", args=[object_id]))

    def template_view(self, request):
        """An empty workbook with a sheet per kind of record and our column names in its first row."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        workbook = openpyxl.Workbook(write_only=True)
        for record_type in layout.RECORD_TYPES:
            workbook.create_sheet(record_type.sheet).append(record_type.names)
        buffer = io.BytesIO()
        workbook.save(buffer)
        buffer.seek(0)
        return FileResponse(buffer, as_attachment=True, filename="import-template.xlsx")

    def job_view(self, request, import_id):
        if not self.has_view_permission(request):
            raise PermissionDenied
        job = get_object_or_404(self.get_queryset(request), pk=import_id)
        if request.method == "POST":
            return self._act(request, job)
        return self._render(request, job)

    def _act(self, request, job):
        here = HttpResponseRedirect(request.path)
        action = request.POST.get("action")
        if action == "check" and job.status in {JobStatus.UPLOADED, JobStatus.CHECKED}:
            form = MappingForm(request.POST, job=job)
            if not form.is_valid():
                return self._render(request, job, mapping_form=form)
            job.mapping = form.mapping()
            job.save(update_fields=["mapping"])
            problems = services.mapping_problems(job)
            if problems:
                for problem in problems:
                    form.add_error(None, problem)
                return self._render(request, job, mapping_form=form)
            if form.cleaned_data["save_as"]:
                services.save_mapping(job, name=form.cleaned_data["save_as"])
            services.start(job, write=False)
        elif action == "import" and job.status == JobStatus.CHECKED and not job.report.get("error_total"):
            form = ConfirmForm(request.POST)
            if not form.is_valid():
                return self._render(request, job, confirm_form=form)
            services.start(job, write=True)
        elif action == "restart" and services.is_stopped(job):
            services.restart(job)
        elif action == "cancel" and job.status not in {JobStatus.DONE, *services.RUNNING}:
            services.cancel(job)
            self.message_user(request, _("Import cancelled; the uploaded file was deleted."), messages.SUCCESS)
        else:
            self.message_user(request, _("This import has moved on meanwhile; see where it is now."), messages.WARNING)
        return here

    def _render(self, request, job, *, mapping_form=None, confirm_form=None):
        done, _at = services.progress_of(job)
        report = job.report or {}
        imported = job.status == JobStatus.DONE
        rows = [
            {**row, "outcome_label": outcome_label(row["outcome"], done=imported)}
            for row in report.get("rows", [])
            if row.get("outcome")
        ]
        counts = [
            (
                layout.BY_KEY[key].label,
                [outcome_count(outcome, number, done=imported) for outcome, number in sorted(by_outcome.items())],
            )
            for key, by_outcome in report.get("counts", {}).items()
        ]
        errors = [error_text(e["sheet"], e["row"], e["column"], e["message"]) for e in report.get("errors", [])]
        context = self._context(
            request,
            _("Import of %(file)s") % {"file": job.file_name},
            job=job,
            running=job.status in services.RUNNING and not services.is_stopped(job),
            stopped=services.is_stopped(job),
            done=done,
            counts=counts,
            errors=errors,
            more_errors=report.get("error_total", 0) - len(errors),
            duplicates=report.get("duplicates", []),
            rows=rows,
            mapping_form=mapping_form
            or (MappingForm(job=job) if job.status in {JobStatus.UPLOADED, JobStatus.CHECKED} else None),
            confirm_form=confirm_form or ConfirmForm(),
            may_confirm=job.status == JobStatus.CHECKED and not report.get("error_total"),
        )
        return TemplateResponse(request, "admin/imports/job.html", context)


@admin.action(description=gettext_lazy("Merge the two selected people"), permissions=["merge"])
def merge_two_people(modeladmin, request, queryset):
    people = list(queryset[:3])
    if len(people) != 2:
        modeladmin.message_user(request, _("Select exactly two people to merge."), messages.ERROR)
        return None
    form = MergeForm(request.POST if "apply" in request.POST else None, people=people)
    if form.is_valid():
        survivor = next(p for p in people if str(p.pk) == form.cleaned_data["survivor"])
        absorbed = next(p for p in people if p.pk != survivor.pk)
        absorbed_codename = absorbed.codename
        try:
            merge_people(survivor=survivor, absorbed=absorbed, by=request.user, reason=form.cleaned_data["reason"])
        except ValidationError as refusal:
            modeladmin.message_user(request, " ".join(refusal.messages), messages.ERROR)
            return None
        modeladmin.message_user(
            request,
            _("%(absorbed)s was merged into %(survivor)s. The merge can be undone from the list of merges.")
            % {"absorbed": absorbed_codename, "survivor": survivor.codename},
            messages.SUCCESS,
        )
        return HttpResponseRedirect(reverse("admin:cases_person_change", args=[survivor.pk]))
    context = {
        **modeladmin.admin_site.each_context(request),
        "title": _("Merge two people"),
        "opts": modeladmin.model._meta,
        "form": form,
        "people": people,
        "differences": differing_fields(*people),
        "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
    }
    return TemplateResponse(request, "admin/imports/merge.html", context)


PersonAdmin.actions = [*(PersonAdmin.actions or []), merge_two_people]


@admin.register(PersonMerge)
class PersonMergeAdmin(admin.ModelAdmin):
    list_display = ["at", "absorbed_codename", "survivor_codename", "by", "reason", "undone_at"]
    actions = None

    # Administrators: a merge deletes a person. The permission, unlike the role, is read once per request.
    def has_module_permission(self, request):
        return request.user.has_perm("cases.delete_person")

    def has_view_permission(self, request, obj=None):
        return request.user.has_perm("cases.delete_person")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def get_urls(self):
        return [
            path("<uuid:merge_id>/undo/", self.admin_site.admin_view(self.undo_view), name="imports_personmerge_undo"),
            *super().get_urls(),
        ]

    def change_view(self, request, object_id, form_url="", extra_context=None):
        return HttpResponseRedirect(reverse("admin:imports_personmerge_undo", args=[object_id]))

    def undo_view(self, request, merge_id):
        if not self.has_view_permission(request):
            # Like a merge that does not exist: a merge names two codenames.
            raise Http404
        merge = get_object_or_404(PersonMerge, pk=merge_id)
        form = UndoMergeForm(request.POST or None)
        if request.method == "POST" and form.is_valid() and merge.undone_at is None:
            try:
                person = undo_merge(merge, by=request.user, reason=form.cleaned_data["reason"])
            except ValidationError as refusal:
                self.message_user(request, " ".join(refusal.messages), messages.ERROR)
                return HttpResponseRedirect(request.path)
            self.message_user(
                request,
                _("The merge was undone: %(absorbed)s is a person of their own again.") % {"absorbed": person.codename},
                messages.SUCCESS,
            )
            return HttpResponseRedirect(reverse("admin:cases_person_change", args=[person.pk]))
        context = {**self.admin_site.each_context(request), "title": str(merge), "opts": self.model._meta}
        return TemplateResponse(request, "admin/imports/undo_merge.html", {**context, "merge": merge, "form": form})


@admin.action(description=gettext_lazy("Export selected cases in the import layout (XLSX, internal)"))
def export_in_import_layout(modeladmin, request, queryset):
    form = RoundTripForm(request.POST if "apply" in request.POST else None)
    if form.is_valid():
        try:
            result = export_records(
                user=request.user,
                case_ids=list(queryset.values_list("pk", flat=True)),
                purpose=form.cleaned_data["purpose"],
                request=request,
            )
        except PermissionDenied as refusal:
            modeladmin.message_user(request, str(refusal), messages.ERROR)
            return None
        return FileResponse(
            io.BytesIO(result.content), as_attachment=True, filename=result.filename, content_type=result.content_type
        )
    context = {
        **modeladmin.admin_site.each_context(request),
        "title": _("Export %(count)d cases in the import layout") % {"count": queryset.count()},
        "opts": modeladmin.model._meta,
        "form": form,
        "queryset": queryset,
        "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
    }
    return TemplateResponse(request, "admin/imports/export_layout.html", context)


CaseAdmin.extend(actions=[export_in_import_layout])
