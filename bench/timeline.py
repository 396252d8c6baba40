"""Median render time of a case timeline with 10, 100 and 1,000 events.

Runs against a throw-away test database of whatever DATABASE_URL names (SQLite
by default); bench/run runs it on SQLite and on a PostgreSQL server it starts.
Prints figures; asserts nothing.
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

from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402

from bench.support import throwaway_database, verified_client  # noqa: E402

SIZES = (10, 100, 1000)
RUNS = 15


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


def median_ms(client, url) -> float:
    client.get(url)  # warm caches and connections
    timings = []
    for _ in range(RUNS):
        began = time.perf_counter()
        response = client.get(url)
        timings.append((time.perf_counter() - began) * 1000)
        assert response.status_code == 200, response.status_code
    return statistics.median(timings)


def main():
    # Not setup_test_environment(): its instrumented template rendering would inflate the figures.
    settings.ALLOWED_HOSTS = ["testserver"]
    with throwaway_database():
        from accounts.roles import ADVOCATES
        from appeals.timeline import build_timeline
        from tests.factories import UserFactory

        advocate = UserFactory(username="bench-advocate", role=ADVOCATES, is_staff=False)
        client = verified_client(advocate)
        vendor = connection.vendor
        print(f"Timeline render, median of {RUNS} runs ({vendor}):")
        print(f"{'events':>8} {'timeline ms':>12} {'as known on ms':>15} {'events shown':>13}")
        for size in SIZES:
            case = build_case(size, [advocate])
            url = f"/cases/{case.pk}/"
            live = median_ms(client, url)
            as_of = median_ms(client, f"{url}?as_of={date.today().isoformat()}")
            count = len(build_timeline(case).events)
            print(f"{size:>8} {live:>12.1f} {as_of:>15.1f} {count:>13}")


if __name__ == "__main__":
    main()
