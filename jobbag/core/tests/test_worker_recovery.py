"""A worker killed mid-task loses nothing: the reaper re-queues its task for another."""

import os
import signal
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.test import override_settings
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from jobbag.core.models import Notification, WorkerHeartbeat
from jobbag.core.tasks import reap_tasks
from jobbag.core.tests.tasks_for_tests import (
    WAIT,
    database_url,
    hold_while_file_exists,
    noop,
    wait_for,
)


def running_task(*, worker_ids: list[str], started_ago: timedelta) -> DBTaskResult:
    result = noop.enqueue()
    DBTaskResult.objects.filter(pk=result.id).update(
        status=TaskResultStatus.RUNNING,
        worker_ids=worker_ids,
        started_at=timezone.now() - started_ago,
    )
    return DBTaskResult.objects.get(pk=result.id)


def beat(worker_id: str, ago: timedelta) -> None:
    WorkerHeartbeat.objects.create(worker_id=worker_id, last_seen=timezone.now() - ago)


@pytest.mark.django_db
@override_settings(TASK_WORKER_STALE_AFTER=timedelta(seconds=60), TASK_MAX_ATTEMPTS=3)
def test_it_requeues_only_tasks_whose_worker_went_silent():
    beat("alive", timedelta(seconds=5))
    beat("dead", timedelta(minutes=5))
    of_live_worker = running_task(worker_ids=["alive"], started_ago=timedelta(minutes=10))
    of_dead_worker = running_task(worker_ids=["dead"], started_ago=timedelta(minutes=10))
    of_unknown_worker = running_task(worker_ids=["never-beat"], started_ago=timedelta(minutes=10))
    just_started = running_task(worker_ids=["dead"], started_ago=timedelta(seconds=5))

    assert reap_tasks()["recovered"] == 2

    for requeued in (of_dead_worker, of_unknown_worker):
        requeued.refresh_from_db()
        assert (requeued.status, requeued.started_at) == (TaskResultStatus.READY, None)
    for kept in (of_live_worker, just_started):
        kept.refresh_from_db()
        assert kept.status == TaskResultStatus.RUNNING


@pytest.mark.django_db
@override_settings(TASK_WORKER_STALE_AFTER=timedelta(seconds=60), TASK_MAX_ATTEMPTS=2)
def test_it_gives_up_on_a_task_that_keeps_losing_its_worker(cast):
    result = running_task(worker_ids=["dead-1", "dead-2"], started_ago=timedelta(minutes=10))

    assert reap_tasks() == {"recovered": 1, "retried": 0, "gave_up": 1}

    result.refresh_from_db()
    assert result.status == TaskResultStatus.FAILED
    assert result.exception_class_path == "jobbag.core.tasks.WorkerLost"
    assert "dead-2" in result.traceback
    assert Notification.objects.get().recipient == cast.admin


def start_worker(worker_id: str, log: Path, *extra: str) -> subprocess.Popen:
    return subprocess.Popen(
        [
            *(sys.executable, str(settings.BASE_DIR / "manage.py"), "run_worker"),
            *("--worker-id", worker_id, "--no-reload", "--no-startup-delay"),
            *("--interval", "0.1", *extra),
        ],
        env={**os.environ, "DATABASE_URL": database_url()},
        stdout=log.open("a"),
        stderr=subprocess.STDOUT,
    )


def lines(path: Path) -> list[str]:
    return path.read_text().split() if path.exists() else []


@pytest.mark.xdist_group("worker")
@pytest.mark.django_db(transaction=True)
def test_it_finishes_exactly_once_the_task_of_a_worker_killed_mid_task(tmp_path):
    hold = tmp_path / "hold"
    hold.touch()
    result = hold_while_file_exists.enqueue(str(tmp_path))
    log = tmp_path / "worker.log"

    first = start_worker("first", log)
    try:
        wait_for(lambda: lines(tmp_path / "started"), "the first worker to start the task")
        stored = DBTaskResult.objects.get(pk=result.id)
        assert stored.status == TaskResultStatus.RUNNING
        assert stored.worker_ids == ["first"]
        assert WorkerHeartbeat.objects.filter(worker_id="first").exists()
    finally:
        first.send_signal(signal.SIGKILL)
        first.wait(timeout=WAIT)

    # The worker is gone without a word; its task still says RUNNING.
    assert DBTaskResult.objects.get(pk=result.id).status == TaskResultStatus.RUNNING
    stale_after = timedelta(seconds=0.3)
    time.sleep(stale_after.total_seconds() + 0.1)
    with override_settings(TASK_WORKER_STALE_AFTER=stale_after):
        assert reap_tasks()["recovered"] == 1
    stored = DBTaskResult.objects.get(pk=result.id)
    assert stored.status == TaskResultStatus.READY
    assert stored.started_at is None

    hold.unlink()
    second = start_worker("second", log, "--batch")
    try:
        assert second.wait(timeout=WAIT) == 0, log.read_text()
    finally:
        if second.poll() is None:
            second.kill()
            second.wait()

    stored = DBTaskResult.objects.get(pk=result.id)
    assert stored.status == TaskResultStatus.SUCCESSFUL, log.read_text()
    assert stored.worker_ids == ["first", "second"]
    assert len(lines(tmp_path / "started")) == 2
    assert lines(tmp_path / "done") == [str(second.pid)]
    # The second worker stopped cleanly, so it took its heartbeat with it.
    assert not WorkerHeartbeat.objects.filter(worker_id="second").exists()
