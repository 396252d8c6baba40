"""Bounded load test on loopback: gunicorn and PostgreSQL (started by bench/load), simulated staff
writing status changes through the admin while advocates read, for a fixed time. Then it checks
that there were no server errors, that every acknowledged write is in the database and its history,
and that no history row lacks its user. Prints throughput and latency percentiles.
"""

import argparse
import http.cookiejar
import os
import re
import statistics
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django  # noqa: E402

django.setup()

from django.contrib.auth.models import Group, User  # noqa: E402

from accounts.models import AuthenticatorApp  # noqa: E402
from accounts.roles import ADVOCATES, STAFF_EDITORS  # noqa: E402
from cases.models import Case, StatusChange  # noqa: E402

PASSWORD = "load-test-password-42"  # noqa: S105  # nosec B105 - a throw-away account on a throw-away database
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


class Session:
    def __init__(self, base, username):
        self.base, self.username = base, username
        self.cookies = http.cookiejar.CookieJar(policy=BehindTlsProxy())
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.cookies), NoRedirect)

    def request(self, path, data=None):
        body = urllib.parse.urlencode(data, doseq=True).encode() if data is not None else None
        # The request reaches Django as HTTPS (see BehindTlsProxy), so its referer must be an https one.
        headers = {"X-Forwarded-Proto": "https", "Referer": self.base.replace("http://", "https://") + path}
        request = urllib.request.Request(self.base + path, data=body, headers=headers)  # noqa: S310 - loopback only
        began = time.perf_counter()
        try:
            with self.opener.open(request, timeout=30) as response:  # noqa: S310 - loopback only
                status, text = response.status, response.read().decode()
        except urllib.error.HTTPError as error:
            status, text = error.code, error.read().decode()
            error.close()
        return status, text, (time.perf_counter() - began) * 1000

    def csrf(self, path):
        status, text, _ms = self.request(path)
        return CSRF.search(text)[1]

    def login(self):
        token = self.csrf("/accounts/login/")
        credentials = {"csrfmiddlewaretoken": token, "username": self.username, "password": PASSWORD}
        self.request("/accounts/login/", credentials)
        code = AuthenticatorApp.objects.get(user__username=self.username).current_code()
        token = self.csrf("/accounts/2fa/")
        answer = {"csrfmiddlewaretoken": token, "token": code, "next": "/cases/"}
        status, _text, _ms = self.request("/accounts/2fa/", answer)
        assert status == 302, f"{self.username} could not pass the second factor ({status})"


class BehindTlsProxy(http.cookiejar.DefaultCookiePolicy):
    """Production cookies are Secure; here the TLS proxy is simulated by X-Forwarded-Proto on loopback."""

    def return_ok_secure(self, cookie, request):
        return True


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def make_users(prefix, count, role, cases):
    users = []
    for number in range(count):
        user, _created = User.objects.get_or_create(
            username=f"{prefix}{number}", defaults={"is_staff": role == STAFF_EDITORS}
        )
        user.set_password(PASSWORD)
        user.save()
        user.groups.add(Group.objects.get(name=role))
        AuthenticatorApp.objects.get_or_create(user=user, confirmed=True, defaults={"name": "load"})
        for case in cases:
            case.team.add(user)
        users.append(user)
    return users


def staff_loop(session, case, person, deadline, results, acknowledged):
    number = 0
    while time.monotonic() < deadline:
        number += 1
        marker = f"load-{session.username}-{number}"
        token = session.csrf("/admin/cases/statuschange/add/")
        form = {
            "csrfmiddlewaretoken": token,
            "case": str(case.pk),
            "person": str(person.pk),
            "status": "detained",
            "when": "2021",
            "verification": "unverified",
            "description": marker,
            "change_reason": f"reason {marker}",
        }
        status, _text, ms = session.request("/admin/cases/statuschange/add/", form)
        results["write"].append((status, ms))
        if status == 302:
            acknowledged.append((session.username, marker))


def advocate_loop(session, case, deadline, results):
    pages = ["/cases/", f"/cases/{case.pk}/", "/deadlines/"]
    number = 0
    while time.monotonic() < deadline:
        status, _text, ms = session.request(pages[number % len(pages)])
        results["read"].append((status, ms))
        number += 1


def percentile(values, fraction):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--base", required=True)
    parser.add_argument("--staff", type=int, default=4)
    parser.add_argument("--advocates", type=int, default=8)
    parser.add_argument("--seconds", type=int, default=20)
    options = parser.parse_args()

    cases = list(Case.objects.filter(reference__in=["C-DEMO01", "C-DEMO02", "C-DEMO03"]))
    case = cases[1]
    person = case.people.first()
    staff = make_users("load-staff-", options.staff, STAFF_EDITORS, cases)
    advocates = make_users("load-advocate-", options.advocates, ADVOCATES, cases)
    sessions = [Session(options.base, u.username) for u in staff + advocates]
    for session in sessions:
        session.login()

    results, acknowledged = defaultdict(list), []
    deadline = time.monotonic() + options.seconds
    threads = [
        threading.Thread(target=staff_loop, args=(s, case, person, deadline, results, acknowledged))
        for s in sessions[: options.staff]
    ]
    threads += [
        threading.Thread(target=advocate_loop, args=(s, case, deadline, results)) for s in sessions[options.staff :]
    ]
    began = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.monotonic() - began

    print(f"\nLoad test: {options.staff} staff writing, {options.advocates} advocates reading, {elapsed:.1f} s")
    print(f"{'kind':<6} {'requests':>9} {'per s':>7} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} {'5xx':>5}")
    server_errors = 0
    for kind, rows in results.items():
        timings = [ms for _status, ms in rows]
        errors = sum(1 for status, _ms in rows if status >= 500)
        server_errors += errors
        print(
            f"{kind:<6} {len(rows):>9} {len(rows) / elapsed:>7.1f} {statistics.median(timings):>8.1f} "
            f"{percentile(timings, 0.95):>8.1f} {percentile(timings, 0.99):>8.1f} {errors:>5}"
        )

    missing, unattributed = [], 0
    for username, marker in acknowledged:
        change = StatusChange.objects.filter(description=marker).first()
        row = StatusChange.history.filter(description=marker, history_type="+").select_related("history_user").first()
        attributed = row is not None and row.history_user is not None and row.history_user.username == username
        if change is None or not attributed or row.history_change_reason != f"reason {marker}":
            missing.append(marker)
    unattributed = StatusChange.history.filter(description__startswith="load-", history_user__isnull=True).count()
    print(
        f"acknowledged writes: {len(acknowledged)}; missing from database or history: {len(missing)}; "
        f"history rows without a user: {unattributed}; server errors: {server_errors}"
    )
    if missing or unattributed or server_errors:
        sys.exit(1)


if __name__ == "__main__":
    main()
