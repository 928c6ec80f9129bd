"""The costing pages: the job page's costing panel, a job's costing with its expenses
(record with a receipt, void), the close-out card, and the expense list with its .xlsx."""

from datetime import date
from decimal import Decimal
from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from jobbag.finance.models import Expense, JobCloseOut
from jobbag.finance.services import costing as services
from jobbag.finance.services import time as time_services
from jobbag.finance.services.time import RowIn
from jobbag.finance.tests.conftest_time import WEEK, hours, timeworld_fixture  # noqa: F401
from jobbag.jobs.models import Job, Stage

PDF = b"%PDF-1.4\n%receipt\n"


def add_expenses(cast, job, count: int) -> None:
    for n in range(count):
        services.expense_create(
            actor=cast.ae,
            job=job,
            category=Expense.Category.TRAVEL if n % 2 else Expense.Category.SUPPLIER,
            supplier="雅昌印刷",
            incurred_on=date(2026, 11, 10),
            description=f"费用{n}",
            amount="100",
        )


def test_the_job_page_shows_the_costing_to_those_who_see_its_money(cast, timeworld, login):
    time_services.timesheet_save(
        actor=cast.designer,
        week_start=WEEK,
        rows=[RowIn(job=timeworld.job, hours=hours(4))],
        expected_version=None,
    )
    url = reverse("jobs:detail", args=[timeworld.job.pk])
    for who in (cast.ae, cast.ad, cast.finance, cast.gm):
        page = login(who).get(url).content.decode()
        assert 'data-testid="costing-panel"' in page, who
        assert "1,000.00" in page  # 4 h × 250.00
    page = login(cast.designer).get(url)
    assert page.status_code == 200 and b"costing-panel" not in page.content


@pytest.mark.parametrize("count", [2, 20])
def test_the_job_costing_page_reads_a_fixed_number_of_queries(
    cast, timeworld, login, django_assert_num_queries, count
):
    add_expenses(cast, timeworld.job, count)
    client = login(cast.ae)
    with django_assert_num_queries(25):
        page = client.get(reverse("finance:job_costing", args=[timeworld.job.pk]))
    assert page.content.decode().count('data-testid="expense-row"') == count


def test_the_ae_records_an_expense_with_a_receipt_and_voids_it(cast, timeworld, login):
    client = login(cast.ae)
    url = reverse("finance:job_costing", args=[timeworld.job.pk])
    data = {
        "category": "photography",
        "incurred_on": "2026-11-10",
        "description": "产品拍摄",
        "amount": "2500.00",
        "currency": "CNY",
        "billable": "on",
        "receipt": SimpleUploadedFile("invoice.pdf", PDF, content_type="application/pdf"),
    }
    assert client.post(url, data).status_code == 302
    expense = Expense.objects.get()
    assert expense.billable and expense.amount == Decimal("2500.00") and expense.receipt
    receipt = client.get(reverse("finance:expense_receipt", args=[expense.pk]))
    assert receipt.status_code == 200 and b"".join(receipt.streaming_content) == PDF
    bad = {**data, "receipt": SimpleUploadedFile("x.pdf", b"not a pdf")}
    response = client.post(url, bad)
    assert response.status_code == 400 and Expense.objects.count() == 1
    void = reverse("finance:expense_void", args=[expense.pk])
    assert client.post(void, {"reason": "重复", "version": expense.version}).status_code == 302
    expense.refresh_from_db()
    assert expense.voided_at is not None
    # The designer can neither record nor void: she does not see the job's money.
    designer = login(cast.designer)
    assert designer.post(url, data).status_code == 404
    assert designer.post(void, {"reason": "x"}).status_code == 404


def test_the_close_out_card_is_made_from_the_panel_of_a_closed_job(cast, timeworld, login):
    job = timeworld.job
    client = login(cast.ae)
    card_url = reverse("finance:close_out", args=[job.pk])
    assert client.get(card_url).status_code == 404
    client.post(card_url)
    assert not JobCloseOut.objects.exists()
    Job.objects.filter(pk=job.pk).update(stage=Stage.CLOSED, closed_on=timezone.localdate())
    page = client.get(reverse("jobs:detail", args=[job.pk])).content.decode()
    assert 'data-testid="close-out-make"' in page
    assert client.post(card_url).status_code == 302
    card = client.get(card_url)
    assert card.status_code == 200 and b"close-out-margin" in card.content
    assert JobCloseOut.objects.get().quoted_net == Decimal("10000.00")
    assert login(cast.designer).post(card_url).status_code == 404


@pytest.mark.parametrize("count", [2, 20])
def test_the_expense_list_reads_a_fixed_number_of_queries_and_exports(
    cast, timeworld, login, django_assert_num_queries, count
):
    add_expenses(cast, timeworld.job, count)
    client = login(cast.finance)
    url = reverse("finance:expenses")
    with django_assert_num_queries(14):
        page = client.get(url)
    assert page.content.decode().count('data-testid="expense-row"') == count
    export = client.get(url + "?category=supplier&export=xlsx")
    sheet = load_workbook(BytesIO(export.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert len(rows) == 1 + (count + 1) // 2
    assert rows[1][1] == "HAIER" and rows[1][5] == "雅昌印刷"


def test_the_expense_list_shows_only_jobs_whose_money_one_sees(cast, clientele, timeworld, login):
    add_expenses(cast, timeworld.job, 2)
    url = reverse("finance:expenses")
    assert login(clientele.other_ae).get(url).content.decode().count("expense-row") == 0
    assert login(cast.ad).get(url).content.decode().count('data-testid="expense-row"') == 2
    assert login(cast.designer).get(url).status_code == 403
