from django.db import models
from django.utils.translation import gettext_lazy as _


class DigestFrequency(models.TextChoices):
    NONE = "none", _("No email")
    DAILY = "daily", _("Every day")
    WEEKLY = "weekly", _("Every week (on Mondays)")


class DeliveryStatus(models.TextChoices):
    SENDING = "sending", _("Being sent")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed, to be tried again")
    NOTHING_DUE = "empty", _("Nothing to tell: not sent")
