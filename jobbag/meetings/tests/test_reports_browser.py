"""In Chromium, in Chinese: the AE writes the report of a phone call with a decision and
three actions (one owned by the client's contact) and sends it; the client user
acknowledges it in the portal, and the AE sees the acknowledgement."""

from datetime import timedelta

import pytest
from django.utils import timezone

from jobbag.meetings.models import Action, ContactReport, ReportReceipt

pytestmark = pytest.mark.browser


def sign_in(page, username: str, password: str, landing: str) -> None:
    page.context.clear_cookies()
    page.goto("/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    page.get_by_test_id("login-submit").click()
    page.get_by_test_id(landing).wait_for()


def test_the_ae_sends_a_call_report_and_the_client_acknowledges_it(
    page, cast, clientele, loop, password, mailoutbox
):
    # Two shared cores under load: the first pages (imports, templates) may be slow.
    page.set_default_timeout(30_000)
    sign_in(page, "ae", password, "home-title")
    page.goto("/meetings/reports/")
    page.get_by_test_id("report-new").click()
    page.select_option("[name=source]", "phone")
    page.select_option("[name=company]", str(clientele.company.pk))
    when = timezone.localtime() - timedelta(hours=1)
    page.fill("[name=occurred_at]", when.strftime("%Y-%m-%dT%H:%M"))
    page.fill("[name=subject]", "电话沟通：冰箱新品上市")
    page.select_option("[name=contacts]", [str(clientele.contact.pk)])
    page.get_by_test_id("report-create-save").click()
    page.get_by_test_id("report-form").wait_for()
    report = ContactReport.objects.get()

    page.fill("[name=discussion]", "客户认可第二套创意方向。")
    page.fill("[name=decisions-0-text]", "采用第二套创意方向")
    due = (timezone.localdate() + timedelta(days=5)).isoformat()
    rows = [
        ("提交修改稿", "agency", "owner", cast.ae.pk),
        ("确认预算", "client", "owner_contact", clientele.contact.pk),
        ("安排拍摄档期", "agency", "owner", cast.ad.pk),
    ]
    for index, (text, side, field, owner) in enumerate(rows):
        page.fill(f"[name=actions-{index}-text]", text)
        page.select_option(f"[name=actions-{index}-side]", side)
        page.select_option(f"[name=actions-{index}-{field}]", str(owner))
        page.fill(f"[name=actions-{index}-due_on]", due)
    page.get_by_test_id("report-save").click()
    page.get_by_test_id("report-title").wait_for()
    assert page.get_by_test_id("report-action").count() == 3
    assert page.get_by_test_id("report-decision").inner_text() == "采用第二套创意方向"

    page.get_by_test_id("report-send").click()
    page.get_by_test_id("report-hash").wait_for()
    assert page.get_by_test_id("report-status").get_attribute("data-status") == "sent"
    report.refresh_from_db()
    assert report.status == "sent"
    assert set(Action.objects.filter(report=report).values_list("status", flat=True)) == {"open"}
    assert page.get_by_test_id("report-edit").count() == 0
    assert all(m.attachments[0][1].startswith(b"%PDF") for m in mailoutbox)

    sign_in(page, "client", password, "portal-company-name")
    page.goto("/portal/reports/")
    page.get_by_role("link", name="电话沟通：冰箱新品上市").click()
    page.get_by_test_id("portal-report-title").wait_for()
    assert page.get_by_test_id("portal-report-action").count() == 3
    page.get_by_test_id("portal-report-acknowledge").click()
    page.get_by_test_id("portal-report-acknowledged").wait_for()
    receipt = ReportReceipt.objects.get(report=report, contact=clientele.contact)
    assert receipt.acknowledged_by == cast.client

    sign_in(page, "ae", password, "home-title")
    page.goto(f"/meetings/reports/{report.pk}/")
    acknowledged = page.locator("[data-testid=report-receipt][data-acknowledged='1']")
    assert acknowledged.count() == 1
    assert "孙丽" in acknowledged.inner_text()
