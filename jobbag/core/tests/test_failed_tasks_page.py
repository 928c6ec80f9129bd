"""Administrators see failed tasks and run them again; nobody else gets in."""

from datetime import timedelta

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.mail import EmailMessage
from django.urls import reverse
from django.utils import timezone, translation
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from jobbag.core.mail import message_to_dict
from jobbag.core.models import AuditEntry
from jobbag.core.navigation import menu_for
from jobbag.core.task_views import QUEUED_AGAIN
from jobbag.core.tasks import GAVE_UP_KEY, TASK_NOT_FAILED, send_email
from jobbag.core.testing import Case, run_permission_matrix
from jobbag.core.tests.tasks_for_tests import always_fails, noop

URL = reverse("core:failed_tasks")


def failed_task(*, attempts: int = 3, gave_up: bool = True, minutes_ago: int = 0) -> DBTaskResult:
    """A task that failed `attempts` times (as the worker and the reaper leave it)."""
    result = always_fails.enqueue()
    DBTaskResult.objects.filter(pk=result.id).update(
        status=TaskResultStatus.FAILED,
        worker_ids=[f"w{n}" for n in range(attempts)],
        started_at=timezone.now(),
        finished_at=timezone.now() - timedelta(minutes=minutes_ago),
        exception_class_path="builtins.RuntimeError",
        traceback='Traceback (most recent call last):\n  File "x.py", line 1\nRuntimeError: boom\n',
        return_value={GAVE_UP_KEY: "2025-10-09T07:00:00+08:00"} if gave_up else None,
    )
    return DBTaskResult.objects.get(pk=result.id)


def retry_url(result: DBTaskResult) -> str:
    return reverse("core:retry_task", args=[result.pk])


@pytest.mark.django_db
def test_it_shows_failed_tasks_to_an_admin_newest_first(cast, login):
    older = failed_task(minutes_ago=10)
    newer = failed_task(attempts=1, gave_up=False)
    noop.enqueue()  # Not failed: not listed.

    response = login(cast.admin).get(URL)

    assert response.status_code == 200
    rows = response.context["rows"]
    assert [row.pk for row in rows] == [str(newer.pk), str(older.pk)]
    assert rows[1].name == "always_fails"
    assert rows[1].attempts == 3
    assert rows[1].gave_up is True
    assert rows[0].gave_up is False
    assert rows[1].error_class == "builtins.RuntimeError"
    assert rows[1].traceback.endswith("RuntimeError: boom")
    assert b"always_fails" in response.content
    assert retry_url(older).encode() in response.content


@pytest.mark.django_db
def test_it_shows_only_recipients_and_subject_of_a_failed_email(cast, login):
    message = EmailMessage("Reset your password", "secret-link", "a@x.example", ["b@x.example"])
    result = send_email.enqueue(message_to_dict(message))
    DBTaskResult.objects.filter(pk=result.id).update(status=TaskResultStatus.FAILED)

    response = login(cast.admin).get(URL)

    assert b"Reset your password" in response.content
    assert b"b@x.example" in response.content
    assert b"secret-link" not in response.content


@pytest.mark.django_db
def test_it_refuses_everyone_but_admins(cast):
    result = failed_task()
    retry = retry_url(result)
    cases = [Case("anonymous", "GET", URL, 302), Case("admin", "GET", URL, 200)]
    for role in ("ae", "ad", "gm", "designer", "finance"):
        cases += [Case(role, "GET", URL, 403), Case(role, "POST", retry, 403)]
    # Client users meet 404 on every staff page: the portal isolates them.
    for role in ("client", "outsider"):
        cases += [Case(role, "GET", URL, 404), Case(role, "POST", retry, 404)]
    run_permission_matrix(cast, cases)

    result.refresh_from_db()
    assert result.status == TaskResultStatus.FAILED
    assert not AuditEntry.objects.exists()


@pytest.mark.django_db
def test_it_lists_the_page_in_a_fixed_number_of_queries(cast, login, django_assert_num_queries):
    client = login(cast.admin)
    for _ in range(3):
        failed_task()
    client.get(URL)  # Warm up: content types, translations.
    with django_assert_num_queries(5) as three:
        client.get(URL)

    for _ in range(27):
        failed_task()
    with django_assert_num_queries(5) as thirty:
        response = client.get(URL)

    assert len(three.captured_queries) == len(thirty.captured_queries)
    assert len(response.context["rows"]) == 25
    assert response.context["page_obj"].paginator.count == 30


@pytest.mark.django_db
def test_it_runs_a_failed_task_again_and_audits_it(cast, login):
    result = failed_task()

    response = login(cast.admin).post(retry_url(result), follow=True)

    assert response.redirect_chain == [(URL, 302)]
    assert in_chinese(QUEUED_AGAIN) in response.content.decode()
    result.refresh_from_db()
    assert result.status == TaskResultStatus.READY
    assert result.run_after <= timezone.now()
    assert result.return_value is None
    assert len(result.worker_ids) == 3  # The history of attempts stays.
    entry = AuditEntry.objects.get()
    assert entry.actor == cast.admin
    assert entry.action == AuditEntry.Action.TRANSITION
    assert entry.content_type == ContentType.objects.get_for_model(DBTaskResult)
    assert entry.object_id == str(result.pk)
    assert entry.changes == {"status": ["FAILED", "READY"]}


@pytest.mark.django_db
def test_it_refuses_to_retry_a_task_that_is_not_failed(cast, login):
    waiting = noop.enqueue()

    response = login(cast.admin).post(
        retry_url(DBTaskResult.objects.get(pk=waiting.id)), follow=True
    )

    assert in_chinese(TASK_NOT_FAILED) in response.content.decode()
    assert DBTaskResult.objects.get(pk=waiting.id).status == TaskResultStatus.READY
    assert not AuditEntry.objects.exists()


@pytest.mark.django_db
def test_it_answers_404_for_an_unknown_task(cast, login):
    response = login(cast.admin).post(
        reverse("core:retry_task", args=["00000000-0000-0000-0000-000000000000"])
    )

    assert response.status_code == 404
    assert not AuditEntry.objects.exists()


@pytest.mark.django_db
def test_it_refuses_a_get_on_the_retry_address(cast, login):
    result = failed_task()

    assert login(cast.admin).get(retry_url(result)).status_code == 405
    result.refresh_from_db()
    assert result.status == TaskResultStatus.FAILED


@pytest.mark.django_db
def test_it_puts_the_page_in_the_admin_menu_only(cast):
    assert "core:failed_tasks" in [item.url_name for item in menu_for(cast.admin)]
    assert "core:failed_tasks" not in [item.url_name for item in menu_for(cast.gm)]


def in_chinese(message) -> str:
    """What the admin, whose language is Chinese, reads for `message`."""
    with translation.override("zh-hans"):
        return str(message)
