"""Speed at register scale, each figure beside a baseline measured in the same run.

Builds a throw-away test database of whatever DATABASE_URL names (SQLite by
default), fills it with generate_scale_data, and prints medians. Asserts nothing.

    .venv/bin/python bench/scale.py --people 100000 --status-changes 1000000 --appeals 50000
"""

import argparse
import os
import statistics
import sys
import time
from datetime import date
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


def median_ms(action, runs) -> float:
    action()  # warm up caches and connections
    timings = []
    for _ in range(runs):
        began = time.perf_counter()
        action()
        timings.append((time.perf_counter() - began) * 1000)
    return statistics.median(timings)


def page(client, url):
    def fetch():
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)

    return fetch


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--people", type=int, default=20000)
    parser.add_argument("--status-changes", type=int, default=200000)
    parser.add_argument("--appeals", type=int, default=10000)
    parser.add_argument("--runs", type=int, default=15)
    options = parser.parse_args()

    settings.ALLOWED_HOSTS = ["testserver"]
    settings.ROOT_URLCONF = "bench.plain_admin"
    # Import every view now: a long run must measure the code it started with, even if files change meanwhile.
    get_resolver().url_patterns  # noqa: B018
    with throwaway_database():
        run(options)


def run(options):
    from appeals.enums import StepType
    from appeals.services import add_appeal_step, file_appeal
    from cases.enums import Status
    from cases.models import SYSTEM, Case, NameVariant, Person, StatusChange
    from cases.services import record_status_change, save_record
    from exports.services import export_case
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
    admin_user = UserFactory(username="bench-admin", is_superuser=True)
    client = verified_client(admin_user)

    # A case of 1,000 events for the timeline, built through the services like real edits.
    case = Case.objects.order_by("created_at").first()
    person = case.people.first()
    for day in range(600):
        record_status_change(
            by=admin_user,
            reason="bench",
            person=person,
            case=case,
            status=Status.DETAINED,
            when=date.fromordinal(date(2015, 1, 1).toordinal() + day * 5).isoformat(),
        )
    appeal = file_appeal(by=admin_user, reason="bench", case=case, forum="un_sp", kind="urgent_appeal")
    for day in range(200):
        when = date.fromordinal(date(2016, 1, 1).toordinal() + day * 7).isoformat()
        add_appeal_step(by=admin_user, reason="bench", appeal=appeal, step_type=StepType.COMMUNICATION_SENT, when=when)
    variant = NameVariant.objects.filter(script="latin").first().name.split()[-1]

    rows = []

    def measure(label, ours, baseline, baseline_label):
        ours_ms = median_ms(ours, options.runs)
        base_ms = median_ms(baseline, options.runs)
        rows.append((label, ours_ms, base_ms, baseline_label))

    health = page(client, "/healthz")
    measure(
        "admin person list",
        page(client, "/admin/cases/person/"),
        page(client, "/plain-admin/cases/person/"),
        "plain admin person list",
    )
    measure(
        "admin case list",
        page(client, "/admin/cases/case/"),
        page(client, "/plain-admin/cases/case/"),
        "plain admin case list",
    )
    # Plain admin cannot search encrypted names at all; its fair baseline lists the same rows the search finds.
    found_people = ",".join(str(pk) for pk in Person.objects.matching(variant, SYSTEM).values_list("pk", flat=True))
    found_cases = ",".join(str(pk) for pk in Case.objects.matching(variant, SYSTEM).values_list("pk", flat=True))
    measure(
        f"admin person search by name ({variant})",
        page(client, f"/admin/cases/person/?q={variant}"),
        page(client, f"/plain-admin/cases/person/?id__in={found_people}"),
        "plain admin, same people",
    )
    measure(
        "admin person search by codename",
        page(client, f"/admin/cases/person/?q={person.codename}"),
        page(client, f"/plain-admin/cases/person/?q={person.codename}"),
        "plain admin codename search",
    )
    measure(
        "admin case search by name",
        page(client, f"/admin/cases/case/?q={variant}"),
        page(client, f"/plain-admin/cases/case/?id__in={found_cases}"),
        "plain admin, same cases",
    )
    measure("case timeline, 1,000 events", page(client, f"/cases/{case.pk}/"), health, "health check (floor)")
    # The staff's own page of that case: its latest events inline, whatever the case's size (bench/case_page.py).
    measure(
        "admin case page, 1,000 events",
        page(client, f"/admin/cases/case/{case.pk}/change/"),
        health,
        "health check (floor)",
    )
    measure(
        "admin case history, 1,000 events",
        page(client, f"/admin/cases/case/{case.pk}/history/"),
        health,
        "health check (floor)",
    )
    measure("deadlines dashboard", page(client, "/deadlines/"), health, "health check (floor)")
    measure(
        "case list (advocate page)",
        page(client, "/cases/"),
        page(client, "/plain-admin/cases/case/"),
        "plain admin case list",
    )

    change = StatusChange.objects.filter(person=person).first()

    def save_with_history():
        change.description = f"edit {time.perf_counter()}"
        save_record(change, by=admin_user, reason="bench")

    def save_without_history():
        # The same service path with simple-history switched off for this save: the ratio is what history costs.
        change.description = f"edit {time.perf_counter()}"
        change.skip_history_when_saving = True
        try:
            save_record(change, by=admin_user, reason="bench")
        finally:
            del change.skip_history_when_saving

    measure("save a status change with history", save_with_history, save_without_history, "same save, history off")

    typical = Case.objects.exclude(pk=case.pk).order_by("created_at").first()
    events = StatusChange.objects.filter(case=typical).count()

    def export_pdf():
        export_case(case_id=typical.pk, user=admin_user, level="internal", fmt="pdf", purpose="bench")

    measure(
        f"export one case summary as PDF ({events} status changes)",
        export_pdf,
        page(client, f"/cases/{typical.pk}/"),
        "the same case's timeline page",
    )

    print(
        f"\nScale benchmark ({connection.vendor}): {Person.objects.count()} people, "
        f"{StatusChange.objects.count()} status changes, {Case.objects.count()} cases; "
        f"generated in {generated_in:.0f} s. Medians of {options.runs} runs."
    )
    print(f"{'measure':<52} {'ms':>8} {'baseline ms':>12} {'ratio':>6}  baseline")
    for label, ours_ms, base_ms, baseline_label in rows:
        print(f"{label:<52} {ours_ms:>8.1f} {base_ms:>12.1f} {ours_ms / base_ms:>6.2f}  {baseline_label}")


if __name__ == "__main__":
    main()
