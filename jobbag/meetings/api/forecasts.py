"""API of forecasts under /api/v1/meetings/.

- GET `/forecasts?year=&company=`: the forecasts the caller sees, by client and month.
- PUT `/forecasts/{company_id}/{year}/{month}`: enters or changes one month (with the
  `version` seen: none or 0 for a month not forecast yet; 409 when stale).
- GET `/forecasts/monthly?year=` and `/forecasts/quarterly?year=`: the summaries with
  totals per client, per period and per currency.

Amounts travel as decimal strings ("120000.50"), never as floats. Client users get 403.
"""

from datetime import date, datetime
from decimal import Decimal

from django.http import HttpRequest
from django.utils import timezone
from ninja import Field, Query, Router, Schema

from jobbag.clients.models import Company
from jobbag.core.api_support import caller, errors
from jobbag.core.errors import NotFound
from jobbag.core.permissions import require
from jobbag.meetings.permissions.common import sees_company
from jobbag.meetings.permissions.forecasts import sees_every_forecast
from jobbag.meetings.selectors import forecasts as selectors
from jobbag.meetings.services import forecasts as services

router = Router(tags=["meetings"])


class ForecastOut(Schema):
    id: int
    company: int = Field(..., alias="company_id")
    company_code: str
    month: date
    ad_spend: Decimal
    revenue: Decimal
    currency: str
    note: str
    version: int
    updated_by: str
    updated_at: datetime

    @staticmethod
    def resolve_company_code(obj) -> str:
        return obj.company.code

    @staticmethod
    def resolve_updated_by(obj) -> str:
        return str(obj.updated_by)


class ForecastIn(Schema):
    ad_spend: Decimal = Field(..., description="Decimal string, at most 2 decimal places.")
    revenue: Decimal = Field(..., description="Decimal string, at most 2 decimal places.")
    note: str = Field("", max_length=300)
    version: int | None = Field(
        None, description="The version seen; none or 0 for a month not forecast yet."
    )


class CellOut(Schema):
    ad_spend: Decimal
    revenue: Decimal
    entered: bool


class ClientRowOut(Schema):
    company: int
    company_code: str
    company_name: str
    currency: str
    periods: list[CellOut]
    total: CellOut


class CurrencyTotalOut(Schema):
    currency: str
    periods: list[CellOut]
    total: CellOut


class SummaryOut(Schema):
    year: int
    periods: list[int]
    clients: list[ClientRowOut]
    totals: list[CurrencyTotalOut]


class YearQuery(Schema):
    year: int | None = Field(None, ge=services.YEARS[0], le=services.YEARS[1])


class ListQuery(YearQuery):
    company: int | None = None


def _year(value: int | None) -> int:
    return value or timezone.localdate().year


def _company(request: HttpRequest, company_id: int) -> Company:
    """The client if the caller sees its forecasts; 404 outside their scope."""
    user = caller(request)
    company = Company.objects.filter(pk=company_id).first()
    if company is None or not (sees_every_forecast(user) or sees_company(user, company.pk)):
        raise NotFound()
    return company


def _summary_out(summary: selectors.Summary) -> dict:
    def cell(value) -> dict:
        return {"ad_spend": value.ad_spend, "revenue": value.revenue, "entered": value.entered}

    return {
        "year": summary.year,
        "periods": summary.periods,
        "clients": [
            {
                "company": row.company.pk,
                "company_code": row.company.code,
                "company_name": row.company.name,
                "currency": row.currency,
                "periods": [cell(value) for value in row.cells],
                "total": cell(row.total),
            }
            for row in summary.rows
        ],
        "totals": [
            {
                "currency": currency,
                "periods": [cell(value) for value in cells],
                "total": cell(summary.year_totals[currency]),
            }
            for currency, cells in summary.totals.items()
        ],
    }


@router.get("/forecasts", response={200: list[ForecastOut], **errors(403, 404)})
def list_forecasts(request: HttpRequest, filters: Query[ListQuery]):
    """The forecasts of a year (this one by default), of one client or of all seen."""
    user = caller(request)
    require(user, "meetings.forecasts.view_month")
    company = _company(request, filters.company) if filters.company else None
    return list(selectors.forecasts_of_year(user, _year(filters.year), company))


@router.put(
    "/forecasts/{int:company_id}/{int:year}/{int:month}",
    response={200: ForecastOut, **errors(400, 403, 404, 409)},
)
def put_forecast(request: HttpRequest, company_id: int, year: int, month: int, payload: ForecastIn):
    """Enters or changes one month's forecast; 409 when `version` is stale."""
    user = caller(request)
    require(user, "meetings.forecasts.view_quarter")
    company = _company(request, company_id)
    if not 1 <= month <= 12 or not services.YEARS[0] <= year <= services.YEARS[1]:
        raise NotFound()
    forecast = services.forecast_set(
        actor=user,
        company=company,
        month=date(year, month, 1),
        ad_spend=payload.ad_spend,
        revenue=payload.revenue,
        note=payload.note,
        expected_version=payload.version,
    )
    return selectors.forecasts_of_year(user, year, company).get(pk=forecast.pk)


@router.get("/forecasts/monthly", response={200: SummaryOut, **errors(403)})
def monthly_forecast(request: HttpRequest, filters: Query[YearQuery]):
    """Every client the caller sees × the months of the year, with totals."""
    user = caller(request)
    require(user, "meetings.forecasts.view_month")
    return _summary_out(selectors.monthly_summary(user, _year(filters.year)))


@router.get("/forecasts/quarterly", response={200: SummaryOut, **errors(403)})
def quarterly_forecast(request: HttpRequest, filters: Query[YearQuery]):
    """Every client the caller sees × the quarters of the year, with totals."""
    user = caller(request)
    require(user, "meetings.forecasts.view_quarter")
    return _summary_out(selectors.quarterly_summary(user, _year(filters.year)))
