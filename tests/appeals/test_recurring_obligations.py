"""An interim measure that orders reports every two weeks until lifted: each report due, received or missed."""

import html
import re
from datetime import date, timedelta

import pytest
from django.utils import timezone

from appeals.enums import AppealKind, DeadlineRule, DeadlineStatus, Forum, RepeatUnit, ResponseType, StepType
from appeals.models import Deadline, DeadlineOccurrence
from appeals.services import add_appeal_step, file_appeal, record_official_response
from cases.fuzzydate import FuzzyDate, format_day
from cases.services import save_record
from tests.admin_forms import form_as_shown

TODAY = timezone.localdate()


@pytest.fixture
def rule39(alice, case):
    """Interim measures indicated 45 days ago, with reports on the detainee's health every two weeks."""
    appeal = file_appeal(
        by=alice, reason="Filed", case=case, forum=Forum.ECTHR, kind=AppealKind.INTERIM_MEASURES_REQUEST
    )
    add_appeal_step(
        by=alice,
        reason="Requested",
        appeal=appeal,
        step_type=StepType.INTERIM_REQUESTED,
        when=format_day(TODAY - timedelta(days=46)),
    )
    add_appeal_step(
        by=alice,
        reason="Indicated",
        appeal=appeal,
        step_type=StepType.INTERIM_GRANTED,
        when=format_day(TODAY - timedelta(days=45)),
        reports_every=2,
        reports_unit=RepeatUnit.WEEKS,
    )
    return appeal


@pytest.fixture
def advocate_client(client, advocate, case):
    case.team.add(advocate)
    client.force_login(advocate)
    return client


def _text(response) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", response.content.decode())).split())


def _reports(appeal) -> Deadline:
    return Deadline.objects.get(appeal=appeal, rule=DeadlineRule.INTERIM_REPORTS)


def test_an_indication_ordering_reports_proposes_a_recurring_obligation(rule39):
    reports = _reports(rule39)

    assert (reports.repeat_every, reports.repeat_unit, reports.recurrence_label) == (2, "weeks", "every 2 weeks")
    assert reports.due_on == TODAY - timedelta(days=31)
    assert reports.next_due_on == TODAY - timedelta(days=31)
    assert reports.is_overdue()


def test_a_reply_settles_one_occurrence_only(alice, case, rule39):
    record_official_response(
        by=alice,
        reason="Report",
        case=case,
        appeal=rule39,
        state="Russian Federation",
        response_type=ResponseType.SUBSTANTIVE_REPLY,
        when=format_day(TODAY - timedelta(days=33)),
    )

    reports = _reports(rule39)
    settled = DeadlineOccurrence.objects.get(deadline=reports)
    assert (settled.number, settled.status, settled.due_on) == (1, "met", TODAY - timedelta(days=31))
    assert reports.next_due_on == TODAY - timedelta(days=17)
    assert reports.is_overdue()


def test_a_late_reply_settles_the_oldest_report_as_late(alice, case, rule39):
    response = record_official_response(
        by=alice,
        reason="Report",
        case=case,
        appeal=rule39,
        state="Russia",
        response_type=ResponseType.SUBSTANTIVE_REPLY,
        when=format_day(TODAY - timedelta(days=20)),
    )
    response.summary = "Edited later"
    save_record(response, by=alice, reason="Typo")  # saved again, it still settles one occurrence

    assert list(DeadlineOccurrence.objects.values_list("number", "status")) == [(1, "missed")]


def test_a_report_received_by_an_answer_known_to_the_month_reads_as_that_month(alice, advocate_client, case, rule39):
    month = FuzzyDate.parse(f"{TODAY - timedelta(days=40):%b %Y}")
    record_official_response(
        by=alice,
        reason="Report",
        case=case,
        appeal=rule39,
        state="Russia",
        response_type=ResponseType.SUBSTANTIVE_REPLY,
        when=str(month),
    )

    page = advocate_client.get(f"/cases/{case.pk}/").content.decode()

    # Counted from the month's last day, on time or late, and never shown as that day.
    first = re.findall(r'<li class="occurrence occurrence-(\w+)">.*?<span>(.*?)</span>', page)[0]
    assert first in [("met", f"received {month}"), ("late", f"received late, {month}")]
    reason = DeadlineOccurrence.history.get().history_change_reason
    assert reason.endswith(f"received {month}")


def test_dashboard_shows_each_missed_report_and_the_next_one_due(advocate_client, rule39):
    page = _text(advocate_client.get("/deadlines/"))

    missed = [TODAY - timedelta(days=31), TODAY - timedelta(days=17), TODAY - timedelta(days=3)]
    expected = ", ".join(format_day(day) for day in missed)
    assert "Government's periodic report (every 2 weeks)" in page
    assert f"3 reports not received ({expected}); next due {format_day(TODAY + timedelta(days=11))}" in page


def test_timeline_shows_compliance_at_a_glance(alice, advocate_client, case, rule39):
    record_official_response(
        by=alice,
        reason="Report",
        case=case,
        appeal=rule39,
        state="Russia",
        response_type=ResponseType.SUBSTANTIVE_REPLY,
        when=format_day(TODAY - timedelta(days=32)),
    )

    page = advocate_client.get(f"/cases/{case.pk}/").content.decode()

    marks = re.findall(r'<li class="occurrence occurrence-(\w+)">.*?<span>(.*?)</span>', page)
    assert marks == [
        ("met", f"received {format_day(TODAY - timedelta(days=32))}"),
        ("overdue", "overdue"),
        ("overdue", "overdue"),
        ("next", "next due"),
    ]


def test_lifting_the_measure_ends_the_obligation(alice, case, rule39):
    add_appeal_step(
        by=alice,
        reason="Lifted",
        appeal=rule39,
        step_type=StepType.INTERIM_LIFTED,
        when=format_day(TODAY - timedelta(days=10)),
    )
    reports = _reports(rule39)
    assert reports.repeat_until == TODAY - timedelta(days=10)
    assert reports.status == DeadlineStatus.OPEN  # two reports due before the lift are still outstanding

    for days_ago in (5, 4):
        record_official_response(
            by=alice,
            reason="Report",
            case=case,
            appeal=rule39,
            state="Russia",
            response_type=ResponseType.SUBSTANTIVE_REPLY,
            when=format_day(TODAY - timedelta(days=days_ago)),
        )

    reports = _reports(rule39)
    assert (reports.status, reports.settled_on) == (DeadlineStatus.ENDED, TODAY - timedelta(days=10))
    assert not Deadline.objects.overdue().filter(pk=reports.pk).exists()


def test_staff_record_a_report_as_never_received(alice_client, rule39):
    reports = _reports(rule39)

    response = alice_client.post(
        "/admin/appeals/deadline/",
        {"action": "record_report_missing", "_selected_action": [reports.pk], "index": 0},
    )

    assert response.status_code == 302
    occurrence = DeadlineOccurrence.objects.get(deadline=reports)
    assert (occurrence.status, occurrence.received_on) == ("missed", None)
    assert _reports(rule39).next_due_on == TODAY - timedelta(days=17)
    history = occurrence.history.get()
    assert (history.history_user.username, history.history_change_reason) == (
        "alice",
        f"Report due {format_day(TODAY - timedelta(days=31))} recorded as never received",
    )


def test_a_recurring_deadline_is_entered_and_read_back_in_the_admin(alice_client, rule39):
    url = f"/admin/appeals/deadline/{_reports(rule39).pk}/change/"

    shown = form_as_shown(alice_client.get(url).content.decode())
    refused = alice_client.post(url, {**shown, "repeat_unit": "", "change_reason": "Unit removed"})

    assert (shown["repeat_every"], shown["repeat_unit"]) == ("2", "weeks")
    assert refused.context["adminform"].form.errors["repeat_unit"] == ["Give both how often and the unit, or neither."]


def test_occurrences_count_months_from_the_first_so_they_do_not_drift():
    deadline = Deadline(due_on=date(2024, 1, 31), repeat_every=1, repeat_unit=RepeatUnit.MONTHS)

    assert [deadline.occurrence_due(n) for n in (1, 2, 3, 4)] == [
        date(2024, 1, 31),
        date(2024, 2, 29),
        date(2024, 3, 31),
        date(2024, 4, 30),
    ]
