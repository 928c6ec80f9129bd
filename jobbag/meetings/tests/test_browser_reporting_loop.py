"""The reporting loop end to end in Chromium, in Chinese: the AE schedules a meeting with
HAIER and sends its agenda; writes the meeting's contact report with a decision and three
actions (one owned by the client's 孙丽) and sends it; the client acknowledges it in the
portal; an action left open past its date escalates to the AD; Monday's draft weekly
report lists the open actions and the quote waiting for the client's signature, and the
AE sends it as a PDF."""

from datetime import datetime, time, timedelta

import pytest
from django.db import transaction
from django.utils import timezone

from jobbag.bench.ops_status_reports import approvals_pending_make
from jobbag.calendar.services import add_working_days
from jobbag.core.models import Notification
from jobbag.meetings.models import Action, ContactReport, Meeting, ReportReceipt, StatusReport
from jobbag.meetings.sweeps.actions import remind_actions_due
from jobbag.meetings.sweeps.status_reports import weekly_reports_draft

pytestmark = pytest.mark.browser


def sign_in(page, username: str, password: str) -> None:
    page.context.clear_cookies()
    page.goto("/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    page.get_by_test_id("login-submit").click()
    page.wait_for_load_state()


def next_monday_morning() -> datetime:
    today = timezone.localdate()
    monday = today + timedelta(days=7 - today.weekday())
    return timezone.make_aware(datetime.combine(monday, time(9)))


def test_a_meeting_becomes_a_report_actions_and_the_weekly_report(
    page, cast, clientele, loop, password, mailoutbox
):
    # Rendering PDFs on two busy cores takes a while.
    page.context.set_default_timeout(60_000)
    start = timezone.localtime(timezone.now() + timedelta(days=1)).replace(
        hour=10, minute=0, second=0, microsecond=0
    )

    # The AE schedules the meeting and sends its agenda.
    sign_in(page, "ae", password)
    page.goto("/meetings/")
    page.get_by_test_id("meeting-new").click()
    page.select_option("select[name=company]", str(clientele.company.pk))
    page.get_by_test_id("meeting-pick-continue").click()
    page.fill("[name=purpose]", "冰箱新品上市推进会")
    page.select_option("select[name=job]", str(loop.job.pk))
    page.fill("[name=starts_at]", start.strftime("%Y-%m-%dT%H:%M"))
    page.fill("[name=ends_at]", (start + timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M"))
    page.select_option("select[name=attendees-1-person]", f"c:{clientele.contact.pk}")
    page.fill("[name=agenda-0-title]", "上市时间表")
    page.select_option("select[name=agenda-0-owner]", f"u:{cast.ae.pk}")
    page.get_by_test_id("meeting-save").click()
    page.get_by_test_id("meeting-send-agenda").click()
    page.locator(".msg-success").wait_for()
    meeting = Meeting.objects.get()
    assert meeting.status == Meeting.Status.AGENDA_SENT
    assert "sunli@haier.example" in {m.to[0] for m in mailoutbox}

    # Its contact report: one decision, three actions, one of them the client's.
    page.get_by_test_id("meeting-write-report").click()
    page.get_by_test_id("report-create-save").click()
    page.get_by_test_id("report-form").wait_for()
    page.fill("[name=discussion]", "双方确认上市节奏。")
    page.fill("[name=decisions-0-text]", "12月8日上市")
    due = add_working_days(timezone.localdate(), 2)
    rows = [
        ("提交发布会方案", "agency", "owner", cast.ae.pk),
        ("确认场地预算", "client", "owner_contact", clientele.contact.pk),
        ("预订拍摄档期", "agency", "owner", cast.ae.pk),
    ]
    for index, (text, side, field, owner) in enumerate(rows):
        page.fill(f"[name=actions-{index}-text]", text)
        page.select_option(f"[name=actions-{index}-side]", side)
        page.select_option(f"[name=actions-{index}-{field}]", str(owner))
        page.fill(f"[name=actions-{index}-due_on]", due.isoformat())
    page.get_by_test_id("report-save").click()
    page.get_by_test_id("report-send").click()
    page.get_by_test_id("report-hash").wait_for()
    report = ContactReport.objects.get(meeting=meeting)
    assert report.status == ContactReport.Status.SENT
    assert report.actions.filter(status=Action.Status.OPEN).count() == 3

    # A sent report has no edit button, and its edit page sends you back to the report.
    assert page.get_by_test_id("report-edit").count() == 0
    page.goto(f"/meetings/reports/{report.pk}/edit/")
    assert page.url.endswith(f"/meetings/reports/{report.pk}/")
    assert page.get_by_test_id("report-form").count() == 0

    # The client acknowledges it in the portal.
    sign_in(page, "client", password)
    page.goto(f"/portal/reports/{report.pk}/")
    page.get_by_test_id("portal-report-acknowledge").click()
    page.get_by_test_id("portal-report-acknowledged").wait_for()
    assert ReportReceipt.objects.get(report=report, contact=clientele.contact).acknowledged_at

    # Days later one action is done and two are still open: they escalate to the AD.
    done = report.actions.get(text="预订拍摄档期")
    Action.objects.filter(pk=done.pk).update(
        status=Action.Status.DONE, closed_at=timezone.now(), closed_by=cast.ae
    )
    # Sweeps run in a transaction each, as the scheduler's task runs them.
    with transaction.atomic():
        assert remind_actions_due(today=add_working_days(due, 2))["escalated"] == 2
    sign_in(page, "ad", password)
    page.goto("/notifications/")
    assert "提交发布会方案" in page.locator("main").inner_text()
    assert Notification.objects.filter(recipient=cast.ad, message__contains="确认场地预算").exists()

    # A quote waits for the client's signature; Monday's sweep drafts the weekly report.
    approvals_pending_make(jobs=[loop.job], client_side=[True], submitted_by=cast.ae)
    with transaction.atomic():
        weekly_reports_draft(now=next_monday_morning())
    weekly = StatusReport.objects.get(company=clientele.company)

    sign_in(page, "ae", password)
    page.goto(f"/meetings/status-reports/{weekly.pk}/")
    assert page.get_by_test_id("status-report-action").count() == 2
    listed = page.locator("main").inner_text()
    assert "提交发布会方案" in listed and "确认场地预算" in listed and "预订拍摄档期" not in listed
    assert loop.job.title in page.get_by_test_id("status-report-signoffs-client").inner_text()
    page.get_by_test_id("status-report-send").click()
    page.get_by_test_id("status-report-frozen").wait_for()
    weekly.refresh_from_db()
    assert weekly.is_sent
    sent = [m for m in mailoutbox if m.attachments and "sunli@haier.example" in m.to]
    attachments = [attachment for m in sent for attachment in m.attachments]
    assert any(name.endswith(".pdf") and body[:4] == b"%PDF" for name, body, _ in attachments)
    pdf = page.request.get(f"/meetings/status-reports/{weekly.pk}/pdf/")
    assert pdf.status == 200 and pdf.body()[:4] == b"%PDF"
