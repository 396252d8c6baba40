"""The reminder settings page and the navigation's counts of overdue and due-soon deadlines."""

from datetime import timedelta

import pytest
from django.utils import timezone

from appeals.enums import DeadlineStatus, Party
from reminders.enums import DigestFrequency
from reminders.models import ReminderSettings
from tests.factories import AppealFactory, DeadlineFactory


@pytest.fixture
def advocate_page(client, advocate, case):
    case.team.add(advocate)
    advocate.email = "dana@example.org"
    advocate.save(update_fields=["email"])
    client.force_login(advocate)
    return client


def _choices(**changed):
    return {"action": "save", "frequency": "weekly", "days_ahead": "3", "parties": ["us"], "language": "en"} | changed


def test_a_user_chooses_a_weekly_digest_of_our_own_deadlines(advocate_page, advocate):
    response = advocate_page.post("/reminders/", _choices(), follow=True)

    assert "Saved." in response.content.decode()
    chosen = ReminderSettings.objects.get(user=advocate)
    assert (chosen.frequency, chosen.days_ahead, chosen.parties) == (DigestFrequency.WEEKLY, 3, [Party.US])


@pytest.mark.parametrize(
    ("changed", "message"),
    [
        ({"days_ahead": "0"}, "greater than or equal to 1"),
        ({"days_ahead": "61"}, "less than or equal to 60"),
        ({"parties": []}, "Choose at least one: whose deadlines should you be reminded of?"),
        ({"frequency": "hourly"}, "Select a valid choice"),
    ],
)
def test_bad_choices_are_refused_with_a_message_and_change_nothing(advocate_page, advocate, changed, message):
    advocate_page.post("/reminders/", _choices())

    response = advocate_page.post("/reminders/", _choices(**{"frequency": "daily"} | changed))

    assert response.status_code == 400
    assert message in response.content.decode()
    assert ReminderSettings.objects.get(user=advocate).frequency == DigestFrequency.WEEKLY


def test_a_user_without_an_email_address_is_told_so(advocate_page, advocate):
    advocate.email = ""
    advocate.save(update_fields=["email"])

    response = advocate_page.post("/reminders/", _choices(), follow=True)

    assert "Saved, but your account has no email address: ask an administrator." in response.content.decode()


def test_the_navigation_counts_the_readers_overdue_and_due_soon_deadlines(advocate_page, case, charlie, client):
    today = timezone.localdate()
    appeal = AppealFactory(case=case)
    DeadlineFactory(appeal=appeal, due_on=today - timedelta(days=400))
    DeadlineFactory(appeal=appeal, due_on=today - timedelta(days=1))
    DeadlineFactory(appeal=appeal, due_on=today + timedelta(days=7))
    DeadlineFactory(appeal=appeal, due_on=today + timedelta(days=8))
    DeadlineFactory(appeal=appeal, due_on=today - timedelta(days=3), status=DeadlineStatus.MET, settled_on=today)

    page = advocate_page.get("/cases/").content.decode()

    assert '<strong class="badge overdue">2 overdue</strong>' in page
    assert '<span class="badge due-soon">1 due within a week</span>' in page
    client.force_login(charlie)
    assert "badge" not in client.get("/cases/").content.decode()
