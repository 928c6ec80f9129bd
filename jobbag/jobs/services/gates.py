"""The gates that hold a job's work (SPEC §4): no work order is dispatched (and no time
is logged) before the client has signed the quote back, an optional prepayment has come
in, and, for orders above the configured size, the internal review is signed.

Every service that starts work calls `require_work_may_start`, so pages and API refuse
alike with the same reason."""

from decimal import Decimal

from django.utils.translation import gettext_lazy as _

from jobbag.approvals.models import SignoffStatus
from jobbag.core.errors import DomainError
from jobbag.core.money import format_money
from jobbag.jobs.models import Job, JobSettings, QuoteVersion, Review

NO_NUMBER = _("The job has no job number yet: the project lead must review the brief first.")
QUOTE_NOT_SIGNED = _(
    "The client has not signed the quote back yet: no work starts before the estimate is "
    "signed back."
)
PREPAYMENT_MISSING = _("The client's prepayment of %(amount)s has not been received yet.")
REVIEW_MISSING = _(
    "This order is above %(threshold)s: its internal review meeting must be signed first."
)
JOB_CLOSED = _("The job is closed or cancelled.")


def signed_quote(job: Job) -> QuoteVersion | None:
    """The latest quote version the client signed back, if any."""
    return (
        QuoteVersion.objects.filter(job=job, signed_back_at__isnull=False)
        .order_by("-number")
        .first()
    )


def job_amount(job: Job) -> Decimal:
    """The order's size: its signed quote's total, else the estimate taken at intake."""
    quote = signed_quote(job)
    if quote is not None:
        return quote.total
    return job.estimated_amount or Decimal(0)


def needs_internal_review(job: Job) -> bool:
    return job_amount(job) > JobSettings.current().internal_review_above


def work_blockers(job: Job) -> list[str]:
    """Every reason the job's work may not start yet; empty when it may."""
    from jobbag.jobs.models import Stage

    reasons = []
    if job.stage in {Stage.CLOSED, Stage.CANCELLED}:
        return [str(JOB_CLOSED)]
    if not job.number:
        reasons.append(str(NO_NUMBER))
    if signed_quote(job) is None:
        reasons.append(str(QUOTE_NOT_SIGNED))
    if job.prepayment_required and job.prepayment_received_on is None:
        amount = format_money(job.prepayment_required, job.currency)
        reasons.append(str(PREPAYMENT_MISSING % {"amount": amount}))
    if needs_internal_review(job):
        signed = Review.objects.filter(
            job=job, kind=Review.Kind.INTERNAL, signoff_status=SignoffStatus.APPROVED
        ).exists()
        if not signed:
            threshold = format_money(JobSettings.current().internal_review_above, job.currency)
            reasons.append(str(REVIEW_MISSING % {"threshold": threshold}))
    return reasons


def require_work_may_start(job: Job) -> None:
    """Raises the first reason the job's work may not start (all of them as `reasons`)."""
    reasons = work_blockers(job)
    if reasons:
        raise DomainError(reasons[0], fields={"__all__": reasons}, code="work_held")
