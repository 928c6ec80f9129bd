"""Invoice services: drafts from the signed quote (whole, milestone, percentage), from
time and from retainers; taxes to the cent; issuing (Finance only, gapless numbers, a
double click refused, immutable after); credit notes; closed periods."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from jobbag.approvals.models import SignoffStatus
from jobbag.core.errors import Conflict, DomainError, NotAllowed
from jobbag.core.models import AuditEntry
from jobbag.finance.models import (
    ClosedPeriod,
    FinanceSettings,
    Invoice,
    InvoiceSeries,
    RateItem,
    Retainer,
    TimeEntry,
    Timesheet,
)
from jobbag.finance.services import billing as services
from jobbag.finance.services import periods
from jobbag.finance.sweeps.billing import retainer_drafts
from jobbag.finance.tests.conftest_billing import billing_fixture, issued_invoice  # noqa: F401

D = Decimal


def test_it_drafts_the_whole_quote_with_vat_charged_and_the_culture_fee_borne(cast, billing):
    draft = services.invoice_draft_from_quote(actor=cast.finance, job=billing.job)
    assert draft.status == Invoice.Status.DRAFT and draft.number is None
    assert [line.amount for line in draft.lines.all()] == [D("6000.00"), D("4000.00")]
    assert draft.net_amount == D("10000.00")
    assert draft.tax_amount == D("600.00")
    assert draft.levy_amount == D("300.00")
    assert draft.total == D("10600.00")
    assert [(t["name"], t["amount"], t["charged"]) for t in draft.taxes] == [
        ("增值税", "600.00", True),
        ("文化事业建设费", "300.00", False),
    ]


def test_each_tax_is_rounded_to_the_cent_half_up(cast, billing):
    # 33.33% of 10,000 = 3,333.00; 3,333.00 × 6% = 199.98; × 3% = 99.99.
    draft = services.invoice_draft_from_quote(
        actor=cast.finance, job=billing.job, kind="percentage", percentage="33.33"
    )
    assert draft.net_amount == D("3333.00")
    assert draft.tax_amount == D("199.98") and draft.levy_amount == D("99.99")
    # A milestone of 0.25 → VAT 0.015 rounds half up to 0.02, the fee 0.0075 to 0.01.
    small = services.invoice_draft_from_quote(
        actor=cast.finance, job=billing.job, kind="milestone", milestone="定金", amount="0.25"
    )
    assert small.tax_amount == D("0.02") and small.levy_amount == D("0.01")
    assert small.total == D("0.27")


def test_a_milestone_takes_an_amount_or_quote_lines(cast, billing):
    line = billing.quote.lines.order_by("order").first()
    by_lines = services.invoice_draft_from_quote(
        actor=cast.finance, job=billing.job, kind="milestone", milestone="设计", line_ids=[line.pk]
    )
    assert by_lines.net_amount == D("6000.00") and by_lines.milestone == "设计"
    with pytest.raises(DomainError) as error:
        services.invoice_draft_from_quote(
            actor=cast.finance, job=billing.job, kind="milestone", milestone="其余"
        )
    assert "amount" in error.value.fields
    other_line = billing.other_quote.lines.first()
    with pytest.raises(DomainError) as error:
        services.invoice_draft_from_quote(
            actor=cast.finance,
            job=billing.job,
            kind="milestone",
            milestone="x",
            line_ids=[other_line.pk],
        )
    assert "lines" in error.value.fields


@pytest.mark.parametrize("percentage", ["0", "-5", "100.01", "abc", "NaN", ""])
def test_a_malformed_percentage_is_refused(cast, billing, percentage):
    with pytest.raises(DomainError) as error:
        services.invoice_draft_from_quote(
            actor=cast.finance, job=billing.job, kind="percentage", percentage=percentage
        )
    assert "percentage" in error.value.fields
    assert not Invoice.objects.exists()


def test_it_never_invoices_more_than_the_signed_quote(cast, billing):
    services.invoice_draft_from_quote(
        actor=cast.finance, job=billing.job, kind="percentage", percentage="60"
    )
    with pytest.raises(DomainError) as error:
        services.invoice_draft_from_quote(
            actor=cast.finance, job=billing.job, kind="percentage", percentage="50"
        )
    assert error.value.code == "over_quote"
    assert "4,000.00" in str(error.value.message)
    services.invoice_draft_from_quote(
        actor=cast.finance, job=billing.job, kind="percentage", percentage="40"
    )
    assert Invoice.objects.count() == 2


def test_a_credited_invoice_frees_its_amount_of_the_quote(cast, billing):
    invoice = issued_invoice(cast, billing)
    with pytest.raises(DomainError):
        services.invoice_draft_from_quote(actor=cast.finance, job=billing.job)
    services.invoice_credit(actor=cast.finance, invoice=invoice, reason="开错抬头")
    again = services.invoice_draft_from_quote(actor=cast.finance, job=billing.job)
    assert again.net_amount == D("10000.00")


def test_a_job_without_a_signed_quote_cannot_be_invoiced_from_it(cast, billing):
    billing.quote.signed_back_at = None
    billing.quote.save(update_fields=["signed_back_at"])
    with pytest.raises(DomainError) as error:
        services.invoice_draft_from_quote(actor=cast.finance, job=billing.job)
    assert str(error.value.message) == str(services.NO_SIGNED_QUOTE)


@pytest.mark.parametrize("role", ["ae", "ad", "gm", "designer", "admin", "client"])
def test_only_finance_drafts_and_issues(cast, billing, role):
    with pytest.raises(NotAllowed):
        services.invoice_draft_from_quote(actor=getattr(cast, role), job=billing.job)
    draft = services.invoice_draft_from_quote(actor=cast.finance, job=billing.job)
    with pytest.raises(NotAllowed):
        services.invoice_issue(actor=getattr(cast, role), invoice=draft)
    draft.refresh_from_db()
    assert draft.status == Invoice.Status.DRAFT


def test_issuing_numbers_dates_hashes_and_audits(cast, billing):
    FinanceSettings.objects.filter(pk=1).update(payment_terms_days=45)
    day = timezone.localdate() - timedelta(days=3)
    invoice = issued_invoice(cast, billing, issue_date=day)
    assert invoice.number == f"INV{day.year}-00001"
    assert invoice.issue_date == day and invoice.due_date == day + timedelta(days=45)
    assert len(invoice.content_hash) == 64 and invoice.issued_by == cast.finance
    billing.series.refresh_from_db()
    assert billing.series.next_number == 2
    second = services.invoice_issue(
        actor=cast.finance,
        invoice=services.invoice_draft_from_quote(
            actor=cast.finance, job=billing.other_job, kind="percentage", percentage="10"
        ),
    )
    assert second.number == f"INV{timezone.localdate().year}-00002"
    assert AuditEntry.objects.filter(
        object_id=str(invoice.pk), action=AuditEntry.Action.TRANSITION
    ).exists()


def test_a_second_issue_is_refused_and_takes_no_number(cast, billing):
    invoice = issued_invoice(cast, billing)
    with pytest.raises(Conflict):
        services.invoice_issue(actor=cast.finance, invoice=invoice)
    billing.series.refresh_from_db()
    assert billing.series.next_number == 2


def test_a_refused_issue_leaves_no_gap(cast, billing):
    draft = services.invoice_draft_from_quote(actor=cast.finance, job=billing.job)
    with pytest.raises(DomainError):
        services.invoice_issue(
            actor=cast.finance, invoice=draft, issue_date=timezone.localdate() + timedelta(days=1)
        )
    billing.series.refresh_from_db()
    assert billing.series.next_number == 1
    invoice = services.invoice_issue(actor=cast.finance, invoice=draft)
    assert invoice.number.endswith("-00001")


def test_an_issued_invoice_is_never_edited_or_discarded(cast, billing):
    invoice = issued_invoice(cast, billing)
    with pytest.raises(Conflict):
        services.invoice_update_draft(
            actor=cast.finance, invoice=invoice, expected_version=invoice.version, note="改"
        )
    with pytest.raises(Conflict):
        services.invoice_discard(actor=cast.finance, invoice=invoice)
    invoice.refresh_from_db()
    assert invoice.note == "" and invoice.status == Invoice.Status.ISSUED


def test_a_stale_draft_edit_is_a_conflict(cast, billing):
    draft = services.invoice_draft_from_quote(actor=cast.finance, job=billing.job)
    services.invoice_update_draft(
        actor=cast.finance, invoice=draft, expected_version=draft.version, note="一"
    )
    with pytest.raises(Conflict):
        services.invoice_update_draft(
            actor=cast.finance, invoice=draft, expected_version=1, note="二"
        )
    draft.refresh_from_db()
    assert draft.note == "一"


def test_a_credit_note_reverses_the_whole_invoice(cast, billing):
    invoice = issued_invoice(cast, billing)
    note = services.invoice_credit(actor=cast.finance, invoice=invoice, reason="金额有误")
    assert note.kind == Invoice.Kind.CREDIT_NOTE and note.credit_of == invoice
    assert note.number == f"CN{timezone.localdate().year}-00001"
    assert (note.net_amount, note.tax_amount, note.total, note.levy_amount) == (
        D("-10000.00"),
        D("-600.00"),
        D("-10600.00"),
        D("-300.00"),
    )
    invoice.refresh_from_db()
    assert invoice.outstanding == 0 and invoice.settled_on == timezone.localdate()
    with pytest.raises(DomainError):
        services.invoice_credit(actor=cast.finance, invoice=invoice, reason="再来", net_amount="1")


def test_a_partial_credit_cannot_exceed_what_is_left(cast, billing):
    invoice = issued_invoice(cast, billing)
    note = services.invoice_credit(
        actor=cast.finance, invoice=invoice, reason="折让", net_amount="1000"
    )
    assert note.total == D("-1060.00")
    with pytest.raises(DomainError) as error:
        services.invoice_credit(
            actor=cast.finance, invoice=invoice, reason="再折", net_amount="9000.01"
        )
    assert "net_amount" in error.value.fields
    rest = services.invoice_credit(actor=cast.finance, invoice=invoice, reason="全部冲销")
    assert rest.net_amount == D("-9000.00") and rest.tax_amount == D("-540.00")
    invoice.refresh_from_db()
    assert invoice.credited_amount == D("10600.00") and invoice.outstanding == 0


def test_a_credit_needs_a_reason_finance_and_an_issued_invoice(cast, billing):
    draft = services.invoice_draft_from_quote(actor=cast.finance, job=billing.job)
    with pytest.raises(DomainError):
        services.invoice_credit(actor=cast.finance, invoice=draft, reason="x")
    invoice = services.invoice_issue(actor=cast.finance, invoice=draft)
    with pytest.raises(DomainError) as error:
        services.invoice_credit(actor=cast.finance, invoice=invoice, reason="  ")
    assert "reason" in error.value.fields
    with pytest.raises(NotAllowed):
        services.invoice_credit(actor=cast.ad, invoice=invoice, reason="x")
    assert not Invoice.objects.filter(kind=Invoice.Kind.CREDIT_NOTE).exists()


def test_nothing_is_issued_or_credited_in_a_closed_period(cast, billing):
    today = timezone.localdate()
    old_day = today - timedelta(days=70)
    ClosedPeriod.objects.create(period=periods.period_of(old_day), closed_by=cast.finance)
    draft = services.invoice_draft_from_quote(actor=cast.finance, job=billing.job)
    with pytest.raises(DomainError) as error:
        services.invoice_issue(actor=cast.finance, invoice=draft, issue_date=old_day)
    assert error.value.code == "period_closed"
    invoice = services.invoice_issue(actor=cast.finance, invoice=draft)
    with pytest.raises(DomainError):
        services.invoice_credit(actor=cast.finance, invoice=invoice, reason="x", issue_date=old_day)


def test_periods_run_to_the_close_day():
    assert periods.period_of(date(2026, 11, 25), 25) == "2026-11"
    assert periods.period_of(date(2026, 11, 26), 25) == "2026-12"
    assert periods.period_of(date(2026, 12, 26), 25) == "2027-01"
    assert periods.period_bounds("2026-11", 25) == (date(2026, 10, 26), date(2026, 11, 25))
    assert periods.period_bounds("2027-01", 25) == (date(2026, 12, 26), date(2027, 1, 25))


def test_finance_closes_an_ended_period_once(cast, billing):
    ended = periods.period_of(timezone.localdate() - timedelta(days=40))
    current = periods.period_of(timezone.localdate())
    with pytest.raises(NotAllowed):
        periods.period_close(actor=cast.ae, period=ended)
    with pytest.raises(DomainError):
        periods.period_close(actor=cast.finance, period=current)
    with pytest.raises(DomainError):
        periods.period_close(actor=cast.finance, period="2026-13")
    periods.period_close(actor=cast.finance, period=ended)
    with pytest.raises(Conflict):
        periods.period_close(actor=cast.finance, period=ended)
    assert list(ClosedPeriod.objects.values_list("period", flat=True)) == [ended]


def test_series_numbers_only_move_forward(cast, billing):
    with pytest.raises(NotAllowed):
        services.series_create(actor=cast.ae, code="x", name="x", legal_entity="x", prefix="X")
    issued_invoice(cast, billing)
    billing.series.refresh_from_db()
    with pytest.raises(DomainError) as error:
        services.series_update(
            actor=cast.finance,
            series=billing.series,
            expected_version=billing.series.version,
            next_number=1,
        )
    assert "next_number" in error.value.fields
    with pytest.raises(DomainError) as error:
        services.series_create(
            actor=cast.admin, code="b", name="b", legal_entity="b", prefix="B{month}"
        )
    assert "prefix" in error.value.fields
    made = services.series_create(
        actor=cast.admin,
        code="b",
        name="北京",
        legal_entity="北京公司",
        prefix="BJ",
        is_default=True,
    )
    assert made.is_default
    assert not InvoiceSeries.objects.get(pk=billing.series.pk).is_default


def _approved_time(cast, billing, hours: str, item: RateItem | None):
    sheet = Timesheet.objects.create(
        user=cast.designer,
        week_start=timezone.localdate() - timedelta(days=timezone.localdate().weekday()),
        signoff_status=SignoffStatus.APPROVED,
    )
    return TimeEntry.objects.create(
        timesheet=sheet,
        user=cast.designer,
        job=billing.job,
        rate_item=item,
        day=timezone.localdate(),
        hours=D(hours),
    )


def test_it_drafts_approved_billable_time_at_the_clients_price(cast, clientele, billing):
    item = RateItem.objects.create(
        code="design", name_zh="平面设计", unit="hour", price=D("300.00")
    )
    RateItem.objects.create(
        code="design", name_zh="平面设计", unit="hour", price=D("280.00"), company=clientele.company
    )
    entry = _approved_time(cast, billing, "7.5", item)
    draft = services.invoice_draft_from_time(actor=cast.finance, job=billing.job)
    line = draft.lines.get()
    assert (line.quantity, line.unit_price, line.amount) == (D("7.50"), D("280.00"), D("2100.00"))
    assert draft.kind == Invoice.Kind.TIME and draft.tax_amount == D("126.00")
    entry.refresh_from_db()
    assert entry.invoice == draft
    with pytest.raises(DomainError):
        services.invoice_draft_from_time(actor=cast.finance, job=billing.job)
    services.invoice_discard(actor=cast.finance, invoice=draft)
    entry.refresh_from_db()
    assert entry.invoice is None


def test_retainer_months_are_drafted_once(cast, clientele, billing):
    retainer = services.retainer_create(
        actor=cast.finance,
        company=clientele.company,
        description="品牌年度服务费",
        monthly_fee="20000",
        starts_on=timezone.localdate().replace(day=1) - timedelta(days=40),
    )
    retainer_drafts()
    retainer_drafts()
    month = timezone.localdate().strftime("%Y-%m")
    drafts = Invoice.objects.filter(retainer=retainer)
    assert list(drafts.values_list("retainer_month", flat=True)) == [month]
    assert drafts.get().total == D("21200.00")
    assert services.retainer_draft(retainer=retainer, month=month) is None
    Retainer.objects.filter(pk=retainer.pk).update(is_active=False)
    Invoice.objects.all().delete()
    retainer_drafts()
    assert not Invoice.objects.exists()
