"""Payments: receipts allocated in part or in full, never more than an invoice's
outstanding or the payment's unallocated; prepayments on account; settled_on; closed
periods; Finance only."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from jobbag.core.errors import DomainError, NotAllowed
from jobbag.finance.models import ClosedPeriod, Invoice, Payment, PaymentAllocation
from jobbag.finance.services import billing as billing_services
from jobbag.finance.services import payments as services
from jobbag.finance.services.periods import period_of
from jobbag.finance.tests.conftest_billing import billing_fixture, issued_invoice  # noqa: F401

D = Decimal


def test_two_partial_payments_settle_the_invoice(cast, clientele, billing):
    day = timezone.localdate() - timedelta(days=20)
    invoice = issued_invoice(cast, billing, issue_date=day)
    first = services.payment_record(
        actor=cast.finance,
        company=clientele.company,
        received_on=day + timedelta(days=5),
        amount="6000",
        allocations=[(invoice, "6000")],
    )
    invoice.refresh_from_db()
    assert invoice.paid_amount == D("6000.00") and invoice.outstanding == D("4600.00")
    assert invoice.settled_on is None
    assert first.allocated_amount == D("6000.00") and first.unallocated == 0
    services.payment_record(
        actor=cast.finance,
        company=clientele.company,
        received_on=day + timedelta(days=10),
        amount="4600.00",
        allocations=[(invoice, "4600.00")],
    )
    invoice.refresh_from_db()
    assert invoice.outstanding == 0 and invoice.settled_on == day + timedelta(days=10)
    assert [a.allocated_on for a in PaymentAllocation.objects.order_by("pk")] == [
        day + timedelta(days=5),
        day + timedelta(days=10),
    ]


def test_an_allocation_never_exceeds_the_outstanding(cast, clientele, billing):
    invoice = issued_invoice(cast, billing)
    with pytest.raises(DomainError) as error:
        services.payment_record(
            actor=cast.finance,
            company=clientele.company,
            received_on=timezone.localdate(),
            amount="20000",
            allocations=[(invoice, "10600.01")],
        )
    assert "amount" in error.value.fields and "10,600.00" in str(error.value.message)
    assert not Payment.objects.exists()
    invoice.refresh_from_db()
    assert invoice.paid_amount == 0


def test_an_allocation_never_exceeds_the_payment(cast, clientele, billing):
    invoice = issued_invoice(cast, billing)
    payment = services.payment_record(
        actor=cast.finance,
        company=clientele.company,
        received_on=timezone.localdate(),
        amount="1000",
        is_prepayment=True,
    )
    assert payment.unallocated == D("1000.00")
    with pytest.raises(DomainError) as error:
        services.payment_allocate(
            actor=cast.finance, payment=payment, invoice=invoice, amount="1000.01"
        )
    assert "amount" in error.value.fields
    services.payment_allocate(actor=cast.finance, payment=payment, invoice=invoice, amount="400")
    services.payment_allocate(actor=cast.finance, payment=payment, invoice=invoice, amount="600")
    payment.refresh_from_db()
    invoice.refresh_from_db()
    assert payment.unallocated == 0 and invoice.paid_amount == D("1000.00")
    with pytest.raises(DomainError):
        services.payment_allocate(actor=cast.finance, payment=payment, invoice=invoice, amount="1")


def test_a_payment_goes_only_to_its_clients_issued_invoices(cast, clientele, billing):
    other = billing_services.invoice_issue(
        actor=cast.finance,
        invoice=billing_services.invoice_draft_from_quote(
            actor=cast.finance, job=billing.other_job
        ),
    )
    draft = billing_services.invoice_draft_from_quote(actor=cast.finance, job=billing.job)
    payment = services.payment_record(
        actor=cast.finance, company=clientele.company, received_on=timezone.localdate(), amount="5"
    )
    for invoice in (other, draft):
        with pytest.raises(DomainError) as error:
            services.payment_allocate(
                actor=cast.finance, payment=payment, invoice=invoice, amount="1"
            )
        assert "invoice" in error.value.fields
    assert not PaymentAllocation.objects.exists()


@pytest.mark.parametrize(
    ("amount", "field"), [("0", "amount"), ("-3", "amount"), ("x", "amount"), ("1e400", "amount")]
)
def test_malformed_amounts_are_refused(cast, clientele, billing, amount, field):
    with pytest.raises(DomainError) as error:
        services.payment_record(
            actor=cast.finance,
            company=clientele.company,
            received_on=timezone.localdate(),
            amount=amount,
        )
    assert field in error.value.fields
    assert not Payment.objects.exists()


def test_a_payment_is_not_received_in_the_future_or_a_closed_period(cast, clientele, billing):
    with pytest.raises(DomainError) as error:
        services.payment_record(
            actor=cast.finance,
            company=clientele.company,
            received_on=timezone.localdate() + timedelta(days=1),
            amount="5",
        )
    assert "received_on" in error.value.fields
    old = timezone.localdate() - timedelta(days=70)
    ClosedPeriod.objects.create(period=period_of(old), closed_by=cast.finance)
    with pytest.raises(DomainError) as error:
        services.payment_record(
            actor=cast.finance, company=clientele.company, received_on=old, amount="5"
        )
    assert error.value.code == "period_closed"
    assert not Payment.objects.exists()


@pytest.mark.parametrize("role", ["ae", "ad", "gm", "admin", "designer", "client"])
def test_only_finance_records_payments(cast, clientele, billing, role):
    with pytest.raises(NotAllowed):
        services.payment_record(
            actor=getattr(cast, role),
            company=clientele.company,
            received_on=timezone.localdate(),
            amount="5",
        )


def test_a_credit_note_and_payments_together_settle(cast, clientele, billing):
    invoice = issued_invoice(cast, billing)
    services.payment_record(
        actor=cast.finance,
        company=clientele.company,
        received_on=timezone.localdate(),
        amount="5300",
        allocations=[(invoice, "5300")],
    )
    with pytest.raises(DomainError):
        # What is paid cannot be credited: 5,300.00 is left, not the whole invoice.
        billing_services.invoice_credit(actor=cast.finance, invoice=invoice, reason="全冲")
    note = billing_services.invoice_credit(
        actor=cast.finance, invoice=invoice, reason="折让一半", net_amount="5000"
    )
    assert note.total == D("-5300.00")
    invoice.refresh_from_db()
    assert invoice.outstanding == 0 and invoice.settled_on == timezone.localdate()
    assert Invoice.objects.filter(kind=Invoice.Kind.CREDIT_NOTE).count() == 1
