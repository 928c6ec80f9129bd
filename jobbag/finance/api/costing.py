"""API of costs under /api/v1/finance/:

- GET `/expenses?company=&job=&category=&start=&end=`: expenses of the jobs whose money
  I see (in force; `voided=all` or `void` for the others); POST `/expenses` records one
  (JSON: no receipt — receipts are uploaded on the job's costing page);
  POST `/expenses/{id}/void` (`reason`, `version`).
- GET `/jobs/{id}/costing`: the job's quote against its actuals, live.
- GET `/profitability?group=job|client|month&year=&company=`: revenue, cost and margin.
"""

from datetime import date
from decimal import Decimal

from django.http import Http404, HttpRequest
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from jobbag.core.api_support import PagePagination, caller, errors, get_or_404
from jobbag.core.permissions import can, require, visible
from jobbag.finance.selectors import costing as selectors
from jobbag.finance.services import costing as services
from jobbag.jobs.models import Job

router = Router(tags=["finance"])


class ExpenseOut(Schema):
    id: int
    job: int = Field(..., alias="job_id")
    category: str
    incurred_on: date
    description: str
    supplier: str
    amount: Decimal
    currency: str
    billable: bool
    has_receipt: bool
    voided: bool
    void_reason: str
    version: int

    @staticmethod
    def resolve_has_receipt(obj) -> bool:
        return bool(obj.receipt)

    @staticmethod
    def resolve_voided(obj) -> bool:
        return obj.voided_at is not None


class ExpenseIn(Schema):
    job: int
    category: str
    incurred_on: date
    description: str = Field(..., max_length=200)
    supplier: str = Field("", max_length=200)
    amount: Decimal
    currency: str = "CNY"
    billable: bool = False


class ExpenseFilters(Schema):
    company: int | None = None
    job: int | None = None
    category: str = ""
    start: date | None = None
    end: date | None = None
    voided: str = Field("", description="empty: in force; 'void': void only; 'all'")


class VoidIn(Schema):
    reason: str = Field(..., max_length=200)
    version: int | None = None


class CostingOut(Schema):
    job: int
    currency: str
    quoted_net: Decimal | None
    hours: Decimal
    approved_hours: Decimal
    time_cost: Decimal
    expenses: Decimal
    external_costs: Decimal
    invoiced_net: Decimal
    revenue: Decimal
    cost: Decimal
    margin: Decimal
    margin_percent: Decimal | None
    close_out: bool


class ProfitFilters(Schema):
    group: str = Field("job", pattern="^(job|client|month)$")
    year: int = Field(..., ge=2000, le=2100)
    company: int | None = None


class ProfitOut(Schema):
    key: str
    label: str
    company: int | None
    revenue: Decimal
    hours: Decimal
    time_cost: Decimal
    expenses: Decimal
    external_costs: Decimal
    cost: Decimal
    margin: Decimal
    margin_percent: Decimal | None


def _job_for_money(user, job_id: int) -> Job:
    """The job, if the caller sees it and its money; else 404."""
    job = visible(user, Job.objects.all()).filter(pk=job_id).first()
    if job is None or not can(user, "finance.costs.view", job):
        raise Http404
    return job


@router.get("/expenses", response={200: list[ExpenseOut], **errors(403)})
@paginate(PagePagination)
def list_expenses(request: HttpRequest, filters: Query[ExpenseFilters]):
    user = caller(request)
    require(user, "finance.expense.list")
    voided = {"": False, "void": True, "all": None}.get(filters.voided, False)
    return selectors.expenses_for(
        user,
        company=filters.company,
        job=filters.job,
        category=filters.category,
        start=filters.start,
        end=filters.end,
        voided=voided,
    )


@router.post("/expenses", response={201: ExpenseOut, **errors(400, 403, 404, 409)})
def create_expense(request: HttpRequest, payload: ExpenseIn):
    user = caller(request)
    job = _job_for_money(user, payload.job)
    values = payload.dict(exclude={"job"})
    expense = services.expense_create(actor=user, job=job, **values)
    return Status(201, expense)


@router.post(
    "/expenses/{int:expense_id}/void", response={200: ExpenseOut, **errors(400, 403, 404, 409)}
)
def void_expense(request: HttpRequest, expense_id: int, payload: VoidIn):
    user = caller(request)
    expense = get_or_404(selectors.expenses_for(user, voided=None), pk=expense_id)
    return services.expense_void(
        actor=user, expense=expense, reason=payload.reason, expected_version=payload.version
    )


@router.get("/jobs/{int:job_id}/costing", response={200: CostingOut, **errors(404)})
def job_costing(request: HttpRequest, job_id: int):
    user = caller(request)
    job = _job_for_money(user, job_id)
    costing = selectors.job_costing(job)
    return {
        "job": job.pk,
        "currency": costing.currency,
        "quoted_net": costing.quoted_net,
        "hours": costing.hours,
        "approved_hours": costing.approved_hours,
        "time_cost": costing.time_cost,
        "expenses": costing.expenses,
        "external_costs": costing.external_costs,
        "invoiced_net": costing.invoiced_net,
        "revenue": costing.revenue,
        "cost": costing.cost,
        "margin": costing.margin,
        "margin_percent": costing.margin_percent,
        "close_out": selectors.close_out_for(job) is not None,
    }


@router.get("/profitability", response={200: list[ProfitOut], **errors(403)})
def profitability(request: HttpRequest, filters: Query[ProfitFilters]):
    user = caller(request)
    require(user, "finance.profitability.view")
    rows = selectors.profitability(
        user, group=filters.group, year=filters.year, company=filters.company
    )
    return [
        {
            "key": str(row.key),
            "label": row.label,
            "company": row.company.pk if row.company else None,
            "revenue": row.revenue,
            "hours": row.hours,
            "time_cost": row.time_cost,
            "expenses": row.expenses,
            "external_costs": row.external_costs,
            "cost": row.cost,
            "margin": row.margin,
            "margin_percent": row.margin_percent,
        }
        for row in rows
    ]
