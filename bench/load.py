"""Bounded load test on loopback: gunicorn and PostgreSQL (started by bench/load), simulated staff
writing status changes through the admin while advocates read, for a fixed time, optionally under a fault.
Then it checks that there were no server errors (500), that every acknowledged write is in the database
and its history, that no write was saved twice, and that no history row lacks its user. Prints throughput,
latency percentiles, and what each fault did.

Faults (``--fault``), each started a third of the way into the run:
- ``worker``: `kill -9` of a web worker every two seconds, requests in flight and all; gunicorn starts another.
- ``database``: PostgreSQL restarted (``--outage-seconds 0``), or stopped for that many seconds; a bulk export
  runs meanwhile on a background worker, which must ride it out without being restarted.
- ``job-worker``: `kill -9` of the background worker part-way through a bulk export; a new worker is started a
  second later, as the supervisor (systemd) does, and must finish the export.

A simulated user whose form got no clear answer (the connection broke, or 503) sends the same form again,
with the same one-time submission key, until it is acknowledged: as a person would, after a reload.
"""

import argparse
import http.client
import http.cookiejar
import os
import re
import secrets
import signal
import statistics
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django  # noqa: E402

django.setup()

from django.contrib.auth.models import Group, User  # noqa: E402
from django.db import DatabaseError, close_old_connections, connection  # noqa: E402

from accounts.models import AuthenticatorApp  # noqa: E402
from accounts.roles import ADVOCATES, STAFF_EDITORS  # noqa: E402
from cases.models import Case, StatusChange  # noqa: E402
from cases.services import save_record  # noqa: E402
from exports.models import JobStatus  # noqa: E402
from exports.services import start_bulk_export  # noqa: E402

PASSWORD = "load-test-password-42"  # noqa: S105  # nosec B105 - a throw-away account on a throw-away database
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
SUBMISSION_KEY = re.compile(r'name="submission_key" value="([^"]+)"')
# What a request that reached no answer raises: refused, reset, closed mid-answer, timed out.
CONNECTION_ERRORS = (urllib.error.URLError, http.client.HTTPException, ConnectionError, TimeoutError)
CONNECTION_ERROR = 0  # the status recorded for a request that got no answer
BULK_EXPORT_CASES = 300


class Session:
    def __init__(self, base, username):
        self.base, self.username = base, username
        self.cookies = http.cookiejar.CookieJar(policy=BehindTlsProxy())
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.cookies), NoRedirect)

    def request(self, path, data=None):
        """(status, text, milliseconds, location); status 0 when the connection broke before an answer."""
        body = urllib.parse.urlencode(data, doseq=True).encode() if data is not None else None
        # The request reaches Django as HTTPS (see BehindTlsProxy), so its referer must be an https one.
        headers = {"X-Forwarded-Proto": "https", "Referer": self.base.replace("http://", "https://") + path}
        request = urllib.request.Request(self.base + path, data=body, headers=headers)  # noqa: S310 - loopback only
        began = time.perf_counter()
        try:
            with self.opener.open(request, timeout=30) as response:  # noqa: S310 - loopback only
                status, text, location = response.status, response.read().decode(), response.headers["Location"]
        except urllib.error.HTTPError as error:
            status, text, location = error.code, error.read().decode(), error.headers["Location"]
            error.close()
        except CONNECTION_ERRORS:
            status, text, location = CONNECTION_ERROR, "", None
        return status, text, (time.perf_counter() - began) * 1000, location

    def form(self, path):
        """The form's CSRF token and one-time key, asked for again until the page comes."""
        while True:
            status, text, _ms, _location = self.request(path)
            if status == 200:
                return CSRF.search(text)[1], SUBMISSION_KEY.search(text)[1]
            time.sleep(0.2)

    def login(self):
        token = CSRF.search(self.request("/accounts/login/")[1])[1]
        credentials = {"csrfmiddlewaretoken": token, "username": self.username, "password": PASSWORD}
        self.request("/accounts/login/", credentials)
        code = AuthenticatorApp.objects.get(user__username=self.username).current_code()
        token = CSRF.search(self.request("/accounts/2fa/")[1])[1]
        answer = {"csrfmiddlewaretoken": token, "token": code, "next": "/cases/"}
        status = self.request("/accounts/2fa/", answer)[0]
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


def staff_loop(session, run, case, person, deadline, results, sent):
    """Each form is sent until acknowledged (302), again with the same key after no answer or a 503."""
    add = "/admin/cases/statuschange/add/"
    number = 0
    while time.monotonic() < deadline:
        number += 1
        marker = f"load-{run}-{session.username}-{number}"
        token, key = session.form(add)
        form = {
            "csrfmiddlewaretoken": token,
            "submission_key": key,
            "case": str(case.pk),
            "person": str(person.pk),
            "status": "detained",
            "when": "2021",
            "verification": "unverified",
            "description": marker,
            "change_reason": f"reason {marker}",
        }
        attempts = 0
        while time.monotonic() < deadline:
            attempts += 1
            status, _text, ms, location = session.request(add, form)
            results["write"].append((status, ms))
            if status == 302:
                # The first answer goes to the list; one to the record itself says it was saved the first time.
                sent[marker] = (session.username, attempts, "/change/" in (location or ""))
                break
            sent[marker] = (session.username, attempts, None)
            if status not in {CONNECTION_ERROR, 502, 503}:
                break  # refused for its content: sending it again would not help
            time.sleep(0.2)


def advocate_loop(session, case, deadline, results):
    pages = ["/cases/", f"/cases/{case.pk}/", "/deadlines/"]
    number = 0
    while time.monotonic() < deadline:
        status, _text, ms, _location = session.request(pages[number % len(pages)])
        results["read"].append((status, ms))
        number += 1


def health_loop(base, deadline, seen):
    """What /healthz said, once every 0.2 s: its answers in order, runs of the same answer merged."""
    session = Session(base, "monitor")
    while time.monotonic() < deadline:
        status, text, _ms, _location = session.request("/healthz")
        answer = f"{status} {text.strip()}" if status else "no answer"
        if not seen or seen[-1][0] != answer:
            seen.append([answer, 1])
        else:
            seen[-1][1] += 1
        time.sleep(0.2)


def children(pid):
    try:
        return [int(child) for child in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    except FileNotFoundError:
        return []


def kill_web_workers(gunicorn_pid, deadline, log):
    while time.monotonic() < deadline - 2:
        workers = children(gunicorn_pid)
        if workers:
            victim = workers[0]
            os.kill(victim, signal.SIGKILL)
            log.append(f"kill -9 web worker {victim}")
        time.sleep(2)


def pg_ctl(*arguments):
    command = [
        "runuser",
        "-u",
        os.environ["BENCH_PG_USER"],
        "--",
        os.environ["BENCH_PG_CTL"],
        "-D",
        os.environ["BENCH_PG_DATA"],
        *arguments,
    ]
    if os.geteuid() != 0:
        command = command[4:]
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL)  # noqa: S603 - our own command line


def database_outage(seconds, log):
    began = time.monotonic()
    if seconds:
        pg_ctl("stop", "-m", "fast", "-w")
        time.sleep(seconds)
        pg_ctl("start", "-w", "-l", os.environ["BENCH_PG_LOG"], "-o", os.environ["BENCH_PG_OPTIONS"])
        log.append(f"PostgreSQL stopped for {seconds} s, then started ({time.monotonic() - began:.1f} s in all)")
    else:
        pg_ctl("restart", "-m", "fast", "-w")
        log.append(f"PostgreSQL restarted in {time.monotonic() - began:.1f} s")


class SupervisedWorker:
    """`manage.py db_worker`, started again a second after it dies, as systemd's Restart=always does."""

    def __init__(self):
        self.processes, self.stopping = [], False
        self.thread = threading.Thread(target=self._supervise, daemon=True)

    def start(self):
        self._spawn()
        self.thread.start()

    def _spawn(self):
        command = [sys.executable, str(ROOT / "manage.py"), "db_worker", "--no-reload", "--interval", "0.5"]
        self.processes.append(subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))  # noqa: S603

    def _supervise(self):
        while not self.stopping:
            if self.processes[-1].poll() is not None and not self.stopping:
                time.sleep(1)
                self._spawn()
            time.sleep(0.1)

    @property
    def current(self):
        return self.processes[-1]

    @property
    def restarts(self):
        return len(self.processes) - 1

    def stop(self):
        self.stopping = True
        self.thread.join()
        for process in self.processes:
            if process.poll() is None:
                process.terminate()
                process.wait(timeout=30)


def bulk_export(user, run):
    """A bulk export big enough to be caught part-way: BULK_EXPORT_CASES cases, one PDF each."""
    cases = [
        save_record(Case(title=f"Bulk export {run} #{number}"), by=user, reason="Load test")
        for number in range(BULK_EXPORT_CASES)
    ]
    for case in cases:
        case.team.add(user)
    return start_bulk_export(
        case_ids=[case.pk for case in cases], user=user, level="internal", fmt="pdf", purpose=f"Load test {run}"
    )


def job_state(job):
    """The job's status and progress, read afresh; None while the database is away."""
    try:
        close_old_connections()
        job.refresh_from_db(fields=["status", "done", "attempts", "stopped_at"])
        return job.status, job.done
    except DatabaseError:
        connection.close()
        return None


def kill_job_worker(job, worker, session, log):
    """kill -9 of the worker part-way through the job; what its page said just after."""
    victim = worker.current
    victim.kill()
    victim.wait()
    job_state(job)
    log.append(f"kill -9 background worker {victim.pid} at {job.done} of {job.total} cases")
    time.sleep(0.3)
    page = session.request(f"/exports/jobs/{job.pk}/")[1]
    said = re.search(r"The worker making this export stopped at [^.]*\.", page)
    log.append(f"job page 0.3 s later: {said[0] if said else 'no word of the stop'}")


def wait_for_job(job, seconds):
    began = time.monotonic()
    while time.monotonic() - began < seconds:
        state = job_state(job)
        if state and state[0] not in {JobStatus.QUEUED, JobStatus.RUNNING}:
            return time.monotonic() - began
        time.sleep(0.2)
    return None


def percentile(values, fraction):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--base", required=True)
    parser.add_argument("--staff", type=int, default=4)
    parser.add_argument("--advocates", type=int, default=8)
    parser.add_argument("--seconds", type=int, default=20)
    parser.add_argument("--fault", choices=["worker", "database", "job-worker"])
    parser.add_argument("--outage-seconds", type=float, default=0, help="with --fault database: 0 is a restart")
    parser.add_argument("--gunicorn-pid", type=int, help="with --fault worker")
    options = parser.parse_args()
    # Markers of this run only: a database may hold the writes of earlier runs.
    run = f"{time.strftime('%H%M%S')}{secrets.token_hex(2)}"

    cases = list(Case.objects.filter(reference__in=["C-DEMO01", "C-DEMO02", "C-DEMO03"]))
    case = cases[1]
    person = case.people.first()
    staff = make_users("load-staff-", options.staff, STAFF_EDITORS, cases)
    advocates = make_users("load-advocate-", options.advocates, ADVOCATES, cases)
    sessions = [Session(options.base, u.username) for u in staff + advocates]
    for session in sessions:
        session.login()

    worker, job, fault_log = None, None, []
    if options.fault in {"database", "job-worker"}:
        worker = SupervisedWorker()
        job = bulk_export(staff[0], run)
        worker.start()
        # The timed run starts once the worker is under way (it takes a few seconds to start on a busy machine).
        while (state := job_state(job)) is None or state[1] < 1:
            time.sleep(0.05)

    results, sent, health = defaultdict(list), {}, []
    deadline = time.monotonic() + options.seconds
    threads = [
        threading.Thread(target=staff_loop, args=(s, run, case, person, deadline, results, sent))
        for s in sessions[: options.staff]
    ]
    threads += [
        threading.Thread(target=advocate_loop, args=(s, case, deadline, results)) for s in sessions[options.staff :]
    ]
    threads.append(threading.Thread(target=health_loop, args=(options.base, deadline, health)))
    began = time.monotonic()
    for thread in threads:
        thread.start()
    time.sleep(options.seconds / 3)
    if options.fault == "worker":
        kill_web_workers(options.gunicorn_pid, deadline, fault_log)
    elif options.fault == "database":
        job_state(job)
        fault_log.append(f"bulk export at {job.done} of {job.total} cases when the database went")
        database_outage(options.outage_seconds, fault_log)
    elif options.fault == "job-worker":
        kill_job_worker(job, worker, sessions[0], fault_log)
    for thread in threads:
        thread.join()
    elapsed = time.monotonic() - began

    title = f"{options.staff} staff writing, {options.advocates} advocates reading, {elapsed:.1f} s"
    print(f"\nLoad test {run}: {title}" + (f", fault: {options.fault}" if options.fault else ""))
    columns = ("requests", "per s", "p50 ms", "p95 ms", "p99 ms", "500", "503", "no answer")
    print(f"{'kind':<6} " + " ".join(f"{column:>9}" for column in columns))
    statuses = Counter()
    for kind, rows in results.items():
        timings = [ms for status, ms in rows if status]
        kinds = Counter(status for status, _ms in rows)
        statuses.update(kinds)
        print(
            f"{kind:<6} {len(rows):>9} {len(rows) / elapsed:>9.1f} {statistics.median(timings):>9.1f} "
            f"{percentile(timings, 0.95):>9.1f} {percentile(timings, 0.99):>9.1f} {kinds[500]:>9} {kinds[503]:>9} "
            f"{kinds[CONNECTION_ERROR]:>9}"
        )
    server_errors = sum(count for status, count in statuses.items() if status >= 500 and status != 503)

    acknowledged = {marker: row for marker, row in sent.items() if row[2] is not None}
    missing, duplicated, saved_unacknowledged = [], [], 0
    close_old_connections()
    for marker, (username, _attempts, _already) in sent.items():
        copies = StatusChange.objects.filter(description=marker).count()
        if copies > 1:
            duplicated.append(marker)
        if marker not in acknowledged:
            saved_unacknowledged += copies
            continue
        row = StatusChange.history.filter(description=marker, history_type="+").select_related("history_user").first()
        attributed = row is not None and row.history_user is not None and row.history_user.username == username
        if copies == 0 or not attributed or row.history_change_reason != f"reason {marker}":
            missing.append(marker)
    unattributed = StatusChange.history.filter(
        description__startswith=f"load-{run}-", history_user__isnull=True
    ).count()
    resent = sum(1 for _username, attempts, _already in sent.values() if attempts > 1)
    already = sum(1 for _username, _attempts, already in acknowledged.values() if already)
    print(
        f"forms sent: {len(sent)}; acknowledged: {len(acknowledged)}; sent again after no clear answer: {resent}, "
        f"of which answered 'already saved': {already}; missing from database or history: {len(missing)}; "
        f"saved twice: {len(duplicated)}; saved but never acknowledged (run ended): {saved_unacknowledged}; "
        f"history rows without a user: {unattributed}; server errors (5xx but 503): {server_errors}"
    )
    print("health check: " + " → ".join(f"{answer} ×{count}" for answer, count in health))
    for line in fault_log:
        print(f"fault: {line}")

    hung = False
    if job is not None:
        finished_in = wait_for_job(job, 120)
        worker.stop()
        hung = finished_in is None or job.status != JobStatus.DONE
        print(
            f"bulk export of {job.total} cases: {job.status}, {job.done} of {job.total}, attempt {job.attempts}"
            + (f" (an earlier one stopped at {job.stopped_at})" if job.stopped_at is not None else "")
            + (f", finished {finished_in:.1f} s after the run" if finished_in is not None else ", not finished")
            + f"; background worker restarts: {worker.restarts}"
        )
    if missing or duplicated or unattributed or server_errors or hung:
        sys.exit(1)


if __name__ == "__main__":
    main()
