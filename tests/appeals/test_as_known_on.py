"""A case's timeline "as known on" a past day: what its records said at the end of that day, read from the history.

Each test writes records, moves everything written so far back in time (as if written days ago), changes the
records now, and reads the timeline as known on a day in between.
"""

import html
import re
from datetime import timedelta

from django.apps import apps
from django.db.models import F
from django.utils import timezone

from appeals.enums import AppealKind, Forum, RepeatUnit, ResponseType, StepType
from appeals.services import add_appeal_step, file_appeal, record_official_response
from cases.enums import Status
from cases.fuzzydate import format_day
from cases.models import StatusChange
from cases.services import delete_record, save_record
from tests.factories import SourceFactory, StatusChangeFactory

TODAY = timezone.localdate()


def _written_days_ago(days: int) -> None:
    """Every history row written so far, moved ``days`` back: the records as they stood then are those rows."""
    for model in apps.get_models():
        if any(field.name == "history_date" for field in model._meta.fields):
            model._default_manager.update(history_date=F("history_date") - timedelta(days=days))


def _as_known_on(client, case, days_ago: int) -> str:
    response = client.get(f"/cases/{case.pk}/?as_of={TODAY - timedelta(days=days_ago)}")
    assert response.status_code == 200
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", response.content.decode())).split())


def test_a_recurring_obligation_as_known_on_a_past_day_counts_the_reports_received_by_then(alice, alice_client, case):
    appeal = file_appeal(
        by=alice, reason="Filed", case=case, forum=Forum.ECTHR, kind=AppealKind.INTERIM_MEASURES_REQUEST
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
    report = {
        "by": alice,
        "case": case,
        "appeal": appeal,
        "state": "Russia",
        "response_type": ResponseType.SUBSTANTIVE_REPLY,
    }
    record_official_response(**report, reason="First report", when=format_day(TODAY - timedelta(days=32)))
    _written_days_ago(20)
    record_official_response(**report, reason="Second report, late", when=format_day(TODAY - timedelta(days=15)))

    page = alice_client.get(f"/cases/{case.pk}/?as_of={TODAY - timedelta(days=10)}").content.decode()

    missed, upcoming = format_day(TODAY - timedelta(days=17)), format_day(TODAY - timedelta(days=3))
    assert f"1 report not received ({missed}); next due {upcoming}" in html.unescape(page)
    marks = re.findall(r'<li class="occurrence occurrence-(\w+)">.*?<span>(.*?)</span>', page)
    assert marks == [
        ("met", f"received {format_day(TODAY - timedelta(days=32))}"),
        ("overdue", "overdue"),
        ("next", "next due"),
    ]


def test_as_known_on_shows_records_since_deleted_and_sources_since_unlinked(alice, alice_client, case):
    kept = StatusChangeFactory(case=case, status=Status.DETAINED, when="6 Feb 2021", description="KEPT")
    kept.sources.add(SourceFactory(case=case, title="Memorial report"))
    save_record(kept, by=alice, reason="Source attached")
    deleted = StatusChangeFactory(case=case, status=Status.RELEASED, when="9 Feb 2021", description="DELETEDLATER")
    _written_days_ago(5)
    kept.sources.clear()
    save_record(kept, by=alice, reason="Wrong source")
    delete_record(deleted, by=alice, reason="Entered twice")

    then = alice_client.get(f"/cases/{case.pk}/?as_of={TODAY - timedelta(days=1)}").context["timeline"]
    now = alice_client.get(f"/cases/{case.pk}/?as_of={TODAY}").context["timeline"]

    assert [(e.detail, e.source_numbers) for e in then.events] == [("KEPT", [1]), ("DELETEDLATER", [])]
    assert [(e.detail, e.source_numbers) for e in now.events] == [("KEPT", [])]


def test_of_two_history_rows_written_at_the_same_moment_the_later_one_counts(alice, alice_client, case):
    change = StatusChangeFactory(case=case, description="FIRST")
    change.description = "SECOND"
    save_record(change, by=alice, reason="Reworded")
    StatusChange.history.filter(id=change.pk).update(history_date=timezone.now() - timedelta(days=1))

    timeline = alice_client.get(f"/cases/{case.pk}/?as_of={TODAY}").context["timeline"]

    assert [event.detail for event in timeline.events] == ["SECOND"]
