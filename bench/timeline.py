"""Render time of a case timeline with 10, 100 and 1,000 events: as it is now, and "as known on" a day.

Runs against a throw-away test database of whatever DATABASE_URL names (SQLite
by default); bench/run runs it on SQLite and on a PostgreSQL server it starts.
Prints figures; asserts nothing.

"As known on" reads the history tables, so it is measured twice: first on tables
the database has never analysed (autovacuum is switched off for the run), then
after ANALYZE. Other records' history fills the status-change history table
(--history-rows) so that a plan that reads the whole table shows.

    .venv/bin/python bench/timeline.py [--runs 15] [--history-rows 100000]
"""

import argparse
import os
import statistics
import sys
import time
import uuid
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection, reset_queries  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402

from bench.support import throwaway_database, verified_client  # noqa: E402

SIZES = (10, 100, 1000)


def build_case(size: int, team):
    from appeals.enums import AppealKind, Forum, ResponseType, StepType
    from appeals.services import add_appeal_step, file_appeal, record_official_response
    from cases.enums import Role, SourceType, Status
    from cases.services import add_person, add_source, add_to_case, open_case, record_status_change

    by, reason = team[0], "Benchmark data"
    case = open_case(by=by, reason=reason, title=f"Benchmark case with {size} events")
    case.team.add(*team)
    people = [add_person(by=by, reason=reason) for _ in range(4)]
    for person in people:
        add_to_case(by=by, reason=reason, case=case, person=person, role=Role.VICTIM)
    sources = [
        add_source(by=by, reason=reason, case=case, source_type=SourceType.MEDIA, title=f"Report {n}")
        for n in range(20)
    ]
    statuses = [Status.DETAINED, Status.RELEASED, Status.IN_HIDING, Status.DISAPPEARED]
    start = date(2015, 1, 1)
    events = 0
    appeal = None
    while events < size:
        day = start + timedelta(days=3 * events)
        kind = events % 10
        if kind < 5:
            record_status_change(
                by=by,
                reason=reason,
                person=people[events % 4],
                case=case,
                status=statuses[events % 4],
                when=day.isoformat(),
                sources=[sources[events % 20]],
                description="Reported by a relative.",
            )
            events += 1
        elif kind < 7:
            if appeal is None or events % 50 == 5:
                appeal = file_appeal(
                    by=by, reason=reason, case=case, forum=Forum.UN_SPECIAL_PROCEDURES, kind=AppealKind.URGENT_APPEAL
                )
            # Each communication also proposes a reply deadline: two events.
            add_appeal_step(
                by=by,
                reason=reason,
                appeal=appeal,
                step_type=StepType.COMMUNICATION_SENT,
                when=day.isoformat(),
                sources=[sources[events % 20]],
            )
            events += 2
        else:
            record_official_response(
                by=by,
                reason=reason,
                case=case,
                response_type=ResponseType.DENIAL,
                when=day.isoformat(),
                state="Russian Federation",
                summary="Denied the facts.",
            )
            events += 1
    return case


def other_history(rows: int, by) -> None:
    """History rows of status changes in another case, each record edited once: what a register's table holds."""
    from cases.enums import Status
    from cases.models import StatusChange
    from cases.services import add_person, open_case

    case = open_case(by=by, reason="Benchmark data", title="Another case")
    person = add_person(by=by, reason="Benchmark data")
    history = StatusChange.history.model
    moment = timezone.now() - timedelta(days=365)
    batch = []
    for number in range(rows):
        if number % 2 == 0:
            record_id, history_type = uuid.uuid4(), "+"
        else:
            history_type = "~"
        day = date(2015, 1, 1) + timedelta(days=number % 3000)
        batch.append(
            history(
                id=record_id,
                created_at=moment,
                updated_at=moment,
                case_id=case.pk,
                person_id=person.pk,
                status=Status.DETAINED,
                date_start=day,
                date_end=day,
                date_precision="day",
                history_date=moment + timedelta(seconds=number),
                history_type=history_type,
                history_change_reason="Benchmark data",
            )
        )
        if len(batch) == 5000:
            history.objects.bulk_create(batch)
            batch = []
    history.objects.bulk_create(batch)


def switch_off_autovacuum() -> None:
    # Statistics appear only when the benchmark says so, not whenever autovacuum wakes up.
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            cursor.execute(f'ALTER TABLE "{table}" SET (autovacuum_enabled = false)')


def analyse() -> None:
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def timings_ms(client, url, runs) -> tuple[float, float]:
    """The median and the fastest of ``runs``: on a machine shared with other work the fastest is the steadier."""
    client.get(url)  # warm caches and connections
    timings = []
    for _ in range(runs):
        began = time.perf_counter()
        response = client.get(url)
        timings.append((time.perf_counter() - began) * 1000)
        assert response.status_code == 200, response.status_code
    return statistics.median(timings), min(timings)


def query_count(client, url) -> int:
    reset_queries()
    with CaptureQueriesContext(connection) as queries:
        client.get(url)
    return len(queries)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--history-rows", type=int, default=100_000)
    options = parser.parse_args()
    # Not setup_test_environment(): its instrumented template rendering would inflate the figures. Nor DEBUG, which
    # logs every query and keeps template debugging data: figures as a deployment would see them.
    settings.DEBUG = False
    settings.ALLOWED_HOSTS = ["testserver"]
    with throwaway_database():
        run(options)


def run(options):
    from accounts.roles import ADVOCATES
    from appeals.timeline import build_timeline
    from tests.factories import UserFactory

    switch_off_autovacuum()
    advocate = UserFactory(username="bench-advocate", role=ADVOCATES, is_staff=False)
    client = verified_client(advocate)
    other_history(options.history_rows, advocate)
    cases = {size: build_case(size, [advocate]) for size in SIZES}
    as_of = f"?as_of={timezone.localdate().isoformat()}"

    figures = {}
    for size, case in cases.items():
        url = f"/cases/{case.pk}/"
        figures[size] = {
            "events": len(build_timeline(case).events),
            "queries": query_count(client, url),
            "queries as of": query_count(client, url + as_of),
            "live": timings_ms(client, url, options.runs),
            "as of, no statistics": timings_ms(client, url + as_of, options.runs),
        }
    analyse()
    for size, case in cases.items():
        figures[size]["as of, analysed"] = timings_ms(client, f"/cases/{case.pk}/{as_of}", options.runs)

    columns = ["live", "as of, no statistics", "as of, analysed"]
    print(
        f"Timeline page ({connection.vendor}), median and fastest of {options.runs} runs in ms; "
        f"{options.history_rows} other status-change history rows; × is the median's ratio to the 10-event one."
    )
    print(f"{'events':>7} {'queries':>8} " + " ".join(f"{name:>22} {'×':>5}" for name in columns))
    for size in SIZES:
        row = figures[size]
        cells = " ".join(
            f"{row[name][0]:>13.1f} ({row[name][1]:>6.1f}) {row[name][0] / figures[SIZES[0]][name][0]:>5.1f}"
            for name in columns
        )
        print(f"{row['events']:>7} {row['queries']:>3} / {row['queries as of']:<3} {cells}")


if __name__ == "__main__":
    main()
