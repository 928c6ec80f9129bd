"""In Chromium, in Chinese: the Monday sweep drafts HAIER's weekly report; the AE opens
it from the home page, adds a note and sends it; the client reads it in the portal with
the note, the open actions and the sign-off waiting on them."""

import pytest
from django.utils import translation

from jobbag.meetings.models import StatusReport
from jobbag.meetings.sweeps.status_reports import weekly_reports_draft
from jobbag.meetings.tests.test_status_reports_support import (
    MONDAY,
    Scene,
    local,
    scene_build,
)

pytestmark = pytest.mark.browser


@pytest.fixture
def scene(cast, clientele, loop) -> Scene:
    return scene_build(cast, clientele, loop)


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


def test_the_ae_sends_mondays_draft_and_the_client_reads_it(
    page, scene, cast, clientele, password, mailoutbox
):
    weekly_reports_draft(now=local(MONDAY, 8, 30))
    report = StatusReport.objects.get(company=clientele.company)

    sign_in(page, "ae", password)
    page.get_by_test_id("home-status-reports").wait_for()
    page.get_by_test_id("home-status-report").first.get_by_role("link").click()
    page.get_by_test_id("status-report-title").wait_for()
    assert page.get_by_test_id("status-report-status").get_attribute("data-status") == "draft"
    assert page.get_by_test_id("status-report-action").count() == 2
    assert "客户签字" in page.get_by_test_id("status-report-signoffs-client").inner_text()
    pdf = page.request.get(f"/meetings/status-reports/{report.pk}/pdf/", timeout=120_000)
    assert pdf.status == 200 and pdf.body()[:4] == b"%PDF"

    page.get_by_test_id("status-report-edit-note").click()
    page.fill("textarea[name=note]", "发布会筹备顺利，请于周三前确认预算。")
    page.get_by_test_id("status-report-note-save").click()
    page.get_by_test_id("status-report-note-text").wait_for()
    # Sending renders the PDF for each language: slow on a busy machine.
    page.get_by_test_id("status-report-send").click()
    page.get_by_test_id("status-report-frozen").wait_for(timeout=120_000)
    assert page.get_by_test_id("status-report-status").get_attribute("data-status") == "sent"
    assert page.get_by_test_id("status-report-send").count() == 0
    report.refresh_from_db()
    assert report.is_sent and report.note.startswith("发布会筹备顺利")
    assert "sunli@haier.example" in [m.to[0] for m in mailoutbox]

    sign_in(page, "client", password)
    page.get_by_role("link", name=chinese("Weekly reports")).click()
    page.get_by_test_id("portal-status-report-link").click()
    page.get_by_test_id("status-report-title").wait_for()
    assert "请于周三前确认预算" in page.get_by_test_id("status-report-note-text").inner_text()
    assert "确认预算" in page.get_by_test_id("status-report-actions-client").inner_text()
    assert "客户签字" in page.get_by_test_id("status-report-signoffs-client").inner_text()
