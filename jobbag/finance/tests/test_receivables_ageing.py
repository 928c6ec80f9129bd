"""Receivables ageing as of any date and the client statement (对账单): buckets by days
past due, only what was outstanding on the day (later allocations and credit notes do
not count), scope, query counts, the .xlsx, the statement's balances and its PDF."""

import shutil
import subprocess
from datetime import timedelta
from decimal import Decimal
from io import BytesIO

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from jobbag.finance.selectors import receivables as selectors
from jobbag.finance.services import billing as services
from jobbag.finance.services.payments import payment_record
from jobbag.finance.tests.conftest_billing import (  # noqa: F401
    billing_fixture,
    issued_invoice,
    signed_quote_for,
)
from jobbag.jobs.tests.factories import JobFactory

D = Decimal


def _issued_on(cast, clientele, billing, day, amount="1000.00", company=None):
    job = JobFactory(company=company or clientele.company, owner=cast.ae)
    signed_quote_for(job, [("设计", amount)], billing.profile, cast.ae)
    draft = services.invoice_draft_from_quote(actor=cast.finance, job=job)
    return services.invoice_issue(actor=cast.finance, invoice=draft, issue_date=day)


def test_buckets_follow_days_past_due(cast, clientele, billing):
    today = timezone.localdate()
    # Terms are 30 days: issued 20 days ago is current; 45 → 15 late; 100 → 70 late;
    # 150 → 120 late.
    for days in (20, 45, 100, 150):
        _issued_on(cast, clientele, billing, today - timedelta(days=days))
    result = selectors.ageing(cast.finance, as_of=today)
    (row,) = result.rows
    assert row.buckets == [D("1060.00"), D("1060.00"), D("0.00"), D("1060.00"), D("1060.00")]
    assert row.total == D("4240.00") and result.grand == {"CNY": D("4240.00")}
    assert selectors.bucket_of(today, today) == "current"
    assert selectors.bucket_of(today - timedelta(days=30), today) == "d30"
    assert selectors.bucket_of(today - timedelta(days=31), today) == "d60"
    assert selectors.bucket_of(today - timedelta(days=91), today) == "over90"


def test_only_what_was_outstanding_on_the_day_counts(cast, clientele, billing):
    today = timezone.localdate()
    invoice = _issued_on(cast, clientele, billing, today - timedelta(days=60))
    payment_record(
        actor=cast.finance,
        company=clientele.company,
        received_on=today - timedelta(days=10),
        amount="500",
        allocations=[(invoice, "500")],
    )
    services.invoice_credit(actor=cast.finance, invoice=invoice, reason="折让", net_amount="100")
    before_issue = selectors.ageing(cast.finance, as_of=today - timedelta(days=61))
    assert before_issue.rows == []
    before_payment = selectors.ageing(cast.finance, as_of=today - timedelta(days=11))
    assert before_payment.rows[0].buckets[1] == D("1060.00")
    after_payment = selectors.ageing(cast.finance, as_of=today - timedelta(days=1))
    assert after_payment.rows[0].total == D("560.00")
    now = selectors.ageing(cast.finance, as_of=today)
    assert now.rows[0].total == D("454.00")  # Less the credit note of 106.00.
    payment_record(
        actor=cast.finance,
        company=clientele.company,
        received_on=today,
        amount="454",
        allocations=[(invoice, "454")],
    )
    assert selectors.ageing(cast.finance, as_of=today).rows == []
    assert selectors.ageing(cast.finance, as_of=today - timedelta(days=1)).rows[0].total == D(
        "560.00"
    )


def test_ageing_is_scoped_to_the_users_clients(cast, clientele, billing):
    today = timezone.localdate()
    _issued_on(cast, clientele, billing, today)
    _issued_on(cast, clientele, billing, today, company=clientele.other_company)
    assert {r.company.code for r in selectors.ageing(cast.finance, as_of=today).rows} == {
        "HAIER",
        "NIKE",
    }
    assert [r.company.code for r in selectors.ageing(cast.ae, as_of=today).rows] == ["HAIER"]
    assert selectors.ageing(cast.designer, as_of=today).rows == []


@pytest.mark.parametrize("count", [2, 12])
def test_the_ageing_page_reads_a_fixed_number_of_queries(
    login, cast, clientele, billing, django_assert_num_queries, count
):
    today = timezone.localdate()
    for n in range(count):
        _issued_on(cast, clientele, billing, today - timedelta(days=10 * n))
    client = login(cast.finance)
    url = reverse("finance:ageing")
    with django_assert_num_queries(16):
        response = client.get(f"{url}?as_of={today.isoformat()}&company={clientele.company.pk}")
    page = response.content.decode()
    assert page.count('data-testid="ageing-invoice"') == count
    assert page.count('data-testid="ageing-row"') == 1


def test_the_ageing_page_filters_and_exports(login, cast, clientele, billing):
    today = timezone.localdate()
    _issued_on(cast, clientele, billing, today - timedelta(days=50))
    _issued_on(cast, clientele, billing, today, company=clientele.other_company)
    client = login(cast.finance)
    url = reverse("finance:ageing")
    overdue = client.get(f"{url}?overdue=on").content.decode()
    assert overdue.count('data-testid="ageing-row"') == 1 and 'data-company="HAIER"' in overdue
    response = client.get(f"{url}?as_of={today.isoformat()}&export=xlsx")
    rows = list(load_workbook(BytesIO(response.content)).active.iter_rows(values_only=True))
    assert len(rows) == 3 and rows[1][0].startswith("HAIER")
    assert D(str(rows[1][3])) == D("1060.00")  # 20 days late: the 1–30 bucket.
    assert login(cast.designer).get(url).status_code == 403


def test_the_statement_shows_balances_and_prepayments(cast, clientele, billing):
    today = timezone.localdate()
    start = today - timedelta(days=30)
    earlier = _issued_on(cast, clientele, billing, today - timedelta(days=40))
    payment_record(
        actor=cast.finance,
        company=clientele.company,
        received_on=today - timedelta(days=35),
        amount="300",
        allocations=[(earlier, "300")],
    )
    inside = _issued_on(cast, clientele, billing, today - timedelta(days=5), amount="2000.00")
    services.invoice_credit(actor=cast.finance, invoice=inside, reason="折让", net_amount="200")
    payment_record(
        actor=cast.finance,
        company=clientele.company,
        received_on=today,
        amount="1000",
        is_prepayment=True,
        allocations=[(inside, "400")],
    )
    result = selectors.statement(clientele.company, start=start, end=today)
    assert result.opening == D("760.00")
    assert [e.kind for e in result.entries] == ["invoice", "credit_note", "payment"]
    assert result.invoiced == D("2120.00") and result.credited == D("212.00")
    assert result.received == D("1000.00")
    assert result.closing == D("760.00") + D("2120.00") - D("212.00") - D("1000.00")
    assert result.entries[-1].balance == result.closing
    assert result.unallocated == D("600.00")


def test_the_statement_page_and_pdf(login, cast, clientele, billing):
    today = timezone.localdate()
    _issued_on(cast, clientele, billing, today)
    client = login(cast.finance)
    query = f"company={clientele.company.pk}&start={today.replace(day=1)}&end={today}"
    page = client.get(f"{reverse('finance:statement')}?{query}")
    assert page.status_code == 200 and 'data-testid="statement-entry"' in page.content.decode()
    pdf = client.get(f"{reverse('finance:statement')}?{query}&format=pdf")
    assert pdf.content[:4] == b"%PDF"
    if shutil.which("pdftotext"):
        text = subprocess.run(
            ["pdftotext", "-", "-"], input=pdf.content, capture_output=True, check=True
        ).stdout.decode()
        assert "海尔集团" in text
    other = f"company={clientele.other_company.pk}&start={today}&end={today}"
    assert login(cast.ae).get(f"{reverse('finance:statement')}?{other}").status_code in (400, 404)
