"""Payment pages: the list (fixed queries), recording a prepayment for a client and
allocating it to an open invoice on the payment's page; only Finance records."""

from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from jobbag.finance.models import Payment, PaymentAllocation
from jobbag.finance.services.payments import payment_allocate, payment_record
from jobbag.finance.tests.conftest_billing import billing_fixture, issued_invoice  # noqa: F401

D = Decimal


@pytest.mark.parametrize("count", [2, 20])
def test_the_list_reads_a_fixed_number_of_queries(
    login, cast, clientele, billing, django_assert_num_queries, count
):
    for _n in range(count):
        payment_record(
            actor=cast.finance,
            company=clientele.company,
            received_on=timezone.localdate(),
            amount="10",
        )
    client = login(cast.finance)
    client.get(reverse("finance:payment_list"))
    with django_assert_num_queries(6):
        response = client.get(reverse("finance:payment_list"))
    assert response.content.decode().count('data-testid="payment-row"') == count


def test_a_prepayment_is_recorded_then_allocated_on_its_page(login, cast, clientele, billing):
    invoice = issued_invoice(cast, billing)
    client = login(cast.finance)
    response = client.post(
        reverse("finance:payment_list"),
        {
            "company": clientele.company.pk,
            "received_on": timezone.localdate().isoformat(),
            "amount": "3000",
            "currency": "CNY",
            "method": "bank",
            "is_prepayment": "on",
        },
    )
    payment = Payment.objects.get()
    assert response.status_code == 302 and payment.is_prepayment and payment.unallocated == 3000
    url = reverse("finance:payment_detail", args=[payment.pk])
    page = client.get(url).content.decode()
    assert invoice.number in page  # The client's open invoice is offered.
    too_much = client.post(url, {"invoice": invoice.pk, "amount": "3000.01"})
    assert too_much.status_code == 400 and not PaymentAllocation.objects.exists()
    assert client.post(url, {"invoice": invoice.pk, "amount": "2500"}).status_code == 302
    invoice.refresh_from_db()
    payment.refresh_from_db()
    assert invoice.paid_amount == D("2500.00") and payment.unallocated == D("500.00")
    ae = login(cast.ae)
    assert ae.get(url).status_code == 200
    assert ae.post(url, {"invoice": invoice.pk, "amount": "1"}).status_code == 403
    assert login(clientele.other_ae).get(url).status_code == 404


@pytest.mark.parametrize("count", [1, 4])
def test_the_payment_page_reads_a_fixed_number_of_queries(
    login, cast, clientele, billing, django_assert_num_queries, count
):
    invoice = issued_invoice(cast, billing)
    payment = payment_record(
        actor=cast.finance,
        company=clientele.company,
        received_on=timezone.localdate(),
        amount="100",
        allocations=[(invoice, "10")],
    )
    for _n in range(count - 1):
        payment_allocate(actor=cast.finance, payment=payment, invoice=invoice, amount="10")
    client = login(cast.finance)
    with django_assert_num_queries(14):
        response = client.get(reverse("finance:payment_detail", args=[payment.pk]))
    assert response.content.decode().count('<td class="num">') == count
