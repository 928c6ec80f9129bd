"""The whole quote story at service level: internal sign-off by amount (department head;
then the Marketing Manager; then the GM), the client's sign-back, a version returned
with the client's feedback and the next one signed back; the work gate after it."""

from decimal import Decimal

import pytest
from django.utils import timezone

from jobbag.approvals.models import Approval, ApprovalStep, SignoffStatus, StepKind
from jobbag.approvals.services import approval_decide
from jobbag.core.errors import DomainError, NotAllowed
from jobbag.core.money import format_money
from jobbag.jobs.models import Review
from jobbag.jobs.services import gates, quotes
from jobbag.jobs.tests.test_quotes_helpers import approve, client_decides, quote_of, rates


@pytest.fixture(autouse=True)
def card(chain):
    return rates()


def signers(approval: Approval) -> list[list[int]]:
    """Each internal step's candidates, in order."""
    return [
        sorted(user.pk for seat in step.seats.all() for user in seat.candidates.all())
        for step in approval.steps.exclude(kind=StepKind.CLIENT).order_by("order")
    ]


def test_a_30000_quote_needs_the_department_head_then_the_client(chain, cast):
    quote = quote_of(cast.ae, chain.job, 30000)
    assert quote.total == Decimal("31800.00")
    approval = quotes.quote_submit(actor=cast.ae, quote=quote)
    assert signers(approval) == [[chain.dcs.pk]]
    assert approval.steps.last().kind == StepKind.CLIENT
    with pytest.raises(NotAllowed):
        approval_decide(actor=chain.manager, approval=approval, outcome="approve")
    approve(approval, chain.dcs)
    quote.refresh_from_db()
    assert quote.signoff_status == SignoffStatus.SUBMITTED
    assert quote.signed_back_at is None
    client_decides(approval, cast.client)
    quote.refresh_from_db()
    assert quote.signoff_status == SignoffStatus.APPROVED
    assert quote.signed_back_at is not None
    assert gates.signed_quote(chain.job) == quote


def test_a_120000_quote_needs_the_marketing_manager(chain, cast):
    quote = quote_of(cast.ae, chain.job, 120000)
    approval = quotes.quote_submit(actor=cast.ae, quote=quote)
    assert signers(approval) == [[chain.dcs.pk], [chain.manager.pk]]
    approve(approval, chain.dcs)
    with pytest.raises(DomainError):
        client_decides(approval, cast.client)
    approve(approval, chain.manager)
    client_decides(approval, cast.client)
    quote.refresh_from_db()
    assert quote.signed_back_at is not None


def test_a_300000_quote_needs_the_gm(chain, cast):
    quote = quote_of(cast.ae, chain.job, 300000)
    approval = quotes.quote_submit(actor=cast.ae, quote=quote)
    assert signers(approval) == [[chain.dcs.pk], [chain.manager.pk], [cast.gm.pk]]
    approve(approval, chain.dcs, chain.manager)
    step = approval.steps.get(order=3)
    assert step.status == ApprovalStep.Status.ACTIVE
    approve(approval, cast.gm)
    client_decides(approval, cast.client)
    quote.refresh_from_db()
    assert quote.signed_back_at is not None


def test_the_client_returns_v1_and_signs_v2_back(chain, cast):
    first = quote_of(cast.ae, chain.job, 150000)
    approval = quotes.quote_submit(actor=cast.ae, quote=first)
    approve(approval, chain.dcs, chain.manager)
    feedback = "预算超出，请把POP数量减半后重新报价"
    client_decides(approval, cast.client, "return", feedback)
    first.refresh_from_db()
    assert first.signoff_status == SignoffStatus.RETURNED
    assert first.client_feedback == feedback
    assert gates.signed_quote(chain.job) is None

    second = quotes.quote_create(actor=cast.ae, job=chain.job)
    assert second.number == 2 and second.net_total == Decimal("150000.00")
    quotes.quote_line_update(actor=cast.ae, line=second.lines.get(), unit_price="95000")
    second.refresh_from_db()
    assert second.total == Decimal("100700.00")
    approval = quotes.quote_submit(actor=cast.ae, quote=second)
    # 100,700 is within the Marketing Manager's band.
    assert signers(approval) == [[chain.dcs.pk], [chain.manager.pk]]
    approve(approval, chain.dcs, chain.manager)
    client_decides(approval, cast.client)
    second.refresh_from_db()
    assert second.signed_back_at is not None
    assert gates.signed_quote(chain.job) == second
    # The snapshot the client signed is the second version's content.
    assert approval.snapshot.data["version"] == 2
    assert approval.snapshot.data["total"] == "100700.00"
    assert approval.snapshot.data["job"] == "HAIER-2026-0001"

    # Above the internal review threshold (100,000): the gate still holds the work.
    blockers = gates.work_blockers(chain.job)
    assert blockers == [str(gates.REVIEW_MISSING % {"threshold": format_money(100000, "CNY")})]
    Review.objects.create(
        job=chain.job,
        kind=Review.Kind.INTERNAL,
        signoff_status=SignoffStatus.APPROVED,
        **review_fields(cast),
    )
    assert gates.work_blockers(chain.job) == []
    gates.require_work_may_start(chain.job)


def test_a_small_signed_quote_opens_the_gate(chain, cast):
    quote = quote_of(cast.ae, chain.job, 30000)
    approval = quotes.quote_submit(actor=cast.ae, quote=quote)
    approve(approval, chain.dcs)
    with pytest.raises(DomainError) as held:
        gates.require_work_may_start(chain.job)
    assert held.value.message == str(gates.QUOTE_NOT_SIGNED)
    client_decides(approval, cast.client)
    gates.require_work_may_start(chain.job)
    quotes.job_prepayment_require(actor=cast.ae, job=chain.job, amount="10000")
    chain.job.refresh_from_db()
    with pytest.raises(DomainError):
        gates.require_work_may_start(chain.job)
    quotes.job_prepayment_record(
        actor=cast.finance, job=chain.job, received_on=timezone.localdate()
    )
    chain.job.refresh_from_db()
    gates.require_work_may_start(chain.job)


def review_fields(cast) -> dict:
    return {
        "held_on": timezone.localdate(),
        "attendees": "客户部、设计部、制作部",
        "minutes": "明确各部门职责",
        "created_by": cast.ae,
    }
