"""In Chromium, in Chinese: an AE makes the job's quote from the rate card, changes a line
in place (htmx), sends it for sign-off and prints it."""

import pytest

from jobbag.approvals.models import SignoffStatus
from jobbag.jobs.models import QuoteVersion
from jobbag.jobs.tests.test_quotes_helpers import rates

pytestmark = pytest.mark.browser


def test_an_ae_quotes_from_the_rate_card(page, cast, chain, password):
    card = rates()
    page.goto("/accounts/login/")
    page.fill("input[name=username]", "ae")
    page.fill("input[name=password]", password)
    page.get_by_test_id("login-submit").click()
    page.get_by_test_id("home-title").wait_for()

    page.goto(f"/jobs/{chain.job.pk}/")
    page.get_by_test_id("quote-new").click()
    page.get_by_test_id("quote-editor").wait_for()
    quote = QuoteVersion.objects.get(job=chain.job)

    form = page.get_by_test_id("quote-line-form")
    form.locator("select[name=kind]").select_option("time")
    form.locator("select[name=rate_item]").select_option(str(card["rate_items"]["artwork"].pk))
    form.locator("input[name=quantity]").fill("10")
    page.get_by_test_id("quote-line-add").click()
    page.get_by_test_id("quote-line").wait_for()
    assert page.get_by_test_id("quote-total").inner_text() == "¥3,180.00"

    form = page.get_by_test_id("quote-line-form")
    form.locator("select[name=kind]").select_option("external")
    form.locator("input[name=description]").fill("门店POP印刷")
    form.locator("input[name=quantity]").fill("2")
    form.locator("input[name=unit_price]").fill("1000")
    form.locator("input[name=markup_percent]").fill("10")
    page.get_by_test_id("quote-line-add").click()
    page.locator("[data-testid=quote-line]").nth(1).wait_for()
    # 3,000 + 2,200 = 5,200 net; VAT 6% = 312; the culture fee is shown, not added.
    assert page.get_by_test_id("quote-net").inner_text() == "¥5,200.00"
    assert page.get_by_test_id("quote-total").inner_text() == "¥5,512.00"

    page.get_by_test_id("quote-line-edit-link").first.click()
    edit = page.get_by_test_id("quote-line-edit-form")
    edit.locator("input[name=quantity]").fill("20")
    edit.get_by_role("button").first.click()
    page.get_by_test_id("quote-line-edit-form").wait_for(state="detached")
    assert page.get_by_test_id("quote-net").inner_text() == "¥8,200.00"

    page.get_by_test_id("quote-submit").click()
    page.get_by_test_id("quote-evidence").wait_for()
    quote.refresh_from_db()
    assert quote.signoff_status == SignoffStatus.SUBMITTED
    assert page.get_by_test_id("quote-status").get_attribute("data-status") == "submitted"
    assert page.get_by_test_id("quote-line-form").count() == 0
