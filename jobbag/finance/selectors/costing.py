"""Reads of what jobs cost and earn: a job's live costing (quote against actuals), the
expense list, and profitability per job, client and month.

Revenue rule (shown on the report): a job's revenue is the net of its issued invoices
(credit notes deducted) when it has any; a completed job without an issued invoice counts
its signed quote's net, in the month it was completed. Cost is time at cost (each
entry's hours at the cost per hour of its day) plus expenses plus external (supplier)
costs, each in the month of its date; voided expenses never count.
"""

from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import (
    Case,
    DecimalField,
    Exists,
    ExpressionWrapper,
    F,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Abs, Coalesce, TruncMonth

from jobbag.approvals.models import SignoffStatus
from jobbag.clients.models import Company
from jobbag.core.permissions import visible
from jobbag.finance.models import Expense, Invoice, JobCloseOut, TimeEntry
from jobbag.finance.permissions.time import profit_company_ids
from jobbag.jobs.models import Job, QuoteVersion

CENT = Decimal("0.01")
ZERO = Decimal("0")
MONEY = DecimalField(max_digits=20, decimal_places=4)


def cents(value) -> Decimal:
    return Decimal(value or 0).quantize(CENT, rounding=ROUND_HALF_UP)


def margin_percent(margin: Decimal, revenue: Decimal) -> Decimal | None:
    if not revenue:
        return None
    return (margin * 100 / revenue).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def _time_cost():
    return Sum(ExpressionWrapper(F("hours") * F("hourly_cost"), output_field=MONEY))


def _invoice_net():
    """An issued invoice's net, a credit note's deducted (whatever sign it was kept in)."""
    return Sum(
        Case(
            When(kind=Invoice.Kind.CREDIT_NOTE, then=-Abs("net_amount")),
            default=F("net_amount"),
            output_field=MONEY,
        )
    )


@dataclass(frozen=True)
class JobCosting:
    job: Job
    currency: str
    quoted_net: Decimal | None  # the signed quote's net, None without a signed quote
    hours: Decimal
    approved_hours: Decimal
    time_cost: Decimal
    expenses: Decimal
    external_costs: Decimal
    invoiced_net: Decimal
    billable_expenses: Decimal

    @property
    def cost(self) -> Decimal:
        return self.time_cost + self.expenses + self.external_costs

    @property
    def revenue(self) -> Decimal:
        """Invoiced net when invoiced, else the signed quote's net."""
        return self.invoiced_net if self.invoiced_net else (self.quoted_net or ZERO)

    @property
    def margin(self) -> Decimal:
        return self.revenue - self.cost

    @property
    def margin_percent(self) -> Decimal | None:
        return margin_percent(self.margin, self.revenue)

    @property
    def budget_left(self) -> Decimal | None:
        return None if self.quoted_net is None else self.quoted_net - self.cost

    def figures(self) -> dict:
        """JSON-safe, for the frozen close-out card."""
        return {
            "currency": self.currency,
            "quoted_net": None if self.quoted_net is None else str(self.quoted_net),
            "hours": str(self.hours),
            "approved_hours": str(self.approved_hours),
            "time_cost": str(self.time_cost),
            "expenses": str(self.expenses),
            "external_costs": str(self.external_costs),
            "billable_expenses": str(self.billable_expenses),
            "invoiced_net": str(self.invoiced_net),
            "revenue": str(self.revenue),
            "cost": str(self.cost),
            "margin": str(self.margin),
            "margin_percent": None if self.margin_percent is None else str(self.margin_percent),
        }


def job_costing(job: Job) -> JobCosting:
    """The job's quote against its actuals, live: four queries."""
    quote = (
        QuoteVersion.objects.filter(job=job, signed_back_at__isnull=False)
        .order_by("-number")
        .values_list("net_total", flat=True)
        .first()
    )
    time = TimeEntry.objects.filter(job=job).aggregate(
        sum_hours=Sum("hours"),
        approved=Sum("hours", filter=Q(timesheet__signoff_status=SignoffStatus.APPROVED)),
        cost=_time_cost(),
    )
    costs = Expense.objects.filter(job=job, voided_at__isnull=True).aggregate(
        external=Sum("amount", filter=Q(category=Expense.Category.SUPPLIER)),
        expenses=Sum("amount", filter=~Q(category=Expense.Category.SUPPLIER)),
        billable=Sum("amount", filter=Q(billable=True)),
    )
    invoiced = Invoice.objects.filter(job=job, status=Invoice.Status.ISSUED).aggregate(
        net=_invoice_net()
    )
    return JobCosting(
        job=job,
        currency=job.currency,
        quoted_net=quote,
        hours=time["sum_hours"] or ZERO,
        approved_hours=time["approved"] or ZERO,
        time_cost=cents(time["cost"]),
        expenses=cents(costs["expenses"]),
        external_costs=cents(costs["external"]),
        invoiced_net=cents(invoiced["net"]),
        billable_expenses=cents(costs["billable"]),
    )


def close_out_for(job: Job) -> JobCloseOut | None:
    return JobCloseOut.objects.filter(job=job).select_related("closed_by").first()


# Expenses ----------------------------------------------------------------------------------


def expenses_for(
    user,
    *,
    company: int | None = None,
    job: int | None = None,
    category: str = "",
    start: date | None = None,
    end: date | None = None,
    voided: bool | None = False,
) -> QuerySet[Expense]:
    """The expenses of jobs whose money `user` sees, newest first, filtered."""
    rows = visible(user, Expense.objects.all()).select_related("job__company", "created_by")
    if company:
        rows = rows.filter(job__company_id=company)
    if job:
        rows = rows.filter(job_id=job)
    if category:
        rows = rows.filter(category=category)
    if start:
        rows = rows.filter(incurred_on__gte=start)
    if end:
        rows = rows.filter(incurred_on__lte=end)
    if voided is False:
        rows = rows.filter(voided_at__isnull=True)
    elif voided is True:
        rows = rows.filter(voided_at__isnull=False)
    return rows.order_by("-incurred_on", "-pk")


def expense_for(user, pk: int) -> Expense | None:
    return expenses_for(user, voided=None).filter(pk=pk).first()


# Profitability -----------------------------------------------------------------------------

GROUPS = {
    # group: (time entry key, expense key, invoice key, job key)
    "job": ("job_id", "job_id", "job_id", "pk"),
    "client": ("job__company_id", "job__company_id", "job__company_id", "company_id"),
    "month": ("month", "month", "month", "month"),
}


@dataclass
class ProfitRow:
    key: object
    label: str = ""
    company: Company | None = None
    job: Job | None = None
    revenue: Decimal = ZERO
    time_cost: Decimal = ZERO
    expenses: Decimal = ZERO
    external_costs: Decimal = ZERO
    hours: Decimal = ZERO

    @property
    def cost(self) -> Decimal:
        return self.time_cost + self.expenses + self.external_costs

    @property
    def margin(self) -> Decimal:
        return self.revenue - self.cost

    @property
    def margin_percent(self) -> Decimal | None:
        return margin_percent(self.margin, self.revenue)


def _scoped(user, rows: QuerySet, field: str, company: int | None) -> QuerySet:
    ids = profit_company_ids(user)
    if ids is not None:
        rows = rows.filter(**{f"{field}__in": ids})
    if company:
        rows = rows.filter(**{field: company})
    return rows


def _grouped(rows: QuerySet, key: str, date_field: str, **sums) -> dict:
    if key == "month":
        rows = rows.annotate(month=TruncMonth(date_field))
    return {row[key]: row for row in rows.order_by().values(key).annotate(**sums)}


def profitability(user, *, group: str, year: int, company: int | None = None) -> list[ProfitRow]:
    """Revenue, cost and margin per job, client or month of `year` over the clients
    `user` sees (optionally one client); a fixed number of queries whatever the rows."""
    time_key, expense_key, invoice_key, job_key = GROUPS[group]
    start, end = date(year, 1, 1), date(year, 12, 31)
    time = _grouped(
        _scoped(user, TimeEntry.objects.filter(day__range=(start, end)), "job__company", company),
        time_key,
        "day",
        sum_hours=Sum("hours"),
        cost=_time_cost(),
    )
    expenses = _grouped(
        _scoped(
            user,
            Expense.objects.filter(incurred_on__range=(start, end), voided_at__isnull=True),
            "job__company",
            company,
        ),
        expense_key,
        "incurred_on",
        external=Sum("amount", filter=Q(category=Expense.Category.SUPPLIER)),
        other=Sum("amount", filter=~Q(category=Expense.Category.SUPPLIER)),
    )
    issued = Invoice.objects.filter(status=Invoice.Status.ISSUED, job__isnull=False)
    invoiced = _grouped(
        _scoped(user, issued.filter(issue_date__range=(start, end)), "job__company", company),
        invoice_key,
        "issue_date",
        net=_invoice_net(),
    )
    signed = QuoteVersion.objects.filter(job=OuterRef("pk"), signed_back_at__isnull=False)
    quoted_jobs = (
        _scoped(
            user,
            Job.objects.filter(completed_on__range=(start, end)),
            "company",
            company,
        )
        .exclude(Exists(issued.filter(job=OuterRef("pk"))))
        .annotate(
            quote_net=Subquery(signed.order_by("-number").values("net_total")[:1]),
        )
    )
    quoted = _grouped(
        quoted_jobs,
        job_key,
        "completed_on",
        net=Sum(Coalesce("quote_net", Value(ZERO), output_field=MONEY)),
    )
    keys = set(time) | set(expenses) | set(invoiced) | set(quoted)
    rows = {key: ProfitRow(key=key) for key in keys if key is not None}
    for key, row in rows.items():
        row.hours = (time.get(key) or {}).get("sum_hours") or ZERO
        row.time_cost = cents((time.get(key) or {}).get("cost"))
        row.expenses = cents((expenses.get(key) or {}).get("other"))
        row.external_costs = cents((expenses.get(key) or {}).get("external"))
        row.revenue = cents((invoiced.get(key) or {}).get("net")) + cents(
            (quoted.get(key) or {}).get("net")
        )
    return _labelled(group, list(rows.values()))


def _labelled(group: str, rows: list[ProfitRow]) -> list[ProfitRow]:
    if group == "job":
        jobs = Job.objects.select_related("company").in_bulk([row.key for row in rows])
        for row in rows:
            row.job = jobs.get(row.key)
            row.company = row.job.company if row.job else None
            row.label = str(row.job) if row.job else ""
        return sorted(rows, key=lambda r: (r.company.code if r.company else "", r.label))
    if group == "client":
        companies = Company.objects.in_bulk([row.key for row in rows])
        for row in rows:
            row.company = companies.get(row.key)
            row.label = row.company.code if row.company else ""
        return sorted(rows, key=lambda r: r.label)
    for row in rows:
        month = row.key.date() if hasattr(row.key, "date") else row.key
        row.key = month
        row.label = month.strftime("%Y-%m")
    return sorted(rows, key=lambda r: r.label)


def totals(rows: list[ProfitRow]) -> ProfitRow:
    total = ProfitRow(key=None)
    for row in rows:
        total.revenue += row.revenue
        total.time_cost += row.time_cost
        total.expenses += row.expenses
        total.external_costs += row.external_costs
        total.hours += row.hours
    return total


def profit_companies(user) -> QuerySet[Company]:
    ids = profit_company_ids(user)
    rows = Company.objects.order_by("code")
    return rows if ids is None else rows.filter(pk__in=ids)


def expense_companies(user) -> QuerySet[Company]:
    """The clients with expenses `user` sees (the expense list's filter)."""
    seen = visible(user, Expense.objects.all()).values("job__company")
    return Company.objects.filter(pk__in=seen).order_by("code")
