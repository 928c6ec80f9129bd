"""What the job chain's documents share in the sign-off engine: the subject is the job's
client, brand and department; owners of the job submit; whoever sees the job may read
the evidence."""

from decimal import Decimal

from django.template.loader import render_to_string
from django.urls import reverse

from jobbag.approvals.registry import Content, Subject
from jobbag.core.permissions import can
from jobbag.jobs.models import Job


def subject(job: Job, *, title: str, revision: int, amount: Decimal | None = None, currency=None):
    return Subject(
        title=title,
        revision=revision,
        company=job.company,
        brand=job.brand,
        department=job.department,
        amount=amount,
        currency=currency or job.currency,
    )


def render(template: str, document, data: dict) -> Content:
    """The snapshot of `document`: `template` rendered with it and `data`, and the data."""
    html = render_to_string(template, {"document": document, "job": document.job, **data})
    return Content(html=html, data=data)


def url(document) -> str:
    return reverse("jobs:detail", args=[document.job_id])


def may_submit(user, document) -> bool:
    return can(user, "jobs.job.edit", document.job)


def may_view(user, document) -> bool:
    return can(user, "jobs.job.view", document.job)
