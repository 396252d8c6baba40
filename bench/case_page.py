"""Queries and median render time of the admin case page and its history at 10, 100 and 1,000 events.

Runs against a throw-away test database of whatever DATABASE_URL names (SQLite by default), as a staff
editor on the case team. Prints figures; asserts nothing. Beside the wall-clock time it prints this process's
CPU time, which a busy machine inflates less (on PostgreSQL it leaves out the server's own work).

    .venv/bin/python bench/case_page.py [--sizes 10 100 1000] [--runs 7]
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from bench.support import throwaway_database, verified_client  # noqa: E402


def measure(client, url, runs) -> tuple[int, float, float]:
    client.get(url)  # warm caches and connections
    connection.queries_log.clear()  # a full log (it keeps the last 9,000) would count nothing
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    count = len(queries)  # read now: the next request empties the log
    wall, cpu = [], []
    for _ in range(runs):
        began, began_cpu = time.perf_counter(), time.process_time()
        client.get(url)
        wall.append((time.perf_counter() - began) * 1000)
        cpu.append((time.process_time() - began_cpu) * 1000)
    return count, statistics.median(wall), statistics.median(cpu)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", type=int, nargs="+", default=[10, 100, 1000])
    parser.add_argument("--runs", type=int, default=7)
    options = parser.parse_args()
    # Not setup_test_environment(): its instrumented template rendering would inflate the figures.
    settings.ALLOWED_HOSTS = ["testserver"]
    # Queries are logged only while counted: logging them all, as DEBUG does, would slow every page.
    settings.DEBUG = False
    with throwaway_database():
        from accounts.roles import STAFF_EDITORS
        from tests.cases.sized_case import case_with_events
        from tests.factories import UserFactory

        editor = UserFactory(username="bench-editor", role=STAFF_EDITORS)
        client = verified_client(editor)
        print(f"Admin case page and history, staff editor, median of {options.runs} runs ({connection.vendor}):")
        columns = ("page queries", "ms", "cpu ms", "history queries", "ms", "cpu ms")
        print(f"{'events':>8}", *(f"{column:>{max(len(column), 6) + 1}}" for column in columns))
        for size in options.sizes:
            case = case_with_events(size, [editor], by=editor)
            page = measure(client, f"/admin/cases/case/{case.pk}/change/", options.runs)
            history = measure(client, f"/admin/cases/case/{case.pk}/history/", options.runs)
            figures = (*page, *history)
            print(
                f"{size:>8}",
                *(f"{figure:>{max(len(column), 6) + 1}.0f}" for figure, column in zip(figures, columns, strict=True)),
            )


if __name__ == "__main__":
    main()
