"""Read queries of credit control: what each client owes past due, whether it is on
credit hold (derived, never stored), the notices sent and the GM's overrides.

An invoice is overdue when it is issued, not settled, past its due date and still has
something outstanding: its total, less what credit notes took off it, less what was paid.
A client is on credit hold while any of its invoices is more than
FinanceSettings.credit_hold_days past due; "near" the hold once the oldest is past
`notice_gm_days` (the General Manager has been told)."""

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.db.models import (
    Count,
    DecimalField,
    ExpressionWrapper,
    F,
    Min,
    OuterRef,
    QuerySet,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from jobbag.clients.models import Company
from jobbag.finance.models import CreditNotice, CreditOverride, FinanceSettings, Invoice

ZERO = Decimal("0.00")
MONEY = DecimalField(max_digits=14, decimal_places=2)


class Standing:
    """Where a client stands, worst last."""

    CLEAR = "clear"
    OVERDUE = "overdue"
    NEAR = "near"
    HOLD = "hold"


@dataclass
class CreditStatus:
    company: Company
    overdue_amount: Decimal = ZERO
    overdue_invoices: int = 0
    oldest_due: date | None = None
    oldest_days: int = 0
    hold_days: int = 0
    near_days: int = 0
    notices: int = 0
    overrides: list[CreditOverride] = field(default_factory=list)

    @property
    def on_hold(self) -> bool:
        return self.oldest_days > self.hold_days

    @property
    def standing(self) -> str:
        if not self.overdue_invoices:
            return Standing.CLEAR
        if self.on_hold:
            return Standing.HOLD
        if self.oldest_days >= self.near_days:
            return Standing.NEAR
        return Standing.OVERDUE

    @property
    def usable_overrides(self) -> list[CreditOverride]:
        today = timezone.localdate()
        return [o for o in self.overrides if o.used_at is None and o.valid_until >= today]


def overdue_invoices(*, today: date | None = None) -> QuerySet[Invoice]:
    """Issued, unsettled invoices past due with something still outstanding, annotated
    with `overdue_amount` (what is outstanding: credit notes and payments taken off)."""
    today = today or timezone.localdate()
    credited = (
        Invoice.objects.filter(credit_of=OuterRef("pk"), status=Invoice.Status.ISSUED)
        .order_by()
        .values("credit_of")
        .annotate(sum=Sum("total"))
        .values("sum")
    )
    return (
        Invoice.objects.filter(
            status=Invoice.Status.ISSUED, settled_on__isnull=True, due_date__lt=today
        )
        .exclude(kind=Invoice.Kind.CREDIT_NOTE)
        .annotate(
            credited=Coalesce(
                Subquery(credited, output_field=MONEY), Value(ZERO), output_field=MONEY
            )
        )
        .annotate(
            overdue_amount=ExpressionWrapper(
                F("total") + F("credited") - F("paid_amount"), output_field=MONEY
            )
        )
        .filter(overdue_amount__gt=0)
    )


def _statuses(company_ids: set[int] | None, today: date) -> dict[int, dict]:
    rows = overdue_invoices(today=today)
    if company_ids is not None:
        rows = rows.filter(company_id__in=company_ids)
    return {
        row["company_id"]: row
        for row in rows.order_by()
        .values("company_id")
        .annotate(amount=Sum("overdue_amount"), count=Count("pk"), oldest=Min("due_date"))
    }


def _status(company: Company, row: dict | None, settings: FinanceSettings, today: date):
    status = CreditStatus(company=company, hold_days=settings.credit_hold_days)
    status.near_days = min(settings.notice_gm_days, settings.credit_hold_days)
    if row:
        # SQLite's SUM drops the scale: back to the cent.
        status.overdue_amount = Decimal(row["amount"] or 0).quantize(ZERO)
        status.overdue_invoices = row["count"]
        status.oldest_due = row["oldest"]
        status.oldest_days = (today - row["oldest"]).days
    return status


def credit_status(
    company: Company, *, today: date | None = None, with_notices: bool = True
) -> CreditStatus:
    """One client's standing today (two queries: settings and its overdue invoices; a
    third counts its notices unless `with_notices` is False, as the gate needs none)."""
    today = today or timezone.localdate()
    settings = FinanceSettings.current()
    status = _status(company, _statuses({company.pk}, today).get(company.pk), settings, today)
    if with_notices:
        status.notices = CreditNotice.objects.filter(invoice__company=company).count()
    return status


def overview(*, company_ids: set[int] | None, today: date | None = None) -> list[CreditStatus]:
    """Every client (within `company_ids`, None for all) with an overdue invoice or a
    valid override: held first, then near the hold, then by the oldest overdue days."""
    today = today or timezone.localdate()
    settings = FinanceSettings.current()
    rows = _statuses(company_ids, today)
    overrides = CreditOverride.objects.filter(
        used_at__isnull=True, valid_until__gte=today
    ).select_related("granted_by")
    if company_ids is not None:
        overrides = overrides.filter(company_id__in=company_ids)
    by_company: dict[int, list[CreditOverride]] = {}
    for override in overrides:
        by_company.setdefault(override.company_id, []).append(override)
    ids = set(rows) | set(by_company)
    notices = dict(
        CreditNotice.objects.filter(invoice__company_id__in=ids)
        .order_by()
        .values("invoice__company_id")
        .annotate(n=Count("pk"))
        .values_list("invoice__company_id", "n")
    )
    order = {Standing.HOLD: 0, Standing.NEAR: 1, Standing.OVERDUE: 2, Standing.CLEAR: 3}
    statuses = []
    for company in Company.objects.filter(pk__in=ids):
        status = _status(company, rows.get(company.pk), settings, today)
        status.notices = notices.get(company.pk, 0)
        status.overrides = by_company.get(company.pk, [])
        statuses.append(status)
    return sorted(statuses, key=lambda s: (order[s.standing], -s.oldest_days, s.company.code))


def watch_list(*, company_ids: set[int] | None, today: date | None = None) -> list[CreditStatus]:
    """The clients on credit hold or near it (within `company_ids`, None for all), held
    first: two queries when there are none, three when there are."""
    today = today or timezone.localdate()
    settings = FinanceSettings.current()
    near = min(settings.notice_gm_days, settings.credit_hold_days)
    rows = {
        pk: row
        for pk, row in _statuses(company_ids, today).items()
        if (today - row["oldest"]).days >= near
    }
    if not rows:
        return []
    statuses = [
        _status(company, rows[company.pk], settings, today)
        for company in Company.objects.filter(pk__in=rows)
    ]
    return sorted(statuses, key=lambda s: (not s.on_hold, -s.oldest_days, s.company.code))


def company_overdue_invoices(company: Company, *, today: date | None = None) -> list[Invoice]:
    """One client's overdue invoices, oldest first, with their job and owner, each with
    its `days_overdue`."""
    today = today or timezone.localdate()
    invoices = list(
        overdue_invoices(today=today)
        .filter(company=company)
        .select_related("job__owner")
        .order_by("due_date", "pk")
    )
    for invoice in invoices:
        invoice.days_overdue = (today - invoice.due_date).days
    return invoices


def company_notices(company: Company) -> list[CreditNotice]:
    return list(
        CreditNotice.objects.filter(invoice__company=company)
        .select_related("invoice")
        .order_by("-sent_at", "-pk")
    )


def overrides(*, company_ids: set[int] | None, company: Company | None = None) -> QuerySet:
    """The GM's overrides, newest first, with who granted and who used them."""
    rows = CreditOverride.objects.select_related("company", "granted_by", "used_by")
    if company_ids is not None:
        rows = rows.filter(company_id__in=company_ids)
    if company is not None:
        rows = rows.filter(company=company)
    return rows.order_by("-granted_at", "-pk")
