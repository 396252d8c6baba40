"""The personal calendar feed: iCalendar with alarms, opened by a secret key alone, revocable, logged."""

import re
from datetime import date, timedelta

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from icalendar import Calendar

from cases.enums import AccessAction
from cases.models import AccessRecord, Case
from reminders.models import ReminderSettings
from tests.reminders.canaries import canaries, leaked

RULE_39_REPLY = "Reply to interim measures · C-DEMO02"


@pytest.fixture
def advocate_user(demo):
    return get_user_model().objects.get(username="advocate")


@pytest.fixture
def advocate_page(client, advocate_user):
    client.force_login(advocate_user)
    return client


def _new_address(page) -> str:
    response = page.post("/reminders/", {"action": "new_calendar"})
    assert response.status_code == 200
    [address] = re.findall(r'<code class="calendar-address">([^<]+)</code>', response.content.decode())
    return address.replace("&amp;", "&")


def _fetch(address: str):
    """As a calendar app would: no session, no cookie, only the address."""
    return Client().get(address.removeprefix("http://127.0.0.1:8000"))


def _events(response) -> dict[str, object]:
    calendar = Calendar.from_ical(response.content)
    return {str(event["SUMMARY"]): event for event in calendar.walk("VEVENT")}


def test_the_feed_lists_the_advocates_deadlines_with_alarms_and_names_no_one(advocate_page, advocate_user, demo):
    response = _fetch(_new_address(advocate_page))

    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    events = _events(response)
    reply = events[RULE_39_REPLY]
    assert reply.decoded("DTSTART") == date(2021, 2, 12)
    assert str(reply["CLASS"]) == "PRIVATE"
    assert f"/cases/{demo['case'].pk}/" in str(reply["URL"])
    [alarm] = reply.walk("VALARM")
    assert (str(alarm["ACTION"]), alarm.decoded("TRIGGER")) == ("DISPLAY", timedelta(days=-7))
    their_cases = set(Case.objects.filter(team=advocate_user).values_list("reference", flat=True))
    assert {summary.rsplit(" · ", 1)[1] for summary in events} <= their_cases
    assert leaked(response.content.decode(), canaries()) == []


def test_the_alarm_rings_as_many_days_ahead_as_the_user_chose(advocate_page, advocate_user):
    address = _new_address(advocate_page)
    ReminderSettings.objects.filter(user=advocate_user).update(days_ahead=3)

    [alarm] = _events(_fetch(address))[RULE_39_REPLY].walk("VALARM")

    assert alarm.decoded("TRIGGER") == timedelta(days=-3)


def test_a_new_address_revokes_the_old_one(advocate_page):
    old = _new_address(advocate_page)
    assert _fetch(old).status_code == 200

    new = _new_address(advocate_page)

    assert (_fetch(old).status_code, _fetch(new).status_code) == (404, 200)


def test_a_calendar_turned_off_answers_404(advocate_page):
    address = _new_address(advocate_page)

    advocate_page.post("/reminders/", {"action": "revoke_calendar"})

    assert _fetch(address).status_code == 404


@pytest.mark.parametrize("key", ["", "not-a-key", "x" * 43, "x" * 5000])
def test_a_key_that_opens_nothing_answers_404(demo, key):
    assert Client().get("/calendar/deadlines.ics", {"key": key}).status_code == 404


def test_the_key_is_stored_only_as_its_digest(advocate_page, advocate_user):
    key = _new_address(advocate_page).split("key=")[1]

    stored = ReminderSettings.objects.get(user=advocate_user)

    assert len(stored.calendar_key_digest) == 64
    assert key not in stored.calendar_key_digest


def test_each_fetch_is_in_the_access_log_without_the_key(advocate_page, advocate_user):
    address = _new_address(advocate_page)
    before = AccessRecord.objects.count()

    _fetch(address)
    _fetch(address)

    fetches = AccessRecord.objects.filter(action=AccessAction.CALENDAR_FEED)
    assert AccessRecord.objects.count() - before == 2
    assert [(record.user, record.username) for record in fetches] == [(advocate_user, "advocate")] * 2
    key = address.split("key=")[1]
    assert not AccessRecord.objects.filter(detail__contains=key).exists()


def test_a_user_taken_off_the_team_loses_the_cases_deadlines_at_once(advocate_page, advocate_user, demo):
    address = _new_address(advocate_page)
    assert RULE_39_REPLY in _events(_fetch(address))

    demo["case"].team.remove(advocate_user)

    summaries = _events(_fetch(address))
    assert [summary for summary in summaries if "C-DEMO02" in summary] == []
    assert any("C-DEMO01" in summary for summary in summaries)


def test_a_deactivated_users_calendar_answers_404(advocate_page, advocate_user):
    address = _new_address(advocate_page)

    advocate_user.is_active = False
    advocate_user.save(update_fields=["is_active"])

    assert _fetch(address).status_code == 404


def test_the_feed_speaks_the_language_its_reader_chose(advocate_page, advocate_user):
    address = _new_address(advocate_page)
    ReminderSettings.objects.filter(user=advocate_user).update(language="ru")

    reply = _events(_fetch(address))["Ответ на обеспечительные меры · C-DEMO02"]

    assert "Просрочен на" in str(reply["DESCRIPTION"])
