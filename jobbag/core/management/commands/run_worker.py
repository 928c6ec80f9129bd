"""`manage.py run_worker`: django-tasks-db's db_worker (same options) plus a heartbeat.

A thread writes core.WorkerHeartbeat for this worker every few seconds on a database
connection of its own. If the worker dies (kill -9, a crash, a lost machine) its heartbeat
stops, and the scheduler's reaper re-queues the task it was running (core.tasks).
"""

import logging
import os
import threading

from django.conf import settings
from django.db import connection
from django.utils.autoreload import DJANGO_AUTORELOAD_ENV
from django_tasks_db.management.commands.db_worker import Command as DbWorkerCommand

from jobbag.core.tasks import heartbeat_beat, heartbeat_end

logger = logging.getLogger(__name__)


def heartbeat_interval() -> float:
    """Several beats fit in the stale window, and a beat every 5 s at most is plenty."""
    return max(0.5, min(5.0, settings.TASK_WORKER_STALE_AFTER.total_seconds() / 4))


class Heartbeat(threading.Thread):
    def __init__(self, worker_id: str):
        super().__init__(name=f"heartbeat-{worker_id}", daemon=True)
        self.worker_id = worker_id
        self.first_beat = threading.Event()
        self.stopping = threading.Event()

    def run(self) -> None:
        # Django connections are per thread, so this thread has its own; it is closed here.
        try:
            while not self.stopping.is_set():
                try:
                    heartbeat_beat(self.worker_id)
                    self.first_beat.set()
                except Exception:
                    # The database may be briefly unreachable; reconnect on the next beat.
                    logger.exception("Heartbeat of worker %s failed", self.worker_id)
                    connection.close()
                self.stopping.wait(heartbeat_interval())
        finally:
            connection.close()

    def stop(self) -> None:
        self.stopping.set()
        self.join(timeout=10)


class Command(DbWorkerCommand):
    help = "Run a background task worker that sends heartbeats (see core.tasks)."

    def handle(self, *args, **options) -> None:
        # With --reload the first process only watches files and restarts a child that
        # runs tasks; only the process that runs tasks sends heartbeats.
        if options["reload"] and os.environ.get(DJANGO_AUTORELOAD_ENV) != "true":
            return super().handle(*args, **options)
        worker_id = options["worker_id"]
        heartbeat = Heartbeat(worker_id)
        heartbeat.start()
        # Claim nothing before the first heartbeat is in: the reaper would take the task.
        heartbeat.first_beat.wait(timeout=30)
        try:
            super().handle(*args, **options)
        finally:
            heartbeat.stop()
            # A clean exit leaves no task of ours running, so no heartbeat is needed.
            heartbeat_end(worker_id)
            connection.close()
