"""In Chromium, in Chinese: an AE takes a job from the menu, confirms the brief reviewed
and the job gets its number; the list finds it by that number."""

from datetime import date

import pytest
from django.utils import translation

from jobbag.jobs.models import Job, Stage
from jobbag.jobs.tests.factories import order_kind

pytestmark = pytest.mark.browser


def chinese(text: str) -> str:
    with translation.override("zh-hans"):
        return translation.gettext(text)


def test_an_ae_takes_a_job_and_issues_its_number(page, cast, clientele, password):
    formal = order_kind("formal")
    page.goto("/accounts/login/")
    page.fill("input[name=username]", "ae")
    page.fill("input[name=password]", password)
    page.get_by_test_id("login-submit").click()
    page.get_by_test_id("home-title").wait_for()

    page.get_by_role("link", name=chinese("Jobs")).first.click()
    page.get_by_test_id("job-table").wait_for()
    page.get_by_test_id("job-new").click()
    with page.expect_response(lambda r: "/jobs/new/client-choices/" in r.url):
        page.select_option("select[name=company]", str(clientele.company.pk))
    page.wait_for_load_state("networkidle")
    page.select_option("select[name=brand]", str(clientele.brand.pk))
    page.select_option("select[name=order_kind]", str(formal.pk))
    page.fill("input[name=title]", "冰箱夏季促销")
    page.fill("input[name=estimated_amount]", "80000")
    page.fill("input[name=theme]", "清凉一夏")
    page.fill("textarea[name=quality]", "印刷品色差ΔE<2")
    page.get_by_test_id("job-save").click()
    page.get_by_test_id("job-header").wait_for()

    job = Job.objects.get(title="冰箱夏季促销")
    assert job.stage == Stage.INTAKE and job.number is None
    assert page.get_by_test_id("job-blockers").is_visible()
    page.get_by_test_id("brief-review").click()
    number = f"HAIER-{date.today().year}-0001"
    page.get_by_text(number).first.wait_for()
    job.refresh_from_db()
    assert (job.number, job.stage) == (number, Stage.REVIEW)
    assert page.get_by_test_id("job-stage").get_attribute("data-stage") == Stage.REVIEW
    assert page.locator("#history [data-testid=history-row]").count() == 2

    page.goto(f"/jobs/?q={number}")
    assert page.get_by_test_id("job-row").count() == 1
