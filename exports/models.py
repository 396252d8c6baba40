import uuid
from datetime import timedelta

from django.conf import settings
from django.db import models
from django.db.models.functions import Now
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cases.enums import Level
from cases.fuzzydate import format_moment
from cases.models import AppendOnly
from exports.enums import Format, JobStatus


class ExportRecord(AppendOnly):
    """Every export, for ever: who, when, which cases, for whom, and the SHA-256 of the file handed out."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    at = models.DateTimeField(_("when"), default=timezone.now, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("user")
    )
    username = models.CharField(_("username"), max_length=150)
    case_references = models.JSONField(_("cases"), default=list)
    case_ids = models.JSONField(_("case ids"), default=list)
    level = models.CharField(_("level"), max_length=10, choices=Level.choices)
    format = models.CharField(_("format"), max_length=8, choices=Format.choices)
    purpose = models.CharField(_("purpose or recipient"), max_length=300)
    # The language of the document's headings, dates and vocabularies, chosen for its recipient.
    language = models.CharField(_("language"), max_length=8, choices=settings.LANGUAGES, default="en")
    sha256 = models.CharField(_("SHA-256 of the file"), max_length=64)
    size = models.PositiveIntegerField(_("size in bytes"))
    filename = models.CharField(_("file name"), max_length=200)

    class Meta:
        verbose_name = _("export record")
        verbose_name_plural = _("export records")
        ordering = ["-at"]

    def __str__(self):
        return f"{self.filename} ({format_moment(self.at)})"


class ExportJob(models.Model):
    """A bulk export running in the background, with its progress and, when done, its ZIP."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    created_at = models.DateTimeField(default=timezone.now)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    case_ids = models.JSONField(default=list)
    level = models.CharField(max_length=10, choices=Level.choices)
    format = models.CharField(max_length=8, choices=Format.choices)
    purpose = models.CharField(max_length=300)
    language = models.CharField(max_length=8, default="en")
    status = models.CharField(max_length=8, choices=JobStatus.choices, default=JobStatus.QUEUED)
    done = models.PositiveIntegerField(default=0)
    total = models.PositiveIntegerField(default=0)
    file = models.FileField(upload_to="exports/", blank=True)
    record = models.ForeignKey(ExportRecord, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    # The cases left out, each with why (consent), listed on the page and in the ZIP.
    message = models.TextField(blank=True)
    # The kind of error that failed the export; empty if it failed for being interrupted too often.
    failure = models.CharField(max_length=100, blank=True)
    # Each run of the task is an attempt; one whose worker stopped is started again, up to EXPORT_ATTEMPTS.
    attempts = models.PositiveSmallIntegerField(default=0)
    worker_id = models.CharField(max_length=64, blank=True)
    # How far the last interrupted attempt got, for the page to say.
    stopped_at = models.PositiveIntegerField(null=True, blank=True)
    # The new job a failed one was tried again as: "Try again" sent twice starts one.
    retried_as = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = _("bulk export")
        verbose_name_plural = _("bulk exports")

    def __str__(self):
        return _("bulk export %(id)s") % {"id": self.pk}

    @property
    def expires_at(self):
        return self.created_at + timedelta(hours=settings.EXPORT_DOWNLOAD_HOURS)


class WorkerQuerySet(models.QuerySet):
    def alive(self):
        """Workers heard from within the lease (exports/worker.py beats; config/settings.py sets the lease)."""
        return self.filter(beat_at__gte=timezone.now() - timedelta(seconds=settings.WORKER_LEASE_SECONDS))


class Worker(models.Model):
    """A running `db_worker`, as it last said it was alive: how tasks it left behind are found, and what the
    health check reports."""

    id = models.CharField(primary_key=True, max_length=64)
    host = models.CharField(max_length=255)
    pid = models.PositiveIntegerField()
    started_at = models.DateTimeField(default=timezone.now)
    beat_at = models.DateTimeField(default=timezone.now, db_index=True)

    objects = WorkerQuerySet.as_manager()

    class Meta:
        verbose_name = _("background worker")
        verbose_name_plural = _("background workers")

    def __str__(self):
        return _("worker %(pid)s on %(host)s") % {"pid": self.pid, "host": self.host}


class RecordsChange(models.Model):
    """That the records the figures count were written, noted by the database itself (exports.counted installs
    the triggers): on PostgreSQL a row per writing transaction, on SQLite one row counting the writes."""

    # PostgreSQL: the writing transaction's id (txid_current()); SQLite: how many writes the one row has counted.
    txid = models.BigIntegerField(unique=True)
    at = models.DateTimeField(db_default=Now())

    def __str__(self) -> str:
        return str(_("Records written (%(number)s)") % {"number": self.txid})


class CountedFigures(models.Model):
    """One scope's figures on one day, as counted from the records in the state ``mark`` names (exports.counted):
    read again while the records have not changed since. Counts by the values the figures group by (statuses, years,
    forums, States as staff typed them), with the scope (filters, a case's id) and who last viewed them: no person
    is named, but the rows say who looked at which figures that day."""

    # The SHA-256 of the scope's identity (exports.figures.Scope.identity), its day included.
    key = models.CharField(max_length=64, unique=True)
    identity = models.TextField()
    day = models.DateField(db_index=True)
    mark = models.TextField()
    counts = models.JSONField()
    counted_at = models.DateTimeField(default=timezone.now)
    # Who last had them counted by viewing them, and when: the worker counts them again for them after a write.
    viewer = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.CASCADE, related_name="+")
    viewed_at = models.DateTimeField(null=True)

    def __str__(self) -> str:
        return str(_("Figures counted on %(day)s") % {"day": self.day.isoformat()})
