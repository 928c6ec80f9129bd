"""Profitability per job, client and month: the revenue rule (issued invoices, else the
signed quote of a completed job), costs by the month they fall in, who sees which
clients, the page's query budget and its .xlsx."""

from datetime import date
from decimal import Decimal
from io import BytesIO

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from jobbag.finance.models import Expense, TimeEntry
from jobbag.finance.selectors.costing import profitability, totals
from jobbag.finance.services import costing as services
from jobbag.finance.services import time as time_services
from jobbag.finance.services.time import RowIn
from jobbag.finance.tests.conftest_time import WEEK, hours, sign_back, timeworld_fixture  # noqa: F401
from jobbag.finance.tests.test_costing_services import issued
from jobbag.jobs.models import Job
from jobbag.jobs.tests.factories import JobFactory


@pytest.fixture
def books(cast, clientele, timeworld):
    """HAIER-0001: 8 h of design in November at 250.00 (2,000.00), a 500.00 trip and a
    3,000.00 printer; invoiced 8,000.00 net in November. HAIER-0002 (the pitch): 2 h
    non-billable (500.00), no revenue. NIKE-0001: completed in October, not invoiced: its
    signed quote's 5,000.00 counts; 1,000.00 of photography in October."""
    time_services.timesheet_save(
        actor=cast.designer,
        week_start=WEEK,
        rows=[
            RowIn(job=timeworld.job, hours=hours(4, 4)),
            RowIn(job=timeworld.pitch, billable=False, hours=hours(None, None, 2)),
        ],
        expected_version=None,
    )
    job = timeworld.job
    for category, amount, supplier in (("travel", "500", ""), ("supplier", "3000", "雅昌")):
        services.expense_create(
            actor=cast.ae,
            job=job,
            category=category,
            supplier=supplier,
            incurred_on=date(2026, 11, 12),
            description="x",
            amount=amount,
        )
    issued(job, "8000", by=cast.finance, on=date(2026, 11, 20))
    nike = timeworld.nike_job
    sign_back(nike, cast.ae, "5000")
    Job.objects.filter(pk=nike.pk).update(completed_on=date(2026, 10, 30))
    Expense.objects.create(
        job=nike,
        category=Expense.Category.PHOTOGRAPHY,
        incurred_on=date(2026, 10, 5),
        description="拍摄",
        amount=Decimal("1000"),
        created_by=cast.finance,
    )
    return timeworld


def test_per_job_revenue_follows_the_rule_and_costs_add_up(cast, books):
    rows = {row.job.number: row for row in profitability(cast.finance, group="job", year=2026)}
    haier = rows["HAIER-2026-0001"]
    assert haier.revenue == Decimal("8000.00")
    assert (haier.time_cost, haier.expenses, haier.external_costs) == (
        Decimal("2000.00"),
        Decimal("500.00"),
        Decimal("3000.00"),
    )
    assert haier.margin == Decimal("2500.00") and haier.margin_percent == Decimal("31.3")
    assert rows["HAIER-2026-0002"].revenue == 0
    assert rows["HAIER-2026-0002"].margin == Decimal("-500.00")
    assert rows["NIKE-2026-0001"].revenue == Decimal("5000.00")
    assert rows["NIKE-2026-0001"].margin == Decimal("4000.00")
    assert totals(list(rows.values())).margin == Decimal("6000.00")
    assert profitability(cast.finance, group="job", year=2025) == []


def test_per_client_and_per_month(cast, books):
    clients = {row.label: row for row in profitability(cast.gm, group="client", year=2026)}
    assert clients["HAIER"].revenue == Decimal("8000.00")
    assert clients["HAIER"].cost == Decimal("6000.00")
    assert clients["NIKE"].margin == Decimal("4000.00")
    months = {row.label: row for row in profitability(cast.admin, group="month", year=2026)}
    assert months["2026-10"].revenue == Decimal("5000.00")
    assert months["2026-10"].cost == Decimal("1000.00")
    assert months["2026-11"].revenue == Decimal("8000.00")
    assert months["2026-11"].hours == Decimal("10")
    only = profitability(cast.finance, group="month", year=2026, company=books.job.company_id)
    assert [row.label for row in only] == ["2026-11"]


def test_an_ad_sees_only_their_clients(cast, clientele, books):
    rows = profitability(cast.ad, group="client", year=2026)
    assert [row.label for row in rows] == ["HAIER"]
    assert (
        profitability(cast.ad, group="client", year=2026, company=clientele.other_company.pk) == []
    )


def test_a_credit_note_reduces_revenue(cast, books):
    invoice = issued(books.job, "100", number="INV-2", by=cast.finance, on=date(2026, 11, 21))
    issued(
        books.job,
        "-100",
        kind="credit_note",
        number="CN-1",
        by=cast.finance,
        of=invoice,
        on=date(2026, 11, 22),
    )
    rows = {row.label: row for row in profitability(cast.finance, group="client", year=2026)}
    assert rows["HAIER"].revenue == Decimal("8000.00")


def test_the_page_states_the_rule_and_who_may_see_it(cast, clientele, books, login):
    url = reverse("finance:profitability") + "?group=client&year=2026"
    page = login(cast.finance).get(url)
    assert page.status_code == 200 and b'data-testid="profit-rule"' in page.content
    assert page.content.decode().count('data-testid="profit-row"') == 2
    ad_page = login(cast.ad).get(url).content.decode()
    assert ad_page.count('data-testid="profit-row"') == 1 and "NIKE" not in ad_page
    for who in (cast.ae, cast.designer, clientele.other_ae):
        assert login(who).get(url).status_code == 403
    # Client users never reach staff pages at all.
    assert login(cast.client).get(url).status_code == 404


def test_the_export_has_the_rows_shown(cast, books, login):
    url = reverse("finance:profitability") + "?group=job&year=2026&export=xlsx"
    response = login(cast.finance).get(url)
    rows = list(load_workbook(BytesIO(response.content)).active.iter_rows(values_only=True))
    assert len(rows) == 4
    by_label = {row[0]: row for row in rows[1:]}
    nike = next(row for label, row in by_label.items() if label.startswith("NIKE"))
    assert nike[2] == 5000 and nike[8] == 4000


@pytest.mark.parametrize("count", [2, 20])
@pytest.mark.parametrize(("group", "queries"), [("job", 17), ("client", 17), ("month", 16)])
def test_the_page_reads_a_fixed_number_of_queries(
    cast, clientele, books, login, django_assert_num_queries, count, group, queries
):
    for n in range(count):
        job = JobFactory(company=clientele.company, owner=cast.ae, number=f"HAIER-B-{n}")
        TimeEntry.objects.create(
            timesheet=books.job.time_entries.first().timesheet,
            user=cast.designer,
            job=job,
            day=date(2026, 11, 9),
            hours=Decimal("0.5"),
            hourly_cost=Decimal("100"),
        )
    client = login(cast.finance)
    with django_assert_num_queries(queries):
        page = client.get(reverse("finance:profitability") + f"?group={group}&year=2026")
    assert page.status_code == 200
