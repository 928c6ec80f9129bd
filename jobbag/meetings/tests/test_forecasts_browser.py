"""In Chromium, in Chinese: HAIER's Account Manager enters the year's forecast on one
page, and the GM sees it, totalled by quarter, in the quarterly view."""

from decimal import Decimal

import pytest

from jobbag.accounts.models import Role, ServiceTeamMembership
from jobbag.accounts.tests.factories import staff
from jobbag.meetings.models import Forecast

pytestmark = pytest.mark.browser


def sign_in(page, username: str, password: str) -> None:
    page.context.clear_cookies()
    page.goto("/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    page.get_by_test_id("login-submit").click()
    page.get_by_test_id("home-title").wait_for()


def test_the_am_enters_a_year_and_the_gm_sees_the_quarters(page, cast, clientele, password):
    # The first request loads every app's pages; allow for a machine busy with other work.
    page.set_default_timeout(60_000)
    am = staff("am", Role.AM, full_name="吴芳")
    ServiceTeamMembership.objects.create(user=am, team_role=Role.AM, company=clientele.company)

    sign_in(page, "am", password)
    page.locator("#sidenav a[href='/meetings/forecasts/']").click()
    page.get_by_test_id("forecast-title").wait_for()
    page.select_option("select[name=company]", str(clientele.company.pk))
    page.fill("input[name=year]", "2026")
    page.get_by_test_id("forecast-pick-submit").click()
    page.get_by_test_id("forecast-grid").wait_for()
    assert "海尔集团" in page.get_by_test_id("forecast-entry-title").inner_text()
    for month in range(1, 13):
        page.fill(f"input[name=ad_spend_{month}]", f"{month}0000")
        page.fill(f"input[name=revenue_{month}]", f"{month}000.50")
    page.fill("input[name=note_1]", "春节档投放")
    page.get_by_test_id("forecast-save").click()
    page.locator(".msg-success").wait_for()
    assert page.get_by_test_id("year-ad-spend").inner_text() == "¥780,000.00"
    assert Forecast.objects.filter(company=clientele.company).count() == 12
    assert Forecast.objects.get(month__month=12).revenue == Decimal("12000.50")

    sign_in(page, "gm", password)
    page.goto("/meetings/forecasts/quarterly/?year=2026")
    row = page.locator("[data-testid=forecast-row][data-company=HAIER][data-figure=ad_spend]")
    cells = row.locator("td").all_inner_texts()
    # Q1 = 10000 + 20000 + 30000; the year at the end.
    assert cells[1:] == ["¥60,000.00", "¥150,000.00", "¥240,000.00", "¥330,000.00", "¥780,000.00"]
    revenue = page.locator("[data-testid=forecast-row][data-company=HAIER][data-figure=revenue]")
    assert revenue.locator("td").all_inner_texts()[-1] == "¥78,006.00"
