"""Account health (SPEC §8): which clients are flagged, and why. Worked out in bulk for
any number of clients with a fixed handful of aggregate queries (never one per client).

The signals (thresholds in HealthSettings, which admins set):

| signal        | flagged when                                                          |
| ------------- | --------------------------------------------------------------------- |
| spend         | the client's spend of the last N months is below that of the N months |
|               | before by the threshold % or more (nothing spent before: no flag).    |
|               | Spend is the net of issued invoices by issue date when the client has |
|               | issued invoices in either period; otherwise the net of quotes signed  |
|               | back, by the date signed back. Only the client's own currency counts. |
| satisfaction  | CSAT (% of answers 4–5) of the last three months (this one included)  |
|               | is below that of the three months before by the threshold in points   |
|               | (both periods need answers).                                          |
| complaints    | an open complaint is past its promised first answer or resolution     |
| contact       | no meeting with the client held, contact report sent, return visit or |
|               | contact-log entry for N days (or never)                               |
"""

import calendar
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, Max, Min, Q, QuerySet, Sum
from django.utils import timezone

from jobbag.clients.models import Company, ContactLogEntry
from jobbag.core.permissions import can
from jobbag.finance.models import Invoice
from jobbag.jobs.models import QuoteVersion
from jobbag.meetings.models import ContactReport, Meeting
from jobbag.service.health.permissions import health_company_ids
from jobbag.service.models import (
    Complaint,
    HealthSettings,
    HealthSignal,
    HealthSnapshot,
    ReturnVisit,
)
from jobbag.service.selectors import late_q

try:
    from jobbag.service.surveys.selectors import csat_by_month
except ImportError:  # The surveys part is not installed: satisfaction is not measured.
    csat_by_month = None

HUNDRED = Decimal(100)
CENT = Decimal("0.01")
CSAT_MONTHS = 3
SIGNAL_ORDER = [s.value for s in HealthSignal]


def add_months(day: date, months: int) -> date:
    """`day` moved by `months` (negative: back), on the same day or the month's last."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    month += 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def _cents(value) -> Decimal:
    """A sum from the database to the cent (SQLite's sums come back unscaled)."""
    return Decimal(value or 0).quantize(CENT, rounding=ROUND_HALF_UP)


def _midnight(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


# What each signal shows -----------------------------------------------------------------


@dataclass
class Spend:
    source: str  # "invoices", "quotes" or "" (nothing spent in either period)
    currency: str
    recent: Decimal
    previous: Decimal
    recent_start: date
    previous_start: date
    end: date  # the last day counted (today)
    drop_percent: Decimal | None
    falling: bool


@dataclass
class Satisfaction:
    measured: bool  # False when the surveys part is not there
    recent: Decimal | None
    previous: Decimal | None
    recent_responses: int
    previous_responses: int
    months: list[tuple[date, Decimal | None, int]]
    falling: bool

    @property
    def drop(self) -> Decimal | None:
        if self.recent is None or self.previous is None:
            return None
        return self.previous - self.recent


@dataclass
class LateComplaints:
    count: int
    oldest_due: datetime | None

    @property
    def flagged(self) -> bool:
        return self.count > 0


@dataclass
class Contact:
    last_on: date | None
    source: str  # meeting, report, visit, log or ""
    days: int | None
    quiet: bool


@dataclass
class Health:
    company: Company
    spend: Spend
    satisfaction: Satisfaction
    complaints: LateComplaints
    contact: Contact
    signals: list[str] = field(default_factory=list)

    @property
    def flagged(self) -> bool:
        return bool(self.signals)

    def signal_labels(self) -> list[tuple[str, str]]:
        return [(signal, HealthSignal(signal).label) for signal in self.signals]


# Bulk figures ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Windows:
    today: date
    recent_start: date
    previous_start: date

    @classmethod
    def of(cls, today: date, months: int) -> "Windows":
        return cls(
            today=today,
            recent_start=add_months(today, -months) + timedelta(days=1),
            previous_start=add_months(today, -2 * months) + timedelta(days=1),
        )


def _spend_sums(companies: QuerySet, windows: Windows) -> tuple[dict, dict, set, set]:
    """{(company, currency): (recent, previous)} from issued invoices and from quotes
    signed back, and the clients with any of each. Two queries."""
    end = windows.today + timedelta(days=1)
    invoices = (
        Invoice.objects.filter(
            company__in=companies,
            status=Invoice.Status.ISSUED,
            issue_date__gte=windows.previous_start,
            issue_date__lt=end,
        )
        .values("company_id", "currency")
        .annotate(
            recent=Sum("net_amount", filter=Q(issue_date__gte=windows.recent_start)),
            previous=Sum("net_amount", filter=Q(issue_date__lt=windows.recent_start)),
            n=Count("pk"),
        )
        .order_by()
    )
    recent_from = _midnight(windows.recent_start)
    quotes = (
        QuoteVersion.objects.filter(
            job__company__in=companies,
            signed_back_at__gte=_midnight(windows.previous_start),
            signed_back_at__lt=_midnight(end),
        )
        .values("job__company_id", "currency")
        .annotate(
            recent=Sum("net_total", filter=Q(signed_back_at__gte=recent_from)),
            previous=Sum("net_total", filter=Q(signed_back_at__lt=recent_from)),
        )
        .order_by()
    )
    by_invoice = {
        (row["company_id"], row["currency"]): (row["recent"], row["previous"]) for row in invoices
    }
    by_quote = {
        (row["job__company_id"], row["currency"]): (row["recent"], row["previous"])
        for row in quotes
    }
    invoiced = {company_id for company_id, _currency in by_invoice}
    quoted = {company_id for company_id, _currency in by_quote}
    return by_invoice, by_quote, invoiced, quoted


def _spend(company: Company, sums: tuple, windows: Windows, drop: Decimal) -> Spend:
    by_invoice, by_quote, invoiced, quoted = sums
    source, figures = "", (None, None)
    if company.pk in invoiced:
        source = "invoices"
        figures = by_invoice.get((company.pk, company.currency), (None, None))
    elif company.pk in quoted:
        source = "quotes"
        figures = by_quote.get((company.pk, company.currency), (None, None))
    recent = _cents(figures[0])
    previous = _cents(figures[1])
    drop_percent = None
    if previous > 0:
        drop_percent = ((previous - recent) * HUNDRED / previous).quantize(
            Decimal("0.1"), rounding=ROUND_HALF_UP
        )
    return Spend(
        source=source,
        currency=company.currency,
        recent=recent,
        previous=previous,
        recent_start=windows.recent_start,
        previous_start=windows.previous_start,
        end=windows.today,
        drop_percent=drop_percent,
        falling=drop_percent is not None and drop_percent >= drop,
    )


def _weighted(months: list[tuple[date, Decimal | None, int]]) -> tuple[Decimal | None, int]:
    """The CSAT of several months, each weighted by its responses."""
    scored = [(csat, n) for _month, csat, n in months if csat is not None and n]
    responses = sum(n for _month, _csat, n in months)
    weight = sum(n for _csat, n in scored)
    if not weight:
        return None, responses
    value = sum(csat * n for csat, n in scored) / weight
    return Decimal(value).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP), responses


def _csat(ids: list[int], today: date) -> dict[int, list] | None:
    if csat_by_month is None or not ids:
        return None if csat_by_month is None else {}
    since = add_months(today.replace(day=1), -(2 * CSAT_MONTHS - 1))
    return csat_by_month(ids, since)


def _satisfaction(months: list | None, drop: Decimal) -> Satisfaction:
    if months is None:
        return Satisfaction(False, None, None, 0, 0, [], False)
    months = list(months)[-2 * CSAT_MONTHS :]
    previous, previous_n = _weighted(months[:-CSAT_MONTHS])
    recent, recent_n = _weighted(months[-CSAT_MONTHS:])
    falling = recent is not None and previous is not None and previous - recent >= drop
    return Satisfaction(True, recent, previous, recent_n, previous_n, months, falling)


def _late(companies: QuerySet, now: datetime) -> dict[int, tuple[int, datetime]]:
    rows = (
        Complaint.objects.filter(late_q(now), company__in=companies)
        .values("company_id")
        .annotate(n=Count("pk"), oldest=Min("resolve_due_at"))
        .order_by()
    )
    return {row["company_id"]: (row["n"], row["oldest"]) for row in rows}


def _last_contacts(companies: QuerySet, now: datetime) -> dict[int, tuple[date, str]]:
    """The latest contact of each client and what it was. Four queries."""
    sources = [
        (
            "meeting",
            Meeting.objects.filter(
                company__in=companies,
                kind=Meeting.Kind.CLIENT,
                status=Meeting.Status.HELD,
                starts_at__lte=now,
            ),
            "starts_at",
        ),
        (
            "report",
            ContactReport.objects.filter(
                company__in=companies, status=ContactReport.Status.SENT, sent_at__lte=now
            ),
            "sent_at",
        ),
        (
            "log",
            ContactLogEntry.objects.filter(company__in=companies, occurred_at__lte=now),
            "occurred_at",
        ),
    ]
    latest: dict[int, tuple[date, str]] = {}

    def keep(company_id: int, day: date, source: str) -> None:
        if company_id not in latest or day > latest[company_id][0]:
            latest[company_id] = (day, source)

    for source, queryset, moment in sources:
        rows = queryset.values("company_id").annotate(last=Max(moment)).order_by()
        for row in rows:
            keep(row["company_id"], timezone.localdate(row["last"]), source)
    visits = (
        ReturnVisit.objects.filter(company__in=companies, visited_on__lte=timezone.localdate(now))
        .values("company_id")
        .annotate(last=Max("visited_on"))
        .order_by()
    )
    for row in visits:
        keep(row["company_id"], row["last"], "visit")
    return latest


def health_of(
    companies: QuerySet[Company], *, now: datetime | None = None, settings=None
) -> list[Health]:
    """The health of every company in `companies` (in its order). A fixed number of
    queries however many companies there are."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    settings = settings or HealthSettings.current()
    windows = Windows.of(today, settings.spend_months)
    rows = list(companies)
    if not rows:
        return []
    scope = Company.objects.filter(pk__in=companies.values("pk"))
    sums = _spend_sums(scope, windows)
    csat = _csat([c.pk for c in rows], today)
    late = _late(scope, now)
    contacts = _last_contacts(scope, now)
    result = []
    for company in rows:
        spend = _spend(company, sums, windows, settings.spend_drop_percent)
        satisfaction = _satisfaction(
            None if csat is None else csat.get(company.pk, []), settings.csat_drop
        )
        count, oldest = late.get(company.pk, (0, None))
        last_on, source = contacts.get(company.pk, (None, ""))
        days = (today - last_on).days if last_on else None
        contact = Contact(
            last_on=last_on,
            source=source,
            days=days,
            quiet=days is None or days >= settings.quiet_days,
        )
        health = Health(
            company=company,
            spend=spend,
            satisfaction=satisfaction,
            complaints=LateComplaints(count, oldest),
            contact=contact,
        )
        flags = {
            HealthSignal.SPEND: spend.falling,
            HealthSignal.SATISFACTION: satisfaction.falling,
            HealthSignal.COMPLAINTS: count > 0,
            HealthSignal.CONTACT: contact.quiet,
        }
        health.signals = [signal for signal in SIGNAL_ORDER if flags[HealthSignal(signal)]]
        result.append(health)
    return result


# What the pages read -------------------------------------------------------------------


def companies_for(user) -> QuerySet[Company]:
    """The active clients whose health `user` sees, by code."""
    ids = health_company_ids(user)
    companies = Company.objects.filter(status=Company.Status.ACTIVE).order_by("code")
    return companies if ids is None else companies.filter(pk__in=ids)


@dataclass
class Filters:
    signal: str = ""
    q: str = ""
    flagged_only: bool = True


def overview(user, filters: Filters | None = None, *, now: datetime | None = None) -> list[Health]:
    """The clients `user` sees with their signals, the most signals first (then by
    code); only the flagged ones unless `flagged_only` is off."""
    filters = filters or Filters()
    companies = companies_for(user)
    text = filters.q.strip()
    if text:
        companies = companies.filter(
            Q(code__iexact=text) | Q(name__icontains=text) | Q(name_en__icontains=text)
        )
    rows = health_of(companies, now=now)
    if filters.signal:
        rows = [row for row in rows if filters.signal in row.signals]
    elif filters.flagged_only:
        rows = [row for row in rows if row.flagged]
    return sorted(rows, key=lambda row: (-len(row.signals), row.company.code))


def company_for(user, pk: int) -> Company | None:
    """The client whose health `user` may see, or None."""
    company = Company.objects.filter(pk=pk).first()
    if company is None or not can(user, "service.health.company", company):
        return None
    return company


@dataclass
class Evidence:
    """What one client's page shows beside its figures."""

    late_complaints: list[Complaint]
    meeting: Meeting | None
    report: ContactReport | None
    visit: ReturnVisit | None
    log: ContactLogEntry | None
    spend_by_month: list[tuple[date, Decimal]]
    history: list[HealthSnapshot]


HISTORY_SHOWN = 30


def _spend_by_month(company: Company, spend: Spend) -> list[tuple[date, Decimal]]:
    """The client's spend per month over both periods, from the same source as the
    signal (one query)."""
    months = []
    cursor = spend.previous_start.replace(day=1)
    while cursor <= spend.end:
        months.append(cursor)
        cursor = add_months(cursor, 1)
    totals = dict.fromkeys(months, Decimal("0.00"))
    if spend.source == "invoices":
        rows = Invoice.objects.filter(
            company=company,
            currency=company.currency,
            status=Invoice.Status.ISSUED,
            issue_date__gte=spend.previous_start,
            issue_date__lte=spend.end,
        ).values_list("issue_date", "net_amount")
    elif spend.source == "quotes":
        rows = [
            (timezone.localdate(moment), amount)
            for moment, amount in QuoteVersion.objects.filter(
                job__company=company,
                currency=company.currency,
                signed_back_at__gte=_midnight(spend.previous_start),
                signed_back_at__lt=_midnight(spend.end + timedelta(days=1)),
            ).values_list("signed_back_at", "net_total")
        ]
    else:
        rows = []
    for day, amount in rows:
        totals[day.replace(day=1)] += amount
    return [(month, _cents(amount)) for month, amount in totals.items()]


def evidence_for(health: Health, *, now: datetime | None = None) -> Evidence:
    company = health.company
    now = now or timezone.now()
    return Evidence(
        late_complaints=list(
            Complaint.objects.filter(late_q(now), company=company)
            .select_related("assigned_to", "category")
            .order_by("resolve_due_at", "pk")
        ),
        meeting=Meeting.objects.filter(
            company=company,
            kind=Meeting.Kind.CLIENT,
            status=Meeting.Status.HELD,
            starts_at__lte=now,
        )
        .order_by("-starts_at", "-pk")
        .first(),
        report=ContactReport.objects.filter(
            company=company, status=ContactReport.Status.SENT, sent_at__lte=now
        )
        .order_by("-sent_at", "-pk")
        .first(),
        visit=ReturnVisit.objects.filter(company=company, visited_on__lte=timezone.localdate(now))
        .select_related("visited_by")
        .order_by("-visited_on", "-pk")
        .first(),
        log=ContactLogEntry.objects.filter(company=company, occurred_at__lte=now)
        .order_by("-occurred_at", "-pk")
        .first(),
        spend_by_month=_spend_by_month(company, health.spend),
        history=list(HealthSnapshot.objects.filter(company=company)[:HISTORY_SHOWN]),
    )
