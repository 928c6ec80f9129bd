"""Quote services: versions, lines priced from the rate card, totals with taxes, updates,
submission refusals and the prepayment."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from jobbag.approvals.models import SignoffStatus
from jobbag.approvals.services import approval_decide, approval_withdraw
from jobbag.clients.tests.factories import CompanyFactory
from jobbag.core.errors import Conflict, DomainError, NotAllowed
from jobbag.core.models import AuditEntry, Notification
from jobbag.finance.models import RateItem, TaxComponent, TaxProfile
from jobbag.jobs.models import Job, QuoteLine, Stage
from jobbag.jobs.services import quotes
from jobbag.jobs.tests.test_quotes_helpers import approve, client_decides, quote_of, rates

TIME, PIECE, EXTERNAL = QuoteLine.Kind.TIME, QuoteLine.Kind.PIECE, QuoteLine.Kind.EXTERNAL


@pytest.fixture
def card(chain):
    return rates()


def test_it_makes_the_first_version_with_the_default_tax_profile(chain, cast, card):
    quote = quotes.quote_create(actor=cast.ae, job=chain.job)
    assert quote.number == 1
    assert quote.signoff_status == SignoffStatus.DRAFT
    assert quote.tax_profile == card["tax_profile"]
    assert quote.total == 0
    chain.job.refresh_from_db()
    assert chain.job.stage == Stage.QUOTE
    assert AuditEntry.objects.filter(object_id=str(quote.pk), action="create").exists()


def test_a_job_past_review_keeps_its_stage(chain, cast, card):
    Job.objects.filter(pk=chain.job.pk).update(stage=Stage.PRODUCTION)
    chain.job.refresh_from_db()
    quotes.quote_create(actor=cast.ae, job=chain.job)
    chain.job.refresh_from_db()
    assert chain.job.stage == Stage.PRODUCTION


def test_it_prices_hours_from_the_general_rate_card(chain, cast, card):
    quote = quotes.quote_create(actor=cast.ae, job=chain.job)
    line = quotes.quote_line_add(
        actor=cast.ae,
        quote=quote,
        kind=TIME,
        quantity="12.5",
        rate_item=card["rate_items"]["artwork"],
    )
    assert line.unit_price == Decimal("300.00")
    assert line.amount == Decimal("3750.00")
    assert line.description == "完稿制作"


def test_the_clients_own_price_wins(chain, cast, card, clientele):
    general = card["rate_items"]["print-creative"]
    RateItem.objects.create(
        code=general.code,
        name_zh="平面创意（海尔协议价）",
        unit=RateItem.Unit.HOUR,
        price=Decimal("650.00"),
        company=clientele.company,
    )
    quote = quotes.quote_create(actor=cast.ae, job=chain.job)
    line = quotes.quote_line_add(
        actor=cast.ae, quote=quote, kind=TIME, quantity=10, rate_item=general
    )
    assert line.unit_price == Decimal("650.00")
    assert line.amount == Decimal("6500.00")


def test_another_clients_price_is_refused(chain, cast, card):
    nike = RateItem.objects.create(
        code="artwork", name_zh="完稿", unit="hour", price=100, company=CompanyFactory(code="X1")
    )
    quote = quotes.quote_create(actor=cast.ae, job=chain.job)
    with pytest.raises(DomainError) as refused:
        quotes.quote_line_add(actor=cast.ae, quote=quote, kind=TIME, quantity=1, rate_item=nike)
    assert refused.value.fields["rate_item"] == quotes.RATE_ITEM_OTHER_CLIENT


def test_a_piece_item_is_not_an_hourly_rate(chain, cast, card):
    quote = quotes.quote_create(actor=cast.ae, job=chain.job)
    with pytest.raises(DomainError) as refused:
        quotes.quote_line_add(
            actor=cast.ae, quote=quote, kind=TIME, quantity=1, rate_item=card["rate_items"]["film"]
        )
    assert "rate_item" in refused.value.fields
    line = quotes.quote_line_add(
        actor=cast.ae, quote=quote, kind=PIECE, quantity=4, rate_item=card["rate_items"]["film"]
    )
    assert line.amount == Decimal("480.00")


def test_an_external_cost_carries_its_markup_rounded_half_up(chain, cast, card):
    quote = quotes.quote_create(actor=cast.ae, job=chain.job)
    line = quotes.quote_line_add(
        actor=cast.ae,
        quote=quote,
        kind=EXTERNAL,
        quantity=1,
        unit_price="1.00",
        markup_percent="12.5",
        description="印刷",
    )
    # 1.125 rounds half up to 1.13 (banker's rounding would give 1.12).
    assert line.amount == Decimal("1.13")
    line = quotes.quote_line_add(
        actor=cast.ae,
        quote=quote,
        kind=EXTERNAL,
        quantity=3,
        unit_price="1000.00",
        markup_percent="15",
        description="印刷",
    )
    assert line.amount == Decimal("3450.00")


@pytest.mark.parametrize(
    ("values", "field"),
    [
        ({"kind": EXTERNAL, "quantity": 0, "unit_price": 10, "description": "x"}, "quantity"),
        ({"kind": EXTERNAL, "quantity": 1, "unit_price": -1, "description": "x"}, "unit_price"),
        ({"kind": EXTERNAL, "quantity": 1, "description": "x"}, "unit_price"),
        ({"kind": EXTERNAL, "quantity": 1, "unit_price": 5, "description": ""}, "description"),
        (
            {
                "kind": EXTERNAL,
                "quantity": 1,
                "unit_price": 5,
                "description": "x",
                "markup_percent": -3,
            },
            "markup_percent",
        ),
        ({"kind": TIME, "quantity": 1, "description": "x"}, "unit_price"),
        ({"kind": "bogus", "quantity": 1, "unit_price": 5, "description": "x"}, "kind"),
        ({"kind": EXTERNAL, "quantity": "abc", "unit_price": 5, "description": "x"}, "quantity"),
    ],
)
def test_bad_lines_are_refused_and_change_nothing(chain, cast, card, values, field):
    quote = quotes.quote_create(actor=cast.ae, job=chain.job)
    with pytest.raises(DomainError) as refused:
        quotes.quote_line_add(actor=cast.ae, quote=quote, **values)
    assert field in refused.value.fields
    assert not quote.lines.exists()


def test_totals_add_vat_and_show_the_culture_fee_for_costing(chain, cast, card):
    quote = quotes.quote_create(actor=cast.ae, job=chain.job)
    quotes.quote_line_add(
        actor=cast.ae,
        quote=quote,
        kind=TIME,
        quantity=10,
        rate_item=card["rate_items"]["print-creative"],
    )
    quotes.quote_line_add(
        actor=cast.ae,
        quote=quote,
        kind=PIECE,
        quantity=5,
        rate_item=card["rate_items"]["colour-proof"],
    )
    quote.refresh_from_db()
    assert quote.net_total == Decimal("8400.00")
    vat, fee = quote.tax_lines
    assert vat == {"name": "增值税", "rate": "6.00", "charged": True, "amount": "504.00"}
    assert fee == {"name": "文化事业建设费", "rate": "3.00", "charged": False, "amount": "252.00"}
    assert quote.tax_total == Decimal("504.00")
    assert quote.total == Decimal("8904.00")


def test_editing_and_removing_lines_recomputes_the_totals(chain, cast, card):
    quote = quote_of(cast.ae, chain.job, 1000)
    line = quote.lines.get()
    quotes.quote_line_update(actor=cast.ae, line=line, quantity=2)
    quote.refresh_from_db()
    assert quote.net_total == Decimal("2000.00")
    assert quote.total == Decimal("2120.00")
    quotes.quote_line_remove(actor=cast.ae, line=line)
    quote.refresh_from_db()
    assert quote.net_total == 0 and quote.total == 0


def test_changing_a_lines_item_takes_its_price(chain, cast, card):
    quote = quotes.quote_create(actor=cast.ae, job=chain.job)
    line = quotes.quote_line_add(
        actor=cast.ae, quote=quote, kind=TIME, quantity=2, rate_item=card["rate_items"]["artwork"]
    )
    line = quotes.quote_line_update(
        actor=cast.ae, line=line, rate_item=card["rate_items"]["pop-creative"]
    )
    assert line.unit_price == Decimal("600.00") and line.amount == Decimal("1200.00")
    line = quotes.quote_line_update(actor=cast.ae, line=line, unit_price="550")
    assert line.amount == Decimal("1100.00")


def test_a_stale_line_change_is_a_conflict(chain, cast, card):
    quote = quote_of(cast.ae, chain.job, 1000)
    seen = quote.version
    quotes.quote_line_update(actor=cast.ae, line=quote.lines.get(), quantity=2)
    with pytest.raises(Conflict):
        quotes.quote_line_add(
            actor=cast.ae,
            quote=quote,
            kind=EXTERNAL,
            quantity=1,
            unit_price=1,
            description="x",
            expected_version=seen,
        )


def test_quote_update_changes_the_tax_profile_and_checks_the_version(chain, cast, card):
    quote = quote_of(cast.ae, chain.job, 1000)
    plain = TaxProfile.objects.create(code="small", name="小规模纳税人 3%")
    TaxComponent.objects.create(profile=plain, name="增值税", rate=3)
    later = timezone.localdate() + datetime.timedelta(days=30)
    quote = quotes.quote_update(
        actor=cast.ae,
        quote=quote,
        expected_version=quote.version,
        tax_profile=plain,
        valid_until=later,
        notes="含运输",
    )
    assert quote.total == Decimal("1030.00")
    assert quote.valid_until == later
    with pytest.raises(Conflict):
        quotes.quote_update(
            actor=cast.ae, quote=quote, expected_version=quote.version - 1, notes="x"
        )
    with pytest.raises(DomainError) as refused:
        quotes.quote_update(
            actor=cast.ae,
            quote=quote,
            expected_version=quote.version,
            valid_until=timezone.localdate() - datetime.timedelta(days=1),
        )
    assert "valid_until" in refused.value.fields
    assert AuditEntry.objects.filter(object_id=str(quote.pk), action="change").exists()


def test_only_the_jobs_editors_change_quotes(chain, cast, card):
    with pytest.raises(NotAllowed):
        quotes.quote_create(actor=cast.designer, job=chain.job)
    with pytest.raises(NotAllowed):
        quotes.quote_create(actor=cast.finance, job=chain.job)
    quote = quote_of(cast.ae, chain.job, 1000)
    with pytest.raises(NotAllowed):
        quotes.quote_line_add(
            actor=cast.finance,
            quote=quote,
            kind=EXTERNAL,
            quantity=1,
            unit_price=1,
            description="x",
        )
    with pytest.raises(NotAllowed):
        quotes.quote_submit(actor=cast.designer, quote=quote)


def test_an_empty_quote_is_not_submitted(chain, cast, card):
    quote = quotes.quote_create(actor=cast.ae, job=chain.job)
    with pytest.raises(DomainError) as refused:
        quotes.quote_submit(actor=cast.ae, quote=quote)
    assert refused.value.message == quotes.EMPTY_QUOTE
    quote.refresh_from_db()
    assert quote.signoff_status == SignoffStatus.DRAFT


def test_a_job_without_number_cannot_send_a_quote(chain, cast, card):
    Job.objects.filter(pk=chain.job.pk).update(number=None)
    chain.job.refresh_from_db()
    quote = quote_of(cast.ae, chain.job, 1000)
    with pytest.raises(DomainError) as refused:
        quotes.quote_submit(actor=cast.ae, quote=quote)
    assert refused.value.message == quotes.NO_JOB_NUMBER


def test_a_submitted_quote_is_frozen(chain, cast, card):
    quote = quote_of(cast.ae, chain.job, 1000)
    quotes.quote_submit(actor=cast.ae, quote=quote)
    quote.refresh_from_db()
    assert quote.signoff_status == SignoffStatus.SUBMITTED
    with pytest.raises(DomainError) as refused:
        quotes.quote_line_add(
            actor=cast.ae, quote=quote, kind=EXTERNAL, quantity=1, unit_price=1, description="x"
        )
    assert refused.value.message == quotes.NOT_DRAFT
    with pytest.raises(DomainError):
        quotes.quote_line_remove(actor=cast.ae, line=quote.lines.get())
    with pytest.raises(DomainError):
        quotes.quote_update(actor=cast.ae, quote=quote, expected_version=quote.version, notes="x")
    with pytest.raises(Conflict):
        quotes.quote_submit(actor=cast.ae, quote=quote)
    with pytest.raises(Conflict):
        quotes.quote_create(actor=cast.ae, job=chain.job)


def test_a_withdrawn_quote_is_a_draft_again(chain, cast, card):
    quote = quote_of(cast.ae, chain.job, 1000)
    approval = quotes.quote_submit(actor=cast.ae, quote=quote)
    approval_withdraw(actor=cast.ae, approval=approval)
    line = quotes.quote_line_update(actor=cast.ae, line=quote.lines.get(), quantity=3)
    assert line.amount == Decimal("3000.00")


def test_a_draft_is_changed_not_copied(chain, cast, card):
    quotes.quote_create(actor=cast.ae, job=chain.job)
    with pytest.raises(Conflict):
        quotes.quote_create(actor=cast.ae, job=chain.job)


def test_the_next_version_copies_a_returned_one(chain, cast, card):
    quote = quote_of(cast.ae, chain.job, 1000)
    quotes.quote_line_add(
        actor=cast.ae, quote=quote, kind=PIECE, quantity=2, rate_item=card["rate_items"]["film"]
    )
    approval = quotes.quote_submit(actor=cast.ae, quote=quote)
    approve(approval, chain.dcs)
    client_decides(approval, cast.client, "return", "POP数量减半，菲林改为一张")
    quote.refresh_from_db()
    assert quote.signoff_status == SignoffStatus.RETURNED
    assert quote.client_feedback == "POP数量减半，菲林改为一张"
    second = quotes.quote_create(actor=cast.ae, job=chain.job)
    assert second.number == 2
    assert [(line.description, line.amount) for line in second.lines.all()] == [
        (line.description, line.amount) for line in quote.lines.all()
    ]
    assert second.net_total == quote.net_total == Decimal("1240.00")
    assert second.signoff_status == SignoffStatus.DRAFT
    # The returned version itself stays as it was signed.
    with pytest.raises(DomainError):
        quotes.quote_line_remove(actor=cast.ae, line=quote.lines.first())


def test_an_internal_return_keeps_no_client_feedback(chain, cast, card):
    quote = quote_of(cast.ae, chain.job, 1000)
    approval = quotes.quote_submit(actor=cast.ae, quote=quote)
    approval_decide(actor=chain.dcs, approval=approval, outcome="return", reason="价格太低")
    quote.refresh_from_db()
    assert quote.signoff_status == SignoffStatus.RETURNED
    assert quote.client_feedback == ""
    assert quotes.quote_create(actor=cast.ae, job=chain.job).number == 2


def test_no_new_version_once_signed_back(chain, cast, card):
    quote = quote_of(cast.ae, chain.job, 1000)
    approval = quotes.quote_submit(actor=cast.ae, quote=quote)
    approve(approval, chain.dcs)
    client_decides(approval, cast.client)
    quote.refresh_from_db()
    assert quote.signed_back_at is not None
    with pytest.raises(DomainError) as refused:
        quotes.quote_create(actor=cast.ae, job=chain.job)
    assert refused.value.code == "quote_signed"


# Prepayment -----------------------------------------------------------------------------


def test_the_owner_requires_a_prepayment_and_finance_records_it(chain, cast):
    job = quotes.job_prepayment_require(actor=cast.ae, job=chain.job, amount="20000")
    assert job.prepayment_required == Decimal("20000.00")
    assert Notification.objects.filter(recipient=cast.finance, link__contains=str(job.pk)).exists()
    with pytest.raises(NotAllowed):
        quotes.job_prepayment_record(actor=cast.designer, job=job, received_on=timezone.localdate())
    with pytest.raises(DomainError) as refused:
        quotes.job_prepayment_record(
            actor=cast.finance,
            job=job,
            received_on=timezone.localdate() + datetime.timedelta(days=2),
        )
    assert refused.value.fields["received_on"] == quotes.RECEIVED_FUTURE
    job = quotes.job_prepayment_record(
        actor=cast.finance, job=job, received_on=timezone.localdate()
    )
    job.refresh_from_db()
    assert job.prepayment_received_on == timezone.localdate()
    entry = AuditEntry.objects.filter(object_id=str(job.pk), action="change").latest("at")
    assert entry.actor == cast.finance
    assert "prepayment_received_on" in entry.changes
    with pytest.raises(Conflict):
        quotes.job_prepayment_record(actor=cast.finance, job=job, received_on=timezone.localdate())
    with pytest.raises(DomainError) as refused:
        quotes.job_prepayment_require(actor=cast.ae, job=job, amount="1")
    assert refused.value.message == quotes.PREPAYMENT_RECEIVED


def test_prepayment_rules(chain, cast):
    with pytest.raises(NotAllowed):
        quotes.job_prepayment_require(actor=cast.finance, job=chain.job, amount="100")
    with pytest.raises(DomainError) as refused:
        quotes.job_prepayment_record(
            actor=cast.finance, job=chain.job, received_on=timezone.localdate()
        )
    assert refused.value.message == quotes.PREPAYMENT_NOT_REQUIRED
    with pytest.raises(DomainError) as refused:
        quotes.job_prepayment_require(actor=cast.ae, job=chain.job, amount="-5")
    assert "amount" in refused.value.fields
    job = quotes.job_prepayment_require(actor=cast.ae, job=chain.job, amount="100")
    job = quotes.job_prepayment_require(actor=cast.ae, job=job, amount=None)
    job.refresh_from_db()
    assert job.prepayment_required is None
    # The owner may record it too.
    quotes.job_prepayment_require(actor=cast.ae, job=job, amount="100")
    quotes.job_prepayment_record(actor=cast.ae, job=job, received_on=timezone.localdate())
