"""The demo invoicing builds on the demo agency and clients: a default series and a
credit-note series, issued invoices (some paid, some overdue), payments; twice is once."""

import pytest
from django.utils import timezone

from jobbag.accounts.demo import agency_build
from jobbag.clients.demo import clients_build
from jobbag.finance.demo_billing import billing_build
from jobbag.finance.models import Invoice, InvoiceSeries, Payment

pytestmark = pytest.mark.django_db


@pytest.fixture
def fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def test_it_builds_paid_and_overdue_invoices_once(fast_passwords):
    agency_build()
    clients_build()
    made = billing_build()
    assert len(made["invoices"]) == 8
    assert InvoiceSeries.objects.filter(for_credit_notes=True, is_default=True).count() == 1
    today = timezone.localdate()
    issued = Invoice.objects.filter(status=Invoice.Status.ISSUED)
    assert issued.filter(settled_on__isnull=False).count() == 4
    assert issued.filter(settled_on__isnull=True, due_date__lt=today).exists()
    assert Payment.objects.filter(is_prepayment=True, allocated_amount=0).count() == 1
    billing_build()
    assert Invoice.objects.count() == 8
