"""What the account-health tests share, on top of the service fixtures (HAIER served by
cast.ae and cast.ad, NIKE by clientele.other_ae):

- `days_ago(n)`: a moment n days back;
- `quote(company, net, signed)`: a quote signed back on `signed` (a moment);
- `invoice(company, net, issued_on)`: an issued invoice (made directly);
- `late_complaint(company)`: an open complaint past its promised resolution;
- `contact_log(company, when)`, `held_meeting(company, when)`, `visit(company, on)`.

Import into a test module with
`from jobbag.service.tests.health_fixtures import *  # noqa: F403`.
"""

from datetime import date, datetime, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from jobbag.accounts.models import User
from jobbag.clients.models import Company, ContactLogEntry
from jobbag.finance.models import Invoice, InvoiceSeries
from jobbag.jobs.models import QuoteVersion
from jobbag.jobs.tests.factories import JobFactory
from jobbag.meetings.models import Meeting
from jobbag.meetings.tests.factories import MeetingFactory
from jobbag.service import services
from jobbag.service.models import Complaint, ComplaintCategory, ReturnVisit
from jobbag.service.tests.conftest import seeded

__all__ = [
    "contact_log",
    "days_ago",
    "held_meeting",
    "invoice",
    "late_complaint",
    "quote",
    "visit",
    "health_world",
]


def days_ago(n: int) -> datetime:
    return timezone.now() - timedelta(days=n)


def _owner(company: Company) -> User:
    member = company.service_team.select_related("user").first()
    return member.user if member else User.objects.filter(kind=User.Kind.STAFF).first()


def quote(company: Company, net: str, signed: datetime, *, currency: str = "CNY"):
    job = JobFactory(company=company, owner=_owner(company))
    amount = Decimal(net)
    return QuoteVersion.objects.create(
        job=job,
        number=1,
        currency=currency,
        net_total=amount,
        total=amount,
        created_by=job.owner,
        signed_back_at=signed,
    )


def invoice(company: Company, net: str, issued_on: date, *, status: str = "issued") -> Invoice:
    series = InvoiceSeries.objects.filter(code="health").first() or InvoiceSeries.objects.create(
        code="health", name="上海广告", legal_entity="上海广告有限公司", prefix="INV{year}-"
    )
    amount = Decimal(net)
    return Invoice.objects.create(
        series=series,
        kind=Invoice.Kind.QUOTE,
        status=status,
        company=company,
        issue_date=issued_on,
        number=f"H-{Invoice.objects.count() + 1:05d}",
        net_amount=amount,
        total=amount,
        created_by=_owner(company),
    )


def late_complaint(company: Company, *, subject: str = "海报交付延误") -> Complaint:
    seeded()
    # An admin logs it: it works for any client, served or not.
    admin = User.objects.filter(kind=User.Kind.STAFF, is_superuser=True).first()
    complaint = services.complaint_create(
        actor=admin,
        company=company,
        channel="phone",
        category=ComplaintCategory.objects.get(code="deadline"),
        severity="normal",
        subject=subject,
        description="上市海报晚了两天。",
    )
    Complaint.objects.filter(pk=complaint.pk).update(
        logged_at=days_ago(20), answer_due_at=days_ago(19), resolve_due_at=days_ago(10)
    )
    return complaint


def contact_log(company: Company, when: datetime) -> ContactLogEntry:
    author = _owner(company)
    entry = ContactLogEntry.objects.create(
        company=company, kind="call", occurred_at=when, discussed="电话沟通", created_by=author
    )
    entry.staff.add(author)
    return entry


def held_meeting(company: Company, when: datetime) -> Meeting:
    return MeetingFactory(
        company=company,
        starts_at=when,
        status=Meeting.Status.HELD,
        organizer=_owner(company),
    )


def visit(company: Company, on: date) -> ReturnVisit:
    author = _owner(company)
    return ReturnVisit.objects.create(
        company=company,
        kind=ReturnVisit.Kind.ROUTINE,
        visited_on=on,
        visited_by=author,
        notes="客户满意",
        recorded_by=author,
    )


@pytest.fixture
def health_world(service):
    """HAIER with a late complaint and no contact for 60 days; NIKE in touch yesterday."""
    haier, nike = service.company, service.clientele.other_company
    late_complaint(haier)
    contact_log(haier, days_ago(60))
    contact_log(nike, days_ago(1))
    return service
