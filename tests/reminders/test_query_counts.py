"""A digest, the calendar feed and the navigation's counts cost the same few queries however many deadlines."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from reminders.calendar import build_feed
from reminders.digest import send_digest
from reminders.enums import DigestFrequency
from reminders.models import ReminderSettings
from tests.factories import AppealFactory, CaseFactory, DeadlineFactory, MembershipFactory


def _deadlines(user, count):
    today = timezone.localdate()
    for n in range(count):
        case = CaseFactory(team=[user])
        appeal = AppealFactory(case=case)
        appeal.people.add(MembershipFactory(case=case).person)
        DeadlineFactory(appeal=appeal, due_on=today + timedelta(days=n % 5 - 2))


@pytest.fixture
def reader(advocate):
    advocate.email = "dana@example.org"
    advocate.save(update_fields=["email"])
    return ReminderSettings.objects.create(user=advocate, frequency=DigestFrequency.DAILY)


@pytest.mark.parametrize(
    "build",
    [
        lambda chosen, day: send_digest(chosen, today=day),
        lambda chosen, day: build_feed(chosen, today=day),
    ],
    ids=["digest", "calendar"],
)
def test_queries_do_not_grow_with_deadlines(reader, build, django_assert_num_queries):
    today = timezone.localdate()
    _deadlines(reader.user, 1)
    # Each run reads its settings and user afresh, as the command does (the user keeps its role check).
    with CaptureQueriesContext(connection) as with_one:
        build(ReminderSettings.objects.get(pk=reader.pk), today)
    _deadlines(reader.user, 10)

    with django_assert_num_queries(len(with_one)):
        build(ReminderSettings.objects.get(pk=reader.pk), today + timedelta(days=1))
