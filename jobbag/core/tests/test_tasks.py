"""Tasks are enqueued with the change that causes them; failures are retried, then given up."""

from datetime import timedelta

import pytest
from django.db import transaction
from django.test import override_settings
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from jobbag.core.models import Notification
from jobbag.core.tasks import GAVE_UP_KEY, reap_tasks, retry_backoff
from jobbag.core.tests.tasks_for_tests import always_fails, noop, run_ready_tasks


def make_due(result_id) -> None:
    """Lets a task waiting out its backoff run now."""
    DBTaskResult.objects.filter(pk=result_id).update(run_after=timezone.now())


@pytest.mark.django_db(transaction=True)
def test_it_leaves_no_task_when_the_transaction_rolls_back():
    with pytest.raises(RuntimeError), transaction.atomic():
        noop.enqueue(1)
        raise RuntimeError("the change failed")

    assert DBTaskResult.objects.count() == 0


@pytest.mark.django_db(transaction=True)
def test_it_keeps_the_task_when_the_transaction_commits():
    with transaction.atomic():
        result = noop.enqueue(2)

    stored = DBTaskResult.objects.get()
    assert str(stored.pk) == result.id
    assert stored.status == TaskResultStatus.READY
    assert stored.args_kwargs == {"args": [2], "kwargs": {}}


@pytest.mark.django_db
def test_it_runs_a_queued_task():
    result = noop.enqueue(7)

    run_ready_tasks()

    result.refresh()
    assert result.status == TaskResultStatus.SUCCESSFUL
    assert result.return_value == 7


@pytest.mark.django_db
@override_settings(TASK_MAX_ATTEMPTS=3, TASK_RETRY_BACKOFF=timedelta(seconds=60))
def test_it_retries_a_failed_task_with_backoff_then_gives_up_and_tells_admins_once(cast):
    result = always_fails.enqueue()
    run_ready_tasks()
    stored = DBTaskResult.objects.get(pk=result.id)
    assert stored.status == TaskResultStatus.FAILED
    assert len(stored.worker_ids) == 1

    # First retry: back in the queue, but not before the backoff has passed.
    now = timezone.now()
    assert reap_tasks(now) == {"recovered": 0, "retried": 1, "gave_up": 0}
    stored.refresh_from_db()
    assert stored.status == TaskResultStatus.READY
    assert stored.run_after == now + timedelta(seconds=60)
    run_ready_tasks()
    stored.refresh_from_db()
    assert stored.status == TaskResultStatus.READY
    assert len(stored.worker_ids) == 1

    # Second attempt fails; the next wait is twice as long.
    make_due(result.id)
    run_ready_tasks()
    now = timezone.now()
    assert reap_tasks(now)["retried"] == 1
    stored.refresh_from_db()
    assert stored.run_after == now + timedelta(seconds=120)
    assert len(stored.worker_ids) == 2

    # Third attempt fails: that is the last one.
    make_due(result.id)
    run_ready_tasks()
    assert reap_tasks() == {"recovered": 0, "retried": 0, "gave_up": 1}
    stored.refresh_from_db()
    assert stored.status == TaskResultStatus.FAILED
    assert len(stored.worker_ids) == 3
    assert stored.exception_class_path == "builtins.RuntimeError"
    assert GAVE_UP_KEY in stored.return_value

    # Admins (only they) are told once, however often the reaper runs afterwards.
    assert reap_tasks() == {"recovered": 0, "retried": 0, "gave_up": 0}
    notes = Notification.objects.all()
    assert [n.recipient for n in notes] == [cast.admin]
    assert "always_fails" in notes[0].message
    assert notes[0].link == "/admin/tasks/"


@pytest.mark.django_db
def test_it_leaves_successful_and_waiting_tasks_alone():
    done = noop.enqueue(1)
    run_ready_tasks()
    waiting = noop.enqueue(2)

    assert reap_tasks() == {"recovered": 0, "retried": 0, "gave_up": 0}

    assert DBTaskResult.objects.get(pk=done.id).status == TaskResultStatus.SUCCESSFUL
    assert DBTaskResult.objects.get(pk=waiting.id).status == TaskResultStatus.READY


@override_settings(TASK_RETRY_BACKOFF=timedelta(seconds=10))
def test_it_doubles_the_backoff_with_each_attempt():
    assert [retry_backoff(n).total_seconds() for n in (1, 2, 3, 4)] == [10, 20, 40, 80]
