"""Export speed: one case of 200 events as PDF and Word, and a 100-case bulk export. Prints figures only.

Runs in a throw-away test database of whatever DATABASE_URL names (SQLite by default).
"""

import os
import statistics
import sys
import time
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402

from bench.support import throwaway_database  # noqa: E402

RUNS = 7


def build_case(user, events: int, title: str):
    from cases.enums import Role, Status
    from cases.services import add_person, add_to_case, open_case, record_status_change

    case = open_case(by=user, reason="bench", title=title)
    person = add_person(by=user, reason="bench", identity={"legal_name": "Bench Person"})
    add_to_case(by=user, reason="bench", case=case, person=person, role=Role.VICTIM)
    for day in range(events):
        when = (date(2016, 1, 1) + timedelta(days=4 * day)).isoformat()
        record_status_change(
            by=user,
            reason="bench",
            person=person,
            case=case,
            status=Status.DETAINED,
            when=when,
            description="Reported by a relative; confirmed by the lawyer.",
        )
    return case


def main():
    with throwaway_database():
        from accounts.roles import ADMINISTRATORS
        from exports.models import ExportJob
        from exports.services import export_case, run_bulk_export
        from tests.factories import UserFactory

        user = UserFactory(username="bench", role=ADMINISTRATORS, is_superuser=True)
        case = build_case(user, 200, "Benchmark case, 200 events")
        print(f"Exports ({connection.vendor}), median of {RUNS} runs:")
        for fmt in ("pdf", "docx"):
            timings = []
            for _ in range(RUNS):
                began = time.perf_counter()
                result = export_case(case_id=case.pk, user=user, level="internal", fmt=fmt, purpose="bench")
                timings.append((time.perf_counter() - began) * 1000)
            print(f"  one case, 200 events, {fmt}: {statistics.median(timings):.0f} ms ({len(result.content)} bytes)")
        cases = [build_case(user, 10, f"Bulk case {n}") for n in range(100)]
        job = ExportJob.objects.create(
            user=user,
            case_ids=[str(c.pk) for c in cases],
            level="internal",
            format="pdf",
            purpose="bench",
            total=len(cases),
        )
        began = time.perf_counter()
        run_bulk_export.call(str(job.pk))
        elapsed = time.perf_counter() - began
        job.refresh_from_db()
        print(
            f"  bulk export of {job.done} cases (10 events each, PDF, one ZIP): {elapsed:.1f} s, "
            f"{job.done / elapsed:.1f} cases/s"
        )


if __name__ == "__main__":
    main()
