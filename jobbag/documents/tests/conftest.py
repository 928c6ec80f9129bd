"""Fixtures of the archive's tests: the job chain's cast (`chain`: department heads,
the demo sign-off policies, HAIER's job) and signed documents to file.

- `signed_quote()` sends a quote of chain.job through its whole sign-off (the account
  head, then the client) and returns its approval: filed, confidential by default;
- `signed_review()` does the same with review minutes (internal by default);
- `borrow(user, document, days)` asks to borrow and has the department head approve.
"""

from datetime import date
from decimal import Decimal

import pytest

from jobbag.approvals import services as engine
from jobbag.approvals.models import Approval
from jobbag.documents.models import ArchivedDocument
from jobbag.documents.services.borrowing import borrowing_request
from jobbag.jobs.models import QuoteVersion, Review
from jobbag.jobs.tests.conftest import chain  # noqa: F401


@pytest.fixture(autouse=True)
def media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def signed_quote(chain, cast):  # noqa: F811
    def make(total="30000") -> Approval:
        number = QuoteVersion.objects.filter(job=chain.job).count() + 1
        amount = Decimal(total)
        quote = QuoteVersion.objects.create(
            job=chain.job, number=number, total=amount, net_total=amount, created_by=cast.ae
        )
        approval = engine.approval_submit(actor=cast.ae, document=quote)
        engine.approval_decide(actor=chain.dcs, approval=approval, outcome="approve")
        engine.approval_client_decide(actor=cast.client, approval=approval, outcome="approve")
        approval.refresh_from_db()
        assert approval.status == Approval.Status.APPROVED
        return approval

    return make


@pytest.fixture
def signed_review(chain, cast):  # noqa: F811
    def make() -> Approval:
        review = Review.objects.create(
            job=chain.job,
            kind=Review.Kind.PRE_REVIEW,
            held_on=date(2026, 3, 2),
            attendees="王小明、孙丽",
            minutes="确认需求",
            created_by=cast.ae,
        )
        approval = engine.approval_submit(actor=cast.ae, document=review)
        engine.approval_decide(actor=cast.ad, approval=approval, outcome="approve")
        approval.refresh_from_db()
        return approval

    return make


@pytest.fixture
def quote_document(signed_quote) -> ArchivedDocument:
    return ArchivedDocument.objects.get(approval=signed_quote())


@pytest.fixture
def borrow(chain):  # noqa: F811
    """borrow(user, document, days=3): the request, approved by the design head."""

    def make(user, document, days=3, approver=None):
        borrowing = borrowing_request(actor=user, document=document, reason="查阅报价", days=days)
        approval = Approval.objects.get(document_type="borrowing", object_id=borrowing.pk)
        engine.approval_decide(
            actor=approver or chain.design_head, approval=approval, outcome="approve"
        )
        borrowing.refresh_from_db()
        return borrowing

    return make
