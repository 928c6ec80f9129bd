"""The billing cast, on top of the shared `cast` and `clientele` (conftest.py). Test
files import the fixtures they use from here:

- the tax profile "一般纳税人" with VAT 6% (charged) and the culture-construction fee 3%
  (borne by the agency), the default;
- the invoice series INV{year}- (default) and the credit-note series CN{year}-;
- `billing.job`: HAIER's job owned by cast.ae, with a quote signed back by the client:
  net 10,000.00 in two lines (6,000.00 + 4,000.00), VAT 600.00, total 10,600.00;
- `billing.other_job`: a NIKE job with its own signed quote of 5,000.00 net.
"""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

import pytest
from django.utils import timezone

from jobbag.approvals.models import SignoffStatus
from jobbag.finance.models import (
    FinanceSettings,
    Invoice,
    InvoiceSeries,
    TaxComponent,
    TaxProfile,
)
from jobbag.finance.services import billing as services
from jobbag.jobs.models import Job, QuoteLine, QuoteVersion
from jobbag.jobs.tests.factories import JobFactory


@dataclass
class Billing:
    profile: TaxProfile
    series: InvoiceSeries
    credit_series: InvoiceSeries
    job: Job
    quote: QuoteVersion
    other_job: Job
    other_quote: QuoteVersion


def signed_quote_for(job: Job, lines: list[tuple[str, str]], profile: TaxProfile, by):
    """A quote version signed back by the client, with its totals as the quote services
    compute them."""
    quote = QuoteVersion.objects.create(
        job=job,
        number=1,
        tax_profile=profile,
        created_by=by,
        signoff_status=SignoffStatus.APPROVED,
        signed_back_at=timezone.now(),
    )
    for order, (description, amount) in enumerate(lines):
        QuoteLine.objects.create(
            quote=quote,
            order=order,
            kind=QuoteLine.Kind.PIECE,
            description=description,
            quantity=Decimal(1),
            unit_price=Decimal(amount),
            amount=Decimal(amount),
        )
    net = sum((Decimal(amount) for _d, amount in lines), Decimal(0))
    taxes, charged, _borne = services.taxes_for(net, profile)
    QuoteVersion.objects.filter(pk=quote.pk).update(
        net_total=net, tax_total=charged, total=net + charged, tax_lines=taxes
    )
    quote.refresh_from_db()
    return quote


@pytest.fixture(name="billing")
def billing_fixture(cast, clientele) -> Billing:
    FinanceSettings.current()
    profile = TaxProfile.objects.create(code="general", name="一般纳税人", is_default=True)
    TaxComponent.objects.create(profile=profile, name="增值税", rate=Decimal("6"), order=1)
    TaxComponent.objects.create(
        profile=profile, name="文化事业建设费", rate=Decimal("3"), charged=False, order=2
    )
    series = InvoiceSeries.objects.create(
        code="inv",
        name="上海广告有限公司",
        legal_entity="上海广告有限公司",
        tax_number="91310000MA1FL",
        prefix="INV{year}-",
        is_default=True,
    )
    credit_series = InvoiceSeries.objects.create(
        code="cn",
        name="上海广告有限公司 红字",
        legal_entity="上海广告有限公司",
        prefix="CN{year}-",
        for_credit_notes=True,
        is_default=True,
    )
    job = JobFactory(
        company=clientele.company, brand=clientele.brand, owner=cast.ae, number="HAIER-2026-0001"
    )
    quote = signed_quote_for(
        job, [("门店POP设计", "6000.00"), ("海报印刷", "4000.00")], profile, cast.ae
    )
    other_job = JobFactory(company=clientele.other_company, owner=clientele.other_ae)
    other_quote = signed_quote_for(other_job, [("耐克海报", "5000.00")], profile, cast.ae)
    return Billing(profile, series, credit_series, job, quote, other_job, other_quote)


def issued_invoice(cast, billing: Billing, *, issue_date: date | None = None, **kwargs) -> Invoice:
    """The whole signed quote invoiced and issued by Finance (on `issue_date`)."""
    draft = services.invoice_draft_from_quote(actor=cast.finance, job=billing.job, **kwargs)
    return services.invoice_issue(actor=cast.finance, invoice=draft, issue_date=issue_date)
