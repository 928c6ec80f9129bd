"""In Chromium, in Chinese: Finance makes an invoice from the job's signed quote, sees
VAT 6% added and the culture-construction fee 3% borne by the agency, issues it (its
number shown), records two partial payments, and the ageing page shows the invoice in
the 1–30 days bucket as of a day before the first payment and nothing owed as of today."""

from datetime import timedelta

import pytest
from django.utils import timezone

from jobbag.finance.models import Invoice
from jobbag.finance.tests.conftest_billing import billing_fixture  # noqa: F401

pytestmark = pytest.mark.browser


def sign_in(page, username: str, password: str) -> None:
    page.context.clear_cookies()
    page.goto("/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    page.get_by_test_id("login-submit").click()
    page.get_by_test_id("home-title").wait_for()


def test_finance_invoices_a_signed_quote_is_paid_in_two_parts_and_ageing_moves(
    page, cast, billing, password
):
    today = timezone.localdate()
    issued_on = today - timedelta(days=50)  # Due 30 days later: 20 days ago.
    page.set_default_timeout(60_000)
    sign_in(page, "finance", password)

    page.goto(f"/jobs/{billing.job.pk}/")
    page.get_by_test_id("job-invoice-new").click()
    page.get_by_test_id("invoice-new-title").wait_for()
    page.get_by_test_id("from-quote-submit").click()
    page.get_by_test_id("invoice-title").wait_for()
    taxes = page.get_by_test_id("invoice-totals").inner_text()
    assert "增值税 6.00%" in taxes and "¥600.00" in taxes
    assert "文化事业建设费 3.00%" in taxes and "¥300.00" in taxes
    assert page.get_by_test_id("invoice-total").inner_text() == "¥10,600.00"

    form = page.get_by_test_id("invoice-issue-form")
    form.locator("input[name=issue_date]").fill(issued_on.isoformat())
    page.get_by_test_id("invoice-issue").click()
    page.locator("[data-testid=invoice-status][data-status=issued]").wait_for()
    number = f"INV{issued_on.year}-00001"
    assert page.get_by_test_id("invoice-number").inner_text() == number

    for received, amount in [(today - timedelta(days=10), "6000.00"), (today, "4600.00")]:
        pay = page.get_by_test_id("invoice-pay-form")
        pay.locator("input[name=received_on]").fill(received.isoformat())
        pay.locator("input[name=amount]").fill(amount)
        pay.locator("input[name=reference]").fill(f"银行回单 {amount}")
        page.get_by_test_id("invoice-pay").click()
        page.wait_for_load_state()
    page.get_by_test_id("invoice-settled").wait_for()
    assert page.get_by_test_id("invoice-payment").count() == 2
    assert page.get_by_test_id("invoice-outstanding").inner_text() == "¥0.00"

    page.goto("/finance/receivables/")
    page.fill("input[name=as_of]", (today - timedelta(days=15)).isoformat())
    page.get_by_test_id("ageing-submit").click()
    row = page.locator("[data-testid=ageing-row][data-company=HAIER]")
    row.wait_for()
    assert row.locator("[data-bucket='1']").inner_text() == "¥10,600.00"
    assert row.locator("[data-bucket='0']").inner_text() == "—"

    page.fill("input[name=as_of]", today.isoformat())
    page.get_by_test_id("ageing-submit").click()
    page.get_by_test_id("ageing-empty").wait_for()
    invoice = Invoice.objects.get(number=number)
    assert invoice.outstanding == 0 and invoice.settled_on == today
