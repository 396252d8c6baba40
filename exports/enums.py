"""Vocabularies of exports: in what format, and how a bulk export is going (who it is for: cases.enums.Level)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Format(models.TextChoices):
    PDF = "pdf", _("PDF")
    DOCX = "docx", _("Word (.docx)")
    JSON = "json", _("JSON (timeline data)")
    CSV = "csv", _("CSV (timeline rows)")
    # Made by imports/roundtrip.py, not offered on the export form: records in the import layout.
    XLSX = "xlsx", _("Spreadsheet in the import layout (.xlsx)")


class JobStatus(models.TextChoices):
    QUEUED = "queued", _("Waiting for the worker")
    RUNNING = "running", _("Exporting")
    DONE = "done", _("Ready")
    FAILED = "failed", _("Failed")
    EXPIRED = "expired", _("Expired: the ZIP was deleted")
