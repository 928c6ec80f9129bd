"""The forecast views' actuals come from issued invoices (finance): the net invoiced per
client and month (or quarter), credit notes deducted, drafts left out."""

from decimal import Decimal

from django.utils import timezone

from jobbag.finance.services import billing as invoicing
from jobbag.finance.tests.conftest_billing import billing_fixture  # noqa: F401
from jobbag.meetings.models import Forecast
from jobbag.meetings.selectors.forecasts import (
    invoiced_actuals,
    monthly_summary,
    quarter_of,
    quarterly_summary,
)

D = Decimal


def test_actuals_are_the_net_issued_per_period(cast, clientele, billing):
    today = timezone.localdate()
    invoice = invoicing.invoice_issue(
        actor=cast.finance,
        invoice=invoicing.invoice_draft_from_quote(
            actor=cast.finance, job=billing.job, kind="percentage", percentage="40"
        ),
    )
    invoicing.invoice_credit(actor=cast.finance, invoice=invoice, reason="折让", net_amount="500")
    invoicing.invoice_draft_from_quote(
        actor=cast.finance, job=billing.job, kind="percentage", percentage="10"
    )
    months = invoiced_actuals([clientele.company.pk], today.year, list(range(1, 13)))
    expected = [D(0)] * 12
    expected[today.month - 1] = D("3500.00")
    assert months == {clientele.company.pk: expected}
    quarters = invoiced_actuals([clientele.company.pk], today.year, [1, 2, 3, 4])
    assert quarters[clientele.company.pk][quarter_of(today.month) - 1] == D("3500.00")
    assert invoiced_actuals([clientele.company.pk], today.year - 1, list(range(1, 13))) == {}
    assert invoiced_actuals([clientele.other_company.pk], today.year, [1, 2, 3, 4]) == {}


def test_the_summaries_carry_the_actuals_beside_the_forecast(cast, clientele, billing):
    today = timezone.localdate()
    invoicing.invoice_issue(
        actor=cast.finance,
        invoice=invoicing.invoice_draft_from_quote(actor=cast.finance, job=billing.job),
    )
    Forecast.objects.create(
        company=clientele.company,
        month=today.replace(day=1),
        ad_spend=D("50000"),
        revenue=D("12000"),
        updated_by=cast.ae,
    )
    (row,) = monthly_summary(cast.gm, today.year).rows
    assert row.actuals[today.month - 1] == D("10000.00")
    (quarter_row,) = quarterly_summary(cast.gm, today.year).rows
    assert quarter_row.actuals[quarter_of(today.month) - 1] == D("10000.00")
