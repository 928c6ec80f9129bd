"""In a real Chromium, in Chinese: an AE logs a visit with a next step on a client's
contact log page, then finds it in their daily report and hands the report in."""

from datetime import timedelta

import pytest
from django.utils import timezone, translation

from jobbag.clients.models import ContactLogEntry
from jobbag.fieldwork.models import DailyReport, ReportStatus
from jobbag.fieldwork.tests.helpers import chain

pytestmark = pytest.mark.browser


def chinese(text: str) -> str:
    """`text` as the Chinese interface shows it (itself until the catalog is compiled)."""
    with translation.override("zh-hans"):
        return translation.gettext(text)


def test_an_ae_logs_a_visit_and_sees_it_in_the_daily_report(page, cast, clientele, password):
    chain(cast)
    page.goto("/accounts/login/")
    page.fill("input[name=username]", "ae")
    page.fill("input[name=password]", password)
    page.get_by_test_id("login-submit").click()
    page.get_by_test_id("home-title").wait_for()
    assert page.get_attribute("html", "lang") == "zh-hans"

    page.goto(f"/clients/{clientele.company.pk}/log/")
    form = page.get_by_test_id("log-form")
    # A few minutes ago, and today still: the report lists the day's visits.
    when = max(
        timezone.localtime() - timedelta(minutes=5),
        timezone.localtime().replace(hour=0, minute=1),
    )
    form.locator("input[name=occurred_at]").fill(when.strftime("%Y-%m-%dT%H:%M"))
    form.get_by_label("孙丽").check()
    form.locator("textarea[name=discussed]").fill("讨论春季冰箱新品的广告计划")
    form.locator("textarea[name=next_step]").fill("周五前发送媒介排期")
    due = timezone.localdate() + timedelta(days=3)
    form.locator("input[name=next_step_due]").fill(due.isoformat())
    page.get_by_test_id("log-submit").click()
    page.get_by_test_id("log-entry").first.wait_for()
    assert "周五前发送媒介排期" in page.get_by_test_id("next-step").first.inner_text()
    entry = ContactLogEntry.objects.get()
    assert entry.next_step_due == due and list(entry.contacts.all()) == [clientele.contact]

    page.get_by_role("link", name=chinese("My day")).first.click()
    page.get_by_test_id("my-day-title").wait_for()
    items = page.get_by_test_id("report-items")
    assert "讨论春季冰箱新品的广告计划" in items.inner_text()
    assert "周五前发送媒介排期" in items.inner_text()

    report_form = page.get_by_test_id("report-form")
    report_form.locator("textarea[name=summary]").fill("拜访海尔，确认春季推广方向")
    report_form.locator("textarea[name=plan]").fill("准备媒介排期")
    page.get_by_test_id("report-submit").click()
    page.get_by_test_id("report-status").wait_for()
    assert page.get_by_test_id("report-status").inner_text() == chinese("Submitted")
    report = DailyReport.objects.get(staff=cast.ae)
    assert report.status == ReportStatus.SUBMITTED and report.visits == 1

    # Once in English: the same day, as the AE reads it.
    with page.expect_navigation():
        page.get_by_test_id("language-select").select_option("en")
    page.get_by_test_id("my-day-title").wait_for()
    assert page.get_by_test_id("report-status").inner_text() == "Submitted"
