"""In Chromium, in Chinese: the AE schedules a meeting with HAIER with attendees from both
sides and two agenda items, and sends the agenda; 孙丽 (the client user) opens it in the
portal from the menu and proposes a topic, which lands on the agenda."""

from datetime import timedelta

import pytest
from django.utils import timezone, translation

from jobbag.meetings.models import Meeting

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
    page.wait_for_load_state()


def test_an_ae_schedules_a_meeting_and_the_client_proposes_a_topic(
    page, cast, clientele, loop, password, mailoutbox
):
    # Two shared cores run every helper's tests: give a slow first page time.
    page.context.set_default_timeout(30_000)
    start = timezone.localtime(timezone.now() + timedelta(days=2)).replace(
        hour=14, minute=0, second=0, microsecond=0
    )
    sign_in(page, "ae", password)
    page.get_by_role("link", name=chinese("Meetings"), exact=True).click()
    page.get_by_test_id("meeting-new").click()
    page.select_option("select[name=company]", str(clientele.company.pk))
    page.get_by_test_id("meeting-pick-continue").click()

    page.fill("[name=purpose]", "冰箱新品创意提案会")
    page.select_option("select[name=job]", str(loop.job.pk))
    page.fill("[name=starts_at]", start.strftime("%Y-%m-%dT%H:%M"))
    page.fill("[name=ends_at]", (start + timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M"))
    page.fill("[name=room]", "3号会议室")
    assert page.input_value("select[name=attendees-0-person]") == f"u:{cast.ae.pk}"
    page.fill("[name=attendees-0-role]", "客户执行")
    page.select_option("select[name=attendees-1-person]", f"c:{clientele.contact.pk}")
    page.fill("[name=attendees-1-role]", "市场总监")
    page.fill("[name=agenda-0-title]", "第二套创意方向")
    page.select_option("select[name=agenda-0-owner]", f"u:{cast.ae.pk}")
    page.fill("[name=agenda-0-minutes]", "30")
    page.fill("[name=agenda-1-title]", "上市时间")
    page.select_option("select[name=agenda-1-owner]", f"c:{clientele.contact.pk}")
    page.get_by_test_id("meeting-save").click()

    page.get_by_test_id("meeting-title").wait_for()
    meeting = Meeting.objects.get()
    assert page.get_by_test_id("agenda-item").count() == 2
    assert page.get_by_test_id("attendee").count() == 2
    assert page.get_by_test_id("checklist-item").count() == 8
    assert page.get_by_test_id("meeting-status").get_attribute("data-status") == "planned"

    page.get_by_test_id("meeting-send-agenda").click()
    page.locator(".msg-success").wait_for()
    assert page.get_by_test_id("meeting-status").get_attribute("data-status") == "agenda_sent"
    assert page.get_by_test_id("flag-agenda-late").count() == 0
    assert {m.to[0] for m in mailoutbox} == {cast.ae.email, "sunli@haier.example"}

    sign_in(page, "client", password)
    page.get_by_role("link", name=chinese("Meetings"), exact=True).click()
    page.get_by_test_id("portal-meeting-link").click()
    assert page.get_by_test_id("portal-agenda-item").count() == 2
    page.fill("[name=title]", "包装设计反馈")
    page.fill("[name=details]", "请带样品")
    page.get_by_test_id("portal-topic-submit").click()
    page.locator(".msg-success").wait_for()
    assert page.get_by_test_id("portal-agenda-item").count() == 3
    assert "包装设计反馈" in page.get_by_test_id("portal-meeting-agenda").inner_text()

    item = meeting.agenda.get(from_client=True)
    assert item.proposed_by == cast.client
    meeting.refresh_from_db()
    assert meeting.agenda_changed_at is not None
