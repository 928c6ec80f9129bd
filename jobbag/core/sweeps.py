"""Periodic sweeps. Apps register theirs in their own `sweeps` module:

    from jobbag.core.sweeps import daily, hourly

    @daily("jobs.overdue_deadlines")
    def remind_overdue_deadlines() -> None: ...

    @hourly("meetings.reports_due")
    def remind_reports_due() -> None: ...

The scheduler enqueues the `run_daily_sweeps` task once per local day and
`run_hourly_sweeps` once per local hour (core.tasks); each runs every sweep registered
with it, each in its own transaction, so one that fails neither stops nor half-applies
the others. Hourly sweeps are for deadlines counted in hours (a contact report due 24
hours after the meeting) and for things due at a configured time of day. A sweep must be
idempotent: it re-derives what is due from the database (a sweep run twice, or redone
after a dead worker, does no harm).
"""

import logging
from collections.abc import Callable
from datetime import timedelta

from django.db import transaction
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from jobbag.core.models import IdempotencyRecord, ScheduledRun, SentEmail, WorkerHeartbeat

logger = logging.getLogger(__name__)

Sweep = Callable[[], object]

_daily: dict[str, Sweep] = {}
_hourly: dict[str, Sweep] = {}

# How long the housekeeping sweep keeps what it prunes.
IDEMPOTENCY_KEEP = timedelta(hours=24)
TASK_RESULT_KEEP = timedelta(days=30)
SENT_EMAIL_KEEP = timedelta(days=30)
HEARTBEAT_KEEP = timedelta(days=1)
SCHEDULED_RUN_KEEP = timedelta(days=90)


def _registrar(registry: dict[str, Sweep], kind: str) -> Callable[[str], Callable]:
    def decorator(name: str) -> Callable[[Sweep], Sweep]:
        def register(fn: Sweep) -> Sweep:
            if name in registry:
                raise ValueError(f"{kind} sweep {name!r} registered twice")
            registry[name] = fn
            return fn

        return register

    return decorator


daily = _registrar(_daily, "Daily")
daily.__doc__ = "Registers `fn()` to run once a day in the daily sweep."
hourly = _registrar(_hourly, "Hourly")
hourly.__doc__ = "Registers `fn()` to run once an hour in the hourly sweep."


def daily_sweeps() -> dict[str, Sweep]:
    return dict(_daily)


def hourly_sweeps() -> dict[str, Sweep]:
    return dict(_hourly)


def _run(registry: dict[str, Sweep], kind: str) -> dict[str, list[str]]:
    done, failed = [], []
    for name, fn in registry.items():
        try:
            with transaction.atomic():
                fn()
        except Exception:
            logger.exception("%s sweep %s failed", kind, name)
            failed.append(name)
        else:
            done.append(name)
    return {"done": done, "failed": failed}


def run_daily_sweeps() -> dict[str, list[str]]:
    """Runs every daily sweep; returns the names that succeeded and those that failed."""
    return _run(_daily, "Daily")


def run_hourly_sweeps() -> dict[str, list[str]]:
    """Runs every hourly sweep; returns the names that succeeded and those that failed."""
    return _run(_hourly, "Hourly")


@daily("core.prune_records")
def prune_records() -> None:
    """Drops bookkeeping that has served its purpose: idempotency records older than a
    day, successful task results older than 30 days (failed ones stay for admins), and
    old delivery markers, heartbeats and scheduler runs."""
    now = timezone.now()
    IdempotencyRecord.objects.filter(created_at__lt=now - IDEMPOTENCY_KEEP).delete()
    DBTaskResult.objects.successful().filter(finished_at__lt=now - TASK_RESULT_KEEP).delete()
    SentEmail.objects.filter(sent_at__lt=now - SENT_EMAIL_KEEP).delete()
    WorkerHeartbeat.objects.filter(last_seen__lt=now - HEARTBEAT_KEEP).delete()
    ScheduledRun.objects.filter(enqueued_at__lt=now - SCHEDULED_RUN_KEEP).delete()
