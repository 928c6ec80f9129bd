"""In Chromium, in Chinese: a client complains in the portal, the AD assigns it, it
escalates when late (the sweep run at a later hour), the assignee answers and resolves
it, records the return visit, and the client confirms in the portal: it is closed."""

from datetime import timedelta

import pytest
from django.utils import timezone

from jobbag.service.models import Complaint
from jobbag.service.sweeps import escalate_complaints

pytestmark = pytest.mark.browser


def sign_in(page, username: str, password: str) -> None:
    page.context.clear_cookies()
    page.goto("/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    page.get_by_test_id("login-submit").click()
    page.wait_for_load_state()


def test_a_complaint_runs_from_the_portal_to_closure(page, cast, service, password):
    # Two shared cores: give slow page loads more room than the default ten seconds.
    page.set_default_timeout(30_000)
    page.set_default_navigation_timeout(30_000)
    sign_in(page, "client", password)
    page.goto("/portal/complaints/")
    page.get_by_test_id("portal-complaint-new").click()
    page.select_option("[name=category]", str(service.category.pk))
    page.fill("[name=subject]", "新品海报延误")
    page.fill("[name=description]", "约定周一交付的海报至今未到。")
    page.get_by_test_id("portal-complaint-save").click()
    page.get_by_test_id("portal-complaint-title").wait_for()
    complaint = Complaint.objects.get()
    assert complaint.channel == "portal" and complaint.status == "new"

    sign_in(page, "ad", password)
    page.goto(f"/service/complaints/{complaint.pk}/")
    page.select_option("[data-testid=move-assign] [name=assignee]", str(cast.ae.pk))
    page.get_by_test_id("move-assign-submit").click()
    page.get_by_test_id("complaint-status").wait_for()
    assert page.get_by_test_id("complaint-status").get_attribute("data-status") == "assigned"

    # Days later nobody has answered: the hourly sweep escalates it to the AD.
    assert escalate_complaints(now=timezone.now() + timedelta(days=3)) == 1
    page.reload()
    assert page.get_by_test_id("complaint-escalated").get_attribute("data-level") == "1"

    sign_in(page, "ae", password)
    page.goto(f"/service/complaints/{complaint.pk}/")
    page.fill("[data-testid=move-answer] [name=answer]", "已致电客户，正在加急印刷。")
    page.get_by_test_id("move-answer-submit").click()
    page.get_by_test_id("move-resolve").wait_for()
    page.fill("[data-testid=move-resolve] [name=resolution]", "海报已加急送达并经客户验收。")
    page.get_by_test_id("move-resolve-submit").click()
    page.get_by_test_id("move-record_visit").wait_for()
    assert page.get_by_test_id("complaint-status").get_attribute("data-status") == "resolved"
    page.fill("[data-testid=move-record_visit] [name=notes]", "孙丽表示满意，希望下次提前沟通。")
    page.select_option("[data-testid=move-record_visit] [name=satisfied]", "yes")
    page.get_by_test_id("move-record_visit-submit").click()
    page.get_by_test_id("complaint-visit").wait_for()
    assert page.get_by_test_id("complaint-status").get_attribute("data-status") == "revisited"

    sign_in(page, "client", password)
    page.goto(f"/portal/complaints/{complaint.pk}/")
    assert "海报已加急送达" in page.get_by_test_id("portal-complaint-resolution").inner_text()
    page.get_by_test_id("portal-complaint-confirm").click()
    page.wait_for_load_state()
    status = page.get_by_test_id("portal-complaint-status")
    assert status.get_attribute("data-status") == "closed"
    assert status.inner_text() == "已关闭"
    complaint.refresh_from_db()
    assert complaint.status == Complaint.Status.CLOSED and complaint.confirmed_by == cast.client
