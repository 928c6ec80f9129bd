"""Invoice numbers under real concurrency: Finance issuing several drafts at the same
moment gets distinct numbers with no gap, and a double click issues once (PostgreSQL
only: SQLite serialises writers anyway)."""

import threading
from decimal import Decimal

import pytest
from django.db import connection
from django.utils import timezone

from jobbag.core.errors import Conflict, DomainError
from jobbag.finance.models import Invoice, InvoiceSeries
from jobbag.finance.services import billing as services
from jobbag.finance.services.payments import payment_allocate, payment_record
from jobbag.finance.tests.conftest_billing import billing_fixture  # noqa: F401

needs_postgres = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="needs PostgreSQL for concurrent connections"
)

THREADS = 6


def _run(target, args_list) -> list[BaseException]:
    start = threading.Barrier(len(args_list))
    failures: list[BaseException] = []

    def run(*args) -> None:
        try:
            start.wait(10)
            target(*args)
        except BaseException as error:  # Reported below: a thread's error is lost otherwise.
            failures.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=args) for args in args_list]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    return failures


@pytest.mark.postgres
@needs_postgres
@pytest.mark.django_db(transaction=True)
def test_invoices_issued_at_once_get_gapless_distinct_numbers(cast, billing):
    drafts = [
        services.invoice_draft_from_quote(
            actor=cast.finance, job=job, kind="percentage", percentage="10"
        )
        for job in [billing.job, billing.other_job] * (THREADS // 2)
    ]
    failures = _run(
        lambda draft: services.invoice_issue(actor=cast.finance, invoice=draft),
        [(draft,) for draft in drafts],
    )
    assert not failures, failures
    year = timezone.localdate().year
    numbers = sorted(Invoice.objects.values_list("number", flat=True))
    assert numbers == [f"INV{year}-{n:05d}" for n in range(1, THREADS + 1)]
    assert InvoiceSeries.objects.get(pk=billing.series.pk).next_number == THREADS + 1


@pytest.mark.postgres
@needs_postgres
@pytest.mark.django_db(transaction=True)
def test_a_double_click_issues_one_number(cast, billing):
    draft = services.invoice_draft_from_quote(actor=cast.finance, job=billing.job)
    outcomes: list[str] = []

    def issue() -> None:
        try:
            services.invoice_issue(actor=cast.finance, invoice=draft)
            outcomes.append("issued")
        except Conflict:
            outcomes.append("refused")

    failures = _run(issue, [()] * 4)
    assert not failures, failures
    assert sorted(outcomes) == ["issued", "refused", "refused", "refused"]
    assert InvoiceSeries.objects.get(pk=billing.series.pk).next_number == 2


@pytest.mark.postgres
@needs_postgres
@pytest.mark.django_db(transaction=True)
def test_racing_allocations_never_overpay_an_invoice(cast, clientele, billing):
    invoice = services.invoice_issue(
        actor=cast.finance,
        invoice=services.invoice_draft_from_quote(actor=cast.finance, job=billing.job),
    )
    payments = [
        payment_record(
            actor=cast.finance,
            company=clientele.company,
            received_on=timezone.localdate(),
            amount="6000",
        )
        for _n in range(4)
    ]
    outcomes: list[str] = []

    def allocate(payment) -> None:
        try:
            payment_allocate(actor=cast.finance, payment=payment, invoice=invoice, amount="6000")
            outcomes.append("allocated")
        except DomainError:
            outcomes.append("refused")

    failures = _run(allocate, [(payment,) for payment in payments])
    assert not failures, failures
    assert sorted(outcomes) == ["allocated", "refused", "refused", "refused"]
    invoice.refresh_from_db()
    assert invoice.paid_amount == Decimal("6000.00")
