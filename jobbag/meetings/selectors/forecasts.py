"""Read queries of forecasts that pages and the API share: one client's year grid, the
monthly view (clients × months) and the quarterly view (clients × quarters), with totals
per client, per period and per currency. Each reads a fixed number of queries.

Actual invoiced figures join these views from the issued invoices (finance):
`invoiced_actuals` is the one place they come from.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.db.models import QuerySet

from jobbag.clients.models import Company
from jobbag.core.permissions import visible
from jobbag.meetings.models import Forecast
from jobbag.meetings.permissions.common import company_ids, is_manager

ZERO = Decimal("0.00")


@dataclass
class Cell:
    """The figures of one period: forecast ad spend and revenue."""

    ad_spend: Decimal = ZERO
    revenue: Decimal = ZERO
    # Whether any forecast was entered for the period (an empty cell shows "—").
    entered: bool = False

    def add(self, ad_spend: Decimal, revenue: Decimal) -> None:
        self.ad_spend += ad_spend
        self.revenue += revenue
        self.entered = True


@dataclass
class ClientRow:
    company: Company
    currency: str
    cells: list[Cell]
    total: Cell = field(default_factory=Cell)
    # The invoiced figures of the period, once invoicing exists; None until then.
    actuals: list[Decimal | None] | None = None

    @property
    def actual_total(self) -> Decimal | None:
        return None if self.actuals is None else sum(a or ZERO for a in self.actuals)


@dataclass
class Summary:
    """A table of clients × periods (12 months or 4 quarters) for one year."""

    year: int
    periods: list[int]
    rows: list[ClientRow]
    # Per currency: the total of each period and of the year.
    totals: dict[str, list[Cell]]
    year_totals: dict[str, Cell]


def forecasts_of_year(user, year: int, company: Company | None = None) -> QuerySet[Forecast]:
    """The forecasts of `year` that `user` sees, with their client and who entered them."""
    rows = Forecast.objects.filter(month__gte=date(year, 1, 1), month__lt=date(year + 1, 1, 1))
    if company is not None:
        rows = rows.filter(company=company)
    return (
        visible(user, rows)
        .select_related("company", "updated_by")
        .order_by("company__code", "month")
    )


def year_grid(user, company: Company, year: int) -> dict[int, Forecast]:
    """One client's forecasts of `year` by month number, in one query."""
    return {row.month.month: row for row in forecasts_of_year(user, year, company)}


def companies_to_enter(user) -> QuerySet[Company]:
    """The clients `user` may enter forecasts for (a choice list), active ones first."""
    rows = Company.objects.exclude(status=Company.Status.FORMER).order_by("code")
    if is_manager(user):
        return rows
    ids = company_ids(user)
    return rows if ids is None else rows.filter(pk__in=ids)


def invoiced_actuals(company_ids: list[int], year: int, periods: list[int]) -> dict:
    """ACTUALS: the invoiced revenue per client and period of `year`, from the issued
    invoices (net of tax, credit notes deducted), by the month of their issue date:
    `{company_id: [amount per period]}` for the clients that were invoiced in the year.
    Twelve periods are months, four are quarters."""
    from jobbag.finance.selectors.receivables import invoiced_net_by_month

    by_month = invoiced_net_by_month(company_ids, year)
    result = {}
    for company_id, months in by_month.items():
        amounts = [ZERO for _period in periods]
        for month, net in months.items():
            period = month if len(periods) == 12 else quarter_of(month)
            amounts[periods.index(period)] += net
        result[company_id] = amounts
    return result


def _summary(user, year: int, periods: list[int], period_of) -> Summary:
    rows: dict[int, ClientRow] = {}
    for forecast in forecasts_of_year(user, year):
        row = rows.get(forecast.company_id)
        if row is None:
            row = rows[forecast.company_id] = ClientRow(
                company=forecast.company,
                currency=forecast.currency,
                cells=[Cell() for _period in periods],
            )
        index = periods.index(period_of(forecast.month.month))
        row.cells[index].add(forecast.ad_spend, forecast.revenue)
        row.total.add(forecast.ad_spend, forecast.revenue)
    totals: dict[str, list[Cell]] = defaultdict(lambda: [Cell() for _period in periods])
    year_totals: dict[str, Cell] = defaultdict(Cell)
    for row in rows.values():
        for index, cell in enumerate(row.cells):
            if cell.entered:
                totals[row.currency][index].add(cell.ad_spend, cell.revenue)
        year_totals[row.currency].add(row.total.ad_spend, row.total.revenue)
    actuals = invoiced_actuals(list(rows), year, periods)
    for company_id, amounts in actuals.items():
        if company_id in rows:
            rows[company_id].actuals = amounts
    return Summary(
        year=year,
        periods=periods,
        rows=list(rows.values()),
        totals=dict(sorted(totals.items())),
        year_totals=dict(sorted(year_totals.items())),
    )


def monthly_summary(user, year: int) -> Summary:
    """Every client `user` sees × the 12 months of `year`, in one query."""
    return _summary(user, year, list(range(1, 13)), lambda month: month)


def quarter_of(month: int) -> int:
    return (month - 1) // 3 + 1


def quarterly_summary(user, year: int) -> Summary:
    """Every client `user` sees × the 4 quarters of `year`, in one query."""
    return _summary(user, year, [1, 2, 3, 4], quarter_of)
