"""Read queries of the quotes step that pages and API share."""

from django.contrib.contenttypes.models import ContentType
from django.db.models import Prefetch, QuerySet

from jobbag.approvals.models import Approval
from jobbag.approvals.selectors import evidence
from jobbag.core.permissions import visible
from jobbag.jobs.models import Job, QuoteLine, QuoteVersion


def quote_for(user, pk: int) -> QuoteVersion | None:
    """The quote version if its job is one `user` may see; None otherwise (a 404)."""
    job_ids = visible(user, Job.objects.all()).values("pk")
    return (
        QuoteVersion.objects.filter(pk=pk, job__in=job_ids)
        .select_related(
            "job",
            "job__company",
            "job__brand",
            "job__owner",
            "tax_profile",
            "created_by",
        )
        .first()
    )


def lines_of(quote: QuoteVersion) -> QuerySet[QuoteLine]:
    return quote.lines.select_related("rate_item").order_by("order", "pk")


def quotes_of(job: Job) -> list[QuoteVersion]:
    """The job's versions, newest first, each with `current_approval` (its latest
    sign-off, or None) — three queries whatever the number of versions."""
    quotes = list(
        QuoteVersion.objects.filter(job=job)
        .select_related("tax_profile", "created_by")
        .prefetch_related(Prefetch("lines", queryset=QuoteLine.objects.order_by("order", "pk")))
        .order_by("-number")
    )
    latest = approvals_by_quote([quote.pk for quote in quotes])
    for quote in quotes:
        quote.current_approval = latest.get(quote.pk)
    return quotes


def approvals_by_quote(quote_ids: list[int]) -> dict[int, Approval]:
    """The latest sign-off of each quote version, in one query."""
    if not quote_ids:
        return {}
    content_type = ContentType.objects.get_for_model(QuoteVersion)
    latest: dict[int, Approval] = {}
    approvals = Approval.objects.filter(
        content_type=content_type, object_id__in=quote_ids
    ).order_by("object_id", "-submitted_at", "-pk")
    for approval in approvals:
        latest.setdefault(approval.object_id, approval)
    return latest


def latest_quote(job: Job) -> QuoteVersion | None:
    return QuoteVersion.objects.filter(job=job).order_by("-number").first()


def pdf_context(quote: QuoteVersion) -> dict:
    """What the printable quote shows: the lines, and the decisions of its latest
    sign-off for the signatures block."""
    approval = approvals_by_quote([quote.pk]).get(quote.pk)
    return {
        "quote": quote,
        "job": quote.job,
        "lines": list(lines_of(quote)),
        "approval": approval,
        "decisions": evidence(approval)["decisions"] if approval else [],
    }
