"""Invoice pages: the list (fixed queries, filters, .xlsx), a draft from the job's quote,
the invoice page with VAT and the culture fee, issuing, paying and crediting through
the pages, immutability after issue, the PDF with Chinese text, the job panel and the
settings, series and period pages."""

import shutil
import subprocess
from datetime import timedelta
from decimal import Decimal
from io import BytesIO

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from jobbag.finance.models import ClosedPeriod, FinanceSettings, Invoice, InvoiceSeries
from jobbag.finance.services import billing as services
from jobbag.finance.tests.conftest_billing import (  # noqa: F401
    billing_fixture,
    issued_invoice,
    signed_quote_for,
)
from jobbag.jobs.tests.factories import JobFactory

D = Decimal


def _many_invoices(cast, clientele, billing, count: int) -> None:
    for _n in range(count):
        job = JobFactory(company=clientele.company, owner=cast.ae)
        signed_quote_for(job, [("设计", "100.00")], billing.profile, cast.ae)
        draft = services.invoice_draft_from_quote(actor=cast.finance, job=job)
        services.invoice_issue(actor=cast.finance, invoice=draft)


@pytest.mark.parametrize("count", [2, 20])
def test_the_list_reads_a_fixed_number_of_queries(
    login, cast, clientele, billing, django_assert_num_queries, count
):
    _many_invoices(cast, clientele, billing, count)
    client = login(cast.finance)
    with django_assert_num_queries(14):
        response = client.get(reverse("finance:invoice_list"))
    assert response.status_code == 200
    assert response.content.decode().count('data-testid="invoice-row"') == count


def test_account_people_see_only_their_clients_invoices(login, cast, clientele, billing):
    mine = issued_invoice(cast, billing)
    services.invoice_issue(
        actor=cast.finance,
        invoice=services.invoice_draft_from_quote(actor=cast.finance, job=billing.other_job),
    )
    page = login(cast.ae).get(reverse("finance:invoice_list")).content.decode()
    assert mine.number in page and page.count('data-testid="invoice-row"') == 1
    assert (
        login(clientele.other_ae).get(reverse("finance:invoice_detail", args=[mine.pk])).status_code
        == 404
    )
    assert login(cast.designer).get(reverse("finance:invoice_list")).status_code == 403


def test_the_list_exports_what_it_shows(login, cast, billing):
    invoice = issued_invoice(cast, billing)
    response = login(cast.finance).get(reverse("finance:invoice_list") + "?export=xlsx")
    rows = list(load_workbook(BytesIO(response.content)).active.iter_rows(values_only=True))
    assert rows[1][0] == invoice.number and D(str(rows[1][10])) == D("10600.00")


def test_finance_drafts_issues_and_is_paid_through_the_pages(login, cast, billing):
    client = login(cast.finance)
    url = reverse("finance:invoice_new", args=[billing.job.pk])
    page = client.get(url)
    assert page.status_code == 200 and "10,000.00" in page.content.decode()
    response = client.post(url, {"source": "quote", "kind": "percentage", "percentage": "150"})
    assert response.status_code == 400 and not Invoice.objects.exists()
    response = client.post(url, {"source": "quote", "kind": "quote"})
    invoice = Invoice.objects.get()
    assert response.status_code == 302 and response.url == reverse(
        "finance:invoice_detail", args=[invoice.pk]
    )
    detail = client.get(response.url).content.decode()
    assert "增值税 6.00%" in detail and "文化事业建设费 3.00%" in detail
    assert "600.00<" in detail and "300.00<" in detail and "10,600.00" in detail
    issued = client.post(
        reverse("finance:invoice_issue", args=[invoice.pk]),
        {"issue_date": timezone.localdate().isoformat(), "version": invoice.version},
    )
    assert issued.status_code == 302
    invoice.refresh_from_db()
    assert invoice.status == Invoice.Status.ISSUED and invoice.number
    # A second click (the same form posted again) changes nothing.
    client.post(
        reverse("finance:invoice_issue", args=[invoice.pk]),
        {"issue_date": timezone.localdate().isoformat(), "version": 1},
    )
    assert InvoiceSeries.objects.get(pk=billing.series.pk).next_number == 2
    client.post(
        reverse("finance:invoice_pay", args=[invoice.pk]),
        {"received_on": timezone.localdate().isoformat(), "amount": "600", "method": "bank"},
    )
    invoice.refresh_from_db()
    assert invoice.paid_amount == D("600.00")


def test_an_issued_invoice_cannot_be_changed_through_the_pages(login, cast, billing):
    invoice = issued_invoice(cast, billing)
    client = login(cast.finance)
    client.post(
        reverse("finance:invoice_edit", args=[invoice.pk]),
        {"note": "改一下", "version": invoice.version},
    )
    client.post(reverse("finance:invoice_discard", args=[invoice.pk]))
    invoice.refresh_from_db()
    assert invoice.note == "" and invoice.status == Invoice.Status.ISSUED
    page = client.get(reverse("finance:invoice_detail", args=[invoice.pk])).content.decode()
    assert 'data-testid="invoice-issue"' not in page
    assert 'data-testid="invoice-edit-form"' not in page


def test_finance_credits_an_invoice_on_its_page(login, cast, billing):
    invoice = issued_invoice(cast, billing)
    client = login(cast.finance)
    url = reverse("finance:invoice_credit", args=[invoice.pk])
    assert client.post(url, {"reason": ""}).status_code == 400
    response = client.post(url, {"reason": "折让", "net_amount": "1000"})
    note = Invoice.objects.get(kind=Invoice.Kind.CREDIT_NOTE)
    assert response.status_code == 302 and note.total == D("-1060.00")
    assert login(cast.ae).post(url, {"reason": "x"}).status_code == 403


@pytest.mark.parametrize("extra", [0, 3])
def test_the_invoice_page_reads_a_fixed_number_of_queries(
    login, cast, clientele, billing, django_assert_num_queries, extra
):
    invoice = issued_invoice(cast, billing)
    from jobbag.finance.services.payments import payment_record

    for _n in range(extra):
        payment_record(
            actor=cast.finance,
            company=clientele.company,
            received_on=timezone.localdate(),
            amount="10",
            allocations=[(invoice, "10")],
        )
    client = login(cast.finance)
    with django_assert_num_queries(16):
        response = client.get(reverse("finance:invoice_detail", args=[invoice.pk]))
    assert response.content.decode().count('data-testid="invoice-payment"') == extra


def test_the_pdf_carries_the_chinese_text(login, cast, billing):
    invoice = issued_invoice(cast, billing)
    response = login(cast.finance).get(reverse("finance:invoice_pdf", args=[invoice.pk]))
    assert response.status_code == 200 and response.content[:4] == b"%PDF"
    assert response["Cache-Control"] == "private, no-store"
    if shutil.which("pdftotext"):
        text = subprocess.run(
            ["pdftotext", "-", "-"], input=response.content, capture_output=True, check=True
        ).stdout.decode()
        assert "门店POP设计" in text and "海尔集团" in text and invoice.number in text
        assert "增值税" in text


def test_the_job_panel_shows_invoices_and_what_is_left(login, cast, billing):
    services.invoice_draft_from_quote(
        actor=cast.finance, job=billing.job, kind="percentage", percentage="30"
    )
    issued = services.invoice_issue(actor=cast.finance, invoice=Invoice.objects.get())
    page = login(cast.ae).get(reverse("jobs:detail", args=[billing.job.pk])).content.decode()
    assert 'data-testid="job-invoices"' in page and issued.number in page
    assert "7,000.00" in page
    assert 'data-testid="job-invoice-new"' not in page
    finance_page = login(cast.finance).get(reverse("jobs:detail", args=[billing.job.pk]))
    assert 'data-testid="job-invoice-new"' in finance_page.content.decode()


def test_settings_series_and_period_close_pages(login, cast, billing):
    client = login(cast.finance)
    row = FinanceSettings.current()
    response = client.post(
        reverse("finance:billing_settings"),
        {
            "close_day": 20,
            "payment_terms_days": 45,
            "notice_owner_days": 1,
            "notice_marketing_manager_days": 30,
            "notice_gm_days": 60,
            "credit_hold_days": 90,
            "version": row.version,
        },
    )
    assert response.status_code == 302
    assert FinanceSettings.current().close_day == 20
    bad = client.post(reverse("finance:billing_settings"), {"close_day": 31, "version": 2})
    assert bad.status_code == 400 and FinanceSettings.current().close_day == 20
    made = client.post(
        reverse("finance:series_list"),
        {
            "code": "bj",
            "name": "北京",
            "legal_entity": "北京公司",
            "prefix": "BJ{year}-",
            "digits": 5,
            "next_number": 1,
            "is_active": "on",
        },
    )
    assert made.status_code == 302 and InvoiceSeries.objects.filter(code="bj").exists()
    ended = (timezone.localdate() - timedelta(days=60)).strftime("%Y-%m")
    closed = client.post(reverse("finance:periods"), {"period": ended})
    assert closed.status_code == 302 and ClosedPeriod.objects.filter(period=ended).exists()
    for name in ("finance:billing_settings", "finance:series_list", "finance:periods"):
        assert login(cast.ae).get(reverse(name)).status_code == 403


def test_issuing_can_email_the_pdf_to_the_client(
    login, cast, billing, mailoutbox, django_capture_on_commit_callbacks
):
    draft = services.invoice_draft_from_quote(actor=cast.finance, job=billing.job)
    client = login(cast.finance)
    bad = client.post(
        reverse("finance:invoice_issue", args=[draft.pk]),
        {"version": draft.version, "email_to": "not-an-address"},
    )
    assert bad.status_code == 302
    draft.refresh_from_db()
    assert draft.status == Invoice.Status.DRAFT and not mailoutbox
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("finance:invoice_issue", args=[draft.pk]),
            {"version": draft.version, "email_to": "billing@haier.example"},
        )
    draft.refresh_from_db()
    (message,) = mailoutbox
    assert message.to == ["billing@haier.example"] and draft.number in message.subject
    assert message.attachments[0][0] == f"{draft.number}.pdf"


def test_finance_adds_a_retainer_and_drafts_its_month(login, cast, clientele, billing):
    client = login(cast.finance)
    response = client.post(
        reverse("finance:retainer_list"),
        {
            "company": clientele.company.pk,
            "description": "年度服务费",
            "monthly_fee": "20000",
            "starts_on": timezone.localdate().replace(day=1).isoformat(),
        },
    )
    assert response.status_code == 302
    retainer = clientele.company.retainers.get()
    draft_url = reverse("finance:retainer_draft", args=[retainer.pk])
    client.post(draft_url)
    client.post(draft_url)
    assert Invoice.objects.filter(retainer=retainer).count() == 1
    assert login(cast.ae).get(reverse("finance:retainer_list")).status_code == 403


def test_finance_sees_drafts_and_overdue_on_the_home_page(login, cast, billing):
    issued_invoice(cast, billing, issue_date=timezone.localdate() - timedelta(days=40))
    services.invoice_draft_from_quote(actor=cast.finance, job=billing.other_job)
    page = login(cast.finance).get(reverse("core:home")).content.decode()
    assert 'data-testid="home-receivables"' in page
    assert (
        'data-testid="home-receivables"'
        not in login(cast.ae).get(reverse("core:home")).content.decode()
    )
