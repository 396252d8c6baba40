"""Exporting: one way in, for the case page, the admin's bulk export and the command line.

Every path checks what the user may see (Case.objects.visible_to), what the people consented
to (exports/document.py), and writes an ExportRecord holding the SHA-256 of the exact bytes
handed out.
"""

import hashlib
import io
import uuid
import zipfile
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import InterfaceError, OperationalError, transaction
from django.tasks import task
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from cases.access_log import record_access
from cases.crypto import encrypt_bytes, reencrypt_bytes, rewrite_stored
from cases.enums import AccessAction, Level
from cases.models import AccessRecord, Case
from exports.document import ExportRefused, build_document
from exports.enums import Format
from exports.models import ExportJob, ExportRecord, JobStatus
from exports.render import RENDERERS


@dataclass
class ExportResult:
    content: bytes
    filename: str
    content_type: str
    record: ExportRecord


def _purpose(purpose: str) -> str:
    purpose = " ".join((purpose or "").split())
    if not purpose:
        raise ExportRefused(_("Say who the export is for or why: it is kept with the export record."))
    return purpose[:300]


def document_language(language: str | None) -> str:
    """The language a document is written in: the one asked for, else the interface's."""
    language = language or translation.get_language() or settings.LANGUAGE_CODE
    language = language.split("-")[0]
    if language not in dict(settings.LANGUAGES):
        raise ExportRefused(
            _("No documents in “%(language)s”; choose one of: %(languages)s.")
            % {"language": language, "languages": ", ".join(code for code, _name in settings.LANGUAGES)}
        )
    return language


def _record(*, export_id, user, cases, level, fmt, purpose, language, content, filename) -> ExportRecord:
    # The record carries the id printed in the document's footer, so a copy found later leads back to it.
    return ExportRecord.objects.create(
        id=uuid.UUID(export_id),
        user=user,
        username=user.get_username(),
        case_references=[c.reference for c in cases],
        case_ids=[str(c.pk) for c in cases],
        level=level,
        format=fmt,
        purpose=purpose,
        language=language,
        sha256=hashlib.sha256(content).hexdigest(),
        size=len(content),
        filename=filename,
    )


def _render(case, *, user, level, fmt, export_id, language) -> tuple[bytes, str, str]:
    # Headings, vocabularies and dates in the recipient's language; what staff wrote stays as written.
    with translation.override(language):
        document = build_document(case, user=user, level=level, export_id=export_id)
        render, content_type = RENDERERS[fmt]
        content = render(document)
    return content, f"{case.reference}-{level}-{export_id[:8]}.{fmt}", content_type


def export_case(
    *, case_id, user, level: str, fmt: str, purpose: str, language: str | None = None, request=None
) -> ExportResult:
    """Export one case the user may see, for one audience, in one format and language."""
    level, fmt, purpose, language = Level(level), Format(fmt), _purpose(purpose), document_language(language)
    case = Case.objects.visible_to(user).get(pk=case_id)
    export_id = uuid.uuid4().hex
    content, filename, content_type = _render(
        case, user=user, level=level, fmt=fmt, export_id=export_id, language=language
    )
    with transaction.atomic():
        record = _record(
            export_id=export_id,
            user=user,
            cases=[case],
            level=level,
            fmt=fmt,
            purpose=purpose,
            language=language,
            content=content,
            filename=filename,
        )
        _log_export(request, user, case, record)
    return ExportResult(content, filename, content_type, record)


def record_file_export(
    *, user, cases, level: str, fmt: str, purpose: str, content: bytes, filename: str, content_type: str, request=None
):
    """Record a file made elsewhere (imports' workbook in the import layout) like every export: the export record
    with its SHA-256, and an access record per case. Answers the ExportResult to hand out."""
    purpose, export_id = _purpose(purpose), uuid.uuid4().hex
    filename = f"{Path(filename).stem}-{level}-{export_id[:8]}{Path(filename).suffix}"
    with transaction.atomic():
        record = _record(
            export_id=export_id,
            user=user,
            cases=cases,
            level=level,
            fmt=fmt,
            purpose=purpose,
            language="en",
            content=content,
            filename=filename,
        )
        for case in cases:
            _log_export(request, user, case, record)
    return ExportResult(content, filename, content_type, record)


def _log_export(request, user, case, record):
    detail = f"{record.level} {record.format} sha256 {record.sha256}"
    if request is not None:
        record_access(request, AccessAction.EXPORT, case=case, obj=record, detail=detail)
    else:
        AccessRecord.objects.create(
            user=user,
            username=user.get_username(),
            action=AccessAction.EXPORT,
            case_id=case.pk,
            case_reference=case.reference,
            object_id=str(record.pk),
            detail=detail,
        )


def start_bulk_export(*, case_ids, user, level: str, fmt: str, purpose: str, language: str | None = None) -> ExportJob:
    level, fmt, purpose, language = Level(level), Format(fmt), _purpose(purpose), document_language(language)
    visible = list(Case.objects.visible_to(user).filter(pk__in=case_ids).values_list("pk", flat=True))
    # Queued in the same transaction as the job (django-tasks-db keeps its queue in this database): there is never
    # a job without its task, waiting for ever.
    with transaction.atomic():
        job = ExportJob.objects.create(
            user=user,
            case_ids=[str(pk) for pk in visible],
            level=level,
            format=fmt,
            purpose=purpose,
            language=language,
            total=len(visible),
        )
        run_bulk_export.enqueue(str(job.pk))
    return job


def retry_bulk_export(job: ExportJob) -> ExportJob:
    """A failed bulk export asked for again, as a new job: what the user may see is checked anew. Asked twice
    (the button pressed twice, or the answer lost), it is the same new job."""
    with transaction.atomic():
        job = ExportJob.objects.select_for_update(of=("self",)).select_related("retried_as").get(pk=job.pk)
        if job.retried_as is not None:
            return job.retried_as
        job.retried_as = start_bulk_export(
            case_ids=job.case_ids,
            user=job.user,
            level=job.level,
            fmt=job.format,
            purpose=job.purpose,
            language=job.language,
        )
        job.save(update_fields=["retried_as"])
    return job.retried_as


def delete_expired_downloads() -> int:
    """Delete the ZIPs of bulk exports past their download window; their export records stay."""
    cutoff = timezone.now() - timedelta(hours=settings.EXPORT_DOWNLOAD_HOURS)
    expired = 0
    for job in ExportJob.objects.filter(status=JobStatus.DONE, created_at__lte=cutoff):
        job.file.delete(save=False)
        job.status = JobStatus.EXPIRED
        job.save(update_fields=["file", "status"])
        expired += 1
    return expired


def delete_downloads_of(person, case_ids) -> None:
    """An erased person's cases leave no export ZIP behind (cases.services.ERASURE_HOOKS)."""
    wanted = {str(case_id) for case_id in case_ids}
    for job in ExportJob.objects.filter(status=JobStatus.DONE):
        if wanted & set(job.case_ids):
            job.file.delete(save=False)
            job.status = JobStatus.EXPIRED
            job.save(update_fields=["file", "status"])


def reencrypt_downloads() -> int:
    """Re-encrypt stored ZIPs with the first key of FIELD_ENCRYPTION_KEYS, as rotation does for fields."""
    jobs = ExportJob.objects.filter(status=JobStatus.DONE).exclude(file="")
    for job in jobs:
        rewrite_stored(job.file.storage, job.file.name, reencrypt_bytes)
    return len(jobs)


def _start_attempt(job_id: str, worker_id: str) -> ExportJob | None:
    """Claim the job for this run of its task, or None if an earlier run finished it, or it has been interrupted
    too often (then it fails, saying so)."""
    with transaction.atomic():
        job = ExportJob.objects.select_for_update(of=("self",)).select_related("user").get(pk=job_id)
        if job.status not in {JobStatus.QUEUED, JobStatus.RUNNING}:
            return None
        if job.status == JobStatus.RUNNING:
            # An earlier run stopped part-way: its worker was killed, or the database went away under it.
            job.stopped_at = job.done
        if job.attempts >= settings.EXPORT_ATTEMPTS:
            job.status = JobStatus.FAILED  # the page says it was interrupted too often, and offers to try again
            job.save(update_fields=["status", "stopped_at"])
            return None
        job.attempts += 1
        job.status, job.done, job.worker_id = JobStatus.RUNNING, 0, worker_id
        job.save(update_fields=["attempts", "status", "done", "worker_id", "stopped_at"])
    return job


class Superseded(Exception):
    """A later run of the same job has started (this one's worker was taken for stopped): this run gives way."""


def _this_attempt(job: ExportJob):
    return ExportJob.objects.filter(pk=job.pk, attempts=job.attempts, status=JobStatus.RUNNING)


@task(takes_context=True)
def run_bulk_export(context, job_id: str) -> None:
    """One ZIP of every case of the job; cases refused for consent are listed, not exported.

    A run may be interrupted (its worker killed, the database gone) and the task run again from the start
    (exports/jobs.py): each run is an attempt, and only the latest may record progress or finish.
    """
    delete_expired_downloads()
    job = _start_attempt(job_id, worker_id=context.task_result.worker_ids[-1])
    if job is None:
        return
    try:
        _export_job(job)
    except Superseded:
        return
    except (OperationalError, InterfaceError):
        # The database went away: the job stays running, and the worker queues the task again once it is back.
        raise
    except Exception as error:
        _this_attempt(job).update(status=JobStatus.FAILED, failure=type(error).__name__)
        raise


def _export_job(job: ExportJob) -> None:
    cases = Case.objects.visible_to(job.user).filter(pk__in=job.case_ids).order_by("reference")
    buffer, exported, refused = io.BytesIO(), [], []
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for done, case in enumerate(cases, start=1):
            try:
                content, filename, _type = _render(
                    case,
                    user=job.user,
                    level=job.level,
                    fmt=job.format,
                    export_id=job.pk.hex,
                    language=job.language,
                )
            except ExportRefused as refusal:
                refused.append(f"{case.reference}: {refusal}")
            else:
                archive.writestr(filename, content)
                exported.append(case)
            if not _this_attempt(job).update(done=done):
                raise Superseded
        if refused:
            archive.writestr("not-exported.txt", "\n".join(refused) + "\n")
    content = buffer.getvalue()
    filename = f"cases-{job.level}-{job.pk.hex[:8]}-{timezone.now():%Y%m%d}.zip"
    with transaction.atomic():
        if not _this_attempt(job).select_for_update().exists():
            raise Superseded
        record = _record(
            export_id=job.pk.hex,
            user=job.user,
            cases=exported,
            level=job.level,
            fmt=job.format,
            purpose=job.purpose,
            language=job.language,
            content=content,
            filename=filename,
        )
        for case in exported:
            _log_export(None, job.user, case, record)
        job.refresh_from_db()
        # Stored encrypted like the identities it holds; decrypted only for the download.
        job.file.save(f"{job.pk.hex}.zip.enc", ContentFile(encrypt_bytes(content)), save=False)
        job.record, job.status = record, JobStatus.DONE
        job.message = "\n".join(refused)
        job.save(update_fields=["file", "record", "status", "message"])
