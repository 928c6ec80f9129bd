"""Read queries of jobs that the pages, the API and the home card share."""

from datetime import date
from decimal import Decimal

from django.contrib.contenttypes.models import ContentType
from django.db.models import CharField, Exists, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Cast

from jobbag.accounts.models import User
from jobbag.approvals.models import SignoffStatus
from jobbag.core.models import AuditEntry
from jobbag.core.permissions import visible
from jobbag.jobs.models import (
    Acceptance,
    ChangeNotice,
    Job,
    JobSettings,
    JobSummary,
    QuoteVersion,
    Review,
    Stage,
    WorkOrder,
)
from jobbag.jobs.models.jobs import OPEN_STAGES

# The documents of a job whose audit entries make the job's history.
DOCUMENT_MODELS = [QuoteVersion, Review, WorkOrder, ChangeNotice, Acceptance, JobSummary]
# How many history entries the job page shows.
HISTORY_SHOWN = 50

# The chain a job goes through, in order (cancelled is off the chain).
CHAIN = [
    Stage.INTAKE,
    Stage.REVIEW,
    Stage.QUOTE,
    Stage.PRODUCTION,
    Stage.ACCEPTANCE,
    Stage.SUMMARY,
    Stage.CLOSED,
]


def jobs_for(
    user: User,
    *,
    stage: str = "",
    company: int | None = None,
    owner: int | None = None,
    order_kind: int | None = None,
    q: str = "",
    received_from: date | None = None,
    received_to: date | None = None,
    mine: bool = False,
) -> QuerySet[Job]:
    """The jobs `user` may see, filtered, newest first, with what a list row shows."""
    queryset = visible(user, Job.objects.select_related("company", "brand", "order_kind", "owner"))
    if stage == "open":
        queryset = queryset.filter(stage__in=OPEN_STAGES)
    elif stage:
        queryset = queryset.filter(stage=stage)
    if company:
        queryset = queryset.filter(company_id=company)
    if owner:
        queryset = queryset.filter(owner_id=owner)
    if mine:
        queryset = queryset.filter(owner_id=user.pk)
    if order_kind:
        queryset = queryset.filter(order_kind_id=order_kind)
    q = (q or "").strip()
    if q:
        queryset = queryset.filter(Q(number__icontains=q) | Q(title__icontains=q))
    if received_from:
        queryset = queryset.filter(received_on__gte=received_from)
    if received_to:
        queryset = queryset.filter(received_on__lte=received_to)
    return queryset.order_by("-received_on", "-pk")


def job_for(user: User, pk: int) -> Job | None:
    """The job if `user` may see it, with what its page header shows; else None."""
    return (
        visible(
            user,
            Job.objects.select_related(
                "company", "brand", "client_contact", "order_kind", "owner", "department"
            ),
        )
        .filter(pk=pk)
        .first()
    )


def chain_steps(job: Job) -> list[dict]:
    """The chain as the page's progress bar: each stage, done, current or to come."""
    if job.stage == Stage.CANCELLED:
        return [{"stage": stage, "state": "cancelled"} for stage in CHAIN]
    current = CHAIN.index(job.stage)
    return [
        {
            "stage": stage,
            "state": "done" if index < current else "current" if index == current else "todo",
        }
        for index, stage in enumerate(CHAIN)
    ]


def job_history(job: Job, limit: int = HISTORY_SHOWN) -> list[AuditEntry]:
    """The audit entries of the job and of its documents, newest first, in one query."""
    types = ContentType.objects.get_for_models(Job, *DOCUMENT_MODELS, for_concrete_models=False)
    condition = Q(content_type=types[Job], object_id=str(job.pk))
    for model in DOCUMENT_MODELS:
        ids = model.objects.filter(job=job).annotate(key=Cast("pk", CharField())).values("key")
        condition |= Q(content_type=types[model], object_id__in=ids)
    entries = list(
        AuditEntry.objects.filter(condition)
        .select_related("actor", "on_behalf_of", "content_type")
        .order_by("-at", "-id")[:limit]
    )
    for entry in entries:
        model = entry.content_type.model_class()
        entry.kind = model._meta.verbose_name if model else ""
    return entries


def with_blockers(queryset: QuerySet[Job]) -> QuerySet[Job]:
    """Annotates what `blocker_count` needs, so many jobs cost one query (the same
    reasons as jobs.services.gates.work_blockers, read in bulk)."""
    signed = QuoteVersion.objects.filter(job=OuterRef("pk"), signed_back_at__isnull=False)
    return queryset.annotate(
        signed_total=Subquery(signed.order_by("-number").values("total")[:1]),
        review_signed=Exists(
            Review.objects.filter(
                job=OuterRef("pk"),
                kind=Review.Kind.INTERNAL,
                signoff_status=SignoffStatus.APPROVED,
            )
        ),
    )


def blocker_count(job: Job, review_above: Decimal) -> int:
    """How many reasons hold the work of a job annotated by `with_blockers`."""
    if job.stage in {Stage.CLOSED, Stage.CANCELLED}:
        return 1
    count = 0 if job.number else 1
    if job.signed_total is None:
        count += 1
    if job.prepayment_required and job.prepayment_received_on is None:
        count += 1
    amount = job.signed_total if job.signed_total is not None else job.estimated_amount or 0
    if amount > review_above and not job.review_signed:
        count += 1
    return count


def my_open_jobs(user: User, limit: int) -> tuple[list[Job], int]:
    """The open jobs `user` owns (newest first, at most `limit`) each with its
    `blockers` count, and how many there are in all."""
    mine = Job.objects.filter(owner=user, stage__in=OPEN_STAGES)
    jobs = list(
        with_blockers(mine.select_related("company", "order_kind")).order_by("-received_on", "-pk")[
            :limit
        ]
    )
    review_above = JobSettings.current().internal_review_above if jobs else 0
    for job in jobs:
        job.blockers = blocker_count(job, review_above)
    total = len(jobs) if len(jobs) < limit else mine.count()
    return jobs, total
