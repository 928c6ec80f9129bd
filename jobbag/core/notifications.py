"""Notifications shown in the shell; services call `notify` inside their transaction."""

from django.db.models import QuerySet
from django.utils import timezone

from jobbag.core.models import Notification


def notify(*, recipients, message: str, link: str = "") -> None:
    Notification.objects.bulk_create(
        Notification(recipient=user, message=str(message)[:500], link=link) for user in recipients
    )


def unread_count(user) -> int:
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()


def notifications_for(user) -> QuerySet[Notification]:
    return Notification.objects.filter(recipient=user)


def notification_mark_read(*, user, pk: int) -> None:
    Notification.objects.filter(recipient=user, pk=pk, read_at__isnull=True).update(
        read_at=timezone.now()
    )
