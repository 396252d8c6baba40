"""The background worker (`manage.py db_worker`): django-tasks-db's, made to outlast what stops it.

- It beats (exports/jobs.py) from a thread of its own, also while a long task runs, so that a worker that was
  killed is told apart from one that is busy, and the tasks a stopped worker left behind go back to the queue.
- When the database goes away (restarted, or down a while) it waits for it, with growing pauses, and carries on,
  instead of exiting; a task whose end it could not record is queued again. A supervisor still restarts it if it
  dies of anything else (deploy/, docs/operations.md).
- From another thread it counts again the figures viewed lately that records have changed since
  (exports/counted.py), so that their next view reads them.
"""

import contextlib
import logging
import threading
import time

from django.conf import settings
from django.db import DatabaseError, InterfaceError, OperationalError, connection
from django_tasks_db.management.commands.db_worker import Worker

from exports.figures import recount_viewed_figures
from exports.jobs import beat, forget, requeue_abandoned_tasks

logger = logging.getLogger("django_tasks_db")

# What a database that went away raises: refused or broken connections. Other database errors are faults in a
# task or in the code, and are left to fail as they would.
DATABASE_GONE = (OperationalError, InterfaceError)
# Waiting for the database: the first try after half a second, then twice as long each time, up to this.
LONGEST_PAUSE = 10.0


def _close_connection():
    with contextlib.suppress(DatabaseError):
        connection.close()


class Heartbeat(threading.Thread):
    """Beats for the worker every WORKER_BEAT_SECONDS, and puts back in the queue what stopped workers left."""

    def __init__(self, worker_id: str):
        super().__init__(name="worker-heartbeat", daemon=True)
        self.worker_id = worker_id
        self.stopping = threading.Event()

    def run(self):
        try:
            while not self.stopping.wait(settings.WORKER_BEAT_SECONDS):
                try:
                    beat(self.worker_id)
                    requeue_abandoned_tasks()
                except DATABASE_GONE:
                    # The worker's loop reports the outage and waits for the database; here, the next beat tries.
                    _close_connection()
        finally:
            _close_connection()


class Recounter(threading.Thread):
    """Counts again, every FIGURES_RECOUNT_SECONDS, the figures viewed lately that records have changed since: their
    next view then reads them, where it would count every record in its scope (seconds, at a register's size)."""

    def __init__(self):
        super().__init__(name="figures-recounter", daemon=True)
        self.stopping = threading.Event()

    def run(self):
        try:
            while not self.stopping.wait(settings.FIGURES_RECOUNT_SECONDS):
                try:
                    recount_viewed_figures()
                except DATABASE_GONE:
                    # The worker's loop reports the outage; the next pass tries again.
                    _close_connection()
                except Exception:
                    # One failed pass must not stop the counting for good: a view counts for itself meanwhile.
                    logger.exception("Counting the figures again failed")
        finally:
            _close_connection()


class ResilientWorker(Worker):
    def __init__(self, **options):
        super().__init__(**options)
        # Tasks this worker ran whose end it could not record: queued again once the database is back.
        self.unfinished = []

    def run(self):
        heartbeat = Heartbeat(self.worker_id)
        recounter = Recounter()
        try:
            while True:
                try:
                    # Alive before it claims anything, so no other worker takes its first task for abandoned.
                    beat(self.worker_id)
                    requeue_abandoned_tasks(unfinished=self.unfinished)
                    self.unfinished.clear()
                    if not heartbeat.is_alive():
                        heartbeat.start()
                    if not recounter.is_alive():
                        recounter.start()
                    super().run()
                    return
                except DATABASE_GONE as error:
                    if not self.running:
                        return
                    logger.warning("The database went away (%s); waiting for it", type(error).__name__)
                    self._wait_for_database()
                    # Back from an outage, not starting: no need to stagger the start.
                    self.startup_delay = False
        finally:
            heartbeat.stopping.set()
            recounter.stopping.set()
            with contextlib.suppress(DatabaseError):
                forget(self.worker_id)

    def run_task(self, db_task_result):
        # The library records any error as the task's failure. One from a database that went away is not the
        # task's fault: it is not recorded (it could not be, mostly), and the task runs again once the database is
        # back.
        record_failure = db_task_result.set_failed

        def set_failed(error):
            if isinstance(error, DATABASE_GONE):
                raise error
            record_failure(error)

        db_task_result.set_failed = set_failed
        try:
            super().run_task(db_task_result)
        except DATABASE_GONE:
            self.unfinished.append(db_task_result.pk)
            raise

    def _wait_for_database(self):
        pause = 0.5
        while True:
            _close_connection()
            time.sleep(pause)
            try:
                with connection.cursor() as cursor:
                    cursor.execute("SELECT 1")
            except DATABASE_GONE:
                pause = min(pause * 2, LONGEST_PAUSE)
            else:
                logger.warning("The database is back; the worker carries on")
                return
