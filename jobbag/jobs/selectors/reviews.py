"""Read queries of reviews that pages and the API share."""

from django.contrib.contenttypes.models import ContentType
from django.db.models import Prefetch, QuerySet

from jobbag.approvals.models import Approval
from jobbag.jobs.models import Job, Review, ReviewDuty


def reviews_of(job: Job) -> QuerySet[Review]:
    """The job's reviews with their duties and departments, in two more queries."""
    duties = ReviewDuty.objects.select_related("department").order_by("department__code")
    return (
        Review.objects.filter(job=job)
        .select_related("created_by")
        .prefetch_related(Prefetch("duties", queryset=duties))
        .order_by("held_on", "pk")
    )


def review_of(job_ids, pk: int) -> Review | None:
    """The review `pk` if its job is among `job_ids` (a query of visible jobs)."""
    return reviews_in(job_ids).filter(pk=pk).first()


def reviews_in(job_ids) -> QuerySet[Review]:
    duties = ReviewDuty.objects.select_related("department").order_by("department__code")
    return (
        Review.objects.filter(job__in=job_ids)
        .select_related("job", "created_by")
        .prefetch_related(Prefetch("duties", queryset=duties))
    )


def latest_approvals(documents) -> dict[int, Approval]:
    """The latest sign-off of each document (all of one model), in one query."""
    documents = list(documents)
    if not documents:
        return {}
    content_type = ContentType.objects.get_for_model(type(documents[0]))
    latest = {}
    rows = Approval.objects.filter(
        content_type=content_type, object_id__in=[d.pk for d in documents]
    ).order_by("submitted_at", "pk")
    for approval in rows:
        latest[approval.object_id] = approval
    return latest
