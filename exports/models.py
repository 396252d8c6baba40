import uuid
from datetime import timedelta

from django.conf import settings
from django.db import models
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
    language = models.CharField(_("language"), max_length=8, default="en")
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
    message = models.TextField(blank=True)

    class Meta:
        verbose_name = _("bulk export")
        verbose_name_plural = _("bulk exports")

    def __str__(self):
        return _("bulk export %(id)s") % {"id": self.pk}

    @property
    def expires_at(self):
        return self.created_at + timedelta(hours=settings.EXPORT_DOWNLOAD_HOURS)
