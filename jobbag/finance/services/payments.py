"""Payments (SPEC §7): money received from a client (Finance records it), allocated to
one or more of that client's open invoices, in part or in full. What is not allocated
is a prepayment on the client's account, to allocate later.

An allocation never takes more than the invoice has outstanding or the payment has
unallocated: both rows are locked (payment first, then the invoice) while it is written,
so two people allocating at once cannot over-allocate. When an invoice has nothing left
to collect its `settled_on` is the allocation's date. Nothing is dated in a closed
period.
"""

from datetime import date

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jobbag.accounts.models import User
from jobbag.clients.models import Company
from jobbag.core import audit
from jobbag.core.errors import DomainError
from jobbag.core.money import format_money
from jobbag.core.permissions import require
from jobbag.core.versioning import save_versioned
from jobbag.finance.models import Invoice, Payment, PaymentAllocation
from jobbag.finance.services.billing import INVALID, REQUIRED, _decimal, money
from jobbag.finance.services.incentives import commissions_refresh
from jobbag.finance.services.periods import require_open

AMOUNT_POSITIVE = _("The amount must be more than zero.")
IN_FUTURE = _("A payment cannot be received in the future.")
METHOD_INVALID = _("Choose how the money came in.")
TEXT_TOO_LONG = _("Write at most %(max)s characters.")
INVOICE_OTHER_CLIENT = _("This invoice is another client's.")
INVOICE_NOT_OPEN = _("Only an issued invoice (not a credit note) can be paid.")
INVOICE_CURRENCY = _("The invoice is in %(invoice)s, the payment in %(payment)s.")
OVER_OUTSTANDING = _("Only %(left)s is outstanding on invoice %(number)s.")
OVER_UNALLOCATED = _("Only %(left)s of this payment is left to allocate.")
ALLOCATED_BEFORE = _("An allocation cannot be dated before the payment or the invoice.")
ALLOCATED_FUTURE = _("An allocation cannot be dated in the future.")


def _clean_text(values: dict, field: str, limit: int) -> str:
    text = (values.get(field) or "").strip()
    if len(text) > limit:
        raise DomainError(INVALID, fields={field: TEXT_TOO_LONG % {"max": limit}})
    return text


def _allocate(
    *, actor: User, payment: Payment, invoice: Invoice, amount, allocated_on: date | None
) -> PaymentAllocation:
    """One allocation, with `payment` already locked by the caller."""
    invoice = (
        Invoice.objects.select_for_update(of=("self",)).select_related("company").get(pk=invoice.pk)
    )
    if invoice.company_id != payment.company_id:
        raise DomainError(INVALID, fields={"invoice": INVOICE_OTHER_CLIENT})
    if invoice.status != Invoice.Status.ISSUED or invoice.kind == Invoice.Kind.CREDIT_NOTE:
        raise DomainError(INVALID, fields={"invoice": INVOICE_NOT_OPEN})
    if invoice.currency != payment.currency:
        message = INVOICE_CURRENCY % {"invoice": invoice.currency, "payment": payment.currency}
        raise DomainError(message, fields={"invoice": message})
    value = money(_decimal(amount, "amount"))
    if value <= 0:
        raise DomainError(INVALID, fields={"amount": AMOUNT_POSITIVE})
    if value > invoice.outstanding:
        message = OVER_OUTSTANDING % {
            "left": format_money(invoice.outstanding, invoice.currency),
            "number": invoice.number,
        }
        raise DomainError(message, fields={"amount": message})
    if value > payment.unallocated:
        message = OVER_UNALLOCATED % {"left": format_money(payment.unallocated, payment.currency)}
        raise DomainError(message, fields={"amount": message})
    today = timezone.localdate()
    on = allocated_on or max(payment.received_on, invoice.issue_date)
    if on > today:
        raise DomainError(ALLOCATED_FUTURE, fields={"allocated_on": ALLOCATED_FUTURE})
    if on < payment.received_on or on < invoice.issue_date:
        raise DomainError(ALLOCATED_BEFORE, fields={"allocated_on": ALLOCATED_BEFORE})
    require_open(on, "allocated_on")
    allocation = PaymentAllocation.objects.create(
        payment=payment, invoice=invoice, amount=value, allocated_on=on, created_by=actor
    )
    payment.allocated_amount += value
    save_versioned(payment, expected_version=payment.version, fields=["allocated_amount"])
    paid_before = invoice.paid_amount
    invoice.paid_amount += value
    fields = ["paid_amount"]
    if invoice.outstanding == 0:
        invoice.settled_on = on
        fields.append("settled_on")
    save_versioned(invoice, expected_version=invoice.version, fields=fields)
    audit.record_create(actor=actor, obj=allocation)
    audit.record(
        actor=actor,
        obj=invoice,
        action="change",
        changes={"paid_amount": [str(paid_before), str(invoice.paid_amount)]},
    )
    if invoice.settled_on is not None and invoice.job_id:
        # The last payment makes the job's commissions payable (the daily sweep would too).
        commissions_refresh(invoice.job)
    return allocation


@transaction.atomic
def payment_record(
    *,
    actor: User,
    company: Company,
    received_on: date,
    amount,
    currency: str = "CNY",
    method: str = Payment.Method.BANK,
    reference: str = "",
    note: str = "",
    is_prepayment: bool = False,
    allocations: list[tuple[Invoice, object]] | None = None,
) -> Payment:
    """Records money received (Finance) and, optionally, allocates it at once
    (`[(invoice, amount), …]`); the rest stays on the client's account."""
    require(actor, "finance.payment.record")
    errors = {}
    value = money(_decimal(amount, "amount"))
    if value <= 0:
        errors["amount"] = AMOUNT_POSITIVE
    if not isinstance(received_on, date):
        errors["received_on"] = REQUIRED
    elif received_on > timezone.localdate():
        errors["received_on"] = IN_FUTURE
    if method not in Payment.Method.values:
        errors["method"] = METHOD_INVALID
    values = {"reference": reference, "note": note}
    if errors:
        raise DomainError(INVALID, fields=errors)
    require_open(received_on, "received_on")
    payment = Payment.objects.create(
        company=company,
        received_on=received_on,
        amount=value,
        currency=(currency or "CNY")[:3],
        method=method,
        reference=_clean_text(values, "reference", 100),
        note=_clean_text(values, "note", 200),
        is_prepayment=bool(is_prepayment),
        created_by=actor,
    )
    audit.record_create(actor=actor, obj=payment)
    for invoice, share in sorted(allocations or [], key=lambda pair: pair[0].pk):
        _allocate(actor=actor, payment=payment, invoice=invoice, amount=share, allocated_on=None)
    return payment


@transaction.atomic
def payment_allocate(
    *,
    actor: User,
    payment: Payment,
    invoice: Invoice,
    amount,
    allocated_on: date | None = None,
) -> PaymentAllocation:
    """Sets part of a payment (a prepayment on account, say) against an open invoice."""
    require(actor, "finance.payment.record")
    payment = Payment.objects.select_for_update(of=("self",)).get(pk=payment.pk)
    return _allocate(
        actor=actor, payment=payment, invoice=invoice, amount=amount, allocated_on=allocated_on
    )
