"""In Chromium, in Chinese, the story of issue 7 (credit control and commissions):

An invoice of HAIER is 95 days overdue. The daily sweep tells the project owner (the
AE), the Marketing Manager and the GM. The AE tries to take a new order for HAIER and is
refused with the hold reason; the GM grants an override on the client's credit page;
the AE takes the order. Then a commission on a job shows "pending" on the AE's "My
commissions" until the last payment comes in, and "payable" after it."""

from datetime import timedelta

import pytest
from django.db import transaction
from django.utils import timezone, translation

from jobbag.finance.models import CreditNotice, CreditOverride
from jobbag.finance.services import incentives
from jobbag.finance.sweeps.credit import send_credit_notices
from jobbag.finance.sweeps.incentives import refresh_commissions
from jobbag.jobs.models import Job
from jobbag.jobs.tests.factories import JobFactory, order_kind

# The fixtures of conftest_incentives (books, people, signed_job).
pytest_plugins = ["jobbag.finance.tests.conftest_incentives"]

pytestmark = pytest.mark.browser


def chinese(text) -> str:
    with translation.override("zh-hans"):
        return str(translation.gettext(str(text)))


@pytest.fixture
def story_page(browser, live_server, settings):
    """The shared `page` fixture's browser context, except that the one refusal this
    story expects (the held order's form answering 400) is not counted as a problem."""
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    context = browser.new_context(
        locale="zh-CN", viewport={"width": 1280, "height": 800}, base_url=live_server.url
    )
    context.set_default_timeout(60_000)
    page = context.new_page()
    problems: list[str] = []

    def on_response(response) -> None:
        refused_order = response.status == 400 and response.url.endswith("/jobs/new/")
        if response.status >= 400 and not refused_order:
            problems.append(f"{response.status}: {response.url}")

    def on_console(message) -> None:
        if message.type != "error" or message.location["url"].endswith("/favicon.ico"):
            return
        # Chromium logs the expected 400 of the refused form as a console error too.
        if "400" in message.text and message.location["url"].endswith("/jobs/new/"):
            return
        problems.append(f"console: {message.text}")

    page.on("console", on_console)
    page.on("pageerror", lambda error: problems.append(f"script error: {error}"))
    page.on("requestfailed", lambda r: problems.append(f"failed: {r.url} {r.failure}"))
    page.on("response", on_response)
    yield page
    context.close()
    assert not problems, problems


def sign_in(page, username: str, password: str) -> None:
    page.context.clear_cookies()
    page.goto("/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    page.get_by_test_id("login-submit").click()
    page.get_by_test_id("home-title").wait_for()


def take_order(page, clientele, title: str) -> None:
    # Made before the page loads: a flush by an earlier live-server test removes the seeded kinds.
    kind = order_kind("formal")
    page.goto("/jobs/new/")
    with page.expect_response(lambda r: "/jobs/new/client-choices/" in r.url):
        page.select_option("select[name=company]", str(clientele.company.pk))
    page.wait_for_load_state("networkidle")
    page.select_option("select[name=order_kind]", str(kind.pk))
    page.fill("input[name=title]", title)
    page.get_by_test_id("job-save").click()


def test_an_overdue_client_is_held_until_the_gm_overrides_and_commissions_wait_for_payment(
    story_page, cast, clientele, people, books, signed_job, password
):

    page = story_page
    today = timezone.localdate()
    old_job = JobFactory(company=clientele.company, owner=cast.ae, number="HAIER-2026-0001")
    books.invoice(company=clientele.company, job=old_job, total="10600", days_overdue=95)
    with transaction.atomic():
        send_credit_notices()
    assert set(CreditNotice.objects.values_list("level", flat=True)) == {
        "owner",
        "marketing_manager",
        "gm",
    }

    # The AE tries to take a new order: refused, with the reason.
    sign_in(page, "ae", password)
    page.get_by_test_id("notifications-link").wait_for()
    take_order(page, clientele, "冰箱秋季促销")
    errors = page.get_by_test_id("form-errors")
    errors.wait_for()
    assert "95" in errors.inner_text() and "海尔集团" in errors.inner_text()
    assert not Job.objects.filter(title="冰箱秋季促销").exists()

    # The GM grants an override on the client's credit page.
    sign_in(page, "gm", password)
    page.get_by_role("link", name=chinese("Credit control")).first.click()
    row = page.locator(f"[data-testid=credit-row][data-company='{clientele.company.pk}']")
    assert row.get_by_test_id("standing").get_attribute("data-standing") == "hold"
    row.get_by_role("link").first.click()
    page.get_by_test_id("credit-company-title").wait_for()
    assert page.get_by_test_id("credit-notice").count() == 3
    page.fill("textarea[name=reason]", "客户承诺月底前付清，先接秋季订单")
    page.fill("input[name=valid_until]", (today + timedelta(days=7)).isoformat())
    page.get_by_test_id("override-submit").click()
    page.locator("[data-testid=override-row][data-used='0']").wait_for()

    # The AE takes the order now; the override is used up by it.
    sign_in(page, "ae", password)
    take_order(page, clientele, "冰箱秋季促销")
    page.get_by_test_id("job-header").wait_for()
    job = Job.objects.get(title="冰箱秋季促销")
    override = CreditOverride.objects.get()
    assert override.used_by == cast.ae and override.used_for.endswith(f"(#{job.pk})")

    # A commission is pending until the client's last payment, then payable.
    incentives.commission_rule_create(
        actor=cast.finance, code="account", name="客户提成 5%", rate="5", shares={"owner": 100}
    )
    contract = signed_job(owner=cast.ae, net="100000", title="冰箱夏季促销")
    first = books.invoice(company=clientele.company, job=contract, total="53000")
    last = books.invoice(company=clientele.company, job=contract, total="53000")
    books.pay(first)
    with transaction.atomic():
        refresh_commissions()
    page.get_by_role("link", name=chinese("My commissions")).first.click()
    page.get_by_test_id("commissions-title").wait_for()
    row = page.locator(f"[data-testid=commission-row][data-job='{contract.pk}']")
    assert row.get_by_test_id("commission-status").get_attribute("data-status") == "pending"
    assert "冰箱夏季促销" in page.get_by_test_id("commissions-pending").inner_text()

    books.pay(last)
    with transaction.atomic():
        incentives.commissions_refresh(contract)
    page.reload()
    row = page.locator(f"[data-testid=commission-row][data-job='{contract.pk}']")
    assert row.get_by_test_id("commission-status").get_attribute("data-status") == "payable"
    assert "冰箱夏季促销" in page.get_by_test_id("commissions-earned").inner_text()
    assert "5,000.00" in page.get_by_test_id("earned-total").inner_text()
