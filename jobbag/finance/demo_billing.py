"""The demo agency's invoicing (SPEC §7): a default invoice series for its legal entity
and one for credit notes, a monthly retainer for two clients invoiced over the last
months — the older ones paid (one in two parts), the latest ones open, one overdue —
and a prepayment on account. Running it again changes nothing."""

from datetime import date, timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from jobbag.accounts.models import Role, User
from jobbag.clients.models import Company
from jobbag.finance.demo import finance_build
from jobbag.finance.models import Invoice, InvoiceSeries
from jobbag.finance.services import billing, payments

LEGAL_ENTITY = "上海金点广告有限公司"
RETAINERS = [
    ("HAIER", "海尔品牌年度服务费", "30000.00"),
    ("DONGGAN", "动感体育社交媒体月度服务费", "18000.00"),
]
MONTHS_BACK = 4


def _month(today: date, back: int) -> date:
    index = today.year * 12 + today.month - 1 - back
    return date(index // 12, index % 12 + 1, 1)


@transaction.atomic
def billing_build() -> dict:
    """The demo series, retainers, invoices and payments; returns what it made."""
    if InvoiceSeries.objects.filter(code="demo-inv").exists():
        return {"invoices": list(Invoice.objects.filter(series__code="demo-inv"))}
    profile = finance_build()["tax_profile"]
    actor = User.objects.filter(position__role=Role.FINANCE, is_active=True).order_by("pk").first()
    if actor is None:
        return {"invoices": []}
    series = InvoiceSeries.objects.create(
        code="demo-inv",
        name=LEGAL_ENTITY,
        legal_entity=LEGAL_ENTITY,
        tax_number="91310101MA1FPX0000",
        prefix="INV{year}-",
        is_default=True,
    )
    InvoiceSeries.objects.create(
        code="demo-cn",
        name=f"{LEGAL_ENTITY} 红字发票",
        legal_entity=LEGAL_ENTITY,
        tax_number="91310101MA1FPX0000",
        prefix="CN{year}-",
        for_credit_notes=True,
        is_default=True,
    )
    today = timezone.localdate()
    issued = []
    for code, description, fee in RETAINERS:
        company = Company.objects.filter(code=code).first()
        if company is None:
            continue
        retainer = billing.retainer_create(
            actor=actor,
            company=company,
            description=description,
            monthly_fee=fee,
            starts_on=_month(today, MONTHS_BACK),
            tax_profile=profile,
            series=series,
        )
        for back in range(MONTHS_BACK, 0, -1):
            first = _month(today, back)
            draft = billing.retainer_draft(
                retainer=retainer, month=first.strftime("%Y-%m"), actor=actor
            )
            invoice = billing.invoice_issue(
                actor=actor, invoice=draft, issue_date=first + timedelta(days=4)
            )
            issued.append(invoice)
            if back >= 3:
                # The older months are paid: the oldest of HAIER's in two parts.
                parts = [invoice.total]
                if back == MONTHS_BACK and code == "HAIER":
                    half = (invoice.total / 2).quantize(Decimal("0.01"))
                    parts = [half, invoice.total - half]
                for n, amount in enumerate(parts):
                    payments.payment_record(
                        actor=actor,
                        company=company,
                        received_on=min(invoice.due_date + timedelta(days=n * 7), today),
                        amount=amount,
                        reference=f"银行回单 {invoice.number}-{n + 1}",
                        allocations=[(invoice, amount)],
                    )
    haier = Company.objects.filter(code="HAIER").first()
    if haier is not None:
        payments.payment_record(
            actor=actor,
            company=haier,
            received_on=today,
            amount="10000.00",
            reference="预付款",
            is_prepayment=True,
        )
    return {"invoices": issued}
