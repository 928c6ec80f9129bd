"""Fixtures of the credit control, commission and target tests, on top of the shared
`cast` and `clientele` (conftest.py). Import the fixtures a test file uses from here.

- `people`: the Marketing Manager 郭强 (`manager`), an account manager 吴磊 (`am`) who
  serves HAIER, a copywriter 何琳 and the Creative Director 马骏;
- `books`: an invoice series, and helpers that write invoices, credit notes and payments
  straight through the ORM, keeping `paid_amount` and `settled_on` as the payment
  services do (the invoice and payment services are another topic's);
- `signed_job(owner=..., net=...)`: a HAIER job whose quote V1 the client signed back.
"""

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from jobbag.accounts.models import Role, ServiceTeamMembership, User
from jobbag.accounts.tests.factories import staff
from jobbag.approvals.models import SignoffStatus
from jobbag.finance.models import Invoice, InvoiceSeries, Payment, PaymentAllocation
from jobbag.jobs.models import Job, QuoteVersion, Stage
from jobbag.jobs.tests.factories import JobFactory

TAX = Decimal("1.06")


@dataclass
class People:
    manager: User  # Marketing Manager: told when an invoice is 30+ days overdue.
    am: User  # Account Manager on HAIER's team.
    copywriter: User
    creative_director: User


@pytest.fixture
def people(cast, clientele) -> People:
    manager = staff("manager", Role.MARKETING_MANAGER, department="marketing", full_name="郭强")
    am = staff("am", Role.AM, full_name="吴磊")
    copywriter = staff("copy", Role.COPYWRITER, department="copy", full_name="何琳")
    cd = staff("cd", Role.CREATIVE_DIRECTOR, department="creative", full_name="马骏")
    ServiceTeamMembership.objects.create(user=am, team_role=Role.AM, company=clientele.company)
    return People(manager, am, copywriter, cd)


class Books:
    """Invoices and payments written as the billing services will keep them."""

    def __init__(self, finance: User) -> None:
        self.finance = finance
        self.series = InvoiceSeries.objects.create(
            code="main", name="主体", legal_entity="广告公司", prefix="INV", is_default=True
        )
        self.credit_series = InvoiceSeries.objects.create(
            code="cn", name="红字", legal_entity="广告公司", prefix="CN", for_credit_notes=True
        )

    def _number(self, series: InvoiceSeries) -> str:
        number = f"{series.prefix}{series.next_number:05d}"
        InvoiceSeries.objects.filter(pk=series.pk).update(next_number=series.next_number + 1)
        series.next_number += 1
        return number

    def invoice(
        self,
        *,
        company,
        total,
        job: Job | None = None,
        issued: date | None = None,
        due: date | None = None,
        days_overdue: int | None = None,
    ) -> Invoice:
        """An issued invoice of `total` (tax included); `days_overdue` sets the due date
        that many days before today."""
        today = timezone.localdate()
        if days_overdue is not None:
            due = today - timedelta(days=days_overdue)
        due = due or today + timedelta(days=30)
        issued = issued or due - timedelta(days=30)
        total = Decimal(str(total))
        net = (total / TAX).quantize(Decimal("0.01"))
        return Invoice.objects.create(
            series=self.series,
            number=self._number(self.series),
            kind=Invoice.Kind.QUOTE if job else Invoice.Kind.TIME,
            status=Invoice.Status.ISSUED,
            company=company,
            job=job,
            issue_date=issued,
            due_date=due,
            net_amount=net,
            tax_amount=total - net,
            total=total,
            created_by=self.finance,
            issued_by=self.finance,
            issued_at=timezone.now(),
        )

    def credit_note(self, invoice: Invoice, amount, *, on: date | None = None) -> Invoice:
        amount = Decimal(str(amount))
        net = (amount / TAX).quantize(Decimal("0.01"))
        return Invoice.objects.create(
            series=self.credit_series,
            number=self._number(self.credit_series),
            kind=Invoice.Kind.CREDIT_NOTE,
            status=Invoice.Status.ISSUED,
            company=invoice.company,
            job=invoice.job,
            credit_of=invoice,
            issue_date=on or timezone.localdate(),
            due_date=on or timezone.localdate(),
            net_amount=-net,
            tax_amount=-(amount - net),
            total=-amount,
            created_by=self.finance,
            issued_by=self.finance,
            issued_at=timezone.now(),
        )

    def pay(self, invoice: Invoice, amount=None, *, on: date | None = None) -> Payment:
        """The client pays `amount` (the rest of the invoice by default) on `on`."""
        on = on or timezone.localdate()
        invoice.refresh_from_db()
        amount = Decimal(str(amount)) if amount is not None else invoice.total - invoice.paid_amount
        payment = Payment.objects.create(
            company=invoice.company,
            received_on=on,
            amount=amount,
            allocated_amount=amount,
            created_by=self.finance,
        )
        PaymentAllocation.objects.create(
            payment=payment,
            invoice=invoice,
            amount=amount,
            allocated_on=on,
            created_by=self.finance,
        )
        invoice.paid_amount += amount
        fields = ["paid_amount"]
        if invoice.paid_amount >= invoice.total:
            invoice.settled_on = on
            fields.append("settled_on")
        invoice.save(update_fields=fields)
        return payment


@pytest.fixture
def books(cast) -> Books:
    return Books(cast.finance)


def sign_quote(job: Job, *, net, number: int = 1, signed_on: date | None = None) -> QuoteVersion:
    """Quote version `number` of `job`, net `net` (+6% VAT), signed back on `signed_on`."""
    net = Decimal(str(net))
    moment = timezone.now()
    if signed_on is not None:
        moment = timezone.make_aware(
            datetime.combine(signed_on, datetime.min.time()).replace(hour=10)
        )
    return QuoteVersion.objects.create(
        job=job,
        number=number,
        net_total=net,
        tax_total=(net * Decimal("0.06")).quantize(Decimal("0.01")),
        total=(net * TAX).quantize(Decimal("0.01")),
        signed_back_at=moment,
        signoff_status=SignoffStatus.APPROVED,
        created_by=job.owner,
    )


@pytest.fixture
def signed_job(clientele, cast):
    """signed_job(owner=cast.ae, net=100000, title=...) → a HAIER job with quote V1
    signed back."""

    def make(*, owner=None, net="100000", signed_on=None, company=None, **extra) -> Job:
        owner = owner or cast.ae
        job = JobFactory(
            company=company or clientele.company,
            brand=clientele.brand if company is None else None,
            owner=owner,
            stage=Stage.PRODUCTION,
            **extra,
        )
        sign_quote(job, net=net, signed_on=signed_on)
        return job

    return make
