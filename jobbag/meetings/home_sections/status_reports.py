"""The home card of account people: the weekly reports' drafts of their clients that wait
to be reviewed and sent."""

from django.http import HttpRequest

from jobbag.core.home import HomeSection, register
from jobbag.core.permissions import can, visible
from jobbag.meetings.models import StatusReport
from jobbag.meetings.permissions.common import is_manager

SHOWN = 8


def drafts_to_send(request: HttpRequest) -> dict | None:
    user = request.user
    # Management sees every client's drafts on the list page; the card is for the team.
    if not can(user, "meetings.status_report.draft") or is_manager(user):
        return None
    drafts = visible(user, StatusReport.objects.filter(status=StatusReport.Status.DRAFT))
    rows = list(
        drafts.select_related("company").defer("content").order_by("-week_ending", "pk")[:SHOWN]
    )
    if not rows:
        return None
    total = len(rows) if len(rows) < SHOWN else drafts.count()
    return {"reports": rows, "total": total}


register(HomeSection("meetings/status_reports/_home.html", drafts_to_send, order=45))
