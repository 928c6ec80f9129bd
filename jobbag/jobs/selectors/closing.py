"""Reads of the closing steps that pages and the API share: a job's acceptances with
their items and latest sign-off, one acceptance, the job's summary, and the summaries
due or late that a user may see."""

from datetime import date

from django.contrib.contenttypes.models import ContentType
from django.db.models import Prefetch, QuerySet
from django.utils import timezone

from jobbag.approvals.models import Approval, Decision, SignoffStatus
from jobbag.core.permissions import visible
from jobbag.jobs.models import Acceptance, AcceptanceItem, Job, JobSummary, Stage


def _items() -> Prefetch:
    return Prefetch(
        "items",
        queryset=AcceptanceItem.objects.select_related("checked_by").order_by("pk"),
    )


def acceptances_of(job: Job) -> QuerySet[Acceptance]:
    """The job's acceptances, numbered, with their items and who checked them."""
    return (
        Acceptance.objects.filter(job=job)
        .select_related("created_by")
        .prefetch_related(_items())
        .order_by("number")
    )


def acceptance_for(user, pk: int) -> Acceptance | None:
    """The acceptance if `user` may see it, with its job and items; else None."""
    return (
        visible(user, Acceptance.objects.all())
        .select_related("job__company", "job__owner", "job__brand", "created_by")
        .prefetch_related(_items())
        .filter(pk=pk)
        .first()
    )


def item_for(user, pk: int) -> AcceptanceItem | None:
    """An acceptance item if `user` may see its acceptance; else None."""
    acceptances = visible(user, Acceptance.objects.all())
    return (
        AcceptanceItem.objects.filter(pk=pk, acceptance__in=acceptances.values("pk"))
        .select_related("acceptance__job", "checked_by")
        .first()
    )


def latest_approvals(documents) -> dict[int, Approval]:
    """The latest sign-off of each document (all of one model), by document id, in one
    query."""
    documents = list(documents)
    if not documents:
        return {}
    content_type = ContentType.objects.get_for_model(documents[0])
    latest: dict[int, Approval] = {}
    approvals = Approval.objects.filter(
        content_type=content_type, object_id__in=[d.pk for d in documents]
    ).order_by("-submitted_at", "-pk")
    for approval in approvals:
        latest.setdefault(approval.object_id, approval)
    return latest


def acceptance_print(acceptance: Acceptance) -> dict:
    """What the printed acceptance record shows: the acceptance, its items and the
    signatures of its latest sign-off."""
    approval = latest_approvals([acceptance]).get(acceptance.pk)
    decisions = []
    if approval is not None:
        decisions = list(
            approval.decisions.filter(outcome=Decision.Outcome.APPROVE)
            .select_related("step", "decided_by", "on_behalf_of")
            .order_by("decided_at", "pk")
        )
    return {
        "acceptance": acceptance,
        "job": acceptance.job,
        "items": list(acceptance.items.all()),
        "decisions": decisions,
        "filename": f"{acceptance.job.number or acceptance.job.pk}-AC-{acceptance.number}.pdf",
    }


def summary_of(job: Job) -> JobSummary | None:
    return JobSummary.objects.filter(job=job).select_related("job").first()


def is_late(summary: JobSummary, today: date | None = None) -> bool:
    """Past its due date and not signed yet."""
    today = today or timezone.localdate()
    return summary.signoff_status != SignoffStatus.APPROVED and today > summary.due_on


def summaries_due_for(user, today: date | None = None) -> list[JobSummary]:
    """The unsigned summaries of the jobs `user` may see that wait in the summary stage,
    soonest due first, each with `late` set. One query whatever the count."""
    today = today or timezone.localdate()
    rows = list(
        visible(user, JobSummary.objects.all())
        .filter(job__stage=Stage.SUMMARY)
        .exclude(signoff_status=SignoffStatus.APPROVED)
        .select_related("job__owner", "job__company")
        .order_by("due_on", "pk")
    )
    for summary in rows:
        summary.late = is_late(summary, today)
    return rows
