"""Credit control services: the daily notices, the derived credit hold, the gate that
job and work order creation go through, and the GM's override.

Cast (conftest.py and conftest_incentives.py): cast.ae owns HAIER's jobs, cast.ad is
HAIER's Account Director, people.manager the Marketing Manager, cast.gm the GM."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone, translation

from jobbag.core.errors import Conflict, DomainError, NotAllowed
from jobbag.core.models import AuditEntry, Notification
from jobbag.core.sweeps import daily_sweeps
from jobbag.finance.models import CreditNotice, CreditOverride, FinanceSettings
from jobbag.finance.selectors import credit as selectors
from jobbag.finance.services import credit as services
from jobbag.jobs.models import Job, WorkOrder
from jobbag.jobs.services.jobs import job_create
from jobbag.jobs.services.work_orders import work_order_create
from jobbag.jobs.tests.factories import JobFactory, order_kind

# The fixtures of conftest_incentives (books, people, signed_job).
pytest_plugins = ["jobbag.finance.tests.conftest_incentives"]

TODAY = timezone.localdate


def _notices(invoice) -> set[str]:
    return set(CreditNotice.objects.filter(invoice=invoice).values_list("level", flat=True))


def test_an_invoice_95_days_overdue_tells_owner_manager_and_gm_once_each(
    cast, clientele, people, books, mailoutbox
):

    job = JobFactory(company=clientele.company, owner=cast.ae)
    invoice = books.invoice(company=clientele.company, job=job, total="10600", days_overdue=95)

    sent = services.credit_notices_send()

    assert {n.level for n in sent} == {"owner", "marketing_manager", "gm"}
    assert {n.days_overdue for n in sent} == {95}
    told = set(Notification.objects.values_list("recipient__username", flat=True))
    assert told == {"ae", "manager", "gm"}
    assert {tuple(m.to) for m in mailoutbox} == {
        ("ae@agency.example",),
        ("manager@agency.example",),
        ("gm@agency.example",),
    }
    # The sweep again (or redone after a dead worker) tells no one twice.
    assert services.credit_notices_send() == []
    assert Notification.objects.count() == 3 and _notices(invoice) == {
        "owner",
        "marketing_manager",
        "gm",
    }


def test_notices_climb_one_level_at_a_time_as_the_thresholds_pass(cast, clientele, people, books):
    invoice = books.invoice(company=clientele.company, total="5000", days_overdue=35)
    services.credit_notices_send()
    # No job: the client's Account Director is told as the owner.
    assert _notices(invoice) == {"owner", "marketing_manager"}
    assert Notification.objects.filter(recipient=cast.ad).count() == 1
    services.credit_notices_send(today=TODAY() + timedelta(days=30))
    assert _notices(invoice) == {"owner", "marketing_manager", "gm"}


def test_thresholds_are_settings(cast, clientele, people, books):
    FinanceSettings.objects.update_or_create(
        pk=1, defaults={"notice_owner_days": 10, "notice_marketing_manager_days": 20}
    )
    invoice = books.invoice(company=clientele.company, total="5000", days_overdue=5)
    assert services.credit_notices_send() == []
    services.credit_notices_send(today=TODAY() + timedelta(days=16))
    assert _notices(invoice) == {"owner", "marketing_manager"}


def test_paid_settled_or_credited_invoices_are_not_overdue(cast, clientele, people, books):
    paid = books.invoice(company=clientele.company, total="1000", days_overdue=100)
    books.pay(paid)
    credited = books.invoice(company=clientele.company, total="2000", days_overdue=100)
    books.credit_note(credited, "2000")
    part = books.invoice(company=clientele.company, total="3000", days_overdue=100)
    books.pay(part, "1000")
    assert services.credit_notices_send()
    assert set(CreditNotice.objects.values_list("invoice", flat=True)) == {part.pk}
    status = selectors.credit_status(clientele.company)
    assert status.overdue_amount == Decimal("2000.00") and status.overdue_invoices == 1


def test_the_daily_sweep_is_registered(cast, clientele, people, books):
    books.invoice(company=clientele.company, total="1000", days_overdue=3)
    daily_sweeps()["finance.credit_notices"]()
    assert CreditNotice.objects.count() == 1


def test_the_hold_is_derived_from_the_oldest_overdue_invoice(cast, clientele, books):
    books.invoice(company=clientele.company, total="1000", days_overdue=90)
    status = selectors.credit_status(clientele.company)
    assert not status.on_hold and status.standing == "near"
    books.invoice(company=clientele.company, total="1000", days_overdue=91)
    status = selectors.credit_status(clientele.company)
    assert status.on_hold and status.standing == "hold" and status.oldest_days == 91
    assert not selectors.credit_status(clientele.other_company).on_hold


@pytest.fixture
def held(clientele, books):
    return books.invoice(company=clientele.company, total="10600", days_overdue=95)


def _take(cast, clientele, title="冰箱秋季促销") -> Job:
    return job_create(
        actor=cast.ae, company=clientele.company, order_kind=order_kind("formal"), title=title
    )


def test_a_held_client_gets_no_new_order_and_the_reason_says_why(cast, clientele, held):
    with translation.override("en"), pytest.raises(DomainError) as refused:
        _take(cast, clientele)
    assert refused.value.code == "credit_hold"
    message = str(refused.value.message)
    assert "credit hold" in message and "95 days" in message and "10,600.00" in message
    assert not Job.objects.filter(title="冰箱秋季促销").exists()
    # Another client is not held.
    job_create(
        actor=clientele.other_ae,
        company=clientele.other_company,
        order_kind=order_kind("formal"),
        title="耐克新品",
    )


def test_an_override_lets_one_order_through_and_is_logged(cast, clientele, held):
    override = services.credit_override_grant(
        actor=cast.gm,
        company=clientele.company,
        reason="客户承诺月底前付清",
        valid_until=TODAY() + timedelta(days=7),
    )
    assert AuditEntry.objects.filter(object_id=str(override.pk), action="create").exists()
    job = _take(cast, clientele)
    override.refresh_from_db()
    assert override.used_by == cast.ae and override.used_at is not None
    assert override.used_for.endswith(f"(#{job.pk})")
    assert AuditEntry.objects.filter(object_id=str(override.pk), action="change").exists()
    # Used once: the next order is held again.
    with pytest.raises(DomainError):
        _take(cast, clientele, title="第二单")


def test_a_work_order_for_a_held_client_needs_an_override_too(cast, clientele, held):
    job = JobFactory(company=clientele.company, owner=cast.ae)
    values = {
        "departments": [cast.designer.department],
        "client_request": "秋季海报",
        "specification": "A1 四色",
        "quantity": "20 张",
        "quality_standard": "色差ΔE<2",
        "delivery_place": "青岛总部",
        "delivery_due": TODAY() + timedelta(days=10),
    }
    with pytest.raises(DomainError) as refused:
        work_order_create(actor=cast.ae, job=job, **values)
    assert refused.value.code == "credit_hold"
    assert not WorkOrder.objects.exists()


def test_an_expired_override_lets_nothing_through(cast, clientele, held):
    CreditOverride.objects.create(
        company=clientele.company,
        reason="旧的",
        valid_until=TODAY() - timedelta(days=1),
        granted_by=cast.gm,
    )
    with pytest.raises(DomainError):
        _take(cast, clientele)


def test_only_the_gm_grants_an_override(cast, clientele, people, held):
    for someone in (cast.ae, cast.ad, cast.finance, people.manager, cast.admin, cast.client):
        with pytest.raises(NotAllowed):
            services.credit_override_grant(
                actor=someone,
                company=clientele.company,
                reason="x",
                valid_until=TODAY(),
            )
    assert not CreditOverride.objects.exists()


def test_a_grant_needs_a_reason_and_a_sensible_date(cast, clientele, held):
    with pytest.raises(DomainError) as refused:
        services.credit_override_grant(
            actor=cast.gm, company=clientele.company, reason="  ", valid_until=None
        )
    assert set(refused.value.fields) == {"reason", "valid_until"}
    for day in (TODAY() - timedelta(days=1), TODAY() + timedelta(days=91)):
        with pytest.raises(DomainError) as refused:
            services.credit_override_grant(
                actor=cast.gm, company=clientele.company, reason="ok", valid_until=day
            )
        assert "valid_until" in refused.value.fields
    assert not CreditOverride.objects.exists()


def test_a_double_grant_gives_one_override(cast, clientele, held):
    values = {"company": clientele.company, "reason": "ok", "valid_until": TODAY()}
    services.credit_override_grant(actor=cast.gm, **values)
    with pytest.raises(Conflict):
        services.credit_override_grant(actor=cast.gm, **values)
    assert CreditOverride.objects.count() == 1


def test_no_override_for_a_client_not_on_hold(cast, clientele):
    with pytest.raises(DomainError) as refused:
        services.credit_override_grant(
            actor=cast.gm, company=clientele.company, reason="ok", valid_until=TODAY()
        )
    assert refused.value.code == "not_on_hold"
