"""In Chromium, in Chinese: a designer asks to borrow a signed quote, the design head
approves it in the sign-off inbox for three days, the designer opens it, the admin
sees the view in the access log; once the three days are over it is closed again."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from jobbag.documents.models import AccessLog, Borrowing

pytestmark = pytest.mark.browser


def sign_in(page, username: str, password: str) -> None:
    page.context.clear_cookies()
    page.goto("/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    page.get_by_test_id("login-submit").click()
    page.get_by_test_id("home-title").wait_for()


def test_a_designer_borrows_a_signed_quote_for_three_days(
    page, chain, cast, quote_document, password
):
    detail = reverse("documents:archive_detail", args=[quote_document.pk])
    sign_in(page, "designer", password)
    page.goto(reverse("documents:archive"))
    row = page.locator(f"[data-testid=archive-row][data-document='{quote_document.pk}']")
    assert row.get_attribute("data-restricted") == "true"
    row.get_by_role("link").click()
    page.get_by_test_id("archive-restricted-card").wait_for()
    page.get_by_test_id("archive-borrow").click()
    page.fill("[name=reason]", "参考报价格式")
    page.fill("[name=days]", "3")
    page.get_by_test_id("borrow-submit").click()
    page.locator("[data-testid=borrowing-row][data-state=pending]").wait_for()

    sign_in(page, "design_head", password)
    page.goto(reverse("approvals:inbox"))
    page.get_by_test_id("inbox-link").first.click()
    page.get_by_test_id("decision-form").wait_for()
    page.select_option("select[name=outcome]", "approve")
    page.get_by_test_id("decision-submit").click()
    page.locator("[data-testid=evidence-decision][data-outcome=approve]").wait_for()
    borrowing = Borrowing.objects.get()
    assert borrowing.ends_at - borrowing.starts_at == timedelta(days=3)

    sign_in(page, "designer", password)
    page.goto(detail)
    page.get_by_test_id("archive-borrowed").wait_for()
    page.get_by_test_id("archive-view").click()
    page.get_by_test_id("archive-content").wait_for()
    assert AccessLog.objects.get().borrowing == borrowing

    sign_in(page, "admin", password)
    page.goto(reverse("documents:access_log"))
    entry = page.locator("[data-testid=access-row][data-action=view][data-outcome=allowed]")
    entry.wait_for()
    assert "陈静" in entry.inner_text()

    # Three days later the document is closed to the designer again.
    Borrowing.objects.filter(pk=borrowing.pk).update(
        starts_at=timezone.now() - timedelta(days=3, minutes=5),
        ends_at=timezone.now() - timedelta(minutes=5),
    )
    sign_in(page, "designer", password)
    page.goto(detail)
    page.get_by_test_id("archive-restricted-card").wait_for()
    assert page.get_by_test_id("archive-view").count() == 0
