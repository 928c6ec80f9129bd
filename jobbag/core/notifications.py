"""Notifications shown in the shell; services call `notify` inside their transaction.
With `email=True` each recipient with an address also gets the notice by e-mail (queued
as a task in the same transaction, so it goes out only if the change is kept)."""

from django.conf import settings
from django.core.mail import EmailMessage
from django.db.models import QuerySet
from django.utils import timezone, translation

from jobbag.core.models import Notification


def notify(*, recipients, message, link: str = "", email: bool = False) -> None:
    """`message` is text, or a callable that builds it, so that each recipient gets it in
    their own language."""
    recipients = list(recipients)
    Notification.objects.bulk_create(
        Notification(recipient=user, message=_text(user, message)[:500], link=link)
        for user in recipients
    )
    if email:
        for user in recipients:
            if user.email:
                _email(user, message, link)


def _text(user, message) -> str:
    if not callable(message):
        return str(message)
    with translation.override(getattr(user, "language", None) or settings.LANGUAGE_CODE):
        return str(message())


def _email(user, message, link: str) -> None:
    text = _text(user, message)
    body = f"{text}\n\n{settings.SITE_URL.rstrip('/')}{link}" if link else text
    EmailMessage(subject=" ".join(text.split())[:200], body=body, to=[user.email]).send()


def unread_count(user) -> int:
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()


def notifications_for(user) -> QuerySet[Notification]:
    return Notification.objects.filter(recipient=user)


def notification_mark_read(*, user, pk: int) -> None:
    Notification.objects.filter(recipient=user, pk=pk, read_at__isnull=True).update(
        read_at=timezone.now()
    )
