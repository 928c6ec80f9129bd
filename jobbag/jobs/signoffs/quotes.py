"""Quotes in the sign-off engine: internal approval by amount, then the client's
sign-back (the policy's last step is the client's).

The snapshot is the quote as the client reads it in the portal and as the evidence page
shows it: job number, client, lines, taxes, totals, validity and notes."""

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jobbag.approvals.models import Approval, Decision, StepKind
from jobbag.approvals.registry import DocumentKind, register
from jobbag.jobs.models import QuoteLine, QuoteVersion
from jobbag.jobs.signoffs import common


def describe(quote: QuoteVersion):
    title = _("Quote %(job)s V%(number)s") % {"job": quote.job, "number": quote.number}
    return common.subject(
        quote.job,
        title=str(title),
        revision=quote.number,
        amount=quote.total,
        currency=quote.currency,
    )


def snapshot_data(quote: QuoteVersion) -> dict:
    """The quote's content as JSON-safe data (what is hashed and kept)."""
    job = quote.job
    lines = [
        {
            "kind": line.kind,
            "kind_label": str(QuoteLine.Kind(line.kind).label),
            "code": line.rate_item.code if line.rate_item_id else "",
            "description": line.description,
            "quantity": str(line.quantity),
            "unit_price": str(line.unit_price),
            "markup_percent": str(line.markup_percent),
            "amount": str(line.amount),
        }
        for line in quote.lines.select_related("rate_item").order_by("order", "pk")
    ]
    return {
        "job": job.number or "",
        "job_title": job.title,
        "client": job.company.name,
        "client_code": job.company.code,
        "brand": job.brand.name if job.brand_id else "",
        "version": quote.number,
        "currency": quote.currency,
        "lines": lines,
        "net_total": str(quote.net_total),
        "tax_profile": quote.tax_profile.name if quote.tax_profile_id else "",
        "tax_lines": quote.tax_lines,
        "tax_total": str(quote.tax_total),
        "total": str(quote.total),
        "valid_until": quote.valid_until.isoformat() if quote.valid_until else None,
        "notes": quote.notes,
        "owner": str(job.owner),
    }


def render(quote: QuoteVersion):
    return common.render("jobs/signed/quote.html", quote, snapshot_data(quote))


def url(quote: QuoteVersion) -> str:
    return reverse("jobs:quote_detail", args=[quote.pk])


def on_closed(quote: QuoteVersion, approval: Approval, actor) -> None:
    """Signed back once the whole approval passed with the client's own signature. When
    the client returns (or rejects) it, their reason is kept as the client's feedback
    that the next version answers."""
    if approval.status in {Approval.Status.RETURNED, Approval.Status.REJECTED}:
        decision = (
            approval.decisions.filter(step__kind=StepKind.CLIENT)
            .exclude(outcome=Decision.Outcome.APPROVE)
            .order_by("-decided_at", "-pk")
            .first()
        )
        if decision is not None and decision.reason:
            quote.client_feedback = decision.reason
            QuoteVersion.objects.filter(pk=quote.pk).update(client_feedback=decision.reason)
        return
    if approval.status != Approval.Status.APPROVED:
        return
    client_signed = approval.decisions.filter(
        step__kind=StepKind.CLIENT, outcome=Decision.Outcome.APPROVE
    ).exists()
    if client_signed:
        quote.signed_back_at = timezone.now()
        QuoteVersion.objects.filter(pk=quote.pk).update(signed_back_at=quote.signed_back_at)


register(
    DocumentKind(
        document_type="quote",
        model=QuoteVersion,
        label=_("Quote"),
        describe=describe,
        render=render,
        url=url,
        on_closed=on_closed,
        may_submit=common.may_submit,
        may_view=common.may_view,
    )
)
