"""Export pages: one case from its timeline, and the progress and download of a bulk export."""

import io

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from cases.access_log import record_access
from cases.crypto import read_decrypted
from cases.enums import AccessAction, Level
from cases.models import Case, may_see_identities
from exports.document import ExportRefused
from exports.forms import ExportForm
from exports.jobs import progress_of
from exports.models import ExportJob, JobStatus
from exports.services import delete_expired_downloads, export_case, retry_bulk_export


@never_cache
@login_required
@require_POST
def case_export(request, case_id):
    case = get_object_or_404(Case.objects.visible_to(request.user), pk=case_id)
    form = ExportForm(request.POST, case=case, user=request.user)
    if not form.is_valid():
        return _form_again(request, case, form)
    try:
        result = export_case(
            case_id=case.pk,
            user=request.user,
            level=form.cleaned_data["level"],
            fmt=form.cleaned_data["format"],
            purpose=form.cleaned_data["purpose"],
            language=form.cleaned_data["language"],
            request=request,
        )
    except ExportRefused as refusal:
        form.add_error(None, str(refusal))
        return _form_again(request, case, form, consent_of=refusal.people)
    response = HttpResponse(result.content, content_type=result.content_type)
    response["Content-Disposition"] = f'attachment; filename="{result.filename}"'
    response["X-Export-Id"] = str(result.record.pk)
    return response


def _form_again(request, case, form, consent_of=()):
    """The export form with what was asked and why it was refused, said at the form itself; a refusal for
    consent leads to where consent is recorded, if this user may record it."""
    context = {
        "case": case,
        "export_form": form,
        "consent_of": consent_of,
        "may_record_consent": request.user.is_staff and request.user.has_perm("cases.change_person"),
    }
    return render(request, "exports/case_export.html", context, status=400)


def _own_job(request, job_id) -> ExportJob:
    return get_object_or_404(ExportJob.objects.filter(user=request.user), pk=job_id)


@never_cache
@login_required
@require_GET
def job_status(request, job_id):
    delete_expired_downloads()
    job = _own_job(request, job_id)
    return render(
        request,
        "exports/job.html",
        {"progress": progress_of(job), "job": job, "attempts_allowed": settings.EXPORT_ATTEMPTS},
    )


@never_cache
@login_required
@require_POST
def job_retry(request, job_id):
    """A failed bulk export, asked for again: a new job, for the cases the user may still see."""
    job = _own_job(request, job_id)
    if job.status != JobStatus.FAILED:
        return redirect("exports:job_status", job.pk)
    return redirect("exports:job_status", retry_bulk_export(job).pk)


def _may_still_see(user, job) -> bool:
    """Whether the user may still see all the ZIP holds: not if taken off a case's team since the export
    ran, nor, for an internal export, if no longer allowed to see identities."""
    if job.level == Level.INTERNAL and not may_see_identities(user):
        return False
    return Case.objects.visible_to(user).filter(pk__in=job.case_ids).count() == len(job.case_ids)


@never_cache
@login_required
@require_GET
def job_download(request, job_id):
    delete_expired_downloads()
    job = _own_job(request, job_id)
    if job.status != JobStatus.DONE or not job.file:
        raise Http404
    if not _may_still_see(request.user, job):
        messages.error(request, _("This export holds what you may no longer see; it cannot be downloaded."))
        return redirect("exports:job_status", job.pk)
    record_access(request, AccessAction.EXPORT, obj=job.record, detail=f"bulk download sha256 {job.record.sha256}")
    return FileResponse(
        io.BytesIO(read_decrypted(job.file)),
        as_attachment=True,
        filename=job.record.filename,
        content_type="application/zip",
    )
