"""In Chromium, in Chinese: the designer logs her week on two jobs in the grid (one
billable, one pitch not billable) and sends it; her department head approves it from the
team page; the week is locked (read-only); the AE sees the hours at cost in the job's
costing panel."""

import pytest
from django.urls import reverse
from django.utils import translation

from jobbag.finance.models import Timesheet
from jobbag.finance.tests.conftest_time import timeworld_fixture  # noqa: F401

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


def test_a_week_is_logged_approved_locked_and_costed(page, cast, timeworld, password):
    # Two shared cores under load: give each step more than the fixture's 10 s.
    page.set_default_timeout(60_000)
    sign_in(page, "designer", password)
    page.get_by_role("link", name=chinese("My time")).first.click()
    grid = page.get_by_test_id("week-grid")
    grid.wait_for()

    blank = page.get_by_test_id("week-row-blank")
    first, second = blank.nth(0), blank.nth(1)
    first.get_by_test_id("row-job").select_option(str(timeworld.job.pk))
    cells = first.get_by_test_id("cell")
    cells.nth(0).fill("8")
    # Keyboard: Tab goes to Tuesday's cell of the same row.
    page.keyboard.press("Tab")
    page.keyboard.type("7.5")
    second.get_by_test_id("row-job").select_option(str(timeworld.pitch.pk))
    second.get_by_test_id("row-billable").uncheck()
    second.get_by_test_id("cell").nth(2).fill("4")
    page.get_by_test_id("week-save").click()
    page.get_by_test_id("week-total").filter(has_text="19.5").wait_for()
    assert page.get_by_test_id("week-row").count() == 2

    page.get_by_test_id("week-submit").click()
    page.get_by_test_id("week-read-only").wait_for()
    sheet = Timesheet.objects.get(user=cast.designer)
    assert sheet.signoff_status == "submitted"

    sign_in(page, "design_head", password)
    page.get_by_role("link", name=chinese("Team time")).first.click()
    page.get_by_test_id("team-table").get_by_role("link", name="陈静").click()
    page.get_by_test_id("timesheet-approve").click()
    page.locator("[data-testid=timesheet-status][data-status=approved]").wait_for()

    sign_in(page, "designer", password)
    page.get_by_role("link", name=chinese("My time")).first.click()
    page.get_by_test_id("week-locked").wait_for()
    assert page.get_by_test_id("cell").count() == 0
    assert page.get_by_test_id("week-save").count() == 0
    sheet.refresh_from_db()
    assert sheet.locked_at is not None

    sign_in(page, "ae", password)
    page.goto(reverse("jobs:detail", args=[timeworld.job.pk]))
    panel = page.get_by_test_id("costing-panel")
    assert "15.5" in panel.get_by_test_id("costing-hours").inner_text()
    assert "¥3,875.00" in panel.get_by_test_id("costing-time-cost").inner_text()
