"""Receivables ageing at 300,000 invoices (the default scale): Finance's ageing page as of
today beside its raw SQL floor.

The data: INVOICES_PER_SCALE issued invoices per scale step (300,000 at the default
scale of 500) across every client, issued over the last two years with 30-day terms;
most are settled (paid in full some days around their due date), the rest open, half
of those with a partial payment allocated. `receivables_generate` bulk-creates them (one
series, payments and allocations); `receivables_load` makes them when the database has
none, so the operation never depends on the order things were wired in.

Registered when jobbag.bench.operations imports this module.
"""

import random
from datetime import timedelta
from decimal import Decimal

from django.db import connection
from django.test import Client
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from jobbag.accounts.models import Role, User
from jobbag.bench.operations import (
    BenchData,
    Operation,
    Unavailable,
    Visit,
    get_page,
    register,
    session_floor,
)
from jobbag.clients.models import Company
from jobbag.finance.models import Invoice, InvoiceSeries, Payment, PaymentAllocation

INVOICES_PER_SCALE = 600
# Of every 100 invoices, this many are still open (half of them partly paid).
OPEN_PER_HUNDRED = 15
TERMS_DAYS = 30
BATCH = 5_000
CENT = Decimal("0.01")


def receivables_count(scale: int) -> int:
    return max(scale, 1) * INVOICES_PER_SCALE


def _finance_user() -> User:
    user = (
        User.objects.filter(kind=User.Kind.STAFF, is_active=True, position__role=Role.FINANCE)
        .order_by("pk")
        .first()
    )
    if user is None:
        raise Unavailable("no Finance user to look at receivables")
    return user


def receivables_generate(*, count: int, seed: int = 7) -> int:
    """Bulk-creates `count` issued invoices with their payments; returns how many are
    still open."""
    rng = random.Random(seed)
    today = timezone.localdate()
    actor = _finance_user()
    companies = list(Company.objects.values_list("pk", flat=True))
    if not companies:
        raise Unavailable("no clients to invoice")
    series, _created = InvoiceSeries.objects.get_or_create(
        code="bench",
        defaults={
            "name": "Bench",
            "legal_entity": "Bench",
            "prefix": "BN",
            "digits": 7,
            "next_number": count + 1,
        },
    )
    now = timezone.now()
    open_count = 0
    made = 0
    while made < count:
        size = min(BATCH, count - made)
        invoices = []
        for n in range(made, made + size):
            issued = today - timedelta(days=rng.randint(0, 730))
            due = issued + timedelta(days=TERMS_DAYS)
            net = Decimal(rng.randint(1_000, 500_000)).quantize(CENT)
            tax = (net * Decimal("0.06")).quantize(CENT)
            total = net + tax
            is_open = rng.randint(1, 100) <= OPEN_PER_HUNDRED
            settled = None
            paid = Decimal(0)
            if not is_open:
                settled = min(due + timedelta(days=rng.randint(-25, 60)), today)
                settled = max(settled, issued)
                paid = total
            elif rng.random() < 0.5:
                paid = (total / 2).quantize(CENT)
            open_count += is_open
            invoices.append(
                Invoice(
                    series=series,
                    number=f"BN{n + 1:07d}",
                    kind=Invoice.Kind.QUOTE,
                    status=Invoice.Status.ISSUED,
                    company_id=rng.choice(companies),
                    issue_date=issued,
                    due_date=due,
                    net_amount=net,
                    tax_amount=tax,
                    total=total,
                    levy_amount=(net * Decimal("0.03")).quantize(CENT),
                    paid_amount=paid,
                    settled_on=settled,
                    created_by=actor,
                    issued_by=actor,
                    issued_at=now,
                )
            )
        Invoice.objects.bulk_create(invoices)
        paid_rows = [invoice for invoice in invoices if invoice.paid_amount > 0]
        payments = [
            Payment(
                company_id=invoice.company_id,
                received_on=invoice.settled_on or min(invoice.due_date, today),
                amount=invoice.paid_amount,
                allocated_amount=invoice.paid_amount,
                reference=f"P{invoice.number}",
                created_by=actor,
            )
            for invoice in paid_rows
        ]
        Payment.objects.bulk_create(payments)
        PaymentAllocation.objects.bulk_create(
            PaymentAllocation(
                payment=payment,
                invoice=invoice,
                amount=invoice.paid_amount,
                allocated_on=payment.received_on,
                created_by=actor,
            )
            for payment, invoice in zip(payments, paid_rows, strict=True)
        )
        made += size
    return open_count


def receivables_load(data: BenchData) -> None:
    """The invoices for `data_load`, unless they are there already."""
    if not Invoice.objects.exists():
        receivables_generate(count=receivables_count(data.scale))


def ageing_setup(data: BenchData) -> Visit:
    try:
        url = reverse("finance:ageing")
    except NoReverseMatch as exc:
        raise Unavailable("no ageing page (finance:ageing) yet") from exc
    receivables_load(data)
    user = _finance_user()
    client = Client()
    client.force_login(user)
    return Visit(client=client, user=user, url=url)


AGEING_SQL = """
SELECT o.company_id, o.currency,
  SUM(CASE WHEN o.due_date >= %(d)s THEN o.left_amount ELSE 0 END),
  SUM(CASE WHEN o.due_date < %(d)s AND o.due_date >= %(d30)s THEN o.left_amount ELSE 0 END),
  SUM(CASE WHEN o.due_date < %(d30)s AND o.due_date >= %(d60)s THEN o.left_amount ELSE 0 END),
  SUM(CASE WHEN o.due_date < %(d60)s AND o.due_date >= %(d90)s THEN o.left_amount ELSE 0 END),
  SUM(CASE WHEN o.due_date < %(d90)s THEN o.left_amount ELSE 0 END)
FROM (
  SELECT i.company_id, i.currency, i.due_date,
    i.total
    - COALESCE((SELECT SUM(a.amount) FROM finance_paymentallocation a
                WHERE a.invoice_id = i.id AND a.allocated_on <= %(d)s), 0)
    + COALESCE((SELECT SUM(c.total) FROM finance_invoice c
                WHERE c.credit_of_id = i.id AND c.status = 'issued' AND c.issue_date <= %(d)s), 0)
    AS left_amount
  FROM finance_invoice i
  WHERE i.status = 'issued' AND i.kind <> 'credit_note' AND i.issue_date <= %(d)s
    AND (i.settled_on IS NULL OR i.settled_on > %(d)s)
) o
WHERE o.left_amount > 0
GROUP BY o.company_id, o.currency
"""


def ageing_floor(visit: Visit) -> None:
    """The ageing per client and currency as of today, those clients' names, the
    clients for the filter and the unread count."""
    today = timezone.localdate()
    params = {
        "d": today,
        "d30": today - timedelta(days=30),
        "d60": today - timedelta(days=60),
        "d90": today - timedelta(days=90),
    }
    with connection.cursor() as cursor:
        session_floor(cursor, visit)
        cursor.execute(AGEING_SQL, params)
        ids = [row[0] for row in cursor.fetchall()]
        if ids:
            cursor.execute(
                "SELECT id, code, name FROM clients_company WHERE id IN"
                f" ({', '.join(['%s'] * len(ids))})",
                ids,
            )
            cursor.fetchall()
        cursor.execute("SELECT id, code, name FROM clients_company ORDER BY code")
        cursor.fetchall()
        cursor.execute(
            "SELECT COUNT(*) FROM core_notification WHERE recipient_id = %s AND read_at IS NULL",
            [visit.user.pk],
        )
        cursor.fetchone()


RECEIVABLES_AGEING = register(Operation("receivables ageing", ageing_setup, get_page, ageing_floor))
