"""Tasks and helpers for the task-queue tests (importable by a worker subprocess too)."""

import os
import time
from collections.abc import Callable
from pathlib import Path
from unittest import mock
from urllib.parse import quote

from django.core.mail.backends.base import BaseEmailBackend
from django.db import connection
from django_tasks import task
from django_tasks_db.management.commands.db_worker import Worker

# Seconds: the longest any single step of a test with a subprocess may take. Generous,
# because a busy machine starts Python slowly; a passing run takes a fraction of it.
WAIT = 60


@task()
def noop(value: int = 0) -> int:
    return value


@task()
def always_fails() -> None:
    raise RuntimeError("boom")


@task()
def hold_while_file_exists(directory: str, timeout: float = 30) -> None:
    """Notes each start in `started`, waits while `hold` exists, notes the end in `done`."""
    folder = Path(directory)
    with open(folder / "started", "a") as started:
        started.write(f"{os.getpid()}\n")
    deadline = time.monotonic() + timeout
    while (folder / "hold").exists():
        if time.monotonic() > deadline:
            raise TimeoutError("hold file was never removed")
        time.sleep(0.05)
    with open(folder / "done", "a") as done:
        done.write(f"{os.getpid()}\n")


class FailingEmailBackend(BaseEmailBackend):
    """A mail server that is down."""

    def send_messages(self, email_messages) -> int:
        raise ConnectionRefusedError("mail server unreachable")


def run_ready_tasks(worker_id: str = "test-worker") -> None:
    """Runs every task that is ready now, in this process, as the stock worker would.

    The worker closes idle connections between tasks; inside a test's transaction that
    would close the test's own connection, so it is told not to.
    """
    worker = Worker(
        queue_names=["*"],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id=worker_id,
        excluded_queue_names=[],
    )
    with mock.patch("django_tasks_db.management.commands.db_worker.close_old_connections"):
        worker.run()


def database_url() -> str:
    """The live test database, for a worker process of its own."""
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{db['NAME']}"
    credentials = quote(db["USER"]) + (f":{quote(db['PASSWORD'])}" if db["PASSWORD"] else "")
    return f"postgres://{credentials}@{db['HOST'] or 'localhost'}:{db['PORT'] or 5432}/{db['NAME']}"


def wait_for(condition: Callable[[], bool], what: str) -> None:
    deadline = time.monotonic() + WAIT
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"Timed out waiting for {what}")
        time.sleep(0.05)
