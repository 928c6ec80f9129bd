"""The account-health signals worked out in bulk: falling spend (quotes signed back, or
issued invoices when there are any), falling CSAT, late complaints, no contact; and the
number of queries, the same for 2 clients as for 20."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from jobbag.clients.models import Company
from jobbag.clients.tests.factories import CompanyFactory
from jobbag.service.health.selectors import add_months, health_of
from jobbag.service.models import HealthSettings
from jobbag.service.tests.health_fixtures import *  # noqa: F403
from jobbag.service.tests.health_fixtures import (
    contact_log,
    days_ago,
    held_meeting,
    invoice,
    late_complaint,
    quote,
    visit,
)
from jobbag.service.tests.surveys_fixtures import answered, make_template

pytestmark = pytest.mark.django_db


def one(company):
    return health_of(Company.objects.filter(pk=company.pk))[0]


def test_add_months_keeps_the_day_or_the_months_last():
    assert add_months(date(2026, 3, 31), -1) == date(2026, 2, 28)
    assert add_months(date(2026, 1, 15), -3) == date(2025, 10, 15)
    assert add_months(date(2026, 11, 30), 2) == date(2027, 1, 30)


def test_spend_falling_from_quotes_signed_back(service):
    haier = service.company
    quote(haier, "100000.00", days_ago(120))
    quote(haier, "50000.00", days_ago(20))
    health = one(haier)
    assert health.spend.source == "quotes"
    assert health.spend.previous == Decimal("100000.00")
    assert health.spend.recent == Decimal("50000.00")
    assert health.spend.drop_percent == Decimal("50.0")
    assert health.spend.falling
    assert "spend" in health.signals


def test_spend_within_the_threshold_is_not_flagged(service):
    haier = service.company
    quote(haier, "100000.00", days_ago(120))
    quote(haier, "85000.00", days_ago(20))
    health = one(haier)
    assert health.spend.drop_percent == Decimal("15.0")
    assert not health.spend.falling
    # Lowering the threshold to 15% flags it.
    settings = HealthSettings.current()
    settings.spend_drop_percent = Decimal("15")
    settings.save()
    assert one(haier).spend.falling


def test_nothing_spent_before_is_never_falling(service):
    quote(service.company, "10.00", days_ago(5))
    health = one(service.company)
    assert health.spend.drop_percent is None
    assert not health.spend.falling


def test_issued_invoices_are_preferred_to_quotes(service):
    haier = service.company
    quote(haier, "100000.00", days_ago(120))
    quote(haier, "10000.00", days_ago(20))
    today = timezone.localdate()
    invoice(haier, "30000.00", today - timedelta(days=100))
    invoice(haier, "29000.00", today - timedelta(days=10))
    invoice(haier, "90000.00", today - timedelta(days=10), status="draft")
    health = one(haier)
    assert health.spend.source == "invoices"
    assert (health.spend.previous, health.spend.recent) == (Decimal("30000"), Decimal("29000"))
    assert not health.spend.falling


def test_only_the_clients_own_currency_counts(service):
    haier = service.company
    quote(haier, "100000.00", days_ago(120))
    quote(haier, "100000.00", days_ago(20), currency="USD")
    health = one(haier)
    assert health.spend.currency == "CNY"
    assert health.spend.recent == Decimal("0.00")
    assert health.spend.falling


def test_csat_falling_quarter_on_quarter(service):
    haier, nike = service.company, service.clientele.other_company
    template = make_template()
    this_month = timezone.localdate().replace(day=1)
    recent = timezone.make_aware(
        timezone.datetime.combine(this_month, timezone.datetime.min.time())
    )
    earlier_month = add_months(this_month, -4)
    earlier = timezone.make_aware(
        timezone.datetime.combine(earlier_month, timezone.datetime.min.time())
    )
    for score in (5, 5, 4, 4):
        answered(template, haier, earlier + timedelta(hours=10), csat=score)
        answered(template, nike, earlier + timedelta(hours=10), csat=score)
    for score in (5, 2, 1, 4):
        answered(template, haier, recent + timedelta(hours=10), csat=score)
    answered(template, nike, recent + timedelta(hours=10), csat=5)
    haier_health, nike_health = health_of(
        Company.objects.filter(pk__in=[haier.pk, nike.pk]).order_by("code")
    )
    assert haier_health.company == haier
    assert haier_health.satisfaction.previous == Decimal("100.0")
    assert haier_health.satisfaction.recent == Decimal("50.0")
    assert haier_health.satisfaction.falling
    assert "satisfaction" in haier_health.signals
    assert nike_health.satisfaction.recent == Decimal("100.0")
    assert not nike_health.satisfaction.falling


def test_csat_with_no_answers_before_is_not_falling(service):
    template = make_template()
    answered(template, service.company, days_ago(1), csat=1)
    health = one(service.company)
    assert health.satisfaction.measured
    assert health.satisfaction.recent == Decimal("0.0")
    assert health.satisfaction.previous is None
    assert not health.satisfaction.falling


def test_open_late_complaints_flag_and_settled_ones_do_not(service):
    haier = service.company
    complaint = late_complaint(haier)
    health = one(haier)
    assert health.complaints.count == 1
    assert "complaints" in health.signals
    type(complaint).objects.filter(pk=complaint.pk).update(status="resolved")
    assert one(haier).complaints.count == 0


def test_no_contact_ever_or_for_too_long_flags(service):
    haier = service.company
    health = one(haier)
    assert health.contact.last_on is None and health.contact.quiet
    contact_log(haier, days_ago(60))
    health = one(haier)
    assert health.contact.days == 60 and health.contact.source == "log"
    assert "contact" in health.signals


@pytest.mark.parametrize("source", ["meeting", "report", "visit", "log"])
def test_any_kind_of_contact_counts(service, source):
    from jobbag.meetings.tests.factories import ContactReportFactory

    haier = service.company
    contact_log(haier, days_ago(90))
    if source == "meeting":
        held_meeting(haier, days_ago(3))
    elif source == "report":
        ContactReportFactory(
            company=haier, created_by=service.dcs, status="sent", sent_at=days_ago(3)
        )
    elif source == "visit":
        visit(haier, timezone.localdate() - timedelta(days=3))
    else:
        contact_log(haier, days_ago(3))
    health = one(haier)
    assert health.contact.source == source
    assert health.contact.days == 3
    assert not health.contact.quiet


def test_an_internal_meeting_or_a_planned_one_is_no_contact(service):
    from jobbag.meetings.models import Meeting

    haier = service.company
    meeting = held_meeting(haier, days_ago(2))
    Meeting.objects.filter(pk=meeting.pk).update(kind=Meeting.Kind.INTERNAL)
    assert one(haier).contact.last_on is None


def test_the_query_count_does_not_grow_with_the_clients(service, django_assert_num_queries, cast):
    def world(n):
        for _ in range(n):
            company = CompanyFactory()
            quote(company, "100.00", days_ago(120))
            late_complaint(company)
            contact_log(company, days_ago(4))
            visit(company, timezone.localdate())

    world(2)
    HealthSettings.current()
    with django_assert_num_queries(10) as small:
        assert len(health_of(Company.objects.all())) == 4
    world(18)
    with django_assert_num_queries(len(small.captured_queries)):
        rows = health_of(Company.objects.all())
    assert len(rows) == 22
    assert sum(1 for row in rows if "complaints" in row.signals) == 20
