"""/healthz: database and task queue, public and free of secrets."""

from datetime import timedelta
from unittest import mock

from django.db import OperationalError
from django.utils import timezone
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from jobbag.core.models import WorkerHeartbeat
from jobbag.core.tests.tasks_for_tests import noop


def beat(worker_id: str, seconds_ago: int) -> None:
    WorkerHeartbeat.objects.create(
        worker_id=worker_id, last_seen=timezone.now() - timedelta(seconds=seconds_ago)
    )


def test_it_reports_ok_with_an_idle_queue(db, client):
    beat("worker-1", 5)

    response = client.get("/healthz")

    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert body["database"]["ok"] is True
    assert body["tasks"] == {"ready": 0, "failed": 0, "oldest_ready_seconds": 0, "workers_alive": 1}
    assert "no-cache" in response["Cache-Control"]


def test_it_counts_ready_and_failed_tasks_and_live_workers(db, client):
    beat("alive", 5)
    beat("dead", 3600)
    for value in range(3):
        noop.enqueue(value)
    DBTaskResult.objects.filter(args_kwargs__args=[0]).update(
        enqueued_at=timezone.now() - timedelta(seconds=90)
    )
    DBTaskResult.objects.filter(args_kwargs__args=[2]).update(status=TaskResultStatus.FAILED)

    tasks = client.get("/healthz").json()["tasks"]

    assert (tasks["ready"], tasks["failed"], tasks["workers_alive"]) == (2, 1, 1)
    assert 89 <= tasks["oldest_ready_seconds"] <= 100


def test_it_is_degraded_when_tasks_wait_with_no_live_worker(db, client):
    beat("dead", 3600)
    noop.enqueue()

    response = client.get("/healthz")

    assert response.status_code == 200
    assert response.json()["status"] == "degraded"


def test_it_is_degraded_when_tasks_wait_too_long(db, client):
    beat("alive", 1)
    noop.enqueue()
    DBTaskResult.objects.update(enqueued_at=timezone.now() - timedelta(hours=1))

    assert client.get("/healthz").json()["status"] == "degraded"


def test_it_answers_503_when_the_database_does_not(db, client):
    with mock.patch("jobbag.core.health.connection.cursor", side_effect=OperationalError("down")):
        response = client.get("/healthz")

    assert response.status_code == 503
    assert response.json() == {"status": "degraded", "database": {"ok": False}, "tasks": None}


def test_it_needs_no_login_and_reveals_no_secrets(db, client, settings):
    response = client.get("/healthz")

    text = response.content.decode()
    assert response.status_code == 200
    assert settings.SECRET_KEY not in text
    assert str(settings.DATABASES["default"]["NAME"]) not in text
    assert client.post("/healthz").status_code == 405
