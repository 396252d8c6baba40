"""Whether background work is getting done: which workers are alive, which tasks a stopped worker left behind,
and what a bulk export's page says about it.

A worker (exports/worker.py) beats every WORKER_BEAT_SECONDS. One not heard from within WORKER_LEASE_SECONDS, or
one on this machine whose process is gone, has stopped. django-tasks-db hands out only READY tasks, so a task its
worker left RUNNING would stay so for ever: it goes back to the queue and runs again from the start. Every task
must therefore be safe to run again (run_bulk_export counts its attempts and lets only the latest one finish).
"""

import logging
import os
import socket
from dataclasses import dataclass
from functools import cache

from django.tasks import TaskResultStatus
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from exports.enums import JobStatus
from exports.models import ExportJob, Worker

logger = logging.getLogger(__name__)


@cache
def this_machine() -> str:
    """Where a process id means something: the host, and on Linux the process namespace (a container of its own
    may share the host's name)."""
    try:
        namespace = os.readlink("/proc/self/ns/pid")
    except OSError:
        namespace = ""
    return f"{socket.gethostname()} {namespace}".strip()[:255]


def _process_gone(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    except PermissionError:  # another account's process: it exists
        return False
    return False


def live_worker_ids() -> set[str]:
    here = this_machine()
    return {
        worker_id
        for worker_id, host, pid in Worker.objects.alive().values_list("id", "host", "pid")
        if not (host == here and _process_gone(pid))
    }


def beat(worker_id: str) -> None:
    """Say that this worker is alive (one write; the row is made on the first beat)."""
    now = timezone.now()
    if not Worker.objects.filter(pk=worker_id).update(beat_at=now):
        Worker.objects.create(pk=worker_id, host=this_machine(), pid=os.getpid(), started_at=now, beat_at=now)


def forget(worker_id: str) -> None:
    """A worker that stops cleanly says so, rather than leaving its lease to run out."""
    Worker.objects.filter(pk=worker_id).delete()


def requeue_abandoned_tasks(*, unfinished=()) -> int:
    """Put back in the queue every task left RUNNING by a worker that stopped, and those of ``unfinished`` (tasks
    this worker ran whose end it could not record, the database having gone away)."""
    live = live_worker_ids()
    unfinished = {str(task_id) for task_id in unfinished}
    requeued = 0
    for task_id, worker_ids, started_at in DBTaskResult.objects.running().values_list("id", "worker_ids", "started_at"):
        if str(task_id) in unfinished or not worker_ids or worker_ids[-1] not in live:
            # Only if no worker claimed it again since it was read (a claim sets a new start).
            again = DBTaskResult.objects.filter(pk=task_id, status=TaskResultStatus.RUNNING, started_at=started_at)
            if again.update(status=TaskResultStatus.READY):
                requeued += 1
                logger.warning("Task %s was left running by worker %s; it is queued again", task_id, worker_ids[-1:])
    # Workers past their lease are known to have stopped (and their tasks are queued again): their rows go.
    Worker.objects.exclude(pk__in=Worker.objects.alive().values("pk")).delete()
    return requeued


@dataclass(frozen=True)
class JobProgress:
    """What a bulk export's page says: how far it got, and whether anything is working on it."""

    job: ExportJob
    # The worker exporting it stopped part-way; the export starts again as soon as a worker is running.
    worker_stopped: bool
    # No worker is running at all: nothing will happen until one is.
    no_worker: bool

    @property
    def active(self) -> bool:
        return self.job.status in {JobStatus.QUEUED, JobStatus.RUNNING}


def progress_of(job: ExportJob) -> JobProgress:
    live = live_worker_ids()
    return JobProgress(
        job=job,
        worker_stopped=job.status == JobStatus.RUNNING and job.worker_id not in live,
        no_worker=job.status in {JobStatus.QUEUED, JobStatus.RUNNING} and not live,
    )
