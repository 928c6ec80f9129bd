"""The work gate (SPEC §4): each thing that holds a job's work, with its clear reason."""

from decimal import Decimal

import pytest
from django.utils import timezone, translation

from jobbag.approvals.models import SignoffStatus
from jobbag.core.errors import DomainError
from jobbag.core.money import format_money
from jobbag.jobs.models import Job, JobSettings, Review, Stage
from jobbag.jobs.services import gates, quotes
from jobbag.jobs.tests.test_quotes_helpers import approve, quote_of, rates, signed_quote


@pytest.fixture(autouse=True)
def card(chain):
    return rates()


def held(job) -> list[str]:
    job.refresh_from_db()
    with pytest.raises(DomainError) as refused:
        gates.require_work_may_start(job)
    assert refused.value.code == "work_held"
    assert refused.value.message == refused.value.fields["__all__"][0]
    return refused.value.fields["__all__"]


def test_a_new_job_is_held_for_its_signed_quote(chain):
    assert held(chain.job) == [str(gates.QUOTE_NOT_SIGNED)]


def test_a_job_without_number_is_held(chain):
    Job.objects.filter(pk=chain.job.pk).update(number=None)
    assert held(chain.job) == [str(gates.NO_NUMBER), str(gates.QUOTE_NOT_SIGNED)]


def test_a_signed_back_quote_lets_work_start(chain, cast):
    signed_quote(chain, cast, 30000)
    chain.job.refresh_from_db()
    assert gates.work_blockers(chain.job) == []
    gates.require_work_may_start(chain.job)


def test_a_quote_signed_only_internally_still_holds_the_work(chain, cast):
    quote = quote_of(cast.ae, chain.job, 30000)
    approve(quotes.quote_submit(actor=cast.ae, quote=quote), chain.dcs)
    assert held(chain.job) == [str(gates.QUOTE_NOT_SIGNED)]


def test_a_missing_prepayment_holds_the_work(chain, cast):
    signed_quote(chain, cast, 30000)
    Job.objects.filter(pk=chain.job.pk).update(prepayment_required=Decimal("5000.00"))
    reasons = held(chain.job)
    assert reasons == [str(gates.PREPAYMENT_MISSING % {"amount": format_money(5000, "CNY")})]
    assert "5,000.00" in reasons[0]
    Job.objects.filter(pk=chain.job.pk).update(prepayment_received_on=timezone.localdate())
    chain.job.refresh_from_db()
    gates.require_work_may_start(chain.job)


def test_an_order_above_the_threshold_needs_its_signed_internal_review(chain, cast):
    settings = JobSettings.current()
    settings.internal_review_above = Decimal("20000")
    settings.save()
    signed_quote(chain, cast, 30000)
    reasons = held(chain.job)
    assert reasons == [str(gates.REVIEW_MISSING % {"threshold": format_money(20000, "CNY")})]
    review = Review.objects.create(
        job=chain.job,
        kind=Review.Kind.INTERNAL,
        held_on=timezone.localdate(),
        attendees="客户部、设计部",
        minutes="职责已明确",
        created_by=cast.ae,
    )
    # A review written but not yet signed does not open the gate.
    assert len(held(chain.job)) == 1
    Review.objects.filter(pk=review.pk).update(signoff_status=SignoffStatus.APPROVED)
    gates.require_work_may_start(chain.job)


def test_the_estimate_decides_before_a_quote_is_signed(chain):
    Job.objects.filter(pk=chain.job.pk).update(estimated_amount=Decimal("150000"))
    chain.job.refresh_from_db()
    assert gates.needs_internal_review(chain.job)
    assert gates.job_amount(chain.job) == Decimal("150000")
    assert len(held(chain.job)) == 2


def test_a_closed_job_is_held_for_that_reason_alone(chain):
    Job.objects.filter(pk=chain.job.pk).update(stage=Stage.CLOSED)
    assert held(chain.job) == [str(gates.JOB_CLOSED)]


def test_the_reasons_are_given_in_the_readers_language(chain, cast):
    Job.objects.filter(pk=chain.job.pk).update(prepayment_required=Decimal("5000"))
    chain.job.refresh_from_db()
    with translation.override("en"):
        assert gates.work_blockers(chain.job) == [
            str(gates.QUOTE_NOT_SIGNED),
            str(gates.PREPAYMENT_MISSING % {"amount": "CNY 5,000.00"}),
        ]
    with translation.override("zh-hans"):
        reasons = gates.work_blockers(chain.job)
    assert "¥5,000.00" in reasons[1]
