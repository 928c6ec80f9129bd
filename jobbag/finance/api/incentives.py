"""Commissions, rules and targets over the API, mounted at /finance.

Staff read their own commissions and targets; Finance and management read everyone's
(`user=` filters). Finance marks a payable commission paid out; Finance and the GM set
targets. Anything outside the caller's scope is a 404."""

from datetime import date
from decimal import Decimal

from django.http import Http404, HttpRequest
from django.utils import timezone
from ninja import Field, Router, Schema

from jobbag.accounts.models import User
from jobbag.core.api_support import caller, errors, get_or_404
from jobbag.core.errors import NotAllowed
from jobbag.core.permissions import can, require, visible
from jobbag.finance.models import Commission, Participant
from jobbag.finance.selectors import incentives as selectors
from jobbag.finance.services import incentives as services

router = Router(tags=["finance"])

MINE = "finance.commission.mine"
VIEW_ALL = "finance.commission.view_all"
PAY = "finance.commission.pay"
TARGETS_MINE = "finance.target.mine"
TARGETS_ALL = "finance.target.view_all"
TARGETS_EDIT = "finance.target.edit"


class CommissionOut(Schema):
    id: int
    job_id: int
    job_number: str | None
    user_id: int
    rule_id: int
    participant: Participant
    basis: Decimal
    amount: Decimal
    status: Commission.Status
    payable_on: date | None
    paid_on: date | None

    @staticmethod
    def resolve_job_number(commission) -> str | None:
        return commission.job.number


class PaidIn(Schema):
    paid_on: date | None = None


class ShareOut(Schema):
    participant: Participant
    share: Decimal


class RuleOut(Schema):
    id: int
    code: str
    name: str
    rate: Decimal
    is_active: bool
    shares: list[ShareOut]
    version: int

    @staticmethod
    def resolve_shares(rule) -> list:
        return list(rule.shares.all())


class QuarterOut(Schema):
    quarter: int
    signed: Decimal
    below_minimum: bool


class TargetOut(Schema):
    user_id: int
    year: int
    annual_amount: Decimal | None
    quarterly_minimum: Decimal | None
    signed: Decimal
    attainment: Decimal | None
    quarters: list[QuarterOut]
    revenue: Decimal
    costs: Decimal
    margin: Decimal
    bonus: Decimal
    version: int | None


class TargetIn(Schema):
    user_id: int
    year: int = Field(..., ge=2000, le=2100)
    annual_amount: Decimal
    quarterly_minimum: Decimal = Decimal(0)
    version: int | None = None


def _target_out(result, year: int) -> dict:
    target = result.target
    return {
        "user_id": result.user.pk,
        "year": year,
        "annual_amount": target.annual_amount if target else None,
        "quarterly_minimum": target.quarterly_minimum if target else None,
        "signed": result.signed,
        "attainment": result.attainment,
        "quarters": [
            {"quarter": q, "signed": amount, "below_minimum": below}
            for q, amount, below in result.quarter_rows
        ],
        "revenue": result.revenue,
        "costs": result.costs,
        "margin": result.margin,
        "bonus": result.bonus,
        "version": target.version if target else None,
    }


@router.get("/commissions", response={200: list[CommissionOut], **errors(403)})
def commission_list(
    request: HttpRequest,
    user: int | None = None,
    status: Commission.Status | None = None,
    payable_from: date | None = None,
    payable_to: date | None = None,
):
    """My commissions; Finance and management see everyone's (`user=` for one person)."""
    me = caller(request)
    require(me, MINE)
    rows = visible(me, Commission.objects.all())
    if user is not None:
        rows = rows.filter(user_id=user)
    if status is not None:
        rows = rows.filter(status=status)
    if payable_from is not None:
        rows = rows.filter(payable_on__gte=payable_from)
    if payable_to is not None:
        rows = rows.filter(payable_on__lte=payable_to)
    return list(selectors.commissions(rows)[:1000])


@router.get("/commissions/{commission_id}", response={200: CommissionOut, **errors(403, 404)})
def commission_get(request: HttpRequest, commission_id: int):
    me = caller(request)
    require(me, MINE)
    return get_or_404(
        selectors.commissions(visible(me, Commission.objects.all())), pk=commission_id
    )


@router.post(
    "/commissions/{commission_id}/paid",
    response={200: CommissionOut, **errors(400, 403, 404, 409)},
)
def commission_pay(request: HttpRequest, commission_id: int, payload: PaidIn):
    """Finance records the payout of a payable commission (once: again is a 409)."""
    me = caller(request)
    require(me, PAY)
    commission = get_or_404(visible(me, Commission.objects.all()), pk=commission_id)
    services.commission_mark_paid(actor=me, commission=commission, paid_on=payload.paid_on)
    return get_or_404(selectors.commissions(), pk=commission_id)


@router.get("/commission-rules", response={200: list[RuleOut], **errors(403)})
def rule_list(request: HttpRequest):
    me = caller(request)
    if not (can(me, VIEW_ALL) or can(me, "finance.commission.rules")):
        raise NotAllowed()
    return list(selectors.commission_rules())


@router.get("/targets", response={200: list[TargetOut], **errors(403)})
def target_list(request: HttpRequest, year: int | None = None, user: int | None = None):
    """My target and results for the year; managers see everyone's (`user=` for one)."""
    me = caller(request)
    require(me, TARGETS_MINE)
    year = year or timezone.localdate().year
    if can(me, TARGETS_ALL):
        ids = {user} if user is not None else None
    else:
        if user is not None and user != me.pk:
            raise Http404
        ids = {me.pk}
    return [_target_out(result, year) for result in selectors.results(year, user_ids=ids)]


@router.put("/targets", response={200: TargetOut, **errors(400, 403, 404, 409)})
def target_put(request: HttpRequest, payload: TargetIn):
    """Finance or the GM sets a person's target for a year (`version` to edit one)."""
    me = caller(request)
    require(me, TARGETS_EDIT)
    person = get_or_404(User.objects.filter(kind=User.Kind.STAFF), pk=payload.user_id)
    services.target_save(
        actor=me,
        user=person,
        year=payload.year,
        annual_amount=payload.annual_amount,
        quarterly_minimum=payload.quarterly_minimum,
        expected_version=payload.version,
    )
    result = selectors.results(payload.year, user_ids={person.pk})[0]
    return _target_out(result, payload.year)
