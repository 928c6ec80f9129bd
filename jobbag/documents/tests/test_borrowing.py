"""Opening and borrowing: a restricted document is refused (and the refusal logged);
a borrowing approved by the department head opens it for the days approved (every view
logged under that borrowing); afterwards it is closed again; the sweep tells the
borrower once; nobody approves their own request."""

from datetime import timedelta

import pytest
from django.utils import timezone

from jobbag.accounts.models import Department
from jobbag.accounts.tests.factories import staff
from jobbag.approvals import services as engine
from jobbag.approvals.models import Approval, SignoffStatus
from jobbag.core.errors import Conflict, DomainError, NotAllowed
from jobbag.core.models import Notification
from jobbag.documents.models import AccessLog, ArchivedDocument, Borrowing, Level
from jobbag.documents.permissions import access, right_to_open
from jobbag.documents.services.access import document_open
from jobbag.documents.services.borrowing import (
    NO_LEADER,
    borrowing_request,
    borrowings_expire,
)


def test_it_opens_a_confidential_quote_by_right_only_to_its_team_and_management(
    cast, chain, clientele, quote_document
):
    for user in [cast.ae, cast.ad, chain.dcs, cast.gm, cast.admin]:
        assert right_to_open(user, quote_document), user
    for user in [cast.designer, cast.finance, clientele.other_ae, cast.client, cast.outsider]:
        assert not right_to_open(user, quote_document), user


def test_it_refuses_a_restricted_document_and_logs_the_refusal(cast, quote_document):
    with pytest.raises(NotAllowed):
        document_open(actor=cast.designer, document=quote_document)
    log = AccessLog.objects.get()
    assert (log.user, log.document, log.outcome, log.action) == (
        cast.designer,
        quote_document,
        AccessLog.Outcome.REFUSED,
        AccessLog.Action.VIEW,
    )
    assert log.borrowing is None


def test_it_opens_for_three_days_after_the_department_head_approves(
    cast, chain, quote_document, mailoutbox
):
    borrowing = borrowing_request(
        actor=cast.designer, document=quote_document, reason="参考报价格式", days=3
    )
    assert borrowing.signoff_status == SignoffStatus.SUBMITTED
    assert borrowing.department == chain.design
    approval = Approval.objects.get(document_type="borrowing", object_id=borrowing.pk)
    assert approval.company is None
    # Still closed while waiting.
    assert access(cast.designer, quote_document) == (False, None)
    engine.approval_decide(actor=chain.design_head, approval=approval, outcome="approve")
    borrowing.refresh_from_db()
    approval.refresh_from_db()
    assert borrowing.signoff_status == SignoffStatus.APPROVED
    assert borrowing.starts_at == approval.closed_at
    assert borrowing.ends_at == approval.closed_at + timedelta(days=3)
    assert Notification.objects.filter(recipient=cast.designer, link__contains="/archive/").exists()

    log = document_open(actor=cast.designer, document=quote_document)
    assert log.outcome == AccessLog.Outcome.ALLOWED and log.borrowing == borrowing
    # Just before the end it opens; at the end it is closed again (refusal logged).
    document_open(
        actor=cast.designer, document=quote_document, now=borrowing.ends_at - timedelta(minutes=1)
    )
    with pytest.raises(NotAllowed):
        document_open(actor=cast.designer, document=quote_document, now=borrowing.ends_at)
    assert list(AccessLog.objects.order_by("pk").values_list("outcome", flat=True)) == [
        "allowed",
        "allowed",
        "refused",
    ]
    # The approved borrowing is itself filed in the archive (internal, no client).
    filed = ArchivedDocument.objects.get(document_type="borrowing")
    assert filed.object_id == borrowing.pk and filed.level == Level.INTERNAL
    assert filed.company is None


def test_it_closes_the_loan_when_the_window_passes_and_tells_the_borrower_once(
    cast, chain, quote_document, borrow, mailoutbox
):
    borrowing = borrow(cast.designer, quote_document, days=3)
    assert borrowings_expire(now=borrowing.ends_at - timedelta(seconds=1)) == 0
    Borrowing.objects.filter(pk=borrowing.pk).update(
        starts_at=timezone.now() - timedelta(days=3, hours=1),
        ends_at=timezone.now() - timedelta(hours=1),
    )
    assert access(cast.designer, quote_document) == (False, None)
    mailoutbox.clear()
    assert borrowings_expire() == 1
    assert borrowings_expire() == 0
    borrowing.refresh_from_db()
    assert borrowing.expired_at is not None
    assert borrowing.state() == "expired"
    assert [m.to for m in mailoutbox] == [[cast.designer.email]]
    assert Notification.objects.filter(
        recipient=cast.designer, link="/archive/borrowings/"
    ).exists()
    # A new request may be made once the loan has ended.
    borrowing_request(actor=cast.designer, document=quote_document, reason="再看一次", days=1)


def test_it_lets_nobody_approve_their_own_request(cast, chain, quote_document):
    borrowing = borrowing_request(actor=cast.designer, document=quote_document, reason="看", days=2)
    approval = Approval.objects.get(document_type="borrowing", object_id=borrowing.pk)
    with pytest.raises(NotAllowed):
        engine.approval_decide(actor=cast.designer, approval=approval, outcome="approve")
    # Another department's head is not the requester's leader either.
    with pytest.raises(NotAllowed):
        engine.approval_decide(actor=chain.qc_head, approval=approval, outcome="approve")
    borrowing.refresh_from_db()
    assert borrowing.signoff_status == SignoffStatus.SUBMITTED
    assert access(cast.designer, quote_document) == (False, None)


def test_it_refuses_a_head_without_anyone_above(cast, chain, quote_document):
    with pytest.raises(DomainError) as refused:
        borrowing_request(actor=chain.design_head, document=quote_document, reason="看", days=1)
    assert refused.value.message == NO_LEADER
    assert not Borrowing.objects.exists()
    boss = staff("boss", "dept_head", department="studio", full_name="总监")
    studio = Department.objects.get(code="studio")
    Department.objects.filter(pk=studio.pk).update(head=boss)
    Department.objects.filter(pk=chain.design.pk).update(parent=studio)
    chain.design_head.refresh_from_db()
    borrowing = borrowing_request(
        actor=chain.design_head, document=quote_document, reason="看", days=1
    )
    assert borrowing.department == studio
    approval = Approval.objects.get(document_type="borrowing", object_id=borrowing.pk)
    seat_people = list(approval.steps.get().seats.get().candidates.all())
    assert seat_people == [boss]


def test_it_refuses_bad_input_double_requests_and_those_who_may_open_already(
    cast, chain, quote_document
):
    for reason, days, field in [
        ("", 3, "reason"),
        ("看", 0, "days"),
        ("看", 31, "days"),
        ("看", "x", "days"),
        ("x" * 1001, 3, "reason"),
    ]:
        with pytest.raises(DomainError) as refused:
            borrowing_request(
                actor=cast.designer, document=quote_document, reason=reason, days=days
            )
        assert field in refused.value.fields
    assert not Borrowing.objects.exists()
    with pytest.raises(DomainError):
        borrowing_request(actor=cast.ae, document=quote_document, reason="看", days=3)
    borrowing_request(actor=cast.designer, document=quote_document, reason="看", days=3)
    with pytest.raises(Conflict):
        borrowing_request(actor=cast.designer, document=quote_document, reason="看", days=3)
    with pytest.raises(NotAllowed):
        borrowing_request(actor=cast.client, document=quote_document, reason="看", days=3)
    assert Borrowing.objects.count() == 1


def test_it_opens_nothing_when_the_head_rejects(cast, chain, quote_document):
    borrowing = borrowing_request(actor=cast.designer, document=quote_document, reason="看", days=3)
    approval = Approval.objects.get(document_type="borrowing", object_id=borrowing.pk)
    engine.approval_decide(
        actor=chain.design_head, approval=approval, outcome="reject", reason="不需要"
    )
    borrowing.refresh_from_db()
    assert borrowing.signoff_status == SignoffStatus.REJECTED and borrowing.ends_at is None
    assert access(cast.designer, quote_document) == (False, None)


def test_it_keeps_secret_documents_to_management(cast, chain, quote_document, borrow):
    quote_document.level = Level.SECRET
    quote_document.save(update_fields=["level"])
    assert not right_to_open(cast.ae, quote_document)
    assert right_to_open(cast.gm, quote_document) and right_to_open(cast.admin, quote_document)
    borrowing = borrow(cast.ae, quote_document, days=1, approver=chain.dcs)
    assert access(cast.ae, quote_document) == (True, borrowing)
