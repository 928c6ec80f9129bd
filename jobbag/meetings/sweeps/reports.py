"""Hourly sweep of contact reports: a draft due soon reminds its author once; a draft
past due escalates once to the client's AD(s), the author's superior and the author."""

from datetime import datetime

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jobbag.core.notifications import notify
from jobbag.core.sweeps import hourly
from jobbag.meetings.models import ContactReport
from jobbag.meetings.selectors.reports import due_for_reminder, overdue_unescalated
from jobbag.meetings.services.reports import escalation_recipients

DUE_SOON = _("The contact report “%(subject)s” (%(client)s) is due by %(due)s: write and send it.")
OVERDUE = _(
    "The contact report “%(subject)s” (%(client)s) by %(author)s was due by %(due)s and has "
    "not been sent."
)


def _values(report: ContactReport) -> dict:
    due = timezone.localtime(report.due_at).strftime("%Y-%m-%d %H:%M")
    return {
        "subject": report.subject,
        "client": report.company,
        "author": report.created_by,
        "due": due,
    }


@hourly("meetings.reports_due")
@transaction.atomic
def remind_reports_due(now: datetime | None = None) -> dict:
    """Idempotent: each report is marked (reminded_at, escalated_at) in the same
    transaction as its notice, and a marked report is never told again."""
    now = now or timezone.now()
    reminded = escalated = 0
    for report in due_for_reminder(now).select_for_update(of=("self",)):
        if not ContactReport.objects.filter(pk=report.pk, reminded_at__isnull=True).update(
            reminded_at=now
        ):
            continue
        values = _values(report)
        if report.created_by.is_active:
            notify(
                recipients=[report.created_by],
                message=lambda values=values: DUE_SOON % values,
                link=reverse("meetings:report_edit", args=[report.pk]),
                email=True,
            )
        reminded += 1
    for report in overdue_unescalated(now).select_for_update(of=("self",)):
        if not ContactReport.objects.filter(pk=report.pk, escalated_at__isnull=True).update(
            escalated_at=now
        ):
            continue
        values = _values(report)
        notify(
            recipients=escalation_recipients(report),
            message=lambda values=values: OVERDUE % values,
            link=reverse("meetings:report_detail", args=[report.pk]),
            email=True,
        )
        escalated += 1
    return {"reminded": reminded, "escalated": escalated}
