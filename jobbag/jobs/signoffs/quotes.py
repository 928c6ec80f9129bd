"""Quotes in the sign-off engine: internal approval by amount, then the client's
sign-back (the policy's last step is the client's)."""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jobbag.approvals.models import Approval, Decision, StepKind
from jobbag.approvals.registry import DocumentKind, register
from jobbag.jobs.models import QuoteVersion
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


def render(quote: QuoteVersion):
    lines = [
        {
            "kind": line.kind,
            "description": line.description,
            "quantity": str(line.quantity),
            "unit_price": str(line.unit_price),
            "markup_percent": str(line.markup_percent),
            "amount": str(line.amount),
        }
        for line in quote.lines.all()
    ]
    data = {
        "job": quote.job.number or "",
        "version": quote.number,
        "currency": quote.currency,
        "lines": lines,
        "net_total": str(quote.net_total),
        "tax_lines": quote.tax_lines,
        "tax_total": str(quote.tax_total),
        "total": str(quote.total),
        "valid_until": quote.valid_until.isoformat() if quote.valid_until else None,
        "notes": quote.notes,
    }
    return common.render("jobs/signed/quote.html", quote, data)


def on_closed(quote: QuoteVersion, approval: Approval, actor) -> None:
    """Signed back once the whole approval passed with the client's own signature."""
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
        url=common.url,
        on_closed=on_closed,
        may_submit=common.may_submit,
        may_view=common.may_view,
    )
)
