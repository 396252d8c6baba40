"""The one way in for a user's reminder settings and their calendar key."""

import hashlib
import secrets

from django.db import transaction
from django.utils import timezone

from reminders.models import ReminderSettings

CALENDAR_KEY_BYTES = 32


def settings_for(user) -> ReminderSettings:
    """The user's settings, or the defaults (unsaved) for a user who never chose."""
    found = ReminderSettings.objects.filter(user=user).first()
    return found or ReminderSettings(user=user)


def save_settings(user, *, frequency: str, days_ahead: int, parties: list[str], language: str) -> ReminderSettings:
    with transaction.atomic():
        chosen, _created = ReminderSettings.objects.select_for_update().get_or_create(user=user)
        chosen.frequency, chosen.days_ahead, chosen.parties, chosen.language = frequency, days_ahead, parties, language
        chosen.full_clean()
        chosen.save(update_fields=["frequency", "days_ahead", "parties", "language"])
    return chosen


def key_digest(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def new_calendar_key(user) -> str:
    """A new secret key for the user's calendar address; the old address stops working at once.

    Returned once, to be shown once: only its digest is kept.
    """
    key = secrets.token_urlsafe(CALENDAR_KEY_BYTES)
    with transaction.atomic():
        chosen, _created = ReminderSettings.objects.select_for_update().get_or_create(user=user)
        chosen.calendar_key_digest = key_digest(key)
        chosen.calendar_key_created_at = timezone.now()
        chosen.save(update_fields=["calendar_key_digest", "calendar_key_created_at"])
    return key


def revoke_calendar_key(user) -> None:
    ReminderSettings.objects.filter(user=user).update(calendar_key_digest="", calendar_key_created_at=None)


def settings_for_calendar_key(key: str) -> ReminderSettings | None:
    """The settings, with their user, of the active user whose calendar this key opens; None for any other key."""
    if not key or len(key) > 100:
        return None
    return (
        ReminderSettings.objects.filter(calendar_key_digest=key_digest(key), user__is_active=True)
        .select_related("user")
        .first()
    )
