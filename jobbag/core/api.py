"""My notifications over the API (the same ones the shell's notifications area shows)."""

from datetime import datetime

from django.http import HttpRequest
from ninja import Router, Schema
from ninja.pagination import paginate

from jobbag.core.api_support import PagePagination, caller, errors, get_or_404
from jobbag.core.notifications import notification_mark_read, notifications_for

router = Router(tags=["notifications"])


class NotificationOut(Schema):
    id: int
    message: str
    link: str
    created_at: datetime
    read_at: datetime | None


@router.get("/notifications", response={200: list[NotificationOut], **errors()})
@paginate(PagePagination)
def list_notifications(request: HttpRequest, unread: bool = False):
    """Mine, newest first; `unread=true` for the unread ones only."""
    notifications = notifications_for(caller(request))
    if unread:
        notifications = notifications.filter(read_at__isnull=True)
    return notifications


@router.post(
    "/notifications/{notification_id}/read", response={200: NotificationOut, **errors(404, 409)}
)
def read_notification(request: HttpRequest, notification_id: int):
    """Marks one of mine read (again is harmless); 404 for anyone else's."""
    notifications = notifications_for(caller(request))
    get_or_404(notifications, pk=notification_id)
    notification_mark_read(user=caller(request), pk=notification_id)
    return notifications.get(pk=notification_id)
