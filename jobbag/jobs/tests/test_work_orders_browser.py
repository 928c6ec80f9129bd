"""In Chromium, in Chinese: the AE writes a work order and sends it for sign-off; once
signed, dispatch is refused before the quote is signed back, then goes out; the designer
acknowledges for design from the departments' page; the AE's job page shows who has."""

import pytest
from django.utils import translation

from jobbag.approvals.models import Approval
from jobbag.approvals.services import approval_decide
from jobbag.jobs.models import Acknowledgement, WorkOrder
from jobbag.jobs.services import gates
from jobbag.jobs.tests.work_orders_support import complete, sign_back_quote

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


def test_a_work_order_goes_out_and_design_acknowledges_it(page, chain, cast, password):
    values = complete(chain)
    sign_in(page, "ae", password)
    page.goto(f"/jobs/{chain.job.pk}/work-orders/new/")
    for name in [
        "client_request",
        "specification",
        "quantity",
        "quality_standard",
        "delivery_place",
    ]:
        page.fill(f"[name={name}]", values[name])
    page.fill("[name=delivery_due]", values["delivery_due"].isoformat())
    for department in [chain.design, chain.process, chain.purchasing]:
        page.check(f"input[name=departments][value='{department.pk}']")
    page.get_by_test_id("work-order-save").click()
    page.get_by_test_id("work-order-title").wait_for()
    work_order = WorkOrder.objects.get()
    page.get_by_test_id("work-order-submit").click()
    page.get_by_test_id("work-order-status").wait_for()
    assert page.get_by_test_id("work-order-status").get_attribute("data-status") == "submitted"

    approval = Approval.objects.get(object_id=work_order.pk, document_type="work_order")
    approval_decide(actor=cast.ad, approval=approval, outcome="approve")
    approval_decide(actor=chain.dcs, approval=approval, outcome="approve")

    page.reload()
    page.get_by_test_id("work-order-dispatch").click()
    page.locator(".msg-error").wait_for()
    assert chinese(gates.QUOTE_NOT_SIGNED) in page.locator(".msg-error").inner_text()
    assert not Acknowledgement.objects.exists()

    sign_back_quote(chain.job, cast.ae)
    page.reload()
    page.get_by_test_id("work-order-dispatch").click()
    page.get_by_test_id("work-order-dispatched").wait_for()
    assert Acknowledgement.objects.filter(work_order=work_order).count() == 3

    sign_in(page, "designer", password)
    page.get_by_test_id("home-acknowledgements").wait_for()
    page.get_by_role("link", name=chinese("To acknowledge")).first.click()
    rows = page.get_by_test_id("acknowledgement-todo")
    assert rows.count() == 1
    rows.first.locator("input[name=note]").fill("已收到")
    rows.first.get_by_test_id("acknowledge").click()
    page.get_by_test_id("acknowledgements-none").wait_for()

    sign_in(page, "ae", password)
    page.goto(f"/jobs/{chain.job.pk}/")
    panel = page.get_by_test_id("panel-work_orders")
    panel.wait_for()
    design = panel.locator("[data-department=design]")
    assert design.get_attribute("data-acknowledged") == "yes"
    assert panel.locator("[data-department=process]").get_attribute("data-acknowledged") == "no"
