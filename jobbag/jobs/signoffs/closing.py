"""Acceptance and the job summary in the sign-off engine. A signed acceptance completes
the job; a signed summary closes it."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from jobbag.approvals.models import Approval, SignoffStatus
from jobbag.approvals.registry import DocumentKind, register
from jobbag.core.permissions import can
from jobbag.jobs.models import Acceptance, JobSummary
from jobbag.jobs.signoffs import common


def describe_acceptance(acceptance: Acceptance):
    return common.subject(acceptance.job, title=str(acceptance), revision=acceptance.revision)


def render_acceptance(acceptance: Acceptance):
    data = {
        "number": acceptance.number,
        "place": acceptance.place,
        "planned_on": acceptance.planned_on.isoformat(),
        "notes": acceptance.notes,
        "items": [
            {
                "description": item.description,
                "quantity": item.quantity,
                "result": item.result,
                "remark": item.remark,
                "checked_by": str(item.checked_by or ""),
                "checked_at": item.checked_at.isoformat() if item.checked_at else None,
            }
            for item in acceptance.items.select_related("checked_by")
        ],
    }
    return common.render("jobs/signed/acceptance.html", acceptance, data)


def acceptance_url(acceptance: Acceptance) -> str:
    return reverse("jobs:acceptance_detail", args=[acceptance.pk])


def may_view_acceptance(user, acceptance: Acceptance) -> bool:
    # QC staff check every delivery, so they read its sign-off too.
    return can(user, "jobs.acceptance.view", acceptance)


def acceptance_closed(acceptance: Acceptance, approval: Approval, actor) -> None:
    """A signed acceptance completes the job, unless another delivery of the job still
    waits for its acceptance: then the last one signed completes it."""
    if approval.status != Approval.Status.APPROVED:
        return
    from jobbag.jobs.services.closing import job_complete

    still_open = (
        Acceptance.objects.filter(job_id=acceptance.job_id)
        .exclude(pk=acceptance.pk)
        .exclude(signoff_status__in=[SignoffStatus.APPROVED, SignoffStatus.REJECTED])
        .exists()
    )
    if not still_open:
        job_complete(job=acceptance.job, actor=actor)


SUMMARY_FIELDS = [
    "introduction",
    "schedule",
    "execution",
    "problems",
    "improvements",
    "client_satisfaction",
]


def describe_summary(summary: JobSummary):
    return common.subject(summary.job, title=str(summary), revision=summary.revision)


def render_summary(summary: JobSummary):
    data = {name: getattr(summary, name) for name in SUMMARY_FIELDS}
    data["satisfaction_score"] = summary.satisfaction_score
    data["due_on"] = summary.due_on.isoformat()
    return common.render("jobs/signed/summary.html", summary, data)


def summary_url(summary: JobSummary) -> str:
    return reverse("jobs:summary_edit", args=[summary.job_id])


def summary_closed(summary: JobSummary, approval: Approval, actor) -> None:
    if approval.status == Approval.Status.APPROVED:
        from jobbag.jobs.services.closing import job_close

        job_close(job=summary.job, actor=actor)


register(
    DocumentKind(
        document_type="acceptance",
        model=Acceptance,
        label=_("Acceptance"),
        describe=describe_acceptance,
        render=render_acceptance,
        url=acceptance_url,
        on_closed=acceptance_closed,
        may_submit=common.may_submit,
        may_view=may_view_acceptance,
    )
)
register(
    DocumentKind(
        document_type="summary",
        model=JobSummary,
        label=_("Job summary"),
        describe=describe_summary,
        render=render_summary,
        url=summary_url,
        on_closed=summary_closed,
        may_submit=common.may_submit,
        may_view=common.may_view,
    )
)
