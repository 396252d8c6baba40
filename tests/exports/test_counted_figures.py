"""Kept counts (exports.counted): read back only while nothing was written since, whatever wrote it.

These tests commit their writes (``transactional_db``), as requests do: on PostgreSQL a write of the transaction
still open is rightly never counted as seen, which is all a test wrapped in one transaction would show.
"""

import contextlib
import dataclasses
import re
from datetime import timedelta

import pytest
from django.contrib.auth.models import Group
from django.db import connection, connections
from django.db.models import F
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts.roles import ADMINISTRATORS
from appeals.enums import Finding, OccurrenceStatus, StepType
from appeals.models import AppealStep, ArticleFinding, Deadline, DeadlineOccurrence
from cases.enums import Level, Status
from cases.models import Case, Person, StatusChange
from cases.services import record_status_change
from exports.counted import changed_since_viewed, counted_tables, install_triggers, recount, remembered
from exports.figures import TALLIES, _tallies_shape, count_all, recount_viewed_figures, scope_for
from exports.models import CountedFigures
from exports.worker import Recounter
from tests.front.test_figures import FIGURES, PAGE_QUERIES, case_with_everything, read_table

pytestmark = pytest.mark.django_db(transaction=True)


class Counter:
    """A count that says how often it was made."""

    def __init__(self):
        self.made = 0

    def __call__(self):
        self.made += 1
        return {"made": self.made}


def every_counted_table_filled(user):
    case_with_everything(user, 0)
    step = AppealStep.objects.get(step_type=StepType.INTERIM_GRANTED)
    ArticleFinding.objects.create(step=step, article="3", finding=Finding.VIOLATION)
    DeadlineOccurrence.objects.create(
        deadline=Deadline.objects.get(), number=1, due_on=timezone.localdate(), status=OccurrenceStatus.MET
    )


def test_a_report_entered_after_the_counts_were_kept_is_counted_at_once(client, alice):
    case_with_everything(alice, 0)
    case = Case.objects.get()
    person = Person.objects.get()
    client.force_login(alice)
    before = read_table(client.get(FIGURES).content, "people")

    record_status_change(
        by=alice,
        reason="Test",
        person=person,
        case=case,
        status=Status.RELEASED,
        when="Jan 2022",
        verification="confirmed",
    )
    after = read_table(client.get(FIGURES).content, "people")

    assert before == {"Detained (acknowledged)": ["1"], "All people counted": ["1"]}
    assert after == {"Released": ["1"], "All people counted": ["1"]}
    assert CountedFigures.objects.count() == 1


@pytest.mark.parametrize("table", counted_tables())
def test_any_write_to_a_counted_table_has_the_counts_made_again(alice, table):
    every_counted_table_filled(alice)
    count = Counter()
    today = timezone.localdate()
    remembered("scope", today, count)
    kept = remembered("scope", today, count)

    with connection.cursor() as cursor:
        # Raw SQL, past every model method and signal: the database itself notices.
        cursor.execute(f'UPDATE "{table}" SET id = id')  # noqa: S608 - a table name of our own models
    after_write = remembered("scope", today, count)

    assert kept == {"made": 1}
    assert after_write == {"made": 2}


def test_rows_added_and_removed_in_bulk_are_noticed(alice):
    every_counted_table_filled(alice)
    count = Counter()
    today = timezone.localdate()
    report = StatusChange.objects.get()

    remembered("scope", today, count)
    StatusChange.objects.filter(pk=report.pk).delete()
    after_delete = remembered("scope", today, count)
    StatusChange.objects.bulk_create([report])
    after_insert = remembered("scope", today, count)

    assert (after_delete, after_insert) == ({"made": 2}, {"made": 3})


def test_the_figures_read_only_tables_whose_writes_are_noticed(alice, administrator):
    every_counted_table_filled(alice)
    today = timezone.localdate()
    scopes = [
        scope_for(administrator, today=today),
        scope_for(administrator, today=today, level=Level.PUBLIC, region="Chechnya", forum="ecthr"),
        scope_for(alice, today=today),
        scope_for(alice, today=today, level=Level.PUBLIC, case=Case.objects.get(), start=today - timedelta(days=900)),
    ]

    with CaptureQueriesContext(connection) as captured:
        for scope in scopes:
            count_all(scope)

    read = {table for query in captured for table in re.findall(r'(?:FROM|JOIN)\s+"(\w+)"', query["sql"])}
    assert "cases_statuschange" in read
    assert read - set(counted_tables()) == set()


def test_each_team_reads_its_own_kept_counts_and_administrators_share_theirs(client, alice, charlie, administrator):
    case_with_everything(alice, 0)
    for user, expected in [(alice, "1"), (charlie, None), (administrator, "1"), (alice, "1"), (charlie, None)]:
        client.force_login(user)
        people = read_table(client.get(FIGURES).content, "people")
        assert people.get("Detained (acknowledged)", [None])[0] == expected, user

    assert CountedFigures.objects.count() == 3


def test_counts_kept_on_an_earlier_day_are_made_again_and_dropped(alice):
    count = Counter()
    today = timezone.localdate()
    remembered("yesterday's scope", today - timedelta(days=1), count)

    remembered("scope", today, count)

    assert count.made == 2
    assert list(CountedFigures.objects.values_list("day", flat=True)) == [today]


def test_installing_the_triggers_again_notices_each_write_once(alice):
    install_triggers(connection)
    install_triggers(connection)
    count = Counter()
    today = timezone.localdate()
    remembered("scope", today, count)

    case_with_everything(alice, 0)
    remembered("scope", today, count)
    remembered("scope", today, count)

    assert count.made == 2


@contextlib.contextmanager
def another_transaction_writing():
    """A write to the status changes by another connection, in a transaction left open until ``commit()``."""
    other = connections.create_connection("default")
    try:
        with other.cursor() as cursor:
            cursor.execute("BEGIN")
            cursor.execute("UPDATE cases_statuschange SET status = 'released'")
            yield lambda: cursor.execute("COMMIT")
    finally:
        other.close()


@pytest.mark.skipif("connection.vendor != 'postgresql'", reason="concurrent transactions on a server")
def test_a_write_committed_while_counting_has_the_counts_made_again(alice):
    """The write of another transaction, open while the counts were made and kept, committed after: those counts
    may lack it, so they are made again."""
    every_counted_table_filled(alice)
    count = Counter()
    today = timezone.localdate()
    with another_transaction_writing() as commit:
        remembered("scope", today, count)
        kept_while_open = remembered("scope", today, count)
        commit()
        after_commit = remembered("scope", today, count)

    assert (kept_while_open, after_commit) == ({"made": 1}, {"made": 2})


def viewed_then_changed(client, user):
    """Figures ``user`` viewed over a minute ago, and a report entered since: the person is now released."""
    case_with_everything(user, 0)
    client.force_login(user)
    client.get(FIGURES)
    record_status_change(
        by=user,
        reason="Test",
        person=Person.objects.get(),
        case=Case.objects.get(),
        status=Status.RELEASED,
        when="Jan 2022",
        verification="confirmed",
    )
    CountedFigures.objects.update(counted_at=F("counted_at") - timedelta(minutes=2))


def test_figures_viewed_and_changed_since_are_counted_again_for_the_next_view(client, alice):
    viewed_then_changed(client, alice)

    recounted = recount_viewed_figures()
    with CaptureQueriesContext(connection) as reading:
        page = client.get(FIGURES).content

    assert recounted == 1
    assert read_table(page, "people") == {"Released": ["1"], "All people counted": ["1"]}
    assert len(reading) == PAGE_QUERIES["kept"]
    assert recount_viewed_figures() == 0


def test_figures_counted_within_the_last_minute_wait_for_the_next_pass(client, alice):
    viewed_then_changed(client, alice)
    CountedFigures.objects.update(counted_at=timezone.now())

    assert recount_viewed_figures() == 0


def test_figures_no_one_viewed_within_the_hour_wait_for_their_next_view(client, alice):
    viewed_then_changed(client, alice)
    CountedFigures.objects.update(viewed_at=timezone.now() - timedelta(minutes=61))

    assert recount_viewed_figures() == 0


def test_reading_kept_counts_notes_the_view_at_most_every_ten_minutes(client, alice):
    case_with_everything(alice, 0)
    client.force_login(alice)
    client.get(FIGURES)
    long_ago = timezone.now() - timedelta(minutes=11)
    CountedFigures.objects.update(viewed_at=long_ago)

    client.get(FIGURES)
    noted = CountedFigures.objects.get().viewed_at
    client.get(FIGURES)

    assert noted > long_ago
    assert CountedFigures.objects.get().viewed_at == noted


def test_counts_of_a_scope_no_longer_the_viewers_are_dropped_not_counted_again(client, alice):
    viewed_then_changed(client, alice)
    alice.groups.add(Group.objects.get(name=ADMINISTRATORS))

    assert recount_viewed_figures() == 0
    assert not CountedFigures.objects.exists()


def test_the_worker_counts_changed_figures_again_and_carries_on_after_a_failed_pass(client, alice, monkeypatch, caplog):
    viewed_then_changed(client, alice)
    passes = iter([False, False, True])  # two passes, then told to stop
    failures = iter([RuntimeError("a fault in one pass")])

    def recount_once_failing():
        for failure in failures:
            raise failure
        return recount_viewed_figures()

    monkeypatch.setattr("exports.worker.recount_viewed_figures", recount_once_failing)
    recounter = Recounter()
    recounter.stopping.wait = lambda timeout: next(passes)
    recounter.run()

    assert "Counting the figures again failed" in caplog.text
    assert changed_since_viewed() == []
    assert read_table(client.get(FIGURES).content, "people") == {"Released": ["1"], "All people counted": ["1"]}


def drop_a_trigger():
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("DROP TRIGGER exports_records_changed ON cases_statuschange")
        else:
            cursor.execute("DROP TRIGGER exports_changed_cases_statuschange_update")


def test_without_every_trigger_nothing_is_kept_and_migrate_puts_them_back(alice, caplog):
    every_counted_table_filled(alice)
    count = Counter()
    today = timezone.localdate()
    remembered("scope", today, count)

    drop_a_trigger()
    StatusChange.objects.update(description="Written while no trigger noticed")
    without = [remembered("scope", today, count), remembered("scope", today, count)]
    install_triggers(connection)
    after_install = [remembered("scope", today, count), remembered("scope", today, count)]

    assert without == [{"made": 2}, {"made": 3}]
    assert "The triggers that note writes are missing" in caplog.text
    assert after_install == [{"made": 4}, {"made": 4}]


@pytest.mark.skipif("connection.vendor != 'postgresql'", reason="PostgreSQL's transaction numbers")
def test_counts_kept_on_another_server_are_not_trusted(alice):
    """A dump restored on another server brings counts whose snapshot is numbered ahead of that server's own
    transactions: later writes there could look older than the counts."""
    count = Counter()
    today = timezone.localdate()
    remembered("scope", today, count)
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_snapshot_xmax(pg_current_snapshot())::text::bigint")
        ahead = cursor.fetchone()[0] + 1_000_000
    CountedFigures.objects.update(mark=f"{ahead}:{ahead}:")

    again = remembered("scope", today, count)

    assert again == {"made": 2}


def test_two_workers_do_not_count_the_same_figures_again_at_once(client, alice):
    viewed_then_changed(client, alice)
    [seen_by_one] = changed_since_viewed()
    [seen_by_other] = changed_since_viewed()
    count = Counter()

    taken = [recount(seen_by_one, count), recount(seen_by_other, count)]

    assert taken == [True, False]
    assert count.made == 1


@pytest.mark.skipif("connection.vendor != 'postgresql'", reason="PostgreSQL's disabled triggers")
def test_with_a_trigger_disabled_nothing_is_kept(alice):
    count = Counter()
    today = timezone.localdate()
    remembered("scope", today, count)
    with connection.cursor() as cursor:
        cursor.execute("ALTER TABLE cases_statuschange DISABLE TRIGGER exports_records_changed")

    again = [remembered("scope", today, count), remembered("scope", today, count)]

    assert again == [{"made": 2}, {"made": 3}]


def test_counts_kept_by_code_that_counted_otherwise_belong_to_another_scope(alice, monkeypatch):
    """During a deploy, a process of the old code may keep counts of the old shape: the new code must not read them."""
    today = timezone.localdate()
    kept_by_this_code = scope_for(alice, today=today).identity
    counting_otherwise = {**TALLIES, "people": dataclasses.replace(TALLIES["people"], counted="person")}
    monkeypatch.setattr("exports.figures.TALLIES", counting_otherwise)
    _tallies_shape.cache_clear()
    try:
        kept_by_other_code = scope_for(alice, today=today).identity
    finally:
        monkeypatch.undo()
        _tallies_shape.cache_clear()

    assert kept_by_other_code != kept_by_this_code
    assert scope_for(alice, today=today).identity == kept_by_this_code


@pytest.mark.skipif("connection.vendor != 'postgresql'", reason="concurrent transactions on a server")
def test_a_write_committed_between_the_mark_and_the_counting_has_the_counts_made_again(alice):
    """Counts made after another transaction committed may hold its write, or part of it if it committed while they
    were counted: they were kept under a mark that does not, so they are made again."""
    every_counted_table_filled(alice)
    count = Counter()
    today = timezone.localdate()
    with another_transaction_writing() as commit:

        def committing_then_counting():
            commit()
            return count()

        remembered("scope", today, committing_then_counting)
        again = remembered("scope", today, count)

    assert again == {"made": 2}
