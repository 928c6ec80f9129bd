from django.conf import settings

from jobbag.core.navigation import menu_for
from jobbag.core.notifications import unread_count


def shell(request) -> dict:
    """What the base layout needs on every page: the menu and the unread count."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"LANGUAGES": settings.LANGUAGES}
    return {
        "nav_menu": menu_for(user),
        "unread_notifications": unread_count(user),
        "LANGUAGES": settings.LANGUAGES,
    }
