"""In Chromium, in Chinese: a client user opens the archive in the portal, sees their
company's signed quote, opens it and downloads its PDF; the admin sees both in the
archive's access log; a user of another company gets 404 for it."""

import pytest
from django.urls import reverse

from jobbag.documents.models import AccessLog

pytestmark = pytest.mark.browser


def sign_in(page, username: str, password: str) -> None:
    page.context.clear_cookies()
    page.goto("/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    page.get_by_test_id("login-submit").click()
    page.wait_for_load_state()


def test_a_client_opens_and_downloads_their_signed_quote(page, cast, quote_document, password):
    page.set_default_timeout(30_000)
    page.set_default_navigation_timeout(30_000)
    sign_in(page, "client", password)
    page.goto("/portal/")
    page.locator(f"a[href='{reverse('portal:archive')}']").first.click()
    row = page.locator(f"[data-testid=portal-archive-row][data-document='{quote_document.pk}']")
    row.wait_for()
    assert quote_document.title in row.inner_text()
    row.get_by_test_id("portal-archive-link").click()
    page.get_by_test_id("portal-archive-content").wait_for()
    assert page.get_by_test_id("portal-archive-title").inner_text() == quote_document.title

    with page.expect_download() as download:
        page.get_by_test_id("portal-archive-pdf").click()
    assert download.value.suggested_filename == f"{quote_document.number}.pdf"
    assert [(log.action, log.outcome) for log in AccessLog.objects.order_by("at", "pk")] == [
        ("view", "allowed"),
        ("download", "allowed"),
    ]

    sign_in(page, "admin", password)
    page.goto(reverse("documents:access_log"))
    entries = page.locator("[data-testid=access-row][data-outcome=allowed]")
    entries.first.wait_for()
    assert entries.count() == 2
    assert "客户甲" in entries.first.inner_text()
    assert page.locator("[data-testid=access-row][data-action=download]").count() == 1

    sign_in(page, "outsider", password)
    response = page.request.get(reverse("portal:archive_detail", args=[quote_document.pk]))
    assert response.status == 404
    page.goto(reverse("portal:archive"))
    page.get_by_test_id("portal-archive-empty").wait_for()
