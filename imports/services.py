"""Imports as jobs: a file uploaded, its columns mapped, every row checked, then imported on confirmation.

The check (the dry run) and the import run in the background worker (``manage.py db_worker``), like bulk
exports; ``manage.py import_records`` runs the same steps in the foreground. Each is one pass through
imports/engine.py in one transaction: the check always rolls back, the import commits only when no row was
refused, marking the job done in the same transaction (so a crash leaves neither records nor "done").

Progress and the worker's heartbeat are written to a small file beside the upload, not to the database:
the pass's transaction keeps whatever it writes unseen until it commits, and on SQLite it holds the write
lock. A job whose heartbeat stopped was stopped with its worker, its transaction rolled back; it can be
started again.
"""

import hashlib
import json
import os
import time
from datetime import timedelta
from pathlib import Path

from django.conf import settings
from django.db import IntegrityError, transaction
from django.tasks import task
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from cases.fuzzydate import format_moment
from imports import layout
from imports.engine import Importer, Report, SheetPlan
from imports.enums import JobStatus
from imports.models import ColumnMapping, ImportJob
from imports.reading import Refused, open_book
from imports.storage import discard_stored, open_stored, store_encrypted

# A running job writes its progress at least this often; one silent for longer has stopped.
STALE_AFTER = timedelta(seconds=90)
RUNNING = (JobStatus.CHECKING, JobStatus.IMPORTING)


def file_digest(upload) -> str:
    digest = hashlib.sha256()
    upload.seek(0)
    while chunk := upload.read(1024 * 1024):
        digest.update(chunk)
    upload.seek(0)
    return digest.hexdigest()


def refuse_if_imported(sha256: str) -> None:
    earlier = ImportJob.objects.filter(sha256=sha256, status=JobStatus.DONE).first()
    if earlier is not None:
        raise Refused(
            _(
                "This file was imported already, on %(when)s: importing it again would change nothing. To change "
                "records, import a corrected file (rows keep their ids, so they are updated, not doubled)."
            )
            % {"when": format_moment(earlier.finished_at or earlier.created_at)}
        )


def upload_file(*, user, upload, file_name: str, encoding: str = "", record_type: str = "") -> ImportJob:
    """Keep an uploaded file (encrypted) and read what it holds; a refused file is not kept."""
    if upload.size > settings.IMPORT_MAX_BYTES:
        raise Refused(
            _("This file is larger than %(limit)d MB: split it, or import it with manage.py import_records.")
            % {"limit": settings.IMPORT_MAX_BYTES // (1024 * 1024)}
        )
    sha256 = file_digest(upload)
    refuse_if_imported(sha256)
    job = ImportJob(user=user, file_name=Path(file_name).name[:200], sha256=sha256, size=upload.size)
    store_encrypted(job, upload)
    job.save()
    try:
        read_sheets(job, book_of(job, encoding), record_type)
    except Refused:
        discard_stored(job)
        job.delete()
        raise
    return job


def book_of(job, encoding: str = ""):
    return open_book(lambda: open_stored(job), name=job.file_name, encoding=encoding or job.encoding)


def read_sheets(job, book, record_type: str = "") -> None:
    """What the file holds: its sheets, their columns and rows, and a first guess of what each column means."""
    sheets = book.inspect()
    job.file_kind = book.kind
    job.encoding = getattr(book, "encoding", "")
    job.sheets = [{"name": s.name, "headers": s.headers, "rows": s.rows} for s in sheets]
    job.mapping = {}
    for sheet in sheets:
        chosen = layout.BY_KEY.get(record_type) or layout.record_type_for(sheet.name, sheet.headers)
        job.mapping[sheet.name] = {
            "type": chosen.key if chosen else "",
            "columns": _columns_for(job.user, chosen, sheet.headers) if chosen else {},
        }
    job.save()


def _columns_for(user, record_type, headers) -> dict:
    """The saved mapping that explains most of these headers, or else the headers that name our columns."""
    best, best_fit = layout.default_columns(record_type, headers), 0
    for saved in ColumnMapping.objects.filter(user=user, record_type=record_type.key):
        fitting = {h: c for h, c in saved.columns.items() if h in headers and c in record_type.names}
        if len(fitting) > best_fit and len(fitting) >= len(best):
            best, best_fit = fitting, len(fitting)
    return best


def mapping_problems(job) -> list[str]:
    """What keeps the columns chosen from being imported: a required column unmapped, one mapped twice."""
    problems = []
    if not any(part.get("type") for part in job.mapping.values()):
        problems.append(_("Choose what at least one sheet holds."))
    for sheet, part in job.mapping.items():
        record_type = layout.BY_KEY.get(part.get("type"))
        if record_type is None:
            continue
        chosen = [c for c in part.get("columns", {}).values() if c]
        for column in record_type.columns:
            if column.required and column.name not in chosen:
                problems.append(
                    _("Sheet “%(sheet)s”: choose the column that holds %(column)s.")
                    % {"sheet": sheet, "column": column.name}
                )
        for name in {c for c in chosen if chosen.count(c) > 1}:
            problems.append(
                _("Sheet “%(sheet)s”: two columns are both mapped to %(column)s.") % {"sheet": sheet, "column": name}
            )
    return problems


def plans_of(job) -> list[SheetPlan]:
    plans = []
    headers_of = {s["name"]: s["headers"] for s in job.sheets}
    for sheet, part in job.mapping.items():
        record_type = layout.BY_KEY.get(part.get("type"))
        if record_type is None:
            continue
        headers = headers_of[sheet]
        positions = {column: headers.index(header) for header, column in part["columns"].items() if column}
        plans.append(SheetPlan(sheet, record_type, positions))
    return plans


def save_mapping(job, *, name: str) -> None:
    """Keep each sheet's columns under ``name`` (and the kind of records), offered for the next file."""
    for sheet, part in job.mapping.items():
        if part.get("type"):
            label = name if len(job.mapping) == 1 else f"{name} · {sheet}"
            ColumnMapping.objects.update_or_create(
                user=job.user,
                name=label[:100],
                defaults={"record_type": part["type"], "columns": {h: c for h, c in part["columns"].items() if c}},
            )


def total_rows(job) -> int:
    mapped = {sheet for sheet, part in job.mapping.items() if part.get("type")}
    return sum(s["rows"] for s in job.sheets if s["name"] in mapped)


# --- Running the check and the import ---------------------------------------------------------------


def start(job, *, write: bool) -> None:
    """Queue the check (``write`` False) or, once checked without errors, the import."""
    status = JobStatus.IMPORTING if write else JobStatus.CHECKING
    ImportJob.objects.filter(pk=job.pk).update(
        status=status, claimed_at=None, done=0, total=total_rows(job), language=translation.get_language() or ""
    )
    _clear_progress(job)
    transaction.on_commit(lambda: run_job.enqueue(str(job.pk)))


def _progress_path(job) -> Path:
    return Path(settings.MEDIA_ROOT) / "imports" / f"{job.pk.hex}.progress"


def _write_progress(job, done: int) -> None:
    path = _progress_path(job)
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    temporary = path.with_suffix(".writing")
    temporary.unlink(missing_ok=True)
    temporary.touch(mode=0o600)
    # Counts and a time only: nothing from the file.
    temporary.write_text(json.dumps({"done": done, "at": time.time()}))
    os.replace(temporary, path)


def _clear_progress(job) -> None:
    _progress_path(job).unlink(missing_ok=True)


def progress_of(job) -> tuple[int, float | None]:
    """Rows done so far and when the worker last said so (None before it started)."""
    try:
        data = json.loads(_progress_path(job).read_text())
    except (FileNotFoundError, ValueError):
        return job.done, None
    return data["done"], data["at"]


def is_stopped(job) -> bool:
    """A job claimed by a worker that has not been heard of for a while: it stopped, nothing was written."""
    if job.status not in RUNNING or job.claimed_at is None:
        return False
    _done, at = progress_of(job)
    last = at if at is not None else job.claimed_at.timestamp()
    return time.time() - last > STALE_AFTER.total_seconds()


def restart(job) -> None:
    start(job, write=job.status == JobStatus.IMPORTING)


@task()
def run_job(job_id: str) -> None:
    claimed = ImportJob.objects.filter(pk=job_id, status__in=RUNNING, claimed_at__isnull=True).update(
        claimed_at=timezone.now()
    )
    if not claimed:
        return
    job = ImportJob.objects.select_related("user").get(pk=job_id)
    _write_progress(job, 0)
    try:
        # The report's messages in the language of whoever asked for the check or the import.
        with translation.override(job.language or None):
            execute(job, book=book_of(job), write=job.status == JobStatus.IMPORTING)
    finally:
        _clear_progress(job)


def execute(job, *, book, write: bool) -> Report:
    """One pass over the file: the check, or the import. The job says what happened."""
    importer = Importer(
        book=book,
        plans=plans_of(job),
        user=job.user,
        reason=job.reason,
        job=job,
        progress=lambda done: _write_progress(job, done),
    )

    def mark_done(report):
        ImportJob.objects.filter(pk=job.pk).update(
            status=JobStatus.DONE, report=report.as_json(), done=importer.done, finished_at=timezone.now(), message=""
        )

    try:
        report = importer.run(write=write, before_commit=mark_done if write else None)
    except IntegrityError:
        # Only the one-import-per-file constraint can fail at the end: the same file was imported meanwhile.
        _finish(job, JobStatus.REFUSED, _("This file was imported by someone else meanwhile; nothing was written."))
        raise
    except Refused as refusal:
        _finish(job, JobStatus.REFUSED, str(refusal))
        return Report()
    except Exception as error:
        _finish(
            job,
            JobStatus.REFUSED,
            _("The import failed (%(error)s); nothing was written.") % {"error": type(error).__name__},
        )
        raise
    job.refresh_from_db()
    if job.status == JobStatus.DONE:
        discard_stored(job)
    elif write:
        message = _("%(count)d rows have errors: nothing was written. Correct them and upload the file again.") % {
            "count": report.error_total
        }
        _finish(job, JobStatus.REFUSED, message, report)
    else:
        ImportJob.objects.filter(pk=job.pk).update(
            status=JobStatus.CHECKED, report=report.as_json(), done=importer.done
        )
        job.refresh_from_db()
    return report


def _finish(job, status, message, report=None) -> None:
    fields = {"status": status, "message": message, "finished_at": timezone.now()}
    if report is not None:
        fields["report"] = report.as_json()
    ImportJob.objects.filter(pk=job.pk).update(**fields)
    discard_stored(job)
    job.refresh_from_db()


def cancel(job) -> None:
    ImportJob.objects.filter(pk=job.pk).update(status=JobStatus.CANCELLED, finished_at=timezone.now())
    discard_stored(job)
