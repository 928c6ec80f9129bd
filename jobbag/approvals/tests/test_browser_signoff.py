"""In Chromium, in Chinese: the department head signs a quote from the inbox, the client
signs it in the portal, and the evidence page shows both decisions."""

import pytest
from django.utils import translation

from jobbag.approvals.models import Approval, Decision
from jobbag.jobs.models import QuoteVersion

pytestmark = pytest.mark.browser


def sign_in(page, username: str, password: str) -> None:
    page.goto("/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    page.get_by_test_id("login-submit").click()
    page.wait_for_load_state()


def sign_out(page) -> None:
    with page.expect_navigation():
        page.locator("form[action='/accounts/logout/'] button").click()


def test_the_head_then_the_client_sign_a_quote(page, chain, cast, submitted, password):
    # The snapshot is rendered at submission, in the language then active: pin Chinese.
    with translation.override("zh-hans"):
        quote, approval = submitted("30000")

    sign_in(page, "dcs", password)
    page.goto("/signoff/")
    page.get_by_test_id("inbox-row").wait_for()
    page.get_by_test_id("inbox-link").click()
    page.get_by_test_id("decision-form").wait_for()
    page.select_option("select[name=outcome]", "approve")
    page.get_by_test_id("decision-submit").click()
    page.locator("[data-testid=evidence-decision][data-method=in_app]").wait_for()
    assert page.get_by_test_id("decision-form").count() == 0
    sign_out(page)

    sign_in(page, "client", password)
    page.goto("/portal/signoffs/")
    page.get_by_test_id("portal-signoff-link").click()
    page.get_by_test_id("portal-snapshot").wait_for()
    assert "¥30,000.00" in page.get_by_test_id("portal-snapshot").inner_text()
    page.check("input[name=outcome][value=approve]")
    page.get_by_test_id("portal-decision-submit").click()
    page.get_by_test_id("portal-decisions").wait_for()
    assert page.get_by_test_id("portal-signoff-status").get_attribute("data-status") == "approved"
    sign_out(page)

    sign_in(page, "ae", password)
    page.goto(f"/signoff/{approval.pk}/")
    decisions = page.get_by_test_id("evidence-decision")
    decisions.first.wait_for()
    assert decisions.count() == 2
    assert [decisions.nth(i).get_attribute("data-method") for i in range(2)] == [
        Decision.Method.IN_APP,
        Decision.Method.PORTAL,
    ]
    assert page.get_by_test_id("evidence-status").get_attribute("data-status") == "approved"
    assert page.get_by_test_id("evidence-verify").get_attribute("data-verified") == "true"
    assert Approval.objects.get(pk=approval.pk).status == Approval.Status.APPROVED
    assert QuoteVersion.objects.get(pk=quote.pk).signed_back_at is not None
