"""Commission services: rules as data (shares adding up to 100%), who earns on a job,
pending until the client has paid in full, payable dated by the last payment, paid out
once by Finance.

Cast: cast.ae (an AE) owns the jobs; cast.ad is HAIER's Account Director (the client
director); people.am is an Account Manager on HAIER's team; Finance pays out."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from jobbag.core.errors import Conflict, DomainError, NotAllowed
from jobbag.core.models import AuditEntry, Notification
from jobbag.core.sweeps import daily_sweeps
from jobbag.finance.models import Commission, CommissionRule
from jobbag.finance.services import incentives as services
from jobbag.finance.tests.conftest_incentives import sign_quote
from jobbag.jobs.models import Stage

# The fixtures of conftest_incentives (books, people, signed_job).
pytest_plugins = ["jobbag.finance.tests.conftest_incentives"]

TODAY = timezone.localdate


@pytest.fixture
def rules(cast):
    account = services.commission_rule_create(
        actor=cast.finance, code="account", name="客户提成 5%", rate="5", shares={"owner": 100}
    )
    split = services.commission_rule_create(
        actor=cast.finance,
        code="split",
        name="项目分成 2%",
        rate="2",
        shares={"ae": "40", "client_director": "30", "copywriter": "30"},
    )
    return account, split


def _by(job) -> dict:
    return {
        (c.rule.code, c.participant): (c.user.username, c.amount, c.status)
        for c in Commission.objects.filter(job=job).select_related("rule", "user")
    }


def test_a_signed_job_earns_pending_commissions_by_the_rules(cast, clientele, rules, signed_job):
    job = signed_job(net="100000")
    services.commissions_refresh(job)
    assert _by(job) == {
        ("account", "owner"): ("ae", Decimal("5000.00"), "pending"),
        ("split", "ae"): ("ae", Decimal("800.00"), "pending"),
        ("split", "client_director"): ("ad", Decimal("600.00"), "pending"),
    }
    # Refreshing again changes nothing.
    services.commissions_refresh(job)
    assert Commission.objects.filter(job=job).count() == 3


def test_a_commission_is_payable_only_after_the_last_payment(
    cast, clientele, rules, signed_job, books
):
    job = signed_job(net="100000")
    first = books.invoice(company=clientele.company, job=job, total="53000")
    second = books.invoice(company=clientele.company, job=job, total="53000")
    services.commissions_refresh(job)
    books.pay(first, on=TODAY() - timedelta(days=5))
    services.commissions_refresh(job)
    assert {c.status for c in Commission.objects.filter(job=job)} == {"pending"}
    books.pay(second, "20000", on=TODAY() - timedelta(days=3))
    services.commissions_refresh(job)
    assert {c.status for c in Commission.objects.filter(job=job)} == {"pending"}

    books.pay(second, on=TODAY() - timedelta(days=1))
    services.commissions_refresh(job)
    rows = Commission.objects.filter(job=job)
    assert {(c.status, c.payable_on) for c in rows} == {("payable", TODAY() - timedelta(days=1))}
    assert Notification.objects.filter(recipient=cast.ae).count() == 2
    assert AuditEntry.objects.filter(action="transition", object_id=str(rows[0].pk)).exists()


def test_invoices_must_cover_the_signed_quote(cast, clientele, rules, signed_job, books):
    job = signed_job(net="100000")
    half = books.invoice(company=clientele.company, job=job, total="53000")
    books.pay(half)
    services.commissions_refresh(job)
    assert {c.status for c in Commission.objects.filter(job=job)} == {"pending"}


def test_a_later_credit_note_puts_a_payable_commission_back_to_pending(
    cast, clientele, rules, signed_job, books
):
    job = signed_job(net="100000")
    invoice = books.invoice(company=clientele.company, job=job, total="106000")
    books.pay(invoice)
    services.commissions_refresh(job)
    assert {c.status for c in Commission.objects.filter(job=job)} == {"payable"}
    books.credit_note(invoice, "10600")
    services.commissions_refresh(job)
    assert {(c.status, c.payable_on) for c in Commission.objects.filter(job=job)} == {
        ("pending", None)
    }


def test_the_daily_sweep_writes_and_settles_commissions(cast, clientele, rules, signed_job, books):
    job = signed_job(net="50000")
    sweep = daily_sweeps()["finance.commissions_refresh"]
    sweep()
    assert Commission.objects.filter(job=job, status="pending").count() == 3
    books.pay(books.invoice(company=clientele.company, job=job, total="53000"))
    sweep()
    assert Commission.objects.filter(job=job, status="payable").count() == 3


def test_no_signed_quote_or_a_cancelled_job_earns_nothing(cast, clientele, rules, signed_job):
    job = signed_job()
    services.commissions_refresh(job)
    job.stage = Stage.CANCELLED
    job.save(update_fields=["stage"])
    services.commissions_refresh(job)
    assert not Commission.objects.filter(job=job).exists()


def test_a_new_signed_version_changes_pending_amounts(cast, clientele, rules, signed_job):
    job = signed_job(net="100000")
    services.commissions_refresh(job)
    sign_quote(job, net="120000", number=2)
    services.commissions_refresh(job)
    assert _by(job)[("account", "owner")][1] == Decimal("6000.00")


def test_the_account_team_names_the_copywriter_until_the_first_invoice(
    cast, clientele, people, rules, signed_job, books
):
    job = signed_job(net="100000")
    services.commission_credit_set(
        actor=people.am, job=job, participant="copywriter", user=people.copywriter
    )
    assert _by(job)[("split", "copywriter")] == ("copy", Decimal("600.00"), "pending")
    with pytest.raises(NotAllowed):
        services.commission_credit_set(
            actor=cast.designer, job=job, participant="copywriter", user=cast.designer
        )
    books.invoice(company=clientele.company, job=job, total="1000")
    with pytest.raises(DomainError) as refused:
        services.commission_credit_set(
            actor=people.am, job=job, participant="copywriter", user=people.creative_director
        )
    assert refused.value.code == "credits_fixed"
    assert _by(job)[("split", "copywriter")][0] == "copy"


def test_shares_of_a_rule_must_add_up_to_100(cast):
    with pytest.raises(DomainError) as refused:
        services.commission_rule_create(
            actor=cast.finance, code="bad", name="bad", rate="3", shares={"owner": 60, "ae": 30}
        )
    assert "shares" in refused.value.fields
    for shares in ({"owner": "abc"}, {"nobody": 100}, {"owner": 150}):
        with pytest.raises(DomainError):
            services.commission_rule_create(
                actor=cast.finance, code="bad", name="bad", rate="3", shares=shares
            )
    for rate in ("0", "101", "x", None):
        with pytest.raises(DomainError) as refused:
            services.commission_rule_create(
                actor=cast.finance, code="bad", name="bad", rate=rate, shares={"owner": 100}
            )
        assert "rate" in refused.value.fields
    assert not CommissionRule.objects.exists()


def test_only_finance_edits_rules_and_a_stale_edit_is_refused(cast, rules):
    account, _split = rules
    with pytest.raises(NotAllowed):
        services.commission_rule_create(
            actor=cast.ae, code="x", name="x", rate="1", shares={"owner": 100}
        )
    services.commission_rule_update(
        actor=cast.finance,
        rule=account,
        expected_version=account.version,
        rate="6",
        shares={"owner": 50, "ae": 50},
    )
    account.refresh_from_db()
    assert account.rate == Decimal("6.00")
    assert {s.participant: s.share for s in account.shares.all()} == {
        "owner": Decimal("50.00"),
        "ae": Decimal("50.00"),
    }
    with pytest.raises(Conflict):
        services.commission_rule_update(
            actor=cast.finance, rule=account, expected_version=account.version - 1, rate="7"
        )


def test_finance_marks_a_payable_commission_paid_out_once(
    cast, clientele, rules, signed_job, books
):

    job = signed_job(net="100000")
    services.commissions_refresh(job)
    pending = Commission.objects.filter(job=job).first()
    with pytest.raises(DomainError) as refused:
        services.commission_mark_paid(actor=cast.finance, commission=pending)
    assert refused.value.code == "not_payable"
    books.pay(books.invoice(company=clientele.company, job=job, total="106000"))
    services.commissions_refresh(job)
    payable = Commission.objects.get(pk=pending.pk)
    with pytest.raises(NotAllowed):
        services.commission_mark_paid(actor=cast.gm, commission=payable)
    services.commission_mark_paid(actor=cast.finance, commission=payable)
    with pytest.raises(Conflict):
        services.commission_mark_paid(actor=cast.finance, commission=payable)
    payable.refresh_from_db()
    assert payable.status == "paid" and payable.paid_on == TODAY()
    # Paid stays paid whatever happens after.
    services.commissions_refresh(job)
    payable.refresh_from_db()
    assert payable.status == "paid"
