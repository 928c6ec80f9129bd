"""Receivables: the ageing of what clients owe as of any date, and the client statement
(对账单) of a period. Both read only what was true on the day asked about: an allocation
or a credit note dated after it does not count.

Ageing buckets by days past the due date: current (not yet due), 1–30, 31–60, 61–90 and
over 90. Per client (and currency) in one grouped query however many invoices there are.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from django.db.models import (
    Case,
    DecimalField,
    F,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce, ExtractMonth
from django.utils.translation import gettext_lazy as _

from jobbag.clients.models import Company
from jobbag.core.permissions import visible
from jobbag.finance.models import Invoice, Payment, PaymentAllocation

ZERO = Decimal("0.00")
MONEY = DecimalField(max_digits=14, decimal_places=2)
BUCKETS = [
    ("current", _("Current")),
    ("d30", _("1–30 days")),
    ("d60", _("31–60 days")),
    ("d90", _("61–90 days")),
    ("over90", _("Over 90 days")),
]
BUCKET_KEYS = [key for key, _label in BUCKETS]


def _zero() -> Value:
    return Value(ZERO, output_field=MONEY)


def outstanding_on(rows: QuerySet[Invoice], as_of: date) -> QuerySet[Invoice]:
    """`rows` (issued invoices) annotated with `left`: what was outstanding on `as_of`,
    those with nothing left dropped."""
    paid = (
        PaymentAllocation.objects.filter(invoice=OuterRef("pk"), allocated_on__lte=as_of)
        .order_by()
        .values("invoice")
        .annotate(s=Sum("amount"))
        .values("s")
    )
    credited = (
        Invoice.objects.filter(
            credit_of=OuterRef("pk"), status=Invoice.Status.ISSUED, issue_date__lte=as_of
        )
        .order_by()
        .values("credit_of")
        .annotate(s=Sum("total"))
        .values("s")
    )
    return (
        rows.filter(status=Invoice.Status.ISSUED, issue_date__lte=as_of)
        .exclude(kind=Invoice.Kind.CREDIT_NOTE)
        .filter(Q(settled_on__isnull=True) | Q(settled_on__gt=as_of))
        .annotate(
            left=F("total")
            - Coalesce(Subquery(paid, output_field=MONEY), _zero())
            + Coalesce(Subquery(credited, output_field=MONEY), _zero())
        )
        .filter(left__gt=0)
    )


def _bucket_conditions(as_of: date) -> dict[str, Q]:
    return {
        "current": Q(due_date__gte=as_of),
        "d30": Q(due_date__lt=as_of, due_date__gte=as_of - timedelta(days=30)),
        "d60": Q(due_date__lt=as_of - timedelta(days=30), due_date__gte=as_of - timedelta(days=60)),
        "d90": Q(due_date__lt=as_of - timedelta(days=60), due_date__gte=as_of - timedelta(days=90)),
        "over90": Q(due_date__lt=as_of - timedelta(days=90)),
    }


def bucket_of(due_date: date, as_of: date) -> str:
    late = (as_of - due_date).days
    if late <= 0:
        return "current"
    if late <= 30:
        return "d30"
    if late <= 60:
        return "d60"
    if late <= 90:
        return "d90"
    return "over90"


@dataclass
class AgeingRow:
    company: Company
    currency: str
    buckets: list[Decimal]
    total: Decimal


@dataclass
class Ageing:
    as_of: date
    rows: list[AgeingRow]
    # Per currency: each bucket's total and the grand total.
    totals: dict[str, list[Decimal]] = field(default_factory=dict)
    grand: dict[str, Decimal] = field(default_factory=dict)


def ageing(user, *, as_of: date, company: int | None = None, overdue_only: bool = False) -> Ageing:
    """What each client in `user`'s scope owed on `as_of`, by bucket: two queries."""
    rows = visible(user, Invoice.objects.all())
    if company:
        rows = rows.filter(company_id=company)
    rows = outstanding_on(rows, as_of)
    if overdue_only:
        rows = rows.filter(due_date__lt=as_of)
    conditions = _bucket_conditions(as_of)
    grouped = (
        rows.order_by()
        .values("company_id", "currency")
        .annotate(
            **{
                key: Coalesce(
                    Sum(Case(When(condition, then=F("left")), default=_zero(), output_field=MONEY)),
                    _zero(),
                )
                for key, condition in conditions.items()
            }
        )
    )
    grouped = list(grouped)
    companies = Company.objects.in_bulk({row["company_id"] for row in grouped})
    result = Ageing(as_of=as_of, rows=[])
    totals: dict[str, list[Decimal]] = defaultdict(lambda: [ZERO] * len(BUCKET_KEYS))
    for row in grouped:
        amounts = [row[key] or ZERO for key in BUCKET_KEYS]
        result.rows.append(
            AgeingRow(
                company=companies[row["company_id"]],
                currency=row["currency"],
                buckets=amounts,
                total=sum(amounts, ZERO),
            )
        )
        bucket_totals = totals[row["currency"]]
        for index, amount in enumerate(amounts):
            bucket_totals[index] += amount
    result.rows.sort(key=lambda r: (r.company.code, r.currency))
    result.totals = dict(sorted(totals.items()))
    result.grand = {currency: sum(values, ZERO) for currency, values in result.totals.items()}
    return result


def ageing_invoices(user, *, as_of: date, company: int) -> list[Invoice]:
    """One client's invoices outstanding on `as_of`, each with `left` and `bucket`."""
    rows = outstanding_on(
        visible(user, Invoice.objects.filter(company_id=company)), as_of
    ).select_related("job")
    invoices = list(rows.order_by("due_date", "pk"))
    for invoice in invoices:
        invoice.bucket = bucket_of(invoice.due_date, as_of)
        invoice.days_late = max((as_of - invoice.due_date).days, 0)
    return invoices


@dataclass
class StatementEntry:
    day: date
    kind: str  # invoice, credit_note or payment
    reference: str
    description: str
    debit: Decimal
    credit: Decimal
    balance: Decimal = ZERO
    invoice: Invoice | None = None


@dataclass
class Statement:
    company: Company
    currency: str
    start: date
    end: date
    opening: Decimal
    entries: list[StatementEntry]
    closing: Decimal
    invoiced: Decimal
    credited: Decimal
    received: Decimal
    # Money received by the end and not yet set against invoices (on account).
    unallocated: Decimal


def statement(company: Company, *, start: date, end: date, currency: str = "CNY") -> Statement:
    """The client's statement (对账单) of a period: the opening balance, the invoices,
    credit notes and payments in it, and the closing balance; with what was paid ahead and
    not yet allocated. Five queries."""
    invoices = Invoice.objects.filter(
        company=company, currency=currency, status=Invoice.Status.ISSUED
    )
    payments = Payment.objects.filter(company=company, currency=currency)
    billed_before = invoices.filter(issue_date__lt=start).aggregate(s=Sum("total"))["s"] or ZERO
    paid_before = payments.filter(received_on__lt=start).aggregate(s=Sum("amount"))["s"] or ZERO
    opening = billed_before - paid_before
    entries = []
    for invoice in invoices.filter(issue_date__gte=start, issue_date__lte=end).select_related(
        "job", "credit_of"
    ):
        is_credit = invoice.kind == Invoice.Kind.CREDIT_NOTE
        entries.append(
            StatementEntry(
                day=invoice.issue_date,
                kind="credit_note" if is_credit else "invoice",
                reference=invoice.number,
                description=(
                    invoice.credit_of.number
                    if is_credit
                    else (invoice.job.title if invoice.job_id else invoice.get_kind_display())
                ),
                debit=ZERO if is_credit else invoice.total,
                credit=-invoice.total if is_credit else ZERO,
                invoice=invoice,
            )
        )
    for payment in payments.filter(received_on__gte=start, received_on__lte=end):
        entries.append(
            StatementEntry(
                day=payment.received_on,
                kind="payment",
                reference=payment.reference,
                description=payment.get_method_display(),
                debit=ZERO,
                credit=payment.amount,
            )
        )
    order = {"invoice": 0, "credit_note": 1, "payment": 2}
    entries.sort(key=lambda e: (e.day, order[e.kind], e.reference))
    balance = opening
    for entry in entries:
        balance += entry.debit - entry.credit
        entry.balance = balance
    received_by_end = payments.filter(received_on__lte=end).aggregate(s=Sum("amount"))["s"] or ZERO
    allocated_by_end = (
        PaymentAllocation.objects.filter(
            payment__company=company, payment__currency=currency, allocated_on__lte=end
        ).aggregate(s=Sum("amount"))["s"]
        or ZERO
    )
    return Statement(
        company=company,
        currency=currency,
        start=start,
        end=end,
        opening=opening,
        entries=entries,
        closing=balance,
        invoiced=sum((e.debit for e in entries), ZERO),
        credited=sum((e.credit for e in entries if e.kind == "credit_note"), ZERO),
        received=sum((e.credit for e in entries if e.kind == "payment"), ZERO),
        unallocated=received_by_end - allocated_by_end,
    )


def invoiced_net_by_month(company_ids: list[int], year: int) -> dict[int, dict[int, Decimal]]:
    """Net invoiced (credit notes deducted) per client and calendar month of `year`."""
    rows = (
        Invoice.objects.filter(
            company_id__in=company_ids,
            status=Invoice.Status.ISSUED,
            issue_date__gte=date(year, 1, 1),
            issue_date__lt=date(year + 1, 1, 1),
        )
        .annotate(month=ExtractMonth("issue_date"))
        .order_by()
        .values("company_id", "month")
        .annotate(net=Sum("net_amount"))
    )
    result: dict[int, dict[int, Decimal]] = defaultdict(dict)
    for row in rows:
        result[row["company_id"]][row["month"]] = row["net"] or ZERO
    return dict(result)
