"""Email digests: one per user per period, claimed before it is sent, so no run sends anything twice."""

import logging
from collections import Counter
from datetime import date, timedelta

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, transaction
from django.db.models import F, Max
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from reminders.deadlines import Digest, absolute, build_digest
from reminders.enums import DeliveryStatus, DigestFrequency
from reminders.models import DigestDelivery, ReminderSettings

# Never a name, an address or a message from the mail server here: a failure is told by its kind and ids.
logger = logging.getLogger("reminders")

PERIOD_DAYS = {DigestFrequency.DAILY: 1, DigestFrequency.WEEKLY: 7}


def period_of(frequency: str, today: date) -> str:
    if frequency == DigestFrequency.WEEKLY:
        year, week, _day = today.isocalendar()
        return f"{year}-W{week:02d}"
    return today.isoformat()


def recipients():
    return (
        ReminderSettings.objects.exclude(frequency=DigestFrequency.NONE)
        .filter(user__is_active=True)
        .exclude(user__email="")
        .select_related("user")
        .order_by("user_id")
    )


def send_digests(*, today: date | None = None) -> Counter:
    """Send this period's digest to everyone who asked for one and has not had it; retry those that failed."""
    today = today or timezone.localdate()
    outcomes = Counter(send_digest(chosen, today=today) for chosen in recipients())
    logger.info(
        "Digests: %d sent, %d with nothing to tell, %d failed, %d already done",
        outcomes[DeliveryStatus.SENT],
        outcomes[DeliveryStatus.NOTHING_DUE],
        outcomes[DeliveryStatus.FAILED],
        outcomes[None],
    )
    return outcomes


def _claim(user, period: str, today: date) -> DigestDelivery | None:
    """This period's delivery, if this run may send it: new, or failed and not tried too often yet.

    The claim is one INSERT or one conditional UPDATE: of two runs racing for it, exactly one wins.
    """
    try:
        with transaction.atomic():
            return DigestDelivery.objects.create(
                user=user, period=period, status=DeliveryStatus.SENDING, attempts=1, as_of=today
            )
    except IntegrityError:
        pass
    retry = DigestDelivery.objects.filter(
        user=user, period=period, status=DeliveryStatus.FAILED, attempts__lt=settings.DIGEST_MAX_ATTEMPTS
    )
    if not retry.update(status=DeliveryStatus.SENDING, attempts=F("attempts") + 1, as_of=today):
        return None
    return DigestDelivery.objects.get(user=user, period=period)


def send_digest(chosen: ReminderSettings, *, today: date) -> str | None:
    """Send one user's digest for the period ``today`` falls in; the delivery's new status, or None if the
    period's digest was already sent (or is being sent, or failed too often)."""
    user = chosen.user
    delivery = _claim(user, period_of(chosen.frequency, today), today)
    if delivery is None:
        return None
    last = (
        DigestDelivery.objects.filter(user=user, status__in=[DeliveryStatus.SENT, DeliveryStatus.NOTHING_DUE])
        .exclude(pk=delivery.pk)
        .aggregate(day=Max("as_of"))["day"]
    )
    # The lines are written as they are built: in the reader's language from the start.
    with translation.override(chosen.language):
        digest = build_digest(
            user,
            today=today,
            days_ahead=chosen.days_ahead,
            parties=chosen.parties,
            overdue_since=last or today - timedelta(days=PERIOD_DAYS[chosen.frequency]),
        )
    if digest.is_empty:
        status = DeliveryStatus.NOTHING_DUE
    else:
        try:
            digest_message(chosen, digest).send()
            status = DeliveryStatus.SENT
        except Exception as exc:  # whatever the mail server or the network did, a later run tries again
            status = DeliveryStatus.FAILED
            delivery.failure = type(exc).__name__[:100]
            # The kind of failure only: its message may quote the address.
            logger.warning(
                "Digest %s for user %s not sent (attempt %d of %d): %s",
                delivery.pk,
                user.pk,
                delivery.attempts,
                settings.DIGEST_MAX_ATTEMPTS,
                delivery.failure,
            )
    delivery.status = status
    delivery.sent_at = timezone.now() if status == DeliveryStatus.SENT else None
    delivery.save(update_fields=["status", "sent_at", "failure"])
    return status


def digest_message(chosen: ReminderSettings, digest: Digest) -> EmailMultiAlternatives:
    with translation.override(chosen.language):
        context = {
            "digest": digest,
            "deadlines_link": absolute(reverse("front:deadlines")),
            "settings_link": absolute(reverse("reminders:settings")),
            "organisation": settings.ORGANISATION_NAME,
            "language": chosen.language,
        }
        message = EmailMultiAlternatives(
            subject=_subject(digest),
            body=render_to_string("reminders/digest.txt", context),
            to=[chosen.user.email],
            headers={
                # RFC 3834: no out-of-office replies to a machine.
                "Auto-Submitted": "auto-generated",
                "X-Auto-Response-Suppress": "All",
            },
        )
        message.attach_alternative(render_to_string("reminders/digest.html", context), "text/html")
    return message


def _subject(digest: Digest) -> str:
    overdue = ngettext("%(count)d overdue", "%(count)d overdue", digest.overdue_count) % {"count": digest.overdue_count}
    upcoming = ngettext(
        "%(count)d due within %(days)d day", "%(count)d due within %(days)d days", digest.days_ahead
    ) % {"count": len(digest.upcoming), "days": digest.days_ahead}
    return _("Deadlines: %(overdue)s, %(upcoming)s") % {"overdue": overdue, "upcoming": upcoming}
