"""In Chromium, in Chinese: one job goes from an intent order to its summary.

The quote's first version is returned for revision by the Marketing Manager; the second
is large enough to need the GM, who signs it from his inbox, and the client signs it back
in the portal. The internal review is signed, the work order goes out and three
departments acknowledge it, one of them late (flagged); a change notice reaches two
departments, who acknowledge it; the items are checked and the client signs the
acceptance in the portal; the AE writes the summary and the Marketing Manager signs it.
Some sign-offs the pages of other tests already walk are given through the services, to
keep the test to the chain itself.
"""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from jobbag.approvals.models import Approval
from jobbag.approvals.selectors import current_approval
from jobbag.approvals.services import approval_decide
from jobbag.jobs.models import Acknowledgement, ChangeNotice, Job, QuoteVersion, Stage
from jobbag.jobs.services import acknowledgements, reviews
from jobbag.jobs.tests.test_quotes_helpers import approve, rates
from jobbag.jobs.tests.work_orders_support import signed

pytestmark = pytest.mark.browser


def sign_in(page, username: str, password: str) -> None:
    page.context.clear_cookies()
    page.goto("/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    page.get_by_test_id("login-submit").click()
    page.wait_for_load_state()


def add_external_line(page, description: str, amount: str) -> None:
    form = page.get_by_test_id("quote-line-form")
    form.locator("select[name=kind]").select_option("external")
    form.locator("input[name=description]").fill(description)
    form.locator("input[name=quantity]").fill("1")
    form.locator("input[name=unit_price]").fill(amount)
    count = page.get_by_test_id("quote-line").count()
    page.get_by_test_id("quote-line-add").click()
    page.get_by_test_id("quote-line").nth(count).wait_for()


def decide(page, approval: Approval, outcome: str, reason: str = "") -> None:
    page.goto(f"/signoff/{approval.pk}/")
    page.select_option("select[name=outcome]", outcome)
    if reason:
        page.fill("textarea[name=reason]", reason)
    page.get_by_test_id("decision-submit").click()
    page.get_by_test_id("evidence-status").first.wait_for()


def client_signs(page, approval: Approval, password: str) -> None:
    sign_in(page, "client", password)
    page.goto(f"/portal/signoffs/{approval.pk}/")
    page.get_by_test_id("portal-snapshot").wait_for()
    page.check("input[name=outcome][value=approve]")
    page.get_by_test_id("portal-decision-submit").click()
    page.get_by_test_id("portal-decisions").wait_for()


def test_one_job_from_an_intent_order_to_its_summary(page, chain, cast, password):
    rates()
    job = chain.job
    assert job.order_kind.code == "intent"

    # Quote V1 (150,000 net): the department head signs, the Marketing Manager returns it.
    sign_in(page, "ae", password)
    page.goto(f"/jobs/{job.pk}/")
    page.get_by_test_id("quote-new").click()
    page.get_by_test_id("quote-editor").wait_for()
    add_external_line(page, "门店堆头制作", "150000")
    page.get_by_test_id("quote-submit").click()
    page.get_by_test_id("quote-evidence").wait_for()
    first = QuoteVersion.objects.get(job=job, number=1)
    approve(current_approval(first), chain.dcs)

    sign_in(page, "manager", password)
    decide(page, current_approval(first), "return", "请补充户外广告的费用")
    first.refresh_from_db()
    assert first.signoff_status == "returned"

    # V2 adds outdoor media: 250,000 net, so the GM signs after the Marketing Manager.
    sign_in(page, "ae", password)
    page.goto(f"/jobs/{job.pk}/")
    page.get_by_test_id("quote-new").click()
    page.get_by_test_id("quote-editor").wait_for()
    add_external_line(page, "户外广告牌", "100000")
    page.get_by_test_id("quote-submit").click()
    page.get_by_test_id("quote-evidence").wait_for()
    second = QuoteVersion.objects.get(job=job, number=2)
    assert second.net_total == Decimal("250000.00")
    approval = current_approval(second)
    approve(approval, chain.dcs, chain.manager)

    sign_in(page, "gm", password)
    page.goto("/signoff/")
    page.get_by_test_id("inbox-link").first.click()
    page.select_option("select[name=outcome]", "approve")
    page.get_by_test_id("decision-submit").click()
    page.get_by_test_id("evidence-decision").nth(2).wait_for()

    client_signs(page, approval, password)
    second.refresh_from_db()
    assert second.signed_back_at is not None

    # Above 100,000 the internal review meeting is signed before work starts.
    review = reviews.review_create(
        actor=cast.ae,
        job=job,
        kind="internal",
        held_on=timezone.localdate(),
        attendees="客户部、设计部、工艺部、采购部",
        minutes="明确各部门职责与交付时间",
        duties=[
            {"department": chain.design, "duties": "设计堆头与户外画面"},
            {"department": chain.purchasing, "duties": "采购物料"},
        ],
    )
    approval_decide(
        actor=cast.ad,
        approval=reviews.review_submit(actor=cast.ae, review=review),
        outcome="approve",
    )

    # The signed work order goes out to design, process and purchasing.
    work_order = signed(chain, cast)
    sign_in(page, "ae", password)
    page.goto(f"/jobs/work-orders/{work_order.pk}/")
    page.get_by_test_id("work-order-dispatch").click()
    page.get_by_test_id("work-order-dispatched").wait_for()
    receipts = Acknowledgement.objects.filter(work_order=work_order)
    assert receipts.count() == 3

    # Purchasing lets its day pass; design acknowledges on its page; then the others.
    receipts.filter(department=chain.purchasing).update(
        due_on=timezone.localdate() - timedelta(days=3)
    )
    sign_in(page, "designer", password)
    page.goto("/jobs/acknowledgements/")
    page.get_by_test_id("acknowledgement-todo").first.get_by_test_id("acknowledge").click()
    page.get_by_test_id("acknowledgements-none").wait_for()
    for head in [chain.process_head, chain.purchasing_head]:
        row = receipts.get(department=head.department)
        acknowledgements.acknowledgement_confirm(actor=head, acknowledgement=row)

    sign_in(page, "ae", password)
    page.goto(f"/jobs/{job.pk}/")
    panel = page.get_by_test_id("panel-work_orders")
    rows = panel.get_by_test_id("acknowledgement-row")
    assert rows.count() == 3
    assert {rows.nth(i).get_attribute("data-acknowledged") for i in range(3)} == {"yes"}
    late = panel.locator("[data-testid=acknowledgement-row][data-late=yes]")
    assert late.count() == 1
    assert late.get_attribute("data-department") == "purchasing"

    # The client moves the theme: a change notice to design and process.
    page.goto(f"/jobs/{job.pk}/changes/new/")
    form = page.get_by_test_id("change-form")
    form.locator("[name=what]").fill("活动主题改为“清凉一夏”")
    form.locator("[name=why]").fill("客户总部统一夏季主题")
    form.locator("[name=requested_by]").fill("孙丽")
    form.locator("[name=requested_on]").fill(timezone.localdate().isoformat())
    form.locator("[name=new_theme]").fill("清凉一夏")
    for department in [chain.design, chain.process]:
        form.locator(f"input[name=departments][value='{department.pk}']").check()
    form.get_by_role("button").last.click()
    page.get_by_test_id("change-submit").click()
    page.get_by_test_id("evidence-status").first.wait_for()
    notice = ChangeNotice.objects.get(job=job)
    approval_decide(actor=cast.ad, approval=current_approval(notice), outcome="approve")
    for head in [chain.design_head, chain.process_head]:
        row = Acknowledgement.objects.get(change_notice=notice, department=head.department)
        acknowledgements.acknowledgement_confirm(actor=head, acknowledgement=row)
    page.goto(f"/jobs/{job.pk}/")
    changes = page.get_by_test_id("change-acknowledgements")
    assert changes.locator("tr[data-department]").count() == 2
    assert "清凉一夏" in page.get_by_test_id("change-diff").inner_text()
    assert Job.objects.get(pk=job.pk).theme == "清凉一夏"

    # Acceptance: each item checked, QC's head signs, then the client in the portal.
    page.goto(f"/jobs/{job.pk}/acceptances/new/")
    form = page.get_by_test_id("acceptance-form")
    form.locator("[name=place]").fill("青岛门店")
    form.locator("[name=planned_on]").fill(timezone.localdate().isoformat())
    form.locator("[name=items]").fill("堆头|20\n户外广告牌|1")
    form.get_by_role("button").last.click()
    items = page.get_by_test_id("acceptance-item")
    items.first.wait_for()
    for index in range(2):
        page.get_by_test_id("acceptance-item").nth(index).get_by_test_id("check-pass").click()
        page.locator(f"[data-testid=acceptance-item][data-result=passed] >> nth={index}").wait_for()
    page.get_by_test_id("acceptance-submit").click()
    page.get_by_test_id("acceptance-approval").wait_for()
    acceptance = job.acceptances.get()
    approval_decide(actor=chain.qc_head, approval=current_approval(acceptance), outcome="approve")
    client_signs(page, current_approval(acceptance), password)
    job.refresh_from_db()
    assert job.stage == Stage.SUMMARY and job.completed_on == timezone.localdate()

    # The summary, written by the AE and signed by the Marketing Manager, closes the job.
    sign_in(page, "ae", password)
    page.goto(f"/jobs/{job.pk}/summary/")
    form = page.get_by_test_id("summary-form")
    for name, text in [
        ("introduction", "冰箱新品夏季上市，门店与户外同步"),
        ("schedule", "按期完成"),
        ("execution", "门店堆头 20 套，户外广告牌 1 块"),
        ("problems", "采购签收延误一天"),
        ("improvements", "采购提前介入评审"),
        ("client_satisfaction", "客户满意"),
    ]:
        form.locator(f"[name={name}]").fill(text)
    form.locator("[name=satisfaction_score]").select_option("5")
    page.get_by_test_id("summary-save").click()
    page.get_by_test_id("summary-submit").click()
    page.get_by_test_id("summary-approval").wait_for()

    sign_in(page, "manager", password)
    decide(page, current_approval(job.summary), "approve")
    job.refresh_from_db()
    assert job.stage == Stage.CLOSED and job.closed_on is not None
