"""Read queries of invoices and payments that pages, API and the portal share. Every list
is scoped to the user (core.permissions.visible) and reads a fixed number of queries."""

from datetime import date

from django.db.models import Prefetch, QuerySet

from jobbag.core.pdf import render_pdf
from jobbag.core.permissions import visible
from jobbag.finance.models import Invoice, InvoiceLine, Payment, PaymentAllocation
from jobbag.jobs.models import Job
from jobbag.jobs.services.gates import signed_quote


def invoices_for(
    user,
    *,
    status: str = "",
    kind: str = "",
    company: int | None = None,
    job: int | None = None,
    overdue: bool = False,
    today: date | None = None,
) -> QuerySet[Invoice]:
    """The invoices and credit notes `user` may see, newest first, filtered."""
    rows = visible(user, Invoice.objects.all()).select_related("company", "job", "series")
    if status:
        rows = rows.filter(status=status)
    if kind:
        rows = rows.filter(kind=kind)
    if company:
        rows = rows.filter(company_id=company)
    if job:
        rows = rows.filter(job_id=job)
    if overdue and today is not None:
        rows = rows.filter(
            status=Invoice.Status.ISSUED, settled_on__isnull=True, due_date__lt=today
        ).exclude(kind=Invoice.Kind.CREDIT_NOTE)
    return rows.order_by("status", "-issue_date", "-pk")  # Drafts ("draft" < "issued") come first.


def invoice_for(user, pk: int) -> Invoice | None:
    """One invoice the user may see, with what its page shows, or None."""
    return (
        visible(user, Invoice.objects.filter(pk=pk))
        .select_related(
            "company",
            "job",
            "job__owner",
            "series",
            "quote",
            "tax_profile",
            "credit_of",
            "created_by",
            "issued_by",
        )
        .prefetch_related(
            Prefetch("lines", queryset=InvoiceLine.objects.order_by("order", "pk")),
            Prefetch(
                "allocations",
                queryset=PaymentAllocation.objects.select_related("payment").order_by(
                    "allocated_on", "pk"
                ),
            ),
            Prefetch(
                "credit_notes",
                queryset=Invoice.objects.filter(status=Invoice.Status.ISSUED).order_by("pk"),
            ),
        )
        .first()
    )


def payments_for(user, *, company: int | None = None) -> QuerySet[Payment]:
    rows = visible(user, Payment.objects.all()).select_related("company", "created_by")
    if company:
        rows = rows.filter(company_id=company)
    return rows.order_by("-received_on", "-pk")


def payment_for(user, pk: int) -> Payment | None:
    return (
        visible(user, Payment.objects.filter(pk=pk))
        .select_related("company", "created_by")
        .prefetch_related(
            Prefetch(
                "allocations",
                queryset=PaymentAllocation.objects.select_related("invoice").order_by(
                    "allocated_on", "pk"
                ),
            )
        )
        .first()
    )


def open_invoices_of(company_id: int, currency: str) -> QuerySet[Invoice]:
    """A client's issued invoices with something left to collect, oldest due first."""
    return (
        Invoice.objects.filter(
            company_id=company_id,
            currency=currency,
            status=Invoice.Status.ISSUED,
            settled_on__isnull=True,
        )
        .exclude(kind=Invoice.Kind.CREDIT_NOTE)
        .exclude(total=0)
        .order_by("due_date", "pk")
    )


def job_billing(job: Job) -> dict:
    """The job panel's figures: the job's invoices and what is left to invoice of its
    signed quote (net)."""
    from jobbag.finance.services.billing import quote_invoiced_net

    quote = signed_quote(job)
    invoices = list(
        Invoice.objects.filter(job=job).select_related("series").order_by("status", "-pk")[:20]
    )
    invoiced = quote_invoiced_net(job, issued_only=True) if quote else None
    return {
        "quote": quote,
        "invoices": invoices,
        "invoiced_net": invoiced,
        "left_net": (quote.net_total - invoiced) if quote else None,
    }


def portal_invoices(company_id: int) -> QuerySet[Invoice]:
    return (
        Invoice.objects.filter(company_id=company_id, status=Invoice.Status.ISSUED)
        .select_related("company", "job")
        .order_by("-issue_date", "-pk")
    )


def invoice_pdf(invoice: Invoice) -> bytes:
    """The PDF of an invoice or credit note, with Chinese text (core.pdf)."""
    invoice = (
        Invoice.objects.select_related("company", "job", "series", "credit_of")
        .prefetch_related(Prefetch("lines", queryset=InvoiceLine.objects.order_by("order", "pk")))
        .get(pk=invoice.pk)
    )
    return render_pdf("finance/billing/pdf.html", {"invoice": invoice})
