"""In Chromium, in Chinese: QC checks the items of an acceptance in place (htmx), a
failed item is fixed and checked again, and the AE sends the acceptance for sign-off."""

import pytest
from django.utils import translation

from jobbag.jobs.models import Acceptance
from jobbag.jobs.tests.test_acceptance import dispatch, new_acceptance, qc_ready

pytestmark = pytest.mark.browser


def chinese(text: str) -> str:
    with translation.override("zh-hans"):
        return translation.gettext(text)


def sign_in(page, username: str, password: str) -> None:
    page.goto("/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    page.get_by_test_id("login-submit").click()
    page.get_by_test_id("home-title").wait_for()


def test_qc_checks_items_in_place_and_the_ae_sends_the_acceptance(page, cast, chain, password):
    qc_ready(chain)
    dispatch(chain)
    acceptance = new_acceptance(cast, chain)
    card = f"#acceptance-{acceptance.pk}"

    sign_in(page, "qc_head", password)
    page.goto(f"/jobs/acceptances/{acceptance.pk}/")
    rows = page.locator(f"{card} [data-testid=acceptance-item]")
    rows.nth(0).locator("input[name=remark]").fill("画面破损")
    rows.nth(0).get_by_test_id("check-fail").click()
    page.locator(f"{card} [data-testid=acceptance-item][data-result=failed]").wait_for()
    rows.nth(1).get_by_test_id("check-pass").click()
    page.locator(f"{card} [data-testid=acceptance-item][data-result=passed]").wait_for()
    # Fixed, and checked again.
    rows.nth(0).get_by_test_id("check-pass").click()
    page.wait_for_function(f"document.querySelectorAll('{card} [data-result=passed]').length === 2")
    assert "画面破损" not in page.locator(card).inner_text()

    page.context.clear_cookies()
    sign_in(page, "ae", password)
    page.goto(f"/jobs/acceptances/{acceptance.pk}/")
    page.get_by_test_id("acceptance-submit").click()
    page.get_by_test_id("acceptance-approval").wait_for()

    assert page.get_by_test_id("acceptance-status").get_attribute("data-status") == "submitted"
    assert Acceptance.objects.get().signoff_status == "submitted"
    page.get_by_role("link", name=chinese("Job summaries")).click()
    page.get_by_role("heading", name=chinese("Job summaries due")).wait_for()
