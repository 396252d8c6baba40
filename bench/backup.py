"""Backup and restore round trip at scale: time, size, and whether every row came back.

Builds a throw-away test database of whatever DATABASE_URL names (SQLite by default), loads the
demo and synthetic scale data, backs it up with backup_database, deletes cases (their history
stays, their records cascade away), restores with restore_database, and compares the row count
of every table, history tables included. Prints figures.

    DATABASE_URL=postgres://... .venv/bin/python bench/backup.py --people 20000
"""

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django  # noqa: E402

django.setup()

from django.apps import apps  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402

from bench.support import throwaway_database  # noqa: E402


def row_counts() -> dict[str, int]:
    return {model._meta.db_table: model._base_manager.count() for model in apps.get_models() if model._meta.managed}


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--people", type=int, default=20000)
    parser.add_argument("--status-changes", type=int, default=200000)
    parser.add_argument("--appeals", type=int, default=10000)
    options = parser.parse_args()

    with throwaway_database():
        run(options)


def run(options):
    from cases.models import Case
    from front import demo

    demo.load()
    call_command(
        "generate_scale_data",
        people=options.people,
        status_changes=options.status_changes,
        appeals=options.appeals,
        verbosity=0,
    )
    before = row_counts()
    history_tables = {table for table in before if "historical" in table}
    with tempfile.TemporaryDirectory() as folder:
        backup = Path(folder) / "tracker.backup"
        began = time.perf_counter()
        call_command("backup_database", output=str(backup), stdout=open(os.devnull, "w"))  # noqa: SIM115
        backup_seconds = time.perf_counter() - began
        size_mb = backup.stat().st_size / 2**20

        deleted = Case.objects.filter(pk__in=Case.objects.order_by("reference").values("pk")[:100]).delete()[0]
        damaged = row_counts()

        began = time.perf_counter()
        call_command("restore_database", str(backup), yes=True, stdout=open(os.devnull, "w"))  # noqa: SIM115
        restore_seconds = time.perf_counter() - began
    connection.close()
    after = row_counts()

    records = sum(count for table, count in before.items() if table not in history_tables)
    history = sum(before[table] for table in history_tables)
    missing = {table: before[table] - after.get(table, 0) for table in before if after.get(table) != before[table]}
    print(
        f"\nBackup round trip ({connection.vendor}): {records:,} records and {history:,} history rows "
        f"in {len(before)} tables."
    )
    print(f"backup  {backup_seconds:6.1f} s  {size_mb:6.1f} MB")
    changed = sum(1 for table in before if damaged.get(table) != before[table])
    print(f"then deleted 100 cases: {deleted:,} rows, {changed} tables changed (deletions write history rows)")
    print(f"restore {restore_seconds:6.1f} s")
    print("every table's rows back: " + ("yes" if not missing else f"NO, missing {missing}"))


if __name__ == "__main__":
    main()
