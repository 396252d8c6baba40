"""A user's deadlines as an iCalendar feed (RFC 5545), with the same codename-only text as the digest."""

from datetime import date, timedelta
from urllib.parse import urlsplit

from django.conf import settings
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from icalendar import Alarm, Calendar, Event

from reminders.deadlines import DueItem, due_items, open_deadlines
from reminders.models import ReminderSettings

PRODUCT_ID = "-//case-tracker//deadlines//EN"


def build_feed(chosen: ReminderSettings, *, today: date | None = None) -> tuple[bytes, int]:
    """The calendar of the open deadlines ``chosen.user`` may see now, and how many events it holds.

    Each deadline is one all-day event on its next due day, with an alarm ``days_ahead`` days before; a
    recurring obligation's event moves on as its reports come in (its UID stays the deadline's).
    """
    today = today or timezone.localdate()
    stamp = timezone.now()
    with translation.override(chosen.language):
        items = due_items(open_deadlines(chosen.user, parties=chosen.parties), today)
        calendar = Calendar()
        calendar.add("prodid", PRODUCT_ID)
        calendar.add("version", "2.0")
        calendar.add("calscale", "GREGORIAN")
        calendar.add("method", "PUBLISH")
        calendar.add("x-wr-calname", _("Deadlines"))
        for item in items:
            calendar.add_component(_event(item, stamp, chosen.days_ahead))
    return calendar.to_ical(), len(items)


def _event(item: DueItem, stamp, days_ahead: int) -> Event:
    summary = f"{item.what} · {item.case_reference}"
    details = [
        item.state,
        _("Due from: %(party)s") % {"party": item.party_label},
        item.appeal,
        _("Case %(reference)s") % {"reference": item.case_reference},
    ]
    if item.recurrence:
        details.insert(1, item.recurrence)
    if item.codenames:
        details.append(", ".join(item.codenames))
    details.append(item.link)
    event = Event()
    event.add("uid", f"{item.deadline_id}@{urlsplit(settings.SITE_URL).hostname}")
    event.add("dtstamp", stamp)
    event.add("dtstart", item.due_on)
    event.add("dtend", item.due_on + timedelta(days=1))
    event.add("summary", summary)
    event.add("description", "\n".join(details))
    event.add("url", item.link)
    event.add("class", "PRIVATE")
    event.add("transp", "TRANSPARENT")
    alarm = Alarm()
    alarm.add("action", "DISPLAY")
    alarm.add("description", summary)
    alarm.add("trigger", timedelta(days=-days_ahead))
    event.add_component(alarm)
    return event
