"""Speed at register scale for every role, each figure beside a baseline measured in the same run.

Builds a throw-away test database of whatever DATABASE_URL names (SQLite by default), fills it with
generate_scale_data, and prints medians. Each page is measured for a superuser, for two staff editors
whose teams hold a small and a large share of the register, and for an advocate on the large team,
round by round so that a busy machine slows them alike. Asserts nothing.

    .venv/bin/python bench/scale.py --people 100000 --status-changes 1000000 --appeals 50000
"""

import argparse
import os
import statistics
import sys
import time
from dataclasses import dataclass, field
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

# A page slower than this is measured fewer times (at least MIN_RUNS): a 10-second page 15 times per role
# would take the run's whole hour.
BUDGET_SECONDS = 20
MIN_RUNS = 3


@dataclass
class Row:
    label: str
    baseline_label: str
    medians: dict = field(default_factory=dict)


def median_ms(actions: dict, runs: int) -> dict:
    """Median milliseconds of each action, measured in turns: one run of each, then the next round."""
    for action in actions.values():
        action()  # warm up caches and connections
    timings = {key: [] for key in actions}
    began = time.perf_counter()
    for round_number in range(runs):
        for key, action in actions.items():
            start = time.perf_counter()
            action()
            timings[key].append((time.perf_counter() - start) * 1000)
        if round_number + 1 >= MIN_RUNS and time.perf_counter() - began > BUDGET_SECONDS:
            break
    return {key: statistics.median(values) for key, values in timings.items()}


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
    parser.add_argument("--small-team", type=int, default=2000, help="cases on the first editor's team")
    parser.add_argument("--large-team", type=int, default=20000, help="cases on the other editor's and advocate's")
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument(
        "--skip",
        action="append",
        default=[],
        metavar="TEXT",
        help="leave out the measures whose label holds TEXT (repeatable), e.g. --skip 'case page' on a busy machine",
    )
    options = parser.parse_args()

    settings.ALLOWED_HOSTS = ["testserver"]
    settings.ROOT_URLCONF = "bench.plain_admin"
    # Import every view now: a long run must measure the code it started with, even if files change meanwhile.
    get_resolver().url_patterns  # noqa: B018
    with throwaway_database():
        run(options)


def run(options):
    from accounts.roles import ADVOCATES, STAFF_EDITORS
    from appeals.enums import StepType
    from appeals.services import add_appeal_step, file_appeal
    from cases.enums import Status
    from cases.models import SYSTEM, Case, NameVariant, Person, StatusChange
    from cases.services import record_status_change, save_record
    from exports.services import export_case
    from tests.factories import UserFactory

    # generate_scale_data makes about 1.6 people per case: a team of half as many cases as people always fits.
    small = min(options.small_team, options.people // 2)
    large = min(options.large_team, options.people // 2)
    admin_user = UserFactory(username="bench-admin", is_superuser=True)
    roles = {"superuser": admin_user}
    for key, role, is_staff in [
        (f"editor {small:,}", STAFF_EDITORS, True),
        (f"editor {large:,}", STAFF_EDITORS, True),
        (f"advocate {large:,}", ADVOCATES, False),
    ]:
        username = f"bench-{key.replace(' ', '-').replace(',', '')}"
        roles[key] = UserFactory(username=username, role=role, is_staff=is_staff)
    sizes = [small, large, large]

    began = time.perf_counter()
    call_command(
        "generate_scale_data",
        people=options.people,
        status_changes=options.status_changes,
        appeals=options.appeals,
        on_team=[f"{user.username}={size}" for user, size in zip(list(roles.values())[1:], sizes, strict=True)],
        verbosity=0,
    )
    generated_in = time.perf_counter() - began
    if connection.vendor == "postgresql":
        # What autovacuum does within a minute or so of a bulk load, done before measuring rather than during it:
        # statistics (without them the first pages measured ran on a planner that thought the new tables empty,
        # an editor's person list 63 ms, 40 ms once analysed) and the visibility map that lets counts read an
        # index alone. Left to autovacuum, its vacuum of a million rows ran beside the first pages measured.
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")

    # A case of 1,000 events, built through the services like real edits, on every team measured.
    case = Case.objects.order_by("created_at").first()
    case.team.add(*roles.values())
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

    clients = {key: verified_client(user) for key, user in roles.items()}
    staff = [key for key, user in roles.items() if user.is_staff]

    rows = []

    def skipped(label):
        return any(text in label for text in options.skip)

    def add_row(label, baseline_label, actions, runs=options.runs):
        if not skipped(label):
            rows.append(Row(label, baseline_label, median_ms(actions, runs)))

    def measure(label, path, baseline, baseline_label, who=None):
        actions = {"baseline": page(clients["superuser"], baseline) if isinstance(baseline, str) else baseline}
        for key in who or roles:
            actions[key] = page(clients[key], path) if isinstance(path, str) else path
        add_row(label, baseline_label, actions)

    health = "/healthz"
    measure("admin person list", "/admin/cases/person/", "/plain-admin/cases/person/", "plain admin", staff)
    measure("admin case list", "/admin/cases/case/", "/plain-admin/cases/case/", "plain admin", staff)
    # Plain admin cannot search encrypted names at all; its fair baseline lists the same rows the search finds.
    found_people = ",".join(str(pk) for pk in Person.objects.matching(variant, SYSTEM).values_list("pk", flat=True))
    found_cases = ",".join(str(pk) for pk in Case.objects.matching(variant, SYSTEM).values_list("pk", flat=True))
    measure(
        f"admin person search by name ({variant})",
        f"/admin/cases/person/?q={variant}",
        f"/plain-admin/cases/person/?id__in={found_people}",
        "plain admin, same people",
        staff,
    )
    measure(
        "admin person search by codename",
        f"/admin/cases/person/?q={person.codename}",
        f"/plain-admin/cases/person/?q={person.codename}",
        "plain admin codename search",
        staff,
    )
    measure(
        "admin case search by name",
        f"/admin/cases/case/?q={variant}",
        f"/plain-admin/cases/case/?id__in={found_cases}",
        "plain admin, same cases",
        staff,
    )
    measure("admin case page, 1,000 events", f"/admin/cases/case/{case.pk}/change/", health, "health check", staff)
    measure("admin case history, 1,000 events", f"/admin/cases/case/{case.pk}/history/", health, "health check", staff)
    measure("case timeline, 1,000 events", f"/cases/{case.pk}/", health, "health check")
    measure("person page, 600 reports", f"/people/{person.pk}/", health, "health check")
    measure("deadlines dashboard", "/deadlines/", health, "health check")
    measure("case list (advocate page)", "/cases/", "/plain-admin/cases/case/", "plain admin case list")

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

    rows.append(
        Row(
            "save a status change with history",
            "same save, history off",
            median_ms({"baseline": save_without_history, "superuser": save_with_history}, options.runs),
        )
    )

    typical = Case.objects.exclude(pk=case.pk).order_by("created_at").first()
    events = StatusChange.objects.filter(case=typical).count()

    def export_pdf():
        export_case(case_id=typical.pk, user=admin_user, level="internal", fmt="pdf", purpose="bench")

    add_row(
        f"export one case summary as PDF ({events} status changes)",
        "the same case's timeline page",
        {"baseline": page(clients["superuser"], f"/cases/{typical.pk}/"), "superuser": export_pdf},
        runs=7,
    )

    print(
        f"\nScale benchmark ({connection.vendor}): {Person.objects.count():,} people, "
        f"{StatusChange.objects.count():,} status changes, {Case.objects.count():,} cases; "
        f"generated in {generated_in:.0f} s. Medians of up to {options.runs} runs (at least {MIN_RUNS} "
        f"within {BUDGET_SECONDS} s), ms; × is the ratio to the superuser's figure."
    )
    print(table(rows, list(roles)))


def table(rows, roles) -> str:
    header = ["measure", "baseline", *roles, "baseline is"]
    lines = [header]
    for row in rows:
        superuser = row.medians.get("superuser")
        cells = [row.label, f"{row.medians['baseline']:.1f}"]
        for key in roles:
            value = row.medians.get(key)
            if value is None:
                cells.append("—")
            elif key == "superuser":
                cells.append(f"{value:.1f}")
            else:
                cells.append(f"{value:.1f} ({value / superuser:.2f}×)")
        cells.append(row.baseline_label)
        lines.append(cells)
    return "\n".join("| " + " | ".join(cells) + " |" for cells in [lines[0], ["---"] * len(header), *lines[1:]])


if __name__ == "__main__":
    main()
