"""Bulk exports outlast what stops their worker: a killed worker's job runs again, an export that keeps being
interrupted fails visibly with a way to try again, and a database outage neither fails the job nor the worker."""

from datetime import timedelta
from unittest import mock

import pytest
from django.core.management import get_commands
from django.db import OperationalError
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from exports import services
from exports.jobs import requeue_abandoned_tasks, this_machine
from exports.models import ExportJob, JobStatus, Worker
from exports.services import start_bulk_export
from exports.worker import ResilientWorker
from tests.factories import CaseFactory

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _quiet_heartbeat(settings):
    # The worker's own beats are not under test here: the first would come after the test is over.
    settings.WORKER_BEAT_SECONDS = 60
    settings.WORKER_LEASE_SECONDS = 180


def _worker():
    return ResilientWorker(
        queue_names=["default"],
        excluded_queue_names=[],
        batch=True,
        interval=0,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id="worker-under-test",
    )


@pytest.fixture
def job(alice, case):
    other = CaseFactory(title="Another", team=[alice])
    return start_bulk_export(case_ids=[case.pk, other.pk], user=alice, level="internal", fmt="json", purpose="UN")


def _left_running_by_a_dead_worker(job, *, done=1, attempts=1):
    """What `kill -9` of the worker part-way leaves: the task RUNNING under its id, the job running, its lease
    run out (it stopped beating three minutes ago, on another machine, so its process cannot be looked up)."""
    Worker.objects.create(
        id="dead-worker", host="another-machine", pid=4242, beat_at=timezone.now() - timedelta(minutes=3)
    )
    DBTaskResult.objects.get().claim("dead-worker")
    ExportJob.objects.filter(pk=job.pk).update(
        status=JobStatus.RUNNING, done=done, attempts=attempts, worker_id="dead-worker"
    )


def test_the_page_of_a_job_whose_worker_died_says_so_and_the_next_worker_finishes_it(alice_client, job):
    _left_running_by_a_dead_worker(job, done=1)

    page = alice_client.get(f"/exports/jobs/{job.pk}/").content.decode()
    assert "Stopped" in page
    assert "The worker making this export stopped at 1 of 2 cases" in page
    assert "No background worker is running now." in page

    _worker().run()

    job.refresh_from_db()
    assert (job.status, job.done, job.attempts) == (JobStatus.DONE, 2, 2)
    assert DBTaskResult.objects.get().status == "SUCCESSFUL"
    # Its worker's row went once it was known to have stopped; the worker under test said goodbye itself.
    assert not Worker.objects.exists()
    page = alice_client.get(f"/exports/jobs/{job.pk}/").content.decode()
    assert "Download the ZIP" in page
    assert "refreshes itself" not in page


def test_a_task_of_a_worker_within_its_lease_is_left_alone(job):
    Worker.objects.create(id="busy-worker", host="another-machine", pid=4242, beat_at=timezone.now())
    DBTaskResult.objects.get().claim("busy-worker")

    assert requeue_abandoned_tasks() == 0
    assert DBTaskResult.objects.get().status == "RUNNING"


def test_a_task_of_a_worker_whose_process_is_gone_on_this_machine_goes_back_at_once(job):
    worker = _worker()
    # A process id no process has (above Linux's largest), beating a second ago.
    Worker.objects.create(id="killed", host=this_machine(), pid=2**22 + 1, beat_at=timezone.now())
    DBTaskResult.objects.get().claim("killed")

    assert requeue_abandoned_tasks() == 1
    worker.run()
    job.refresh_from_db()
    assert job.status == JobStatus.DONE


def test_an_export_interrupted_too_often_fails_saying_so_and_can_be_tried_again(alice_client, job, settings):
    settings.EXPORT_ATTEMPTS = 3
    _left_running_by_a_dead_worker(job, done=1, attempts=3)

    _worker().run()

    job.refresh_from_db()
    assert (job.status, job.stopped_at) == (JobStatus.FAILED, 1)
    page = alice_client.get(f"/exports/jobs/{job.pk}/").content.decode()
    assert "The export was interrupted 3 times (its worker stopped), the last time at 1 of 2 cases." in page
    assert "Nothing was handed out and no export record was kept." in page
    assert "Try again" in page
    assert "refreshes itself" not in page

    response = alice_client.post(f"/exports/jobs/{job.pk}/retry/")
    pressed_twice = alice_client.post(f"/exports/jobs/{job.pk}/retry/")

    again = ExportJob.objects.exclude(pk=job.pk).get()
    assert response.url == pressed_twice.url == f"/exports/jobs/{again.pk}/"
    page = alice_client.get(f"/exports/jobs/{job.pk}/").content.decode()
    assert "It was tried again: see the new export." in page
    assert "Try again" not in page
    assert (again.status, again.case_ids, again.purpose) == (JobStatus.QUEUED, job.case_ids, "UN")
    _worker().run()
    again.refresh_from_db()
    assert again.status == JobStatus.DONE


def test_another_user_cannot_retry_a_failed_export(client, charlie, job):
    ExportJob.objects.filter(pk=job.pk).update(status=JobStatus.FAILED)
    client.force_login(charlie)

    response = client.post(f"/exports/jobs/{job.pk}/retry/")

    assert response.status_code == 404
    assert ExportJob.objects.count() == 1


def test_the_database_going_away_mid_export_neither_fails_the_job_nor_stops_the_worker(job):
    render, calls = services._render, []

    def render_once_without_database(*args, **kwargs):
        calls.append(1)
        if len(calls) == 2:
            raise OperationalError("server closed the connection unexpectedly")
        return render(*args, **kwargs)

    with (
        mock.patch.object(services, "_render", render_once_without_database),
        mock.patch.object(ResilientWorker, "_wait_for_database") as waited,
    ):
        _worker().run()

    waited.assert_called_once()
    job.refresh_from_db()
    # The first attempt stopped at 1 of 2 when the database went; the second, once it was back, finished.
    assert (job.status, job.attempts, job.stopped_at, job.failure) == (JobStatus.DONE, 2, 1, "")
    assert DBTaskResult.objects.get().status == "SUCCESSFUL"


def test_the_worker_waits_for_the_database_with_growing_pauses(monkeypatch):
    pauses, failures = [], iter([True, True, True, False])

    class Cursor:
        def __enter__(self):
            if next(failures):
                raise OperationalError("connection refused")
            return self

        def __exit__(self, *exc):
            return False

        def execute(self, sql):
            pass

    monkeypatch.setattr("exports.worker.time.sleep", pauses.append)
    monkeypatch.setattr("exports.worker._close_connection", lambda: None)
    monkeypatch.setattr("exports.worker.connection", mock.Mock(cursor=Cursor))

    _worker()._wait_for_database()

    assert pauses == [0.5, 1.0, 2.0, 4.0]


def test_manage_py_db_worker_is_the_worker_that_outlasts_faults():
    assert get_commands()["db_worker"] == "exports"
