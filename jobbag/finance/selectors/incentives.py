"""Read queries of commissions, targets and bonuses that pages and API share.

Periods: a statement covers a month ("2026-11") or a quarter ("2026-Q4") of calendar
dates. It lists the commissions that became payable in the period (payable or paid),
and beside them every commission of the person still pending (not yet earned).

Attainment (our rule): a person's signed contracts are the jobs they own whose quote the
client signed back, each counted at its latest signed version's net total, in the
quarter the job's quote was first signed back; cancelled jobs do not count.

Gross margin for a year: the net of the invoices issued that year on the jobs a person
owns (credit notes take theirs off), less those jobs' costs dated that year: time
(hours × the cost per hour kept on each entry) and expenses not voided. The bonus is
the highest BonusTier of the year the margin reaches, as a percentage of the margin.
Amounts are in the agency's currency (CNY); other currencies are not converted.
"""

import calendar
import re
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import DecimalField, ExpressionWrapper, F, Min, QuerySet, Sum
from django.utils import timezone

from jobbag.accounts.models import User
from jobbag.finance.models import (
    BonusTier,
    Commission,
    CommissionRule,
    Expense,
    Invoice,
    Target,
    TimeEntry,
)
from jobbag.jobs.models import Job, QuoteVersion, Stage

ZERO = Decimal("0.00")
CENT = Decimal("0.01")
MONEY = DecimalField(max_digits=16, decimal_places=2)
PERIOD_RE = re.compile(r"^(\d{4})-(?:(0[1-9]|1[0-2])|Q([1-4]))$")


# Periods --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Period:
    key: str
    start: date
    end: date


def period(key: str | None, *, today: date | None = None) -> Period:
    """The month ("2026-11") or quarter ("2026-Q4") named by `key`; this month if the key
    is missing or malformed."""
    today = today or timezone.localdate()
    match = PERIOD_RE.match(key or "")
    if not match:
        key = f"{today.year}-{today.month:02d}"
        match = PERIOD_RE.match(key)
    year = int(match.group(1))
    if match.group(2):
        month = int(match.group(2))
        last = calendar.monthrange(year, month)[1]
        return Period(key, date(year, month, 1), date(year, month, last))
    quarter = int(match.group(3))
    first = 3 * quarter - 2
    last_month = first + 2
    return Period(
        key,
        date(year, first, 1),
        date(year, last_month, calendar.monthrange(year, last_month)[1]),
    )


def period_choices(*, today: date | None = None) -> list[tuple[str, str]]:
    """This year's and last year's months and quarters, newest first."""
    today = today or timezone.localdate()
    choices = []
    for year in (today.year, today.year - 1):
        for quarter in range(4, 0, -1):
            choices.append((f"{year}-Q{quarter}", f"{year} Q{quarter}"))
            for month in range(3 * quarter, 3 * quarter - 3, -1):
                choices.append((f"{year}-{month:02d}", f"{year}-{month:02d}"))
    return choices


# Commissions ----------------------------------------------------------------------------


def commissions(queryset: QuerySet | None = None) -> QuerySet[Commission]:
    rows = queryset if queryset is not None else Commission.objects.all()
    return rows.select_related("job__company", "rule", "user").order_by(
        "status", "-payable_on", "-pk"
    )


@dataclass
class Statement:
    period: Period
    earned: list[Commission]
    pending: list[Commission]

    @property
    def earned_total(self) -> Decimal:
        return sum((c.amount for c in self.earned), ZERO)

    @property
    def paid_total(self) -> Decimal:
        return sum((c.amount for c in self.earned if c.status == Commission.Status.PAID), ZERO)

    @property
    def pending_total(self) -> Decimal:
        return sum((c.amount for c in self.pending), ZERO)


def statement(visible: QuerySet[Commission], the_period: Period, *, user=None) -> Statement:
    """The commissions of `visible` (already scoped) payable in the period, and the
    pending ones; of one person when `user` is given."""
    rows = visible if user is None else visible.filter(user=user)
    earned = list(
        commissions(
            rows.filter(
                status__in=[Commission.Status.PAYABLE, Commission.Status.PAID],
                payable_on__range=(the_period.start, the_period.end),
            )
        )
    )
    pending = list(commissions(rows.filter(status=Commission.Status.PENDING)))
    return Statement(the_period, earned, pending)


def commission_rules() -> QuerySet[CommissionRule]:
    return CommissionRule.objects.prefetch_related("shares").order_by("code")


# Targets, attainment, margin, bonus -----------------------------------------------------


def quarter_of(day: date) -> int:
    return (day.month - 1) // 3 + 1


@dataclass
class Result:
    user: User
    target: Target | None = None
    quarters: list[Decimal] = field(default_factory=lambda: [ZERO] * 4)
    revenue: Decimal = ZERO
    costs: Decimal = ZERO
    tier: BonusTier | None = None
    # Quarters that have ended (or the current one) by the day the table is read.
    quarters_due: int = 4

    @property
    def signed(self) -> Decimal:
        return sum(self.quarters, ZERO)

    @property
    def attainment(self) -> Decimal | None:
        """Percent of the annual target signed so far."""
        if self.target is None or not self.target.annual_amount:
            return None
        return (self.signed * 100 / self.target.annual_amount).quantize(
            Decimal("0.1"), rounding=ROUND_HALF_UP
        )

    @property
    def quarter_rows(self) -> list[tuple[int, Decimal, bool]]:
        """(quarter, signed, below the minimum) for each quarter; only quarters that
        have ended are flagged."""
        minimum = self.target.quarterly_minimum if self.target else ZERO
        return [
            (n + 1, amount, bool(minimum) and n + 1 < self.quarters_due and amount < minimum)
            for n, amount in enumerate(self.quarters)
        ]

    @property
    def below_minimum(self) -> list[int]:
        return [quarter for quarter, _amount, below in self.quarter_rows if below]

    @property
    def margin(self) -> Decimal:
        return self.revenue - self.costs

    @property
    def bonus(self) -> Decimal:
        if self.tier is None or self.margin <= 0:
            return ZERO
        return (self.margin * self.tier.rate / 100).quantize(CENT, rounding=ROUND_HALF_UP)


@dataclass
class TeamResult:
    name: str
    members: list[Result]

    @property
    def target(self) -> Decimal:
        return sum((r.target.annual_amount for r in self.members if r.target), ZERO)

    @property
    def signed(self) -> Decimal:
        return sum((r.signed for r in self.members), ZERO)

    @property
    def margin(self) -> Decimal:
        return sum((r.margin for r in self.members), ZERO)

    @property
    def bonus(self) -> Decimal:
        return sum((r.bonus for r in self.members), ZERO)

    @property
    def attainment(self) -> Decimal | None:
        if not self.target:
            return None
        return (self.signed * 100 / self.target).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def _signed_by_quarter(year: int, user_ids: set[int] | None) -> dict[int, list[Decimal]]:
    """{owner id: [Q1..Q4 signed]} per the attainment rule (one query)."""
    jobs = Job.objects.exclude(stage=Stage.CANCELLED)
    if user_ids is not None:
        jobs = jobs.filter(owner__in=user_ids)
    first_signed = (
        QuoteVersion.objects.filter(signed_back_at__isnull=False, job__in=jobs)
        .values("job")
        .annotate(first=Min("signed_back_at"))
    )
    first = {row["job"]: timezone.localtime(row["first"]).date() for row in first_signed}
    in_year = {job for job, day in first.items() if day.year == year}
    latest: dict[int, tuple[int, Decimal, int]] = {}
    rows = QuoteVersion.objects.filter(job__in=in_year, signed_back_at__isnull=False).values_list(
        "job", "number", "net_total", "job__owner"
    )
    for job, number, net, owner in rows:
        if job not in latest or number > latest[job][0]:
            latest[job] = (number, net, owner)
    signed: dict[int, list[Decimal]] = {}
    for job, (_number, net, owner) in latest.items():
        quarters = signed.setdefault(owner, [ZERO] * 4)
        quarters[quarter_of(first[job]) - 1] += net
    return signed


def _margins(year: int, user_ids: set[int] | None) -> tuple[dict, dict]:
    """({owner id: revenue}, {owner id: costs}) for the year (three queries)."""
    invoices = Invoice.objects.filter(status=Invoice.Status.ISSUED, issue_date__year=year)
    times = TimeEntry.objects.filter(day__year=year)
    expenses = Expense.objects.filter(incurred_on__year=year, voided_at__isnull=True)
    if user_ids is not None:
        invoices = invoices.filter(job__owner__in=user_ids)
        times = times.filter(job__owner__in=user_ids)
        expenses = expenses.filter(job__owner__in=user_ids)
    revenue = dict(
        invoices.filter(job__isnull=False)
        .order_by()
        .values("job__owner")
        .annotate(total=Sum("net_amount"))
        .values_list("job__owner", "total")
    )
    costs: dict[int, Decimal] = {}
    cost = ExpressionWrapper(F("hours") * F("hourly_cost"), output_field=MONEY)
    for owner, total in (
        times.order_by()
        .values("job__owner")
        .annotate(total=Sum(cost))
        .values_list("job__owner", "total")
    ):
        costs[owner] = costs.get(owner, ZERO) + (total or ZERO)
    for owner, total in (
        expenses.order_by()
        .values("job__owner")
        .annotate(total=Sum("amount"))
        .values_list("job__owner", "total")
    ):
        costs[owner] = costs.get(owner, ZERO) + (total or ZERO)
    return revenue, costs


def results(
    year: int, *, user_ids: set[int] | None = None, today: date | None = None
) -> list[Result]:
    """Per person: target, signed contracts by quarter, gross margin and bonus for the
    year. Everyone with a target that year or with signed contracts or margin in it
    (within `user_ids`, None for everyone). Seven queries whatever the number of people."""
    today = today or timezone.localdate()
    if year < today.year:
        quarters_due = 5
    elif year > today.year:
        quarters_due = 1
    else:
        quarters_due = quarter_of(today)
    targets = Target.objects.filter(year=year)
    if user_ids is not None:
        targets = targets.filter(user__in=user_ids)
    by_user = {target.user_id: target for target in targets}
    signed = _signed_by_quarter(year, user_ids)
    revenue, costs = _margins(year, user_ids)
    tiers = list(BonusTier.objects.filter(year=year).order_by("min_margin"))
    ids = set(by_user) | set(signed) | set(revenue) | set(costs)
    people = User.objects.filter(pk__in=ids, kind=User.Kind.STAFF).select_related("department")
    rows = []
    for person in people:
        result = Result(
            user=person,
            target=by_user.get(person.pk),
            quarters=signed.get(person.pk, [ZERO] * 4),
            revenue=Decimal(revenue.get(person.pk) or 0).quantize(CENT),
            costs=Decimal(costs.get(person.pk, 0)).quantize(CENT),
            quarters_due=quarters_due,
        )
        reached = [tier for tier in tiers if result.margin >= tier.min_margin]
        result.tier = reached[-1] if reached else None
        rows.append(result)
    return sorted(rows, key=lambda r: (str(r.user.department or ""), str(r.user)))


def teams(rows: list[Result], *, no_team: str) -> list[TeamResult]:
    """The people's results grouped by department."""
    grouped: dict[str, list[Result]] = {}
    for row in rows:
        grouped.setdefault(str(row.user.department) if row.user.department else no_team, []).append(
            row
        )
    return [TeamResult(name, members) for name, members in sorted(grouped.items())]


def bonus_tiers(year: int) -> list[BonusTier]:
    return list(BonusTier.objects.filter(year=year).order_by("min_margin"))
