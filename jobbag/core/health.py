"""/healthz: is the database answering, and is the task queue being worked off?

For load balancers and monitoring, so it needs no login and shows only counts and
timings: no names, hosts, versions or errors. 200 while the database answers ("degraded"
when tasks pile up with no live worker or wait too long), 503 when it does not.
"""

import logging
import time
from datetime import timedelta

from django.conf import settings
from django.db import DatabaseError, connection
from django.db.models import Count, Min
from django.http import HttpRequest, JsonResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe
from django_tasks_db.models import DBTaskResult

from jobbag.core.models import WorkerHeartbeat

logger = logging.getLogger(__name__)

# A ready task waiting longer than this means the workers are not keeping up.
QUEUE_STALE_AFTER = timedelta(minutes=10)


def _database() -> dict:
    started = time.monotonic()
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return {
        "ok": True,
        "vendor": connection.vendor,
        "ms": round((time.monotonic() - started) * 1000, 1),
    }


def _tasks() -> dict:
    now = timezone.now()
    # The worker's own notion of ready: queued and due.
    ready = DBTaskResult.objects.ready().aggregate(count=Count("pk"), oldest=Min("enqueued_at"))
    oldest = ready["oldest"]
    return {
        "ready": ready["count"],
        "failed": DBTaskResult.objects.failed().count(),
        "oldest_ready_seconds": max(0, round((now - oldest).total_seconds())) if oldest else 0,
        "workers_alive": WorkerHeartbeat.objects.filter(
            last_seen__gte=now - settings.TASK_WORKER_STALE_AFTER
        ).count(),
    }


def _is_degraded(tasks: dict) -> bool:
    stranded = tasks["ready"] and not tasks["workers_alive"]
    return bool(stranded) or tasks["oldest_ready_seconds"] > QUEUE_STALE_AFTER.total_seconds()


@never_cache
@require_safe
def healthz(request: HttpRequest) -> JsonResponse:
    try:
        database = _database()
        tasks = _tasks()
    except DatabaseError:
        logger.exception("Health check: the database does not answer")
        return JsonResponse(
            {"status": "degraded", "database": {"ok": False}, "tasks": None}, status=503
        )
    status = "degraded" if _is_degraded(tasks) else "ok"
    return JsonResponse({"status": status, "database": database, "tasks": tasks})
