"""API of the job chain: quotes, their lines, sign-off and PDF; the job's prepayment.

Changes to a quote name the version they were made against where it matters (PATCH of
the quote); a stale one answers 409 and changes nothing."""

from datetime import date, datetime
from decimal import Decimal

from django.http import HttpRequest
from ninja import Field, Router, Schema, Status

from jobbag.core.api_support import caller, errors, get_or_404
from jobbag.core.errors import DomainError, NotFound
from jobbag.core.pdf import pdf_response, render_pdf
from jobbag.core.permissions import can, visible
from jobbag.finance.models import RateItem, TaxProfile
from jobbag.jobs.models import Job, QuoteLine, QuoteVersion
from jobbag.jobs.selectors import quotes as selectors
from jobbag.jobs.services import quotes as services

router = Router(tags=["jobs"])


class TaxLineOut(Schema):
    name: str
    rate: str
    charged: bool
    amount: str


class QuoteLineOut(Schema):
    id: int
    order: int
    kind: QuoteLine.Kind
    rate_item_id: int | None
    description: str
    quantity: Decimal
    unit_price: Decimal
    markup_percent: Decimal
    amount: Decimal


class QuoteOut(Schema):
    id: int
    job_id: int
    number: int
    currency: str
    signoff_status: str
    tax_profile_id: int | None
    net_total: Decimal
    tax_total: Decimal
    total: Decimal
    tax_lines: list[TaxLineOut]
    valid_until: date | None
    notes: str
    client_feedback: str
    signed_back_at: datetime | None
    approval_id: int | None = None
    version: int
    created_at: datetime


class QuoteDetailOut(QuoteOut):
    lines: list[QuoteLineOut] = Field(..., alias="lines_list")


class QuotePatch(Schema):
    """Only the fields sent change; `version` is the one the edit was made against."""

    version: int
    tax_profile: int | None = None
    valid_until: date | None = None
    notes: str | None = None
    client_feedback: str | None = None


class LineIn(Schema):
    kind: QuoteLine.Kind
    quantity: Decimal = Field(..., max_digits=10, decimal_places=2)
    rate_item: int | None = None
    unit_price: Decimal | None = Field(None, max_digits=12, decimal_places=2)
    description: str = Field("", max_length=200)
    markup_percent: Decimal = Field(Decimal(0), max_digits=6, decimal_places=2)
    version: int | None = Field(None, description="The quote's version, checked when sent.")


class LinePatch(Schema):
    kind: QuoteLine.Kind | None = None
    quantity: Decimal | None = Field(None, max_digits=10, decimal_places=2)
    rate_item: int | None = None
    unit_price: Decimal | None = Field(None, max_digits=12, decimal_places=2)
    description: str | None = Field(None, max_length=200)
    markup_percent: Decimal | None = Field(None, max_digits=6, decimal_places=2)
    version: int | None = None


class SubmitOut(Schema):
    approval_id: int
    status: str
    quote: QuoteOut


class PrepaymentIn(Schema):
    amount: Decimal | None = Field(
        None, max_digits=14, decimal_places=2, description="Empty or 0: no prepayment."
    )
    received_on: date | None = Field(
        None, description="Record the prepayment as received on this day."
    )


class PrepaymentOut(Schema):
    id: int
    prepayment_required: Decimal | None
    prepayment_received_on: date | None
    version: int


def _job(request: HttpRequest, job_id: int) -> Job:
    user = caller(request)
    job = get_or_404(visible(user, Job.objects.all()), pk=job_id)
    if not can(user, "jobs.job.view", job):
        raise NotFound()
    return job


def _quote(request: HttpRequest, quote_id: int) -> QuoteVersion:
    quote = selectors.quote_for(caller(request), quote_id)
    if quote is None:
        get_or_404(QuoteVersion.objects.none())
    return quote


def _detail(quote: QuoteVersion) -> QuoteVersion:
    quote.lines_list = list(selectors.lines_of(quote))
    approval = selectors.approvals_by_quote([quote.pk]).get(quote.pk)
    quote.approval_id = approval.pk if approval else None
    return quote


def _rate_item(pk: int | None) -> RateItem | None:
    if pk is None:
        return None
    item = RateItem.objects.filter(pk=pk).first()
    if item is None:
        raise DomainError(services.INVALID, fields={"rate_item": services.REQUIRED})
    return item


@router.get("/{job_id}/quotes", response={200: list[QuoteOut], **errors(403, 404)})
def quote_list(request: HttpRequest, job_id: int):
    """The job's quote versions, newest first, each with its latest sign-off's id."""
    job = _job(request, job_id)
    quotes = selectors.quotes_of(job)
    for quote in quotes:
        quote.approval_id = quote.current_approval.pk if quote.current_approval else None
    return quotes


@router.post("/{job_id}/quotes", response={201: QuoteDetailOut, **errors(400, 403, 404, 409)})
def quote_new(request: HttpRequest, job_id: int):
    """The first version, or the next as a copy of a returned or rejected one."""
    job = _job(request, job_id)
    quote = services.quote_create(actor=caller(request), job=job)
    return Status(201, _detail(selectors.quote_for(caller(request), quote.pk)))


@router.get("/quotes/{quote_id}", response={200: QuoteDetailOut, **errors(403, 404)})
def quote_get(request: HttpRequest, quote_id: int):
    return _detail(_quote(request, quote_id))


@router.patch("/quotes/{quote_id}", response={200: QuoteDetailOut, **errors(400, 403, 404, 409)})
def quote_patch(request: HttpRequest, quote_id: int, payload: QuotePatch):
    quote = _quote(request, quote_id)
    values = payload.dict(exclude_unset=True)
    version = values.pop("version")
    if "tax_profile" in values and values["tax_profile"] is not None:
        profile = TaxProfile.objects.filter(pk=values["tax_profile"]).first()
        if profile is None:
            raise DomainError(services.INVALID, fields={"tax_profile": services.REQUIRED})
        values["tax_profile"] = profile
    for name in ("notes", "client_feedback"):
        if name in values and values[name] is None:
            values[name] = ""
    services.quote_update(actor=caller(request), quote=quote, expected_version=version, **values)
    return _detail(selectors.quote_for(caller(request), quote.pk))


@router.post("/quotes/{quote_id}/lines", response={201: QuoteLineOut, **errors(400, 403, 404, 409)})
def line_add(request: HttpRequest, quote_id: int, payload: LineIn):
    quote = _quote(request, quote_id)
    values = payload.dict()
    version = values.pop("version")
    values["rate_item"] = _rate_item(values["rate_item"])
    line = services.quote_line_add(
        actor=caller(request), quote=quote, expected_version=version, **values
    )
    return Status(201, line)


def _line(request: HttpRequest, quote_id: int, line_id: int) -> QuoteLine:
    quote = _quote(request, quote_id)
    line = get_or_404(QuoteLine.objects.select_related("quote"), pk=line_id, quote=quote)
    line.quote = quote
    return line


@router.patch(
    "/quotes/{quote_id}/lines/{line_id}",
    response={200: QuoteLineOut, **errors(400, 403, 404, 409)},
)
def line_patch(request: HttpRequest, quote_id: int, line_id: int, payload: LinePatch):
    line = _line(request, quote_id, line_id)
    values = payload.dict(exclude_unset=True)
    version = values.pop("version", None)
    if "rate_item" in values:
        values["rate_item"] = _rate_item(values["rate_item"])
    return services.quote_line_update(
        actor=caller(request), line=line, expected_version=version, **values
    )


@router.delete(
    "/quotes/{quote_id}/lines/{line_id}", response={204: None, **errors(400, 403, 404, 409)}
)
def line_delete(request: HttpRequest, quote_id: int, line_id: int, version: int | None = None):
    line = _line(request, quote_id, line_id)
    services.quote_line_remove(actor=caller(request), line=line, expected_version=version)
    return Status(204, None)


@router.post("/quotes/{quote_id}/submit", response={200: SubmitOut, **errors(400, 403, 404, 409)})
def quote_submit(request: HttpRequest, quote_id: int):
    """Sends the draft for sign-off (internal signers by amount, then the client)."""
    quote = _quote(request, quote_id)
    approval = services.quote_submit(actor=caller(request), quote=quote)
    fresh = selectors.quote_for(caller(request), quote.pk)
    fresh.approval_id = approval.pk
    return {"approval_id": approval.pk, "status": approval.status, "quote": fresh}


@router.get("/quotes/{quote_id}/pdf", response={200: None, **errors(403, 404)})
def quote_pdf(request: HttpRequest, quote_id: int):
    """The printable quote (application/pdf)."""
    quote = _quote(request, quote_id)
    content = render_pdf("jobs/pdf/quote.html", selectors.pdf_context(quote))
    return pdf_response(content, f"quote-{quote.job.number or quote.job_id}-V{quote.number}.pdf")


@router.post("/{job_id}/prepayment", response={200: PrepaymentOut, **errors(400, 403, 404, 409)})
def prepayment(request: HttpRequest, job_id: int, payload: PrepaymentIn):
    """Sets the prepayment the job needs (`amount`), or records it as received
    (`received_on`: Finance or the job's owners)."""
    job = _job(request, job_id)
    values = payload.dict(exclude_unset=True)
    if not values:
        raise DomainError(services.INVALID, fields={"amount": services.REQUIRED})
    if "amount" in values:
        job = services.job_prepayment_require(
            actor=caller(request), job=job, amount=values["amount"]
        )
    if "received_on" in values:
        if values["received_on"] is None:
            raise DomainError(services.INVALID, fields={"received_on": services.REQUIRED})
        job = services.job_prepayment_record(
            actor=caller(request), job=job, received_on=values["received_on"]
        )
    return job
