"""Credit control over the API, mounted at /finance: a client's credit status, the
clients overdue or on hold, and the General Manager's overrides (the GM grants them
here too). A client outside the caller's credit scope is a 404."""

from datetime import date, datetime
from decimal import Decimal

from django.http import Http404, HttpRequest
from ninja import Field, Router, Schema, Status

from jobbag.clients.models import Company
from jobbag.core.api_support import caller, errors
from jobbag.core.permissions import require
from jobbag.finance.permissions.credit import credit_company_ids
from jobbag.finance.selectors import credit as selectors
from jobbag.finance.services import credit as services

router = Router(tags=["finance"])

VIEW = "finance.credit.view"
OVERRIDE = "finance.credit.override"


class CreditStatusOut(Schema):
    company_id: int
    company_code: str
    standing: str
    on_hold: bool
    overdue_amount: Decimal
    overdue_invoices: int
    oldest_due: date | None
    oldest_days: int
    hold_days: int
    notices: int

    @staticmethod
    def resolve_company_id(status) -> int:
        return status.company.pk

    @staticmethod
    def resolve_company_code(status) -> str:
        return status.company.code


class OverrideOut(Schema):
    id: int
    company_id: int
    reason: str
    valid_until: date
    granted_by_id: int
    granted_at: datetime
    used_at: datetime | None
    used_by_id: int | None
    used_for: str


class OverrideIn(Schema):
    reason: str = Field(..., max_length=2000)
    valid_until: date


def _company(request: HttpRequest, company_id: int) -> Company:
    ids = credit_company_ids(caller(request))
    company = Company.objects.filter(pk=company_id).first()
    if company is None or (ids is not None and company.pk not in ids):
        raise Http404
    return company


@router.get("/credit/clients", response={200: list[CreditStatusOut], **errors(403)})
def credit_clients(request: HttpRequest):
    """Every client with an overdue invoice or an open override, held first."""
    user = caller(request)
    require(user, VIEW)
    return selectors.overview(company_ids=credit_company_ids(user))


@router.get("/credit/clients/{company_id}", response={200: CreditStatusOut, **errors(403, 404)})
def credit_client(request: HttpRequest, company_id: int):
    """One client's credit status: clear, overdue, near the hold or on hold."""
    require(caller(request), VIEW)
    return selectors.credit_status(_company(request, company_id))


@router.get("/credit/overrides", response={200: list[OverrideOut], **errors(403)})
def override_list(request: HttpRequest, company: int | None = None):
    user = caller(request)
    require(user, VIEW)
    rows = selectors.overrides(company_ids=credit_company_ids(user))
    if company is not None:
        rows = rows.filter(company_id=company)
    return list(rows[:500])


@router.post(
    "/credit/clients/{company_id}/overrides",
    response={201: OverrideOut, **errors(400, 403, 404, 409)},
)
def override_grant(request: HttpRequest, company_id: int, payload: OverrideIn):
    """The GM lets one new order or work order through for a client on credit hold."""
    user = caller(request)
    require(user, OVERRIDE)
    company = _company(request, company_id)
    override = services.credit_override_grant(
        actor=user, company=company, reason=payload.reason, valid_until=payload.valid_until
    )
    return Status(201, override)
