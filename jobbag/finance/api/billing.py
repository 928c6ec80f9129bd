"""API of invoices, payments and receivables under /api/v1/finance/.

- GET `/invoices?status=&kind=&company=&job=&overdue=1`: the invoices you may see (paged).
- POST `/invoices`: a draft from a job's signed quote (`source` quote: `kind` quote,
  milestone or percentage) or from its approved time (`source` time). Finance only.
- GET `/invoices/{id}`: one invoice with its lines and taxes.
- POST `/invoices/{id}/issue` (`issue_date`, `version`): Finance only; 409 when issued.
- POST `/invoices/{id}/credit` (`reason`, `net_amount`): a credit note; Finance only.
- GET/POST `/payments`: receipts you may see; record one (Finance), with allocations.
- POST `/payments/{id}/allocations`: set part of a payment against an invoice.
- GET/POST `/retainers`: monthly fixed fees (Finance); POST `/retainers/{id}/draft`
  drafts the current month's invoice now (409 when it exists).
- GET `/ageing?as_of=&company=`: what each client owed on a day, by bucket.
- GET `/statement?company=&start=&end=&currency=`: a client's statement of a period.

There is no PATCH or DELETE of an issued invoice: it is immutable, as on the pages.
"""

from datetime import date
from decimal import Decimal
from typing import Literal

from django.http import Http404, HttpRequest
from django.utils import timezone
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from jobbag.clients.models import Company
from jobbag.core.api_support import PagePagination, caller, errors, get_or_404
from jobbag.core.errors import DomainError, NotAllowed
from jobbag.core.permissions import can, visible
from jobbag.finance.models import Invoice, InvoiceSeries, Payment, Retainer, TaxProfile
from jobbag.finance.permissions.billing import sees_company
from jobbag.finance.selectors import billing as selectors
from jobbag.finance.selectors import receivables
from jobbag.finance.services import billing as services
from jobbag.finance.services import payments as payment_services
from jobbag.jobs.models import Job

router = Router(tags=["finance"])

UNKNOWN = "Not found."


class LineOut(Schema):
    description: str
    quantity: Decimal
    unit_price: Decimal
    amount: Decimal


class TaxOut(Schema):
    name: str
    rate: str
    charged: bool
    amount: str


class InvoiceOut(Schema):
    id: int
    number: str | None
    kind: str
    status: str
    company: int = Field(..., alias="company_id")
    company_code: str
    job: int | None = Field(None, alias="job_id")
    credit_of: int | None = Field(None, alias="credit_of_id")
    series: str
    issue_date: date | None
    due_date: date | None
    currency: str
    net_amount: Decimal
    tax_amount: Decimal
    total: Decimal
    levy_amount: Decimal
    paid_amount: Decimal
    credited_amount: Decimal
    outstanding: Decimal
    settled_on: date | None
    taxes: list[TaxOut]
    note: str
    content_hash: str
    version: int

    @staticmethod
    def resolve_company_code(obj) -> str:
        return obj.company.code

    @staticmethod
    def resolve_series(obj) -> str:
        return obj.series.code


class InvoiceDetailOut(InvoiceOut):
    lines: list[LineOut]

    @staticmethod
    def resolve_lines(obj) -> list:
        return list(obj.lines.all())


class InvoiceFilters(Schema):
    status: str = ""
    kind: str = ""
    company: int | None = None
    job: int | None = None
    overdue: bool = False


class DraftIn(Schema):
    job: int
    source: Literal["quote", "time"] = "quote"
    kind: Literal["quote", "milestone", "percentage"] = "quote"
    percentage: Decimal | None = None
    milestone: str = Field("", max_length=100)
    amount: Decimal | None = None
    lines: list[int] | None = Field(None, description="Quote line ids, for a milestone.")
    series: int | None = None
    note: str = Field("", max_length=2000)


class IssueIn(Schema):
    issue_date: date | None = None
    version: int | None = None
    email_to: str = Field("", max_length=254)


class CreditIn(Schema):
    reason: str = Field(..., max_length=2000)
    net_amount: Decimal | None = None
    issue_date: date | None = None


class AllocationIn(Schema):
    invoice: int
    amount: Decimal
    allocated_on: date | None = None


class AllocationOut(Schema):
    id: int
    invoice: int = Field(..., alias="invoice_id")
    amount: Decimal
    allocated_on: date


class PaymentIn(Schema):
    company: int
    received_on: date
    amount: Decimal
    currency: str = Field("CNY", min_length=3, max_length=3)
    method: Payment.Method = Payment.Method.BANK
    reference: str = Field("", max_length=100)
    note: str = Field("", max_length=200)
    is_prepayment: bool = False
    allocations: list[AllocationIn] = []


class PaymentOut(Schema):
    id: int
    company: int = Field(..., alias="company_id")
    received_on: date
    amount: Decimal
    currency: str
    method: str
    reference: str
    is_prepayment: bool
    allocated_amount: Decimal
    unallocated: Decimal
    allocations: list[AllocationOut]

    @staticmethod
    def resolve_allocations(obj) -> list:
        return list(obj.allocations.all())


class AgeingRowOut(Schema):
    company: int
    company_code: str
    currency: str
    current: Decimal
    d30: Decimal
    d60: Decimal
    d90: Decimal
    over90: Decimal
    total: Decimal


class AgeingOut(Schema):
    as_of: date
    rows: list[AgeingRowOut]


class AgeingQuery(Schema):
    as_of: date | None = None
    company: int | None = None
    overdue: bool = False


class StatementQuery(Schema):
    company: int
    start: date
    end: date
    currency: str = "CNY"


class StatementEntryOut(Schema):
    day: date
    kind: str
    reference: str
    description: str
    debit: Decimal
    credit: Decimal
    balance: Decimal


class StatementOut(Schema):
    company: int
    currency: str
    start: date
    end: date
    opening: Decimal
    entries: list[StatementEntryOut]
    closing: Decimal
    unallocated: Decimal


def _invoice(request: HttpRequest, invoice_id: int) -> Invoice:
    return get_or_404(
        visible(caller(request), Invoice.objects.all()).select_related("company", "series"),
        pk=invoice_id,
    )


def _require(request: HttpRequest, action: str) -> None:
    if not can(caller(request), action):
        raise NotAllowed()


@router.get("/invoices", response={200: list[InvoiceOut], **errors(403)})
@paginate(PagePagination)
def list_invoices(request: HttpRequest, filters: Query[InvoiceFilters]):
    _require(request, "finance.invoice.view")
    return selectors.invoices_for(
        caller(request),
        status=filters.status,
        kind=filters.kind,
        company=filters.company,
        job=filters.job,
        overdue=filters.overdue,
        today=timezone.localdate(),
    )


@router.post("/invoices", response={201: InvoiceDetailOut, **errors(400, 403, 404)})
def create_invoice(request: HttpRequest, payload: DraftIn):
    user = caller(request)
    _require(request, "finance.invoice.create")
    job = get_or_404(Job.objects.select_related("company"), pk=payload.job)
    series = None
    if payload.series is not None:
        series = InvoiceSeries.objects.filter(pk=payload.series).first()
        if series is None:
            raise DomainError(services.INVALID, fields={"series": UNKNOWN})
    if payload.source == "time":
        invoice = services.invoice_draft_from_time(
            actor=user, job=job, series=series, note=payload.note
        )
    else:
        invoice = services.invoice_draft_from_quote(
            actor=user,
            job=job,
            kind=payload.kind,
            percentage=payload.percentage,
            milestone=payload.milestone,
            amount=payload.amount,
            line_ids=payload.lines,
            series=series,
            note=payload.note,
        )
    return Status(201, _invoice(request, invoice.pk))


@router.get("/invoices/{int:invoice_id}", response={200: InvoiceDetailOut, **errors(404)})
def get_invoice(request: HttpRequest, invoice_id: int):
    return _invoice(request, invoice_id)


@router.post(
    "/invoices/{int:invoice_id}/issue",
    response={200: InvoiceDetailOut, **errors(400, 403, 404, 409)},
)
def issue_invoice(request: HttpRequest, invoice_id: int, payload: IssueIn):
    """Issues a draft; 409 when it was issued already or the version is stale."""
    services.invoice_issue(
        actor=caller(request),
        invoice=_invoice(request, invoice_id),
        issue_date=payload.issue_date,
        expected_version=payload.version,
        email_to=payload.email_to,
    )
    return _invoice(request, invoice_id)


@router.post(
    "/invoices/{int:invoice_id}/credit",
    response={201: InvoiceDetailOut, **errors(400, 403, 404, 409)},
)
def credit_invoice(request: HttpRequest, invoice_id: int, payload: CreditIn):
    note = services.invoice_credit(
        actor=caller(request),
        invoice=_invoice(request, invoice_id),
        reason=payload.reason,
        net_amount=payload.net_amount,
        issue_date=payload.issue_date,
    )
    return Status(201, _invoice(request, note.pk))


def _payment(request: HttpRequest, payment_id: int) -> Payment:
    return get_or_404(
        visible(caller(request), Payment.objects.all()).prefetch_related("allocations"),
        pk=payment_id,
    )


@router.get("/payments", response={200: list[PaymentOut], **errors(403)})
@paginate(PagePagination)
def list_payments(request: HttpRequest, company: int | None = None):
    _require(request, "finance.invoice.list")
    return selectors.payments_for(caller(request), company=company).prefetch_related("allocations")


@router.post("/payments", response={201: PaymentOut, **errors(400, 403, 404, 409)})
def create_payment(request: HttpRequest, payload: PaymentIn):
    user = caller(request)
    _require(request, "finance.payment.record")
    company = get_or_404(Company.objects.all(), pk=payload.company)
    invoices = Invoice.objects.in_bulk([a.invoice for a in payload.allocations])
    allocations = []
    for allocation in payload.allocations:
        invoice = invoices.get(allocation.invoice)
        if invoice is None:
            raise DomainError(services.INVALID, fields={"allocations": UNKNOWN})
        allocations.append((invoice, allocation.amount))
    payment = payment_services.payment_record(
        actor=user,
        company=company,
        received_on=payload.received_on,
        amount=payload.amount,
        currency=payload.currency.upper(),
        method=payload.method,
        reference=payload.reference,
        note=payload.note,
        is_prepayment=payload.is_prepayment,
        allocations=allocations,
    )
    return Status(201, _payment(request, payment.pk))


@router.get("/payments/{int:payment_id}", response={200: PaymentOut, **errors(404)})
def get_payment(request: HttpRequest, payment_id: int):
    return _payment(request, payment_id)


@router.post(
    "/payments/{int:payment_id}/allocations",
    response={201: PaymentOut, **errors(400, 403, 404, 409)},
)
def allocate_payment(request: HttpRequest, payment_id: int, payload: AllocationIn):
    payment = _payment(request, payment_id)
    _require(request, "finance.payment.record")
    invoice = Invoice.objects.filter(pk=payload.invoice).first()
    if invoice is None:
        raise DomainError(services.INVALID, fields={"invoice": UNKNOWN})
    payment_services.payment_allocate(
        actor=caller(request),
        payment=payment,
        invoice=invoice,
        amount=payload.amount,
        allocated_on=payload.allocated_on,
    )
    return Status(201, _payment(request, payment_id))


@router.get("/ageing", response={200: AgeingOut, **errors(403)})
def get_ageing(request: HttpRequest, query: Query[AgeingQuery]):
    _require(request, "finance.receivables.view")
    result = receivables.ageing(
        caller(request),
        as_of=query.as_of or timezone.localdate(),
        company=query.company,
        overdue_only=query.overdue,
    )
    rows = [
        {
            "company": row.company.pk,
            "company_code": row.company.code,
            "currency": row.currency,
            **dict(zip(receivables.BUCKET_KEYS, row.buckets, strict=True)),
            "total": row.total,
        }
        for row in result.rows
    ]
    return {"as_of": result.as_of, "rows": rows}


@router.get("/statement", response={200: StatementOut, **errors(400, 403, 404)})
def get_statement(request: HttpRequest, query: Query[StatementQuery]):
    user = caller(request)
    company = Company.objects.filter(pk=query.company).first()
    if user.is_client_user:
        # A client user reads their own company's statement only (as in the portal).
        if not can(user, "finance.portal.invoices") or company is None:
            raise Http404()
        if company.pk != user.company_id:
            raise Http404()
    else:
        _require(request, "finance.receivables.view")
        if company is None or not sees_company(user, company.pk):
            raise Http404()
    if query.start > query.end:
        raise DomainError(services.INVALID, fields={"end": services.INVALID})
    result = receivables.statement(
        company, start=query.start, end=query.end, currency=query.currency.upper()[:3]
    )
    return {
        "company": company.pk,
        "currency": result.currency,
        "start": result.start,
        "end": result.end,
        "opening": result.opening,
        "entries": result.entries,
        "closing": result.closing,
        "unallocated": result.unallocated,
    }


class RetainerIn(Schema):
    company: int
    description: str = Field(..., max_length=200)
    monthly_fee: Decimal
    starts_on: date
    ends_on: date | None = None
    tax_profile: int | None = None
    series: int | None = None
    currency: str = Field("CNY", min_length=3, max_length=3)


class RetainerOut(Schema):
    id: int
    company: int = Field(..., alias="company_id")
    description: str
    monthly_fee: Decimal
    currency: str
    starts_on: date
    ends_on: date | None
    is_active: bool


@router.get("/retainers", response={200: list[RetainerOut], **errors(403)})
@paginate(PagePagination)
def list_retainers(request: HttpRequest):
    _require(request, "finance.invoice.create")
    return Retainer.objects.order_by("company__code", "pk")


@router.post("/retainers", response={201: RetainerOut, **errors(400, 403, 404)})
def create_retainer(request: HttpRequest, payload: RetainerIn):
    _require(request, "finance.invoice.create")
    company = get_or_404(Company.objects.all(), pk=payload.company)
    profile = series = None
    if payload.tax_profile is not None:
        profile = TaxProfile.objects.filter(pk=payload.tax_profile, is_active=True).first()
        if profile is None:
            raise DomainError(services.INVALID, fields={"tax_profile": UNKNOWN})
    if payload.series is not None:
        series = InvoiceSeries.objects.filter(pk=payload.series).first()
        if series is None:
            raise DomainError(services.INVALID, fields={"series": UNKNOWN})
    retainer = services.retainer_create(
        actor=caller(request),
        company=company,
        description=payload.description,
        monthly_fee=payload.monthly_fee,
        starts_on=payload.starts_on,
        ends_on=payload.ends_on,
        tax_profile=profile,
        series=series,
        currency=payload.currency.upper(),
    )
    return Status(201, retainer)


@router.post(
    "/retainers/{int:retainer_id}/draft",
    response={201: InvoiceDetailOut, **errors(400, 403, 404, 409)},
)
def draft_retainer_month(request: HttpRequest, retainer_id: int):
    _require(request, "finance.invoice.create")
    retainer = get_or_404(Retainer.objects.all(), pk=retainer_id)
    invoice = services.retainer_draft_month(actor=caller(request), retainer=retainer)
    return Status(201, _invoice(request, invoice.pk))
