"""Background tasks of core, and the bookkeeping that makes the task queue dependable.

django-tasks-db runs each task once and leaves a failure FAILED, and a task whose worker
died stays RUNNING for ever. The scheduler (`manage.py run_scheduler`) calls `reap_tasks`
to fix both: failed tasks are re-queued with backoff until settings.TASK_MAX_ATTEMPTS,
then given up (admins are told once and see them on the failed-tasks page); running tasks
whose worker stopped sending heartbeats are re-queued. Tasks are therefore run at least
once, and every task must be idempotent.
"""

import json
import logging
from collections.abc import Callable
from datetime import datetime, time, timedelta
from uuid import UUID

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import get_connection
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django_tasks import TaskResultStatus, task
from django_tasks_db.models import DBTaskResult

from jobbag.core import audit, sweeps
from jobbag.core.errors import Conflict, NotFound
from jobbag.core.mail import message_from_dict, message_id_of
from jobbag.core.models import ScheduledRun, SentEmail, WorkerHeartbeat
from jobbag.core.notifications import notify
from jobbag.core.permissions import require

logger = logging.getLogger(__name__)

DAILY_SWEEP = "core.daily_sweep"
HOURLY_SWEEP = "core.hourly_sweep"
# Set in the return_value of a FAILED task once it has been given up (the library leaves
# return_value empty on failure), so admins are told about each give-up exactly once.
GAVE_UP_KEY = "jobbag_gave_up_at"
# Seconds the mail server may take to answer each step of a delivery (unless EMAIL_TIMEOUT).
DELIVERY_TIMEOUT = 10
TASK_NOT_FAILED = gettext_lazy("This task is no longer failed; reload the page.")


class WorkerLost(Exception):
    """The worker running a task stopped sending heartbeats (it was killed or hung)."""


# Tasks.


@task()
def send_email(message: dict) -> dict:
    """Delivers one queued message (see core.mail) through EMAIL_DELIVERY_BACKEND, once.

    The SentEmail marker is written in the same transaction as the hand-over: if delivery
    fails the marker rolls back and a retry sends again; if it succeeded, a second run of
    the task (even one running at the same time) finds the marker and sends nothing. The
    transaction stays open while the mail server answers, so the hand-over has a time
    limit: on SQLite an open write transaction makes other writers wait.
    """
    message_id = message_id_of(message)
    with transaction.atomic():
        _marker, created = SentEmail.objects.get_or_create(message_id=message_id)
        if created:
            connection = get_connection(
                settings.EMAIL_DELIVERY_BACKEND,
                fail_silently=False,
                timeout=settings.EMAIL_TIMEOUT or DELIVERY_TIMEOUT,
            )
            connection.send_messages([message_from_dict(message)])
    return {"message_id": message_id, "sent": created}


@task()
def run_daily_sweeps() -> dict:
    """Runs every registered daily sweep (core.sweeps) and tells admins about failures."""
    result = sweeps.run_daily_sweeps()
    if failed := result["failed"]:
        names = ", ".join(failed)
        notify_admins(
            lambda: (
                _("Daily sweeps failed: %(names)s. The server log has the details.")
                % {"names": names}
            )
        )
    return result


@task()
def run_hourly_sweeps() -> dict:
    """Runs every registered hourly sweep (core.sweeps) and tells admins about failures."""
    result = sweeps.run_hourly_sweeps()
    if failed := result["failed"]:
        names = ", ".join(failed)
        notify_admins(
            lambda: (
                _("Hourly sweeps failed: %(names)s. The server log has the details.")
                % {"names": names}
            )
        )
    return result


# Notifications to administrators, each in their own language.


def administrators() -> QuerySet:
    """Active system administrators (as the `is_admin` of accounts.User says)."""
    User = get_user_model()
    return User.objects.filter(is_superuser=True, is_active=True, kind=User.Kind.STAFF)


def notify_admins(message: Callable[[], str], *, link: str = "") -> None:
    """Notifies every active administrator; `message()` is called in each one's language."""
    by_language: dict[str, list] = {}
    for admin in administrators():
        by_language.setdefault(admin.language or settings.LANGUAGE_CODE, []).append(admin)
    for language, recipients in by_language.items():
        with translation.override(language):
            notify(recipients=recipients, message=message(), link=link)


# The reaper: retry failed tasks, recover tasks of dead workers.


def retry_backoff(attempts: int) -> timedelta:
    """How long a task that failed its `attempts`-th attempt waits: 1, 2, 4... times the base."""
    return settings.TASK_RETRY_BACKOFF * 2 ** max(attempts - 1, 0)


def recover_stale_tasks(now: datetime) -> int:
    """Re-queues RUNNING tasks whose worker has sent no heartbeat within
    TASK_WORKER_STALE_AFTER; a task that has used up its attempts this way is failed
    (with WorkerLost) instead, so a task that kills its worker cannot loop for ever."""
    stale_before = now - settings.TASK_WORKER_STALE_AFTER
    recovered = 0
    with transaction.atomic():
        # A task started within the window is left alone whatever its worker's heartbeat
        # says: its worker wrote one just before claiming it.
        running = list(
            DBTaskResult.objects.running()
            .filter(started_at__lt=stale_before)
            .select_for_update(skip_locked=True)
        )
        claimed_by = {result.worker_ids[-1] for result in running if result.worker_ids}
        alive = set(
            WorkerHeartbeat.objects.filter(
                worker_id__in=claimed_by, last_seen__gte=stale_before
            ).values_list("worker_id", flat=True)
        )
        for result in running:
            worker_id = result.worker_ids[-1] if result.worker_ids else ""
            if worker_id in alive:
                continue
            logger.warning("Task %s lost its worker %s", result.pk, worker_id or "?")
            if len(result.worker_ids) >= settings.TASK_MAX_ATTEMPTS:
                result.status = TaskResultStatus.FAILED
                result.finished_at = now
                result.return_value = None
                result.exception_class_path = f"{WorkerLost.__module__}.{WorkerLost.__qualname__}"
                result.traceback = f"WorkerLost: worker {worker_id} stopped sending heartbeats\n"
                result.save(
                    update_fields=[
                        "status",
                        "finished_at",
                        "return_value",
                        "exception_class_path",
                        "traceback",
                    ]
                )
            else:
                result.status = TaskResultStatus.READY
                result.started_at = None
                result.save(update_fields=["status", "started_at"])
            recovered += 1
    return recovered


def retry_failed_tasks(now: datetime) -> tuple[int, int]:
    """Re-queues each newly failed task with backoff while it has attempts left, and gives
    up on the others; returns (retried, given up)."""
    retried, gave_up = 0, []
    with transaction.atomic():
        failed = (
            DBTaskResult.objects.failed()
            .filter(return_value__isnull=True)
            .select_for_update(skip_locked=True)
        )
        for result in failed:
            attempts = len(result.worker_ids)
            if attempts < settings.TASK_MAX_ATTEMPTS:
                result.status = TaskResultStatus.READY
                result.run_after = now + retry_backoff(attempts)
                result.started_at = None
                result.finished_at = None
                result.save(update_fields=["status", "run_after", "started_at", "finished_at"])
                retried += 1
            else:
                result.return_value = {GAVE_UP_KEY: now.isoformat()}
                result.save(update_fields=["return_value"])
                logger.error("Task %s (%s) given up", result.pk, result.task_path)
                gave_up.append(result)
        if gave_up:
            names = ", ".join(sorted({task_label(result) for result in gave_up}))
            count = len(gave_up)
            notify_admins(
                lambda: (
                    ngettext(
                        "A background task failed and was given up: %(names)s.",
                        "%(count)d background tasks failed and were given up: %(names)s.",
                        count,
                    )
                    % {"count": count, "names": names}
                ),
                link=reverse("core:failed_tasks"),
            )
    return retried, len(gave_up)


def reap_tasks(now: datetime | None = None) -> dict[str, int]:
    """One pass of the reaper; safe to run from several schedulers at once."""
    now = now or timezone.now()
    recovered = recover_stale_tasks(now)
    retried, gave_up = retry_failed_tasks(now)
    return {"recovered": recovered, "retried": retried, "gave_up": gave_up}


# The scheduler.


def daily_sweep_time() -> time:
    return time.fromisoformat(settings.DAILY_SWEEP_TIME)


def schedule_daily_sweep(now: datetime | None = None) -> bool:
    """Enqueues the daily sweep once per local day, at or after DAILY_SWEEP_TIME.

    The ScheduledRun row is unique per day and written in the same transaction as the
    task, so a second scheduler (or a restarted one) cannot enqueue the day's sweep again.
    """
    local = timezone.localtime(now or timezone.now())
    if local.time() < daily_sweep_time():
        return False
    try:
        with transaction.atomic():
            ScheduledRun.objects.create(name=DAILY_SWEEP, period=local.date().isoformat())
            run_daily_sweeps.enqueue()
    except IntegrityError:
        return False
    return True


def schedule_hourly_sweep(now: datetime | None = None) -> bool:
    """Enqueues the hourly sweep once per local hour, kept unique the same way."""
    local = timezone.localtime(now or timezone.now())
    try:
        with transaction.atomic():
            ScheduledRun.objects.create(name=HOURLY_SWEEP, period=local.strftime("%Y-%m-%dT%H"))
            run_hourly_sweeps.enqueue()
    except IntegrityError:
        return False
    return True


def scheduler_tick(now: datetime | None = None) -> dict:
    now = now or timezone.now()
    return {
        **reap_tasks(now),
        "daily_sweep_enqueued": schedule_daily_sweep(now),
        "hourly_sweep_enqueued": schedule_hourly_sweep(now),
    }


# Worker heartbeats.


def heartbeat_beat(worker_id: str) -> None:
    WorkerHeartbeat.objects.update_or_create(
        worker_id=worker_id, defaults={"last_seen": timezone.now()}
    )


def heartbeat_end(worker_id: str) -> None:
    WorkerHeartbeat.objects.filter(worker_id=worker_id).delete()


# The failed-tasks page.


def failed_task_results() -> QuerySet:
    """Failed tasks, newest failure first."""
    return DBTaskResult.objects.failed().order_by("-finished_at", "-enqueued_at")


def task_label(result: DBTaskResult) -> str:
    return result.task_path.rsplit(".", 1)[-1]


def task_args_summary(result: DBTaskResult, limit: int = 200) -> str:
    """What the page shows of a task's arguments. A queued e-mail shows only its
    recipients and subject: its body may hold a password-reset link."""
    args, kwargs = result.args_kwargs.get("args", []), result.args_kwargs.get("kwargs", {})
    if result.task_path == send_email.module_path and args and isinstance(args[0], dict):
        message = args[0]
        to = ", ".join(message.get("to", []) + message.get("cc", []) + message.get("bcc", []))
        return _("To %(to)s: %(subject)s") % {"to": to, "subject": message.get("subject", "")}
    text = json.dumps({"args": args, "kwargs": kwargs}, ensure_ascii=False)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def traceback_excerpt(result: DBTaskResult, lines: int = 6) -> str:
    """The last lines of the traceback: where it failed and the error message."""
    return "\n".join(result.traceback.strip().splitlines()[-lines:])


def task_retry(*, actor, task_id: UUID) -> DBTaskResult:
    """An administrator runs a failed task once more, now."""
    require(actor, "core.tasks.view_failed")
    with transaction.atomic():
        result = DBTaskResult.objects.select_for_update().filter(pk=task_id).first()
        if result is None:
            raise NotFound()
        if result.status != TaskResultStatus.FAILED:
            raise Conflict(TASK_NOT_FAILED)
        result.status = TaskResultStatus.READY
        result.run_after = timezone.now()
        result.started_at = None
        result.finished_at = None
        result.return_value = None
        result.save(
            update_fields=["status", "run_after", "started_at", "finished_at", "return_value"]
        )
        audit.record_transition(
            actor=actor,
            obj=result,
            old=TaskResultStatus.FAILED,
            new=TaskResultStatus.READY,
            note="retry",
        )
    return result
