"""What each user asked to be reminded of, and the digests sent to them."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from appeals.enums import Party
from reminders.enums import DeliveryStatus, DigestFrequency

# How far ahead a digest or the calendar's alarm may look: beyond two months a warning is no longer a reminder.
MAX_DAYS_AHEAD = 60


def every_party() -> list[str]:
    return list(Party.values)


class ReminderSettings(models.Model):
    """One user's choices. A user without a row gets the defaults: no email, no calendar."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reminder_settings", verbose_name=_("user")
    )
    frequency = models.CharField(
        _("email digest"), max_length=8, choices=DigestFrequency.choices, default=DigestFrequency.NONE
    )
    days_ahead = models.PositiveSmallIntegerField(
        _("days ahead"),
        default=7,
        validators=[MinValueValidator(1), MaxValueValidator(MAX_DAYS_AHEAD)],
        help_text=_("Deadlines due within this many days are listed, and the calendar's alarms ring this early."),
    )
    parties = models.JSONField(_("deadlines due from"), default=every_party)
    language = models.CharField(_("language"), max_length=8, choices=settings.LANGUAGES, default=settings.LANGUAGE_CODE)
    # The calendar address's key, as its SHA-256 only: a copied database opens no one's calendar. A key
    # carries 256 random bits, so a digest without salt or stretching is enough to hide it.
    calendar_key_digest = models.CharField(max_length=64, blank=True, editable=False)
    calendar_key_created_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("reminder settings")
        verbose_name_plural = _("reminder settings")
        constraints = [
            models.UniqueConstraint(
                fields=["calendar_key_digest"], condition=~models.Q(calendar_key_digest=""), name="one_calendar_per_key"
            )
        ]

    def __str__(self):
        return _("Reminder settings of user %(id)s") % {"id": self.user_id}


class DigestDelivery(models.Model):
    """One digest for one user and one period (a day, or an ISO week): the row that makes sending idempotent.

    The unique pair is claimed before anything is sent, so a second run, or a second worker at the same
    moment, finds it taken. Nothing personal is kept: no address, no content, and of a failure only its kind.
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    period = models.CharField(_("period"), max_length=10, help_text=_("2026-11-23 for a day, 2026-W48 for a week."))
    status = models.CharField(_("status"), max_length=8, choices=DeliveryStatus.choices)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    failure = models.CharField(_("last failure"), max_length=100, blank=True)
    as_of = models.DateField(_("deadlines as of"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)

    class Meta:
        verbose_name = _("digest delivery")
        verbose_name_plural = _("digest deliveries")
        ordering = ["-created_at"]
        constraints = [models.UniqueConstraint(fields=["user", "period"], name="one_digest_per_user_and_period")]

    def __str__(self):
        return f"{self.period} {self.get_status_display()}"
