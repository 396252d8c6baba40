"""Speed of the figures at register scale, beside the case list measured in the same run.

Builds a throw-away test database of whatever DATABASE_URL names (SQLite by default), fills it with
generate_scale_data, and prints medians. Asserts nothing (tests/front/test_figures.py pins the query counts).

    .venv/bin/python bench/figures.py --people 100000 --status-changes 1000000 --appeals 50000
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
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.urls import get_resolver  # noqa: E402

from bench.support import throwaway_database, verified_client  # noqa: E402


def median_ms(action, runs, before=None) -> float:
    action()  # warm up caches and connections
    timings = []
    for _ in range(runs):
        if before is not None:
            before()
        began = time.perf_counter()
        action()
        timings.append((time.perf_counter() - began) * 1000)
    return statistics.median(timings)


def write_a_record():
    """What staff do between two views of the figures: a write to a counted table, which has the kept counts
    made again (exports.counted). Raw, so that it costs the measured views nothing but that."""
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE cases_statuschange SET description = description"
            " WHERE id = (SELECT id FROM cases_statuschange LIMIT 1)"
        )


def get(client, url, data=None):
    def fetch():
        response = client.get(url, data)
        assert response.status_code == 200, (url, response.status_code)

    return fetch


def post(client, url, data):
    def send():
        response = client.post(url, data)
        assert response.status_code == 200, (url, response.status_code)

    return send


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--people", type=int, default=20000)
    parser.add_argument("--status-changes", type=int, default=200000)
    parser.add_argument("--appeals", type=int, default=10000)
    parser.add_argument("--runs", type=int, default=5)
    options = parser.parse_args()
    settings.ALLOWED_HOSTS = ["testserver"]
    # Import every view now: a long run must measure the code it started with, even if files change meanwhile.
    get_resolver().url_patterns  # noqa: B018
    with throwaway_database():
        run(options)


def run(options):
    from accounts.roles import STAFF_EDITORS
    from cases.models import Case, Person, StatusChange
    from tests.factories import UserFactory

    began = time.perf_counter()
    call_command(
        "generate_scale_data",
        people=options.people,
        status_changes=options.status_changes,
        appeals=options.appeals,
        verbosity=0,
    )
    generated_in = time.perf_counter() - began
    administrator = UserFactory(username="bench-admin", is_superuser=True)
    # A team member on every other case: the figures then go through the one question of who sees what.
    member = UserFactory(username="bench-member", role=STAFF_EDITORS)
    team = Case.team.through
    cases = Case.objects.order_by("created_at").values_list("pk", flat=True)[::2]
    team.objects.bulk_create([team(case_id=case, user=member) for case in cases], batch_size=5000)

    rows = []
    for who, user in [("administrator", administrator), ("member of half the teams", member)]:
        client = verified_client(user)
        figures = [
            ("figures page", {}),
            ("figures page, public level", {"level": "public"}),
            (
                "figures page, region, forum, 2018-2020",
                {"region": "Chechnya", "forum": "un_sp", "start": "2018", "end": "2020"},
            ),
        ]
        rows.append((who, "case list (baseline)", median_ms(get(client, "/cases/"), options.runs)))
        for label, query in figures:
            # Right after a write (counted again) and viewed again with nothing written since (counts kept).
            rows.append(
                (
                    who,
                    f"{label}, after a write",
                    median_ms(get(client, "/figures/", query), options.runs, write_a_record),
                )
            )
            rows.append((who, f"{label}, again", median_ms(get(client, "/figures/", query), options.runs)))
        measured = [
            (
                "records behind 'people detained'",
                get(client, "/figures/records/", {"figure": "people", "status": "detained"}),
            ),
            (
                "public figures export, CSV",
                post(client, "/figures/export/", {"format": "csv", "purpose": "bench", "threshold": 5}),
            ),
            (
                "public figures export, PDF",
                post(client, "/figures/export/", {"format": "pdf", "purpose": "bench", "threshold": 5}),
            ),
        ]
        for label, action in measured:
            runs = max(1, options.runs // 2) if "export" in label else options.runs
            rows.append((who, label, median_ms(action, runs)))

    print(
        f"\nFigures benchmark ({connection.vendor}): {Person.objects.count()} people, "
        f"{StatusChange.objects.count()} status changes, {Case.objects.count()} cases; "
        f"generated in {generated_in:.0f} s. Medians of {options.runs} runs (exports: {max(1, options.runs // 2)})."
    )
    print(f"{'user':<26} {'page':<56} {'ms':>9}")
    for who, label, milliseconds in rows:
        print(f"{who:<26} {label:<56} {milliseconds:>9.1f}")


if __name__ == "__main__":
    main()
