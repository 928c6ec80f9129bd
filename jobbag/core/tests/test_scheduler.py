"""The scheduler enqueues the daily sweep once a day; one failing sweep stops no other."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command
from django.test import override_settings
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from jobbag.core import sweeps
from jobbag.core.models import (
    IdempotencyRecord,
    Notification,
    ScheduledRun,
    SentEmail,
    WorkerHeartbeat,
)
from jobbag.core.tasks import (
    DAILY_SWEEP,
    HOURLY_SWEEP,
    run_daily_sweeps,
    run_hourly_sweeps,
    schedule_daily_sweep,
    schedule_hourly_sweep,
    scheduler_tick,
)
from jobbag.core.tests.tasks_for_tests import noop, run_ready_tasks

SHANGHAI = ZoneInfo("Asia/Shanghai")


def at(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2025, 10, day, hour, minute, tzinfo=SHANGHAI)


def daily_sweep_tasks():
    return DBTaskResult.objects.filter(task_path=run_daily_sweeps.module_path)


@pytest.fixture
def only_these_sweeps(monkeypatch):
    """Replaces the registered sweeps with the ones a test gives."""

    def install(**registered):
        monkeypatch.setattr(sweeps, "_daily", dict(registered))
        monkeypatch.setattr(sweeps, "_hourly", dict(registered))

    return install


@pytest.mark.django_db
@override_settings(DAILY_SWEEP_TIME="07:00", TIME_ZONE="Asia/Shanghai")
def test_it_enqueues_the_daily_sweep_once_a_day_even_when_run_twice():
    assert schedule_daily_sweep(at(9, 6, 59)) is False
    assert daily_sweep_tasks().count() == 0

    assert schedule_daily_sweep(at(9, 7, 0)) is True
    assert schedule_daily_sweep(at(9, 7, 30)) is False
    assert schedule_daily_sweep(at(9, 23, 30)) is False
    assert daily_sweep_tasks().count() == 1
    assert ScheduledRun.objects.get().period == "2025-10-09"

    # The next local day has its own run (07:01 in Shanghai is still the 9th in UTC).
    assert schedule_daily_sweep(at(10, 7, 1)) is True
    assert daily_sweep_tasks().count() == 2
    assert set(ScheduledRun.objects.values_list("name", "period")) == {
        (DAILY_SWEEP, "2025-10-09"),
        (DAILY_SWEEP, "2025-10-10"),
    }


@pytest.mark.django_db
@override_settings(DAILY_SWEEP_TIME="00:00")
def test_it_enqueues_once_when_the_scheduler_command_runs_twice():
    call_command("run_scheduler", "--once")
    call_command("run_scheduler", "--once")

    assert daily_sweep_tasks().count() == 1
    assert ScheduledRun.objects.get(name=DAILY_SWEEP).period == timezone.localdate().isoformat()


@pytest.mark.django_db
@override_settings(TIME_ZONE="Asia/Shanghai")
def test_it_enqueues_the_hourly_sweep_once_an_hour():
    hourly = DBTaskResult.objects.filter(task_path=run_hourly_sweeps.module_path)

    assert schedule_hourly_sweep(at(9, 6, 0)) is True
    assert schedule_hourly_sweep(at(9, 6, 59)) is False
    assert schedule_hourly_sweep(at(9, 7, 1)) is True
    assert hourly.count() == 2
    assert set(ScheduledRun.objects.filter(name=HOURLY_SWEEP).values_list("period", flat=True)) == {
        "2025-10-09T06",
        "2025-10-09T07",
    }


@pytest.mark.django_db
def test_it_reaps_and_schedules_in_one_pass():
    outcome = scheduler_tick(at(9, 12))

    assert outcome == {
        "recovered": 0,
        "retried": 0,
        "gave_up": 0,
        "daily_sweep_enqueued": True,
        "hourly_sweep_enqueued": True,
    }


@pytest.mark.django_db
def test_it_runs_the_next_sweep_when_one_fails_and_tells_admins(cast, only_these_sweeps):
    def first():
        IdempotencyRecord.objects.create(key="first", method="POST", path="/a")

    def broken():
        # Its own write is rolled back with it.
        IdempotencyRecord.objects.create(key="broken", method="POST", path="/b")
        raise ValueError("bad data")

    def last():
        IdempotencyRecord.objects.create(key="last", method="POST", path="/c")

    only_these_sweeps(**{"test.first": first, "test.broken": broken, "test.last": last})
    result = run_daily_sweeps.enqueue()

    run_ready_tasks()

    result.refresh()
    assert result.status == TaskResultStatus.SUCCESSFUL
    assert result.return_value == {"done": ["test.first", "test.last"], "failed": ["test.broken"]}
    assert set(IdempotencyRecord.objects.values_list("key", flat=True)) == {"first", "last"}
    [note] = Notification.objects.all()
    assert note.recipient == cast.admin
    assert "test.broken" in note.message


@pytest.mark.django_db
def test_it_tells_nobody_when_every_sweep_succeeds(cast, only_these_sweeps):
    only_these_sweeps(**{"test.fine": lambda: None})

    assert run_daily_sweeps.call() == {"done": ["test.fine"], "failed": []}
    assert run_hourly_sweeps.call() == {"done": ["test.fine"], "failed": []}
    assert Notification.objects.count() == 0


def test_it_refuses_a_sweep_name_registered_twice():
    with pytest.raises(ValueError, match="registered twice"):
        sweeps.daily("core.prune_records")(lambda: None)


@pytest.mark.django_db
def test_it_prunes_old_bookkeeping_and_keeps_what_is_still_needed():
    now = timezone.now()
    old_key = IdempotencyRecord.objects.create(key="old", method="POST", path="/x")
    new_key = IdempotencyRecord.objects.create(key="new", method="POST", path="/x")
    IdempotencyRecord.objects.filter(pk=old_key.pk).update(created_at=now - timedelta(hours=25))

    old_done, new_done = noop.enqueue(1), noop.enqueue(2)
    run_ready_tasks()
    DBTaskResult.objects.filter(pk=old_done.id).update(finished_at=now - timedelta(days=31))
    old_failed = noop.enqueue(3)
    DBTaskResult.objects.filter(pk=old_failed.id).update(
        status=TaskResultStatus.FAILED, finished_at=now - timedelta(days=90)
    )
    SentEmail.objects.create(message_id="<old@x>")
    SentEmail.objects.filter(message_id="<old@x>").update(sent_at=now - timedelta(days=31))
    SentEmail.objects.create(message_id="<new@x>")
    WorkerHeartbeat.objects.create(worker_id="gone", last_seen=now - timedelta(days=2))
    WorkerHeartbeat.objects.create(worker_id="alive", last_seen=now)

    sweeps.prune_records()

    assert list(IdempotencyRecord.objects.all()) == [new_key]
    assert set(DBTaskResult.objects.values_list("pk", flat=True)) == {
        DBTaskResult.objects.get(pk=new_done.id).pk,
        DBTaskResult.objects.get(pk=old_failed.id).pk,
    }
    assert list(SentEmail.objects.values_list("message_id", flat=True)) == ["<new@x>"]
    assert list(WorkerHeartbeat.objects.values_list("worker_id", flat=True)) == ["alive"]


def test_it_registers_the_pruning_sweep():
    assert "core.prune_records" in sweeps.daily_sweeps()
