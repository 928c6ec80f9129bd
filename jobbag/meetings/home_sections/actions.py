"""The home card of everyone on the staff who owns actions: my open actions, soonest due
first (overdue ones marked), and how many in all."""

from django.http import HttpRequest
from django.utils import timezone

from jobbag.core.home import HomeSection, register
from jobbag.meetings.permissions.common import is_staff
from jobbag.meetings.selectors.actions import my_open_actions

SHOWN = 10


def my_actions(request: HttpRequest) -> dict | None:
    user = request.user
    if not user.is_authenticated or not is_staff(user):
        return None
    today = timezone.localdate()
    actions, total, overdue = my_open_actions(user, SHOWN, today=today)
    if not total:
        return None
    return {"actions": actions, "total": total, "overdue": overdue, "today": today}


register(HomeSection("meetings/actions/_home.html", my_actions, order=32))
