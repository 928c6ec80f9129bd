"""The job page's panel of meetings, contact reports and open actions about the job,
for those who see the client's account in full."""

from django.utils.translation import gettext_lazy

from jobbag.jobs.panels import JobPanel, register
from jobbag.jobs.permissions.jobs import served_company_ids
from jobbag.meetings.models import Action, ContactReport, Meeting
from jobbag.meetings.permissions.common import OVERSEER_ROLES, is_staff, works_on

SHOWN = 5


def _sees_account(user, job) -> bool:
    if not is_staff(user):
        return False
    if user.is_admin or user.role in OVERSEER_ROLES:
        return True
    # The job page reads the user's clients once per request (jobs.permissions.remembered).
    ids = served_company_ids(user)
    return ids is None or job.company_id in ids


def panel_context(request, job) -> dict | None:
    user = request.user
    if not _sees_account(user, job):
        return None
    return {
        "job": job,
        "meetings": list(Meeting.objects.filter(job=job).order_by("-starts_at", "-pk")[:SHOWN]),
        "reports": list(
            ContactReport.objects.filter(job=job).order_by("-occurred_at", "-pk")[:SHOWN]
        ),
        "actions": list(
            Action.objects.filter(job=job, status=Action.Status.OPEN)
            .select_related("owner", "owner_contact")
            .order_by("due_on", "pk")[: SHOWN * 2]
        ),
        "can_write": works_on(user, job.company_id),
    }


register(
    JobPanel(
        key="meetings",
        title=gettext_lazy("Meetings and contact reports"),
        template="meetings/_job_panel.html",
        context=panel_context,
        order=85,
    )
)
