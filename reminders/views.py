"""The reminder settings page, and the calendar feed that a secret key opens without a session."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from cases.access_log import record_access
from cases.enums import AccessAction
from reminders.calendar import build_feed
from reminders.deadlines import absolute
from reminders.enums import DigestFrequency
from reminders.forms import ReminderSettingsForm
from reminders.services import (
    new_calendar_key,
    revoke_calendar_key,
    save_settings,
    settings_for,
    settings_for_calendar_key,
)

# The key travels in the query string, which neither our access log nor the proxy's keeps (docs/operations.md).
KEY_PARAMETER = "key"


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def reminder_settings(request):
    chosen = settings_for(request.user)
    action = request.POST.get("action")
    new_address = None
    status = 200
    form = ReminderSettingsForm(
        initial={
            "frequency": chosen.frequency,
            "days_ahead": chosen.days_ahead,
            "parties": chosen.parties,
            "language": chosen.language,
        }
    )
    if action == "save":
        form = ReminderSettingsForm(request.POST)
        if form.is_valid():
            save_settings(request.user, **form.cleaned_data)
            if form.cleaned_data["frequency"] != DigestFrequency.NONE and not request.user.email:
                messages.warning(request, _("Saved, but your account has no email address: ask an administrator."))
            else:
                messages.success(request, _("Saved."))
            return redirect("reminders:settings")
        status = 400
    elif action == "new_calendar":
        # Shown on this response only, never stored or redirected through: only its digest is kept.
        new_address = calendar_address(new_calendar_key(request.user))
        chosen = settings_for(request.user)
    elif action == "revoke_calendar":
        revoke_calendar_key(request.user)
        messages.success(request, _("Your calendar address no longer works."))
        return redirect("reminders:settings")
    elif action is not None:
        status = 400
    return render(
        request,
        "reminders/settings.html",
        {"form": form, "chosen": chosen, "new_address": new_address},
        status=status,
    )


def calendar_address(key: str) -> str:
    return f"{absolute(reverse('reminders:calendar_feed'))}?{KEY_PARAMETER}={key}"


@never_cache
@require_GET
def calendar_feed(request):
    """No session: the key is the credential. Any key that opens nothing is a 404, like a missing page."""
    chosen = settings_for_calendar_key(request.GET.get(KEY_PARAMETER, ""))
    if chosen is None:
        raise Http404
    feed, events = build_feed(chosen)
    record_access(request, AccessAction.CALENDAR_FEED, user=chosen.user, detail=f"{events} deadlines")
    response = HttpResponse(feed, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = content_disposition_header(as_attachment=False, filename="deadlines.ics")
    response["X-Robots-Tag"] = "noindex"
    return response
