"""Sign-off documents of finance: the weekly timesheet (时间日报表), approved by the
person's manager (the head of their department, see services.time.approver_department)
through the "timesheet" policy (services.time.default_policy makes it when missing)."""

from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from jobbag.approvals.registry import Content, DocumentKind, Subject, register
from jobbag.core.permissions import can
from jobbag.finance.models import Timesheet
from jobbag.finance.services.time import approver_department, timesheet_closed


def describe(timesheet: Timesheet) -> Subject:
    title = _("Timesheet of %(person)s, week of %(week)s") % {
        "person": timesheet.user,
        "week": timesheet.week_start.isoformat(),
    }
    return Subject(
        title=str(title),
        revision=timesheet.revision,
        department=approver_department(timesheet.user),
    )


def render(timesheet: Timesheet) -> Content:
    entries = list(
        timesheet.entries.select_related("job", "rate_item").order_by("day", "job_id", "pk")
    )
    data = {
        "person": str(timesheet.user),
        "week_start": timesheet.week_start.isoformat(),
        "total_hours": str(timesheet.total_hours),
        "entries": [
            {
                "day": entry.day.isoformat(),
                "job": entry.job.number or entry.job.title,
                "service": entry.rate_item.code if entry.rate_item else "",
                "task": entry.task,
                "billable": entry.billable,
                "hours": str(entry.hours),
            }
            for entry in entries
        ],
    }
    html = render_to_string(
        "finance/time/signed.html", {"timesheet": timesheet, "entries": entries, "data": data}
    )
    return Content(html=html, data=data)


def url(timesheet: Timesheet) -> str:
    return reverse("finance:timesheet_detail", args=[timesheet.pk])


def may_submit(user, timesheet: Timesheet) -> bool:
    return timesheet.user_id == user.pk and can(user, "finance.time.log")


def may_view(user, timesheet: Timesheet) -> bool:
    return can(user, "finance.timesheet.view", timesheet)


register(
    DocumentKind(
        document_type="timesheet",
        model=Timesheet,
        label=_("Timesheet"),
        describe=describe,
        render=render,
        url=url,
        on_closed=timesheet_closed,
        may_submit=may_submit,
        may_view=may_view,
    )
)
