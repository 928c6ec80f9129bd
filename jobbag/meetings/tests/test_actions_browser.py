"""In Chromium, in Chinese: the AE finds an overdue action on "my actions", marked as
overdue, and closes it with one click; the row shows it done without a reload."""

from datetime import timedelta

import pytest
from django.utils import timezone, translation

from jobbag.meetings.models import Action
from jobbag.meetings.tests.factories import ActionFactory

pytestmark = pytest.mark.browser


def chinese(text) -> str:
    with translation.override("zh-hans"):
        return str(translation.gettext(str(text)))


def sign_in(page, username: str, password: str) -> None:
    page.context.clear_cookies()
    page.goto("/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    page.get_by_test_id("login-submit").click()
    page.get_by_test_id("home-title").wait_for()


def test_an_ae_closes_an_overdue_action_from_my_actions(page, cast, clientele, password):
    late = ActionFactory(
        company=clientele.company,
        owner=cast.ae,
        text="把修改后的海报发给客户",
        due_on=timezone.localdate() - timedelta(days=3),
    )
    ActionFactory(company=clientele.company, owner=cast.ae, text="准备下周提案")
    # Two shared cores under load: give each step more than the fixture's 10 s.
    page.set_default_timeout(60_000)
    sign_in(page, "ae", password)
    page.get_by_test_id("home-actions").wait_for()
    page.get_by_role("link", name=chinese("My actions")).first.click()
    page.get_by_test_id("my-actions-title").wait_for()

    row = page.locator(f"#action-{late.pk}")
    assert row.get_attribute("data-overdue") == "1"
    assert row.get_by_test_id("action-overdue").is_visible()
    assert page.get_by_test_id("action-row").first.get_attribute("data-action") == str(late.pk)

    row.get_by_test_id("action-quick-close").click()
    page.locator(f"#action-{late.pk} [data-status=done]").wait_for()
    assert page.locator(f"#action-{late.pk}").get_attribute("data-overdue") is None
    late.refresh_from_db()
    assert late.status == Action.Status.DONE and late.closed_by == cast.ae
    assert "王小明" in page.locator(f"#action-{late.pk}").inner_text()
