"""Work orders: a complete form, numbered per job, signed by the AD and the head of
Account (never by the AE), dispatched once and only after the client signed the quote
back, revised while not yet dispatched."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core import mail
from django.utils import timezone

from jobbag.approvals.models import Approval, SignoffStatus
from jobbag.approvals.services import NOT_YOUR_STEP, approval_decide
from jobbag.core.errors import Conflict, DomainError, NotAllowed
from jobbag.core.models import AuditEntry, Notification
from jobbag.jobs.models import Acknowledgement, Job, Stage, WorkOrder
from jobbag.jobs.services import gates
from jobbag.jobs.services import work_orders as services
from jobbag.jobs.tests.work_orders_support import complete, draft, sign_back_quote, signed


def test_it_numbers_work_orders_per_job_and_records_them(chain, cast):
    first = draft(chain, cast)
    second = draft(chain, cast)

    assert (first.number, second.number) == (1, 2)
    assert str(first).endswith("WO-1")
    assert first.signoff_status == SignoffStatus.DRAFT
    assert set(first.departments.values_list("code", flat=True)) == {
        "design",
        "process",
        "purchasing",
    }
    assert AuditEntry.objects.filter(object_id=str(first.pk), action="create").exists()


def test_it_refuses_an_incomplete_work_order_with_field_errors(chain, cast):
    values = complete(
        chain,
        client_request="  ",
        specification="",
        quantity="",
        quality_standard="",
        delivery_place="",
        delivery_due=None,
        departments=[],
    )
    with pytest.raises(DomainError) as refused:
        services.work_order_create(actor=cast.ae, job=chain.job, **values)

    assert set(refused.value.fields) == {
        "client_request",
        "specification",
        "quantity",
        "quality_standard",
        "delivery_place",
        "delivery_due",
        "departments",
    }
    assert refused.value.fields["departments"] == services.DEPARTMENTS_REQUIRED
    assert not WorkOrder.objects.exists()


def test_it_refuses_a_delivery_date_in_the_past_and_a_negative_budget(chain, cast):
    yesterday = timezone.localdate() - timedelta(days=1)
    with pytest.raises(DomainError) as refused:
        draft(chain, cast, delivery_due=yesterday, budget=Decimal("-1"))

    assert refused.value.fields == {
        "delivery_due": services.DUE_IN_PAST,
        "budget": services.BUDGET_INVALID,
    }
    assert not WorkOrder.objects.exists()


def test_only_the_jobs_editors_write_work_orders(chain, cast):
    with pytest.raises(NotAllowed):
        services.work_order_create(actor=cast.designer, job=chain.job, **complete(chain))
    assert not WorkOrder.objects.exists()


def test_it_edits_a_draft_and_detects_a_stale_version(chain, cast):
    work_order = draft(chain, cast)
    values = complete(chain, quantity="堆头 25 套", departments=[chain.design])

    services.work_order_update(
        actor=cast.ae, work_order=work_order, expected_version=work_order.version, **values
    )
    work_order.refresh_from_db()
    assert work_order.quantity == "堆头 25 套"
    assert list(work_order.departments.values_list("code", flat=True)) == ["design"]
    change = AuditEntry.objects.get(object_id=str(work_order.pk), action="change")
    assert "quantity" in change.changes and "departments" in change.changes

    with pytest.raises(Conflict):
        services.work_order_update(
            actor=cast.ae, work_order=work_order, expected_version=work_order.version - 1, **values
        )


def test_it_is_signed_by_the_ad_then_the_head_of_account(chain, cast):
    work_order = signed(chain, cast)

    assert work_order.signoff_status == SignoffStatus.APPROVED
    approval = Approval.objects.get(object_id=work_order.pk, document_type="work_order")
    signers = [d.decided_by for d in approval.decisions.order_by("decided_at", "pk")]
    assert signers == [cast.ad, chain.dcs]


def test_the_ae_cannot_sign_a_work_order(chain, cast):
    """The wrong position cannot sign: the engine refuses and nothing is decided."""
    work_order = draft(chain, cast)
    approval = services.work_order_submit(actor=cast.ae, work_order=work_order)

    with pytest.raises(NotAllowed) as refused:
        approval_decide(actor=cast.ae, approval=approval, outcome="approve")
    assert refused.value.message == NOT_YOUR_STEP
    # Nor may the head of Account skip ahead of the AD.
    with pytest.raises(NotAllowed):
        approval_decide(actor=chain.dcs, approval=approval, outcome="approve")

    assert not approval.decisions.exists()
    work_order.refresh_from_db()
    assert work_order.signoff_status == SignoffStatus.SUBMITTED


def test_a_submitted_work_order_cannot_be_edited(chain, cast):
    work_order = draft(chain, cast)
    services.work_order_submit(actor=cast.ae, work_order=work_order)
    work_order.refresh_from_db()

    with pytest.raises(DomainError) as refused:
        services.work_order_update(
            actor=cast.ae,
            work_order=work_order,
            expected_version=work_order.version,
            **complete(chain),
        )
    assert refused.value.message == services.NOT_EDITABLE


def test_a_returned_work_order_is_edited_as_the_next_revision(chain, cast):
    work_order = draft(chain, cast)
    approval = services.work_order_submit(actor=cast.ae, work_order=work_order)
    approval_decide(actor=cast.ad, approval=approval, outcome="return", reason="数量不对")
    work_order.refresh_from_db()
    assert work_order.signoff_status == SignoffStatus.RETURNED

    services.work_order_update(
        actor=cast.ae,
        work_order=work_order,
        expected_version=work_order.version,
        **complete(chain, quantity="堆头 30 套"),
    )
    work_order.refresh_from_db()
    assert (work_order.revision, work_order.signoff_status) == (2, SignoffStatus.DRAFT)
    second = services.work_order_submit(actor=cast.ae, work_order=work_order)
    assert second.revision == 2


def test_dispatch_before_the_quote_is_signed_back_is_refused(chain, cast):
    work_order = signed(chain, cast)
    Job.objects.filter(pk=chain.job.pk).update(stage=Stage.QUOTE)

    with pytest.raises(DomainError) as refused:
        services.work_order_dispatch(actor=cast.ae, work_order=work_order)

    assert refused.value.message == str(gates.QUOTE_NOT_SIGNED)
    work_order.refresh_from_db()
    assert work_order.dispatched_at is None
    assert not Acknowledgement.objects.exists()
    assert Job.objects.get(pk=chain.job.pk).stage == Stage.QUOTE


def test_an_unsigned_work_order_is_not_dispatched(chain, cast):
    sign_back_quote(chain.job, cast.ae)
    work_order = draft(chain, cast)

    with pytest.raises(DomainError) as refused:
        services.work_order_dispatch(actor=cast.ae, work_order=work_order)
    assert refused.value.message == services.NOT_SIGNED
    assert not Acknowledgement.objects.exists()


def test_dispatch_sends_one_receipt_per_department_and_moves_the_job(chain, cast):
    sign_back_quote(chain.job, cast.ae)
    work_order = signed(chain, cast)
    mail.outbox.clear()

    rows = services.work_order_dispatch(actor=cast.ae, work_order=work_order)

    assert sorted(r.department.code for r in rows) == ["design", "process", "purchasing"]
    work_order.refresh_from_db()
    assert work_order.dispatched_at is not None and work_order.dispatched_by == cast.ae
    assert Job.objects.get(pk=chain.job.pk).stage == Stage.PRODUCTION
    # The department's people hear of it in the app and by e-mail: the designer too.
    assert Notification.objects.filter(recipient=cast.designer).exists()
    assert Notification.objects.filter(recipient=chain.process_head).exists()
    recipients = {address for message in mail.outbox for address in message.to}
    assert {cast.designer.email, chain.design_head.email} <= recipients


def test_a_work_order_is_dispatched_once(chain, cast):
    sign_back_quote(chain.job, cast.ae)
    work_order = signed(chain, cast)
    services.work_order_dispatch(actor=cast.ae, work_order=work_order)

    with pytest.raises(Conflict) as refused:
        services.work_order_dispatch(actor=cast.ae, work_order=work_order)
    assert refused.value.message == services.ALREADY_DISPATCHED
    assert Acknowledgement.objects.count() == 3


def test_only_the_jobs_editors_dispatch(chain, cast):
    sign_back_quote(chain.job, cast.ae)
    work_order = signed(chain, cast)

    with pytest.raises(NotAllowed):
        services.work_order_dispatch(actor=cast.designer, work_order=work_order)
    assert not Acknowledgement.objects.exists()


def test_a_signed_work_order_is_revised_into_a_new_draft_revision(chain, cast):
    work_order = signed(chain, cast)

    services.work_order_revise(actor=cast.ae, work_order=work_order)
    work_order.refresh_from_db()
    assert (work_order.revision, work_order.signoff_status) == (2, SignoffStatus.DRAFT)
    # The signed revision stays in the sign-off record.
    assert Approval.objects.get(object_id=work_order.pk).revision == 1


def test_a_dispatched_work_order_changes_through_change_notices(chain, cast):
    sign_back_quote(chain.job, cast.ae)
    work_order = signed(chain, cast)
    services.work_order_dispatch(actor=cast.ae, work_order=work_order)

    with pytest.raises(DomainError) as refused:
        services.work_order_revise(actor=cast.ae, work_order=work_order)
    assert refused.value.message == services.DISPATCHED_USE_CHANGE
    work_order.refresh_from_db()
    assert (work_order.revision, work_order.signoff_status) == (1, SignoffStatus.APPROVED)


def test_a_draft_is_edited_not_revised(chain, cast):
    work_order = draft(chain, cast)
    with pytest.raises(DomainError) as refused:
        services.work_order_revise(actor=cast.ae, work_order=work_order)
    assert refused.value.message == services.NOT_REVISABLE


def test_the_snapshot_holds_the_whole_work_order(chain, cast):
    work_order = signed(chain, cast)
    snapshot = Approval.objects.get(object_id=work_order.pk).snapshot

    for text in ["冰箱新品上市门店物料", "印刷色差", "青岛海尔路", "顺丰", str(chain.design)]:
        assert text in snapshot.html
    assert snapshot.data["quantity"] == "堆头 20 套，吊旗 500 张"


def test_a_work_order_whose_delivery_date_has_passed_is_not_submitted(chain, cast):
    work_order = draft(chain, cast)
    WorkOrder.objects.filter(pk=work_order.pk).update(
        delivery_due=timezone.localdate() - timedelta(days=1)
    )
    work_order.refresh_from_db()

    with pytest.raises(DomainError) as refused:
        services.work_order_submit(actor=cast.ae, work_order=work_order)
    assert refused.value.fields == {"delivery_due": services.DUE_IN_PAST}
    assert not Approval.objects.exists()
