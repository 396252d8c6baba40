"""Counts kept until the records change.

Counting every record of a scope takes a second or more at a register's size (docs/performance.md), and the
counts change only when the records do. So each scope's counts are kept (``CountedFigures``) with a *mark* of the
state of the records they were counted from, and read back while nothing has been written since. The database
itself says whether something has: triggers on every table the figures read (``counted_tables``) note each write,
whatever made it (a form, an import, a bulk statement, a shell), so no code path can forget to.

- PostgreSQL: a statement-level trigger notes the writing transaction's id, once per transaction
  (``RecordsChange``). The mark is the database's snapshot (``pg_current_snapshot()``) taken before counting;
  kept counts are current while every noted transaction is visible in it. A note commits with its transaction,
  so one still open is noted when it commits and a rolled-back one never is; and each writer inserts a row of its
  own, so writers do not wait for each other.
- SQLite: a row trigger adds one to a single counter, and the mark is its value. SQLite has one writer at a time,
  so the counter makes no writer wait either.

The mark is taken before counting: a write that commits while the counts are made is missing from the mark, so
those counts are counted again at the next read instead of being kept as if they held it.
"""

import hashlib
import logging
from collections.abc import Callable
from datetime import date, timedelta

from django.db import connection, transaction
from django.utils import timezone

from appeals.models import Appeal, AppealStep, ArticleFinding, Deadline, DeadlineOccurrence, OfficialResponse
from cases.models import Case, CaseMembership, Person, StatusChange
from exports.models import CountedFigures, RecordsChange

logger = logging.getLogger(__name__)

# A note outlives any kept counts it could concern: counts are kept for their day only, and a transaction is
# noted as of when it began.
NOTES_KEPT = timedelta(days=7)
# However often the records change, the worker counts a scope again at most this often; a view in between counts
# it itself.
RECOUNTED_AT_MOST_EVERY = timedelta(minutes=1)
# The worker counts again only what someone is still looking at: viewed within this. A view notes itself again at
# most this often, so that reading kept counts seldom writes.
RECOUNTED_IF_VIEWED_WITHIN = timedelta(hours=1)
VIEWED_NOTED_EVERY = timedelta(minutes=10)


def counted_tables() -> list[str]:
    """Every table whose rows the figures count or filter by: the records, who is in which case, and who is on
    which case's team."""
    models = [
        Person,
        Case,
        Case.team.through,
        CaseMembership,
        StatusChange,
        Appeal,
        Appeal.people.through,
        AppealStep,
        Deadline,
        DeadlineOccurrence,
        OfficialResponse,
        ArticleFinding,
    ]
    return [model._meta.db_table for model in models]


def remembered(identity: str, day: date, count: Callable[[], dict], viewer=None) -> dict:
    """The counts of the scope ``identity`` names (a JSON-ready dict made by ``count``): as kept, while the records
    have not changed since they were counted; otherwise counted now, and kept for ``viewer``, who is viewing them."""
    if connection.vendor not in MARKS:
        return count()
    key = hashlib.sha256(identity.encode()).hexdigest()
    kept = CountedFigures.objects.filter(key=key).values_list("mark", "counts", "viewed_at").first()
    if kept is not None and _unchanged_since(kept[0]):
        now = timezone.now()
        if viewer is not None and (kept[2] is None or kept[2] < now - VIEWED_NOTED_EVERY):
            CountedFigures.objects.filter(key=key).update(viewer=viewer, viewed_at=now)
        return kept[1]
    mark = MARKS[connection.vendor]()
    counts = count()
    if mark is None:
        logger.warning("The triggers that note writes are missing: figures are counted at every view until migrate")
    else:
        viewed = CountedFigures(key=key, identity=identity, day=day, viewer=viewer, viewed_at=timezone.now())
        _keep(viewed, mark, counts)
    return counts


def changed_since_viewed() -> list[CountedFigures]:
    """Today's counts that someone viewed within ``RECOUNTED_IF_VIEWED_WITHIN`` and the records have changed since,
    not counted again within ``RECOUNTED_AT_MOST_EVERY``: what the worker counts again (``recount``), so that the
    next view reads them at once. Counts of an earlier day are nobody's any more."""
    now = timezone.now()
    kept = CountedFigures.objects.filter(
        day=timezone.localdate(),
        viewer__is_active=True,
        viewed_at__gte=now - RECOUNTED_IF_VIEWED_WITHIN,
        counted_at__lt=now - RECOUNTED_AT_MOST_EVERY,
    )
    return [counted for counted in kept if not _unchanged_since(counted.mark)]


def recount(counted: CountedFigures, count: Callable[[], dict]) -> bool:
    """Count ``counted`` again now, keeping who viewed it and when; False if another worker has just taken it (each
    claims a scope by moving its ``counted_at`` on from the value it read) or nothing can be kept."""
    mark = MARKS[connection.vendor]() if connection.vendor in MARKS else None
    if mark is None:
        return False
    claimed = CountedFigures.objects.filter(pk=counted.pk, counted_at=counted.counted_at).update(
        counted_at=timezone.now()
    )
    if claimed:
        _keep(counted, mark, count(), viewed=False)
    return bool(claimed)


# Each vendor's mark of the records' state, None while a trigger is missing (a table rebuilt or restored without
# them) or, on PostgreSQL, disabled: nothing can then be kept, as writes would go unnoticed.
def _triggers_expected() -> int:
    return len(counted_tables()) * (1 if connection.vendor == "postgresql" else len(_SQLITE_EVENTS))


def _postgresql_mark() -> str | None:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_current_snapshot()::text,"
            " (SELECT count(*) FROM pg_trigger WHERE tgname = 'exports_records_changed' AND tgenabled IN ('O', 'A'))"
        )
        snapshot, triggers = cursor.fetchone()
    return snapshot if triggers == _triggers_expected() else None


def _sqlite_mark() -> str | None:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT (SELECT count(*) FROM sqlite_master WHERE type = 'trigger' AND name GLOB 'exports_changed_*'),"
            " (SELECT txid FROM exports_recordschange WHERE id = 1)"
        )
        triggers, writes = cursor.fetchone()
    return str(writes or 0) if triggers == _triggers_expected() else None


MARKS = {"postgresql": _postgresql_mark, "sqlite": _sqlite_mark}


def _unchanged_since(mark: str) -> bool:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            # Transactions older than the snapshot's xmin had all ended when it was taken: only later ones can be
            # missing from it, and the unique index on txid finds those. A snapshot ahead of the server's own
            # numbering comes from another server (a dump restored elsewhere): its numbers say nothing here.
            cursor.execute(
                "SELECT (SELECT count(*) FROM pg_trigger"
                " WHERE tgname = 'exports_records_changed' AND tgenabled IN ('O', 'A')) = %s"
                " AND pg_snapshot_xmax(%s::pg_snapshot) <= pg_snapshot_xmax(pg_current_snapshot())"
                " AND NOT EXISTS (SELECT 1 FROM exports_recordschange"
                " WHERE txid >= pg_snapshot_xmin(%s::pg_snapshot)::text::bigint"
                " AND NOT pg_visible_in_snapshot(txid::text::xid8, %s::pg_snapshot))",
                [_triggers_expected(), mark, mark, mark],
            )
            return cursor.fetchone()[0]
    return mark == _sqlite_mark()


@transaction.atomic
def _keep(counted: CountedFigures, mark: str, counts: dict, *, viewed: bool = True) -> None:
    # Counts of an earlier day are no one's any more: what is overdue has moved on.
    CountedFigures.objects.filter(day__lt=counted.day).delete()
    counted.mark, counted.counts, counted.counted_at = mark, counts, timezone.now()
    # One statement whoever else keeps this scope's counts at the same moment: the later counts replace the other.
    CountedFigures.objects.bulk_create(
        [counted],
        update_conflicts=True,
        unique_fields=["key"],
        update_fields=["mark", "counts", "counted_at", *(["viewer", "viewed_at"] if viewed else [])],
    )
    if connection.vendor == "postgresql":
        RecordsChange.objects.filter(at__lt=timezone.now() - NOTES_KEPT).delete()


_POSTGRESQL_NOTE = """
CREATE OR REPLACE FUNCTION exports_records_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO exports_recordschange (txid) VALUES (txid_current()) ON CONFLICT (txid) DO NOTHING;
    RETURN NULL;
END
$$
"""

_SQLITE_EVENTS = ("INSERT", "UPDATE", "DELETE")
_SQLITE_NOTE = (
    "INSERT INTO exports_recordschange (id, txid) VALUES (1, 1) ON CONFLICT (id) DO UPDATE SET txid = txid + 1"
)


def install_triggers(using_connection) -> None:
    """Put the triggers that note writes on every counted table (again: a table SQLite rebuilds in a migration
    loses its triggers, and a database restored without them has none). Run after every ``migrate``
    (exports.apps)."""
    existing = set(using_connection.introspection.table_names())
    if RecordsChange._meta.db_table not in existing:
        return
    quote = using_connection.ops.quote_name
    tables = [table for table in counted_tables() if table in existing]
    with using_connection.cursor() as cursor:
        if using_connection.vendor == "postgresql":
            cursor.execute(_POSTGRESQL_NOTE)
            for table in tables:
                cursor.execute(
                    f"CREATE OR REPLACE TRIGGER exports_records_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE"
                    f" ON {quote(table)} FOR EACH STATEMENT EXECUTE FUNCTION exports_records_changed()"
                )
        elif using_connection.vendor == "sqlite":
            for table in tables:
                for event in _SQLITE_EVENTS:
                    name = quote(f"exports_changed_{table}_{event.lower()}")
                    cursor.execute(f"DROP TRIGGER IF EXISTS {name}")
                    cursor.execute(f"CREATE TRIGGER {name} AFTER {event} ON {quote(table)} BEGIN {_SQLITE_NOTE}; END")
    # Writes made while a trigger was missing went unnoticed: no counts kept before may be trusted.
    CountedFigures.objects.using(using_connection.alias).all().delete()
