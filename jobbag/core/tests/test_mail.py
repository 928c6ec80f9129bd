"""E-mail is queued as a task and delivered once, whatever happens to the task."""

import pytest
from django.core import mail
from django.core.mail import EmailMessage, EmailMultiAlternatives, send_mail
from django.db import transaction
from django.test import override_settings
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from jobbag.core.mail import message_from_dict, message_to_dict
from jobbag.core.models import SentEmail
from jobbag.core.tasks import reap_tasks, send_email
from jobbag.core.tests.tasks_for_tests import run_ready_tasks

queued_mail = override_settings(
    EMAIL_BACKEND="jobbag.core.mail.QueuedEmailBackend",
    EMAIL_DELIVERY_BACKEND="django.core.mail.backends.locmem.EmailBackend",
)


def full_message() -> EmailMultiAlternatives:
    message = EmailMultiAlternatives(
        subject="报价单 Q-2025-001",
        body="请查收。",
        from_email="ae@agency.example",
        to=["client@brand.example"],
        cc=["ad@agency.example"],
        bcc=["archive@agency.example"],
        reply_to=["ae@agency.example"],
        headers={"X-Jobbag": "quote"},
    )
    message.attach_alternative("<p>请查收。</p>", "text/html")
    message.attach("quote.pdf", b"%PDF-1.7 \x00\xff binary", "application/pdf")
    message.attach("notes.txt", "说明", "text/plain")
    return message


@pytest.mark.django_db
@queued_mail
def test_it_queues_mail_as_a_task_instead_of_sending_it():
    sent = send_mail("Hello", "Body", "a@agency.example", ["b@brand.example"])

    assert sent == 1
    assert mail.outbox == []
    task = DBTaskResult.objects.get()
    assert task.task_path == send_email.module_path
    assert task.status == TaskResultStatus.READY

    run_ready_tasks()

    assert len(mail.outbox) == 1
    assert mail.outbox[0].subject == "Hello"
    assert mail.outbox[0].to == ["b@brand.example"]
    assert SentEmail.objects.count() == 1


@pytest.mark.django_db
@queued_mail
def test_it_keeps_every_part_of_the_message():
    full_message().send()

    run_ready_tasks()

    [delivered] = mail.outbox
    original = full_message()
    for field in ("subject", "body", "from_email", "to", "cc", "bcc", "reply_to"):
        assert getattr(delivered, field) == getattr(original, field), field
    assert delivered.extra_headers["X-Jobbag"] == "quote"
    assert list(delivered.alternatives) == [("<p>请查收。</p>", "text/html")]
    assert [tuple(a) for a in delivered.attachments] == [
        ("quote.pdf", b"%PDF-1.7 \x00\xff binary", "application/pdf"),
        ("notes.txt", "说明", "text/plain"),
    ]
    # The Message-ID fixed when queued is the one the recipient sees.
    message_id = delivered.extra_headers["Message-ID"]
    assert delivered.message()["Message-ID"] == message_id
    assert delivered.message()["Date"] == delivered.extra_headers["Date"]
    assert SentEmail.objects.get().message_id == message_id


def test_it_round_trips_a_message_through_json():
    message = EmailMessage("S", "B", "a@x.example", ["b@x.example"])
    message.content_subtype = "html"

    data = message_to_dict(message)
    rebuilt = message_from_dict(data)

    assert rebuilt.content_subtype == "html"
    assert rebuilt.extra_headers["Message-ID"] == data["headers"]["Message-ID"]
    assert message_to_dict(rebuilt) == data


@pytest.mark.django_db
@queued_mail
def test_it_sends_once_when_the_task_runs_twice():
    payload = message_to_dict(full_message())

    first = send_email.call(payload)
    second = send_email.call(payload)

    assert len(mail.outbox) == 1
    assert first["sent"] is True
    assert second == {"message_id": first["message_id"], "sent": False}
    assert SentEmail.objects.filter(message_id=first["message_id"]).count() == 1


@pytest.mark.django_db(transaction=True)
@queued_mail
def test_it_sends_nothing_when_the_change_rolls_back():
    with pytest.raises(RuntimeError), transaction.atomic():
        send_mail("Hello", "Body", "a@agency.example", ["b@brand.example"])
        raise RuntimeError("the change failed")

    run_ready_tasks()

    assert DBTaskResult.objects.count() == 0
    assert mail.outbox == []


@pytest.mark.django_db
@queued_mail
def test_it_sends_on_the_retry_when_the_mail_server_was_down():
    send_mail("Hello", "Body", "a@agency.example", ["b@brand.example"])
    with override_settings(
        EMAIL_DELIVERY_BACKEND="jobbag.core.tests.tasks_for_tests.FailingEmailBackend"
    ):
        run_ready_tasks()
    task = DBTaskResult.objects.get()
    assert task.status == TaskResultStatus.FAILED
    assert task.exception_class_path == "builtins.ConnectionRefusedError"
    # The delivery marker rolled back with the failure, so the retry really sends.
    assert SentEmail.objects.count() == 0

    reap_tasks()
    DBTaskResult.objects.filter(pk=task.pk).update(run_after=task.enqueued_at)
    run_ready_tasks()

    task.refresh_from_db()
    assert task.status == TaskResultStatus.SUCCESSFUL
    assert len(task.worker_ids) == 2
    assert len(mail.outbox) == 1
    assert SentEmail.objects.count() == 1


@pytest.mark.django_db
@queued_mail
def test_it_queues_nothing_for_a_message_without_recipients():
    assert EmailMessage("S", "B", "a@x.example", []).send() == 0
    assert DBTaskResult.objects.count() == 0
