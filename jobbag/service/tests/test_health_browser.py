"""In Chromium, in Chinese: a client with an overdue complaint and no contact for 60 days
shows both flags on the account-health overview and on its own health page; an AE of
another client does not see it (not on the overview, 404 on its page)."""

import pytest
from django.urls import reverse

from jobbag.service.tests.health_fixtures import *  # noqa: F403

pytestmark = pytest.mark.browser


def sign_in(page, username: str, password: str) -> None:
    page.context.clear_cookies()
    page.goto("/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    page.get_by_test_id("login-submit").click()
    page.get_by_test_id("home-title").wait_for()


def test_a_client_with_a_late_complaint_and_no_contact_is_flagged(
    page, health_world, cast, password
):
    page.set_default_timeout(30_000)
    page.set_default_navigation_timeout(30_000)
    haier = health_world.company
    sign_in(page, "ae", password)
    # The home card lists the flagged client; the menu leads to the overview.
    page.locator(f"[data-testid=home-health-row][data-company='{haier.pk}']").wait_for()
    page.goto(reverse("service:health"))
    row = page.locator(f"[data-testid=health-row][data-company='{haier.pk}']")
    row.wait_for()
    assert row.locator("[data-testid=health-badge][data-signal=complaints]").count() == 1
    assert row.locator("[data-testid=health-badge][data-signal=contact]").count() == 1
    assert "HAIER" in row.inner_text()

    row.get_by_test_id("health-link").click()
    page.get_by_test_id("health-title").wait_for()
    signals = page.get_by_test_id("health-signals")
    assert signals.get_attribute("data-signals") == "complaints contact"
    assert page.get_by_test_id("health-complaints").get_attribute("data-flagged") == "true"
    assert page.get_by_test_id("health-contact").get_attribute("data-flagged") == "true"
    assert page.get_by_test_id("health-late-complaint").count() == 1
    assert "60" in page.get_by_test_id("health-last-contact").inner_text()

    # An AE who serves another client sees nothing of HAIER.
    sign_in(page, "other_ae", password)
    page.goto(reverse("service:health"))
    page.get_by_test_id("health-table").wait_for()
    assert page.locator(f"[data-testid=health-row][data-company='{haier.pk}']").count() == 0
    response = page.request.get(reverse("service:health_client", args=[haier.pk]))
    assert response.status == 404
