"""Expenses (with receipts, voided never deleted), the live job costing and the close-out
card (结卡)."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from jobbag.approvals.services import approval_decide
from jobbag.core.errors import Conflict, DomainError, NotAllowed
from jobbag.core.models import AuditEntry
from jobbag.finance.models import Expense, Invoice, InvoiceSeries, JobCloseOut
from jobbag.finance.selectors.costing import job_costing
from jobbag.finance.services import costing as services
from jobbag.finance.services import time as time_services
from jobbag.finance.services.time import RowIn
from jobbag.finance.tests.conftest_time import WEEK, hours, timeworld_fixture  # noqa: F401
from jobbag.jobs.models import Job, Stage

PDF = b"%PDF-1.4\n%receipt\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 16


def expense(actor, job, **values):
    data = {
        "category": Expense.Category.TRAVEL,
        "incurred_on": date(2026, 11, 10),
        "description": "出差青岛",
        "amount": "1200.50",
    }
    data.update(values)
    return services.expense_create(actor=actor, job=job, **data)


def issued(
    job, net, *, kind=Invoice.Kind.QUOTE, number="INV-1", on=date(2026, 11, 20), by, of=None
):
    """An issued invoice made directly (a credit note is negative and names its invoice)."""
    series = InvoiceSeries.objects.get_or_create(
        code="inv", defaults={"name": "上海", "legal_entity": "上海", "prefix": "INV"}
    )[0]
    return Invoice.objects.create(
        series=series,
        number=number,
        kind=kind,
        status=Invoice.Status.ISSUED,
        company=job.company,
        job=job,
        issue_date=on,
        net_amount=Decimal(net),
        total=Decimal(net),
        credit_of=of,
        created_by=by,
    )


def test_the_ae_records_an_expense_with_its_receipt(cast, timeworld):
    receipt = SimpleUploadedFile("发票.pdf", PDF, content_type="application/pdf")
    row = expense(cast.ae, timeworld.job, receipt=receipt, billable=True)
    assert row.amount == Decimal("1200.50") and row.billable and row.receipt.name.endswith(".pdf")
    assert row.created_by == cast.ae
    assert AuditEntry.objects.filter(object_id=str(row.pk), action="create").exists()
    image = expense(
        cast.finance, timeworld.job, receipt=SimpleUploadedFile("a.png", PNG), amount="3"
    )
    assert image.receipt


@pytest.mark.parametrize(
    ("values", "field"),
    [
        ({"category": "bribes"}, "category"),
        ({"incurred_on": "2026-11-10"}, "incurred_on"),
        ({"incurred_on": date(2099, 1, 1)}, "incurred_on"),
        ({"description": "  "}, "description"),
        ({"amount": "0"}, "amount"),
        ({"amount": "-5"}, "amount"),
        ({"amount": "1.001"}, "amount"),
        ({"amount": "abc"}, "amount"),
        ({"amount": "NaN"}, "amount"),
        ({"category": Expense.Category.SUPPLIER, "supplier": ""}, "supplier"),
        ({"currency": "RMB1"}, "currency"),
    ],
)
def test_malformed_expenses_are_refused(cast, timeworld, values, field):
    with pytest.raises(DomainError) as refused:
        expense(cast.ae, timeworld.job, **values)
    assert field in refused.value.fields
    assert not Expense.objects.exists()


def test_receipts_are_checked_by_content_and_size(cast, timeworld, settings):
    fake = SimpleUploadedFile("receipt.pdf", b"MZ\x90\x00 not a pdf")
    with pytest.raises(DomainError) as refused:
        expense(cast.ae, timeworld.job, receipt=fake)
    assert refused.value.fields == {"receipt": services.RECEIPT_TYPE}
    big = SimpleUploadedFile("big.pdf", PDF + b"0" * (10 * 1024 * 1024))
    with pytest.raises(DomainError) as refused:
        expense(cast.ae, timeworld.job, receipt=big)
    assert refused.value.fields == {"receipt": services.RECEIPT_TOO_BIG}
    assert not Expense.objects.exists()


def test_who_records_expenses(cast, clientele, timeworld):
    for who in (cast.designer, cast.client, cast.outsider, clientele.other_ae):
        with pytest.raises(NotAllowed):
            expense(who, timeworld.job)
    for who in (cast.ae, cast.ad, cast.gm, cast.finance, cast.admin):
        expense(who, timeworld.job)
    assert Expense.objects.count() == 5


def test_void_keeps_the_row_and_needs_a_reason(cast, clientele, timeworld):
    row = expense(cast.ae, timeworld.job)
    with pytest.raises(DomainError):
        services.expense_void(actor=cast.ae, expense=row, reason=" ")
    with pytest.raises(NotAllowed):
        services.expense_void(actor=cast.ad, expense=row, reason="重复")
    with pytest.raises(Conflict):
        services.expense_void(actor=cast.ae, expense=row, reason="重复", expected_version=99)
    services.expense_void(actor=cast.ae, expense=row, reason="重复录入")
    row.refresh_from_db()
    assert row.voided_at and row.void_reason == "重复录入"
    with pytest.raises(Conflict):
        services.expense_void(actor=cast.finance, expense=row, reason="again")
    assert Expense.objects.count() == 1
    assert job_costing(timeworld.job).expenses == 0


def test_costing_adds_time_at_cost_expenses_and_external_costs(cast, timeworld):
    job = timeworld.job
    sheet = time_services.timesheet_save(
        actor=cast.designer,
        week_start=WEEK,
        rows=[RowIn(job=job, hours=hours(4, "3.5"))],
        expected_version=None,
    )
    expense(cast.ae, job, amount="500")
    expense(cast.ae, job, category=Expense.Category.SUPPLIER, supplier="雅昌印刷", amount="3000")
    voided = expense(cast.ae, job, amount="999")
    services.expense_void(actor=cast.ae, expense=voided, reason="错")
    costing = job_costing(job)
    assert costing.quoted_net == Decimal("10000.00")
    assert costing.hours == Decimal("7.5") and costing.approved_hours == 0
    assert costing.time_cost == Decimal("1875.00")  # 7.5 h × 250.00
    assert (costing.expenses, costing.external_costs) == (Decimal("500.00"), Decimal("3000.00"))
    assert costing.invoiced_net == 0 and costing.revenue == Decimal("10000.00")
    assert costing.margin == Decimal("4625.00") and costing.margin_percent == Decimal("46.3")
    approval = time_services.timesheet_submit(actor=cast.designer, timesheet=sheet)
    approval_decide(actor=timeworld.design_head, approval=approval, outcome="approve")
    assert job_costing(job).approved_hours == Decimal("7.5")
    # Invoiced, the margin is measured on the invoiced net, credit notes deducted.
    invoice = issued(job, "8000", by=cast.finance)
    issued(job, "-1000", kind=Invoice.Kind.CREDIT_NOTE, number="CN-1", by=cast.finance, of=invoice)
    costing = job_costing(job)
    assert costing.invoiced_net == Decimal("7000.00")
    assert costing.margin == Decimal("1625.00")


def test_the_costing_reads_a_fixed_number_of_queries(cast, timeworld, django_assert_num_queries):
    for n in range(5):
        expense(cast.ae, timeworld.job, amount=str(10 + n))
    with django_assert_num_queries(4):
        job_costing(timeworld.job)


def test_the_close_out_card_is_frozen_once_the_job_is_closed(cast, timeworld):
    job = timeworld.job
    expense(cast.ae, job, amount="500")
    with pytest.raises(DomainError) as refused:
        services.close_out_create(actor=cast.ae, job=job)
    assert refused.value.message == services.NOT_CLOSED
    Job.objects.filter(pk=job.pk).update(stage=Stage.CLOSED, closed_on=timezone.localdate())
    job.refresh_from_db()
    with pytest.raises(NotAllowed):
        services.close_out_create(actor=cast.designer, job=job)
    card = services.close_out_create(actor=cast.ae, job=job)
    assert (card.quoted_net, card.expenses, card.margin) == (
        Decimal("10000.00"),
        Decimal("500.00"),
        Decimal("9500.00"),
    )
    assert card.figures["margin_percent"] == "95.0"
    with pytest.raises(Conflict):
        services.close_out_create(actor=cast.finance, job=job)
    # Costs are final: no new expense, no void.
    with pytest.raises(Conflict):
        expense(cast.ae, job)
    with pytest.raises(Conflict):
        services.expense_void(actor=cast.ae, expense=Expense.objects.get(), reason="x")
    assert JobCloseOut.objects.count() == 1


def test_the_job_chains_hook_makes_the_card_once(cast, timeworld):
    job = timeworld.job
    Job.objects.filter(pk=job.pk).update(stage=Stage.CLOSED, closed_on=timezone.localdate())
    card = services.close_out_on_job_closed(job=job, actor=cast.gm)
    assert card.closed_by == cast.gm and card.quoted_net == Decimal("10000.00")
    assert services.close_out_on_job_closed(job=job, actor=cast.ae).pk == card.pk
    assert JobCloseOut.objects.count() == 1
