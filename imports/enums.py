"""Vocabularies of imports and merges."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class JobStatus(models.TextChoices):
    UPLOADED = "uploaded", _("Uploaded: columns to check")
    CHECKING = "checking", _("Checking every row (nothing is written)")
    CHECKED = "checked", _("Checked: waiting for your confirmation")
    IMPORTING = "importing", _("Importing")
    DONE = "done", _("Imported")
    REFUSED = "refused", _("Refused: nothing was written")
    STOPPED = "stopped", _("Stopped: nothing was written")
    CANCELLED = "cancelled", _("Cancelled")


class Outcome(models.TextChoices):
    CREATE = "create", _("will create")
    UPDATE = "update", _("will update")
    UNCHANGED = "unchanged", _("unchanged")
    ERROR = "error", _("error")
    BLOCKED = "blocked", _("waits for a row with an error")
