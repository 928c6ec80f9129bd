"""The home card of contact reports: my drafts with their due time, overdue ones marked."""

from django.http import HttpRequest
from django.utils import timezone

from jobbag.core.home import HomeSection, register
from jobbag.meetings.permissions.common import is_staff
from jobbag.meetings.selectors.reports import my_drafts

SHOWN = 8


def my_draft_reports(request: HttpRequest) -> dict | None:
    user = request.user
    if not user.is_authenticated or not is_staff(user):
        return None
    drafts, total = my_drafts(user, SHOWN)
    if not drafts:
        return None
    now = timezone.now()
    return {"rows": [(report, report.due_at < now) for report in drafts], "total": total}


register(HomeSection("meetings/reports/_home.html", my_draft_reports, order=35))
