"""Targets and bonuses: attainment from signed contracts by quarter, quarters below the
minimum flagged, gross margin (invoiced net less time and expenses) and the bonus of the
highest tier reached, per person and per team; who may set targets and tiers."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from jobbag.core.errors import Conflict, DomainError, NotAllowed
from jobbag.finance.models import BonusTier, Expense, Target, TimeEntry, Timesheet
from jobbag.finance.selectors import incentives as selectors
from jobbag.finance.services import incentives as services

# The fixtures of conftest_incentives (books, people, signed_job).
pytest_plugins = ["jobbag.finance.tests.conftest_incentives"]

LAST_YEAR = timezone.localdate().year - 1


def _result(year, user):
    return next(r for r in selectors.results(year) if r.user == user)


def test_attainment_counts_signed_contracts_in_the_quarter_first_signed(
    cast, clientele, signed_job
):

    services.target_save(
        actor=cast.finance,
        user=cast.ae,
        year=LAST_YEAR,
        annual_amount="400000",
        quarterly_minimum="80000",
    )
    signed_job(net="100000", signed_on=date(LAST_YEAR, 2, 10))
    signed_job(net="50000", signed_on=date(LAST_YEAR, 5, 3))
    signed_job(net="150000", signed_on=date(LAST_YEAR, 11, 20))
    # Signed the year before: not this year's contract.
    signed_job(net="999999", signed_on=date(LAST_YEAR - 1, 12, 30))

    result = _result(LAST_YEAR, cast.ae)
    assert result.quarters == [
        Decimal("100000.00"),
        Decimal("50000.00"),
        Decimal("0.00"),
        Decimal("150000.00"),
    ]
    assert result.signed == Decimal("300000.00") and result.attainment == Decimal("75.0")
    # A past year: every quarter under the minimum is flagged.
    assert result.below_minimum == [2, 3]


def test_gross_margin_and_the_highest_bonus_tier_reached(cast, clientele, signed_job, books):
    job = signed_job(net="100000", signed_on=date(LAST_YEAR, 3, 1))
    books.invoice(company=clientele.company, job=job, total="106000", issued=date(LAST_YEAR, 4, 1))
    sheet = Timesheet.objects.create(user=cast.designer, week_start=date(LAST_YEAR, 3, 2))
    TimeEntry.objects.create(
        timesheet=sheet,
        user=cast.designer,
        job=job,
        day=date(LAST_YEAR, 3, 3),
        hours=Decimal("10"),
        hourly_cost=Decimal("200"),
    )
    Expense.objects.create(
        job=job,
        category=Expense.Category.PRINTING,
        incurred_on=date(LAST_YEAR, 3, 5),
        description="印刷",
        amount=Decimal("30000"),
        created_by=cast.ae,
    )
    Expense.objects.create(
        job=job,
        category=Expense.Category.TRAVEL,
        incurred_on=date(LAST_YEAR, 3, 5),
        description="作废",
        amount=Decimal("50000"),
        created_by=cast.ae,
        voided_at=timezone.now(),
    )
    for floor, rate in (("0", "1"), ("50000", "3"), ("100000", "5")):
        services.bonus_tier_add(actor=cast.gm, year=LAST_YEAR, min_margin=floor, rate=rate)

    result = _result(LAST_YEAR, cast.ae)
    assert result.revenue == Decimal("100000.00")
    assert result.costs == Decimal("32000.00")
    assert result.margin == Decimal("68000.00")
    assert result.tier.rate == Decimal("3.00") and result.bonus == Decimal("2040.00")


def test_results_per_team_add_up_their_people(cast, clientele, people, signed_job):
    signed_job(owner=cast.ae, net="100000", signed_on=date(LAST_YEAR, 1, 5))
    signed_job(owner=people.am, net="60000", signed_on=date(LAST_YEAR, 1, 6))
    services.target_save(actor=cast.gm, user=cast.ae, year=LAST_YEAR, annual_amount="200000")
    services.target_save(actor=cast.gm, user=people.am, year=LAST_YEAR, annual_amount="120000")
    rows = selectors.results(LAST_YEAR)
    (team,) = selectors.teams(rows, no_team="—")
    assert team.signed == Decimal("160000.00") and team.target == Decimal("320000.00")
    assert team.attainment == Decimal("50.0") and len(team.members) == 2


def test_only_finance_and_the_gm_set_targets(cast, people):
    for someone in (cast.ae, cast.ad, people.manager, cast.admin, cast.client):
        with pytest.raises(NotAllowed):
            services.target_save(actor=someone, user=cast.ae, year=2026, annual_amount="1")
    assert not Target.objects.exists()


def test_a_target_is_validated_and_edited_with_its_version(cast):
    with pytest.raises(DomainError) as refused:
        services.target_save(
            actor=cast.finance,
            user=cast.client,
            year=1900,
            annual_amount="-5",
            quarterly_minimum="abc",
        )
    assert set(refused.value.fields) == {"user", "year", "annual_amount", "quarterly_minimum"}
    with pytest.raises(DomainError) as refused:
        services.target_save(
            actor=cast.finance,
            user=cast.ae,
            year=2026,
            annual_amount="100",
            quarterly_minimum="200",
        )
    assert "quarterly_minimum" in refused.value.fields
    target = services.target_save(
        actor=cast.finance, user=cast.ae, year=2026, annual_amount="100000"
    )
    services.target_save(
        actor=cast.gm,
        user=cast.ae,
        year=2026,
        annual_amount="120000",
        expected_version=target.version,
    )
    with pytest.raises(Conflict):
        services.target_save(
            actor=cast.finance,
            user=cast.ae,
            year=2026,
            annual_amount="90000",
            expected_version=target.version,
        )
    target.refresh_from_db()
    assert target.annual_amount == Decimal("120000.00") and Target.objects.count() == 1


def test_bonus_tiers_are_unique_per_year_and_removable(cast):
    tier = services.bonus_tier_add(actor=cast.gm, year=2026, min_margin="1000", rate="2")
    with pytest.raises(DomainError) as refused:
        services.bonus_tier_add(actor=cast.finance, year=2026, min_margin="1000", rate="3")
    assert "min_margin" in refused.value.fields
    with pytest.raises(DomainError):
        services.bonus_tier_add(actor=cast.gm, year=2026, min_margin="5", rate="0")
    with pytest.raises(NotAllowed):
        services.bonus_tier_remove(actor=cast.ae, tier=tier)
    services.bonus_tier_remove(actor=cast.gm, tier=tier)
    assert not BonusTier.objects.exists()


def test_only_ended_quarters_of_this_year_are_flagged(cast, signed_job):
    today = timezone.localdate()
    services.target_save(
        actor=cast.finance,
        user=cast.ae,
        year=today.year,
        annual_amount="400000",
        quarterly_minimum="50000",
    )
    signed_job(net="10000", signed_on=today - timedelta(days=0))
    result = _result(today.year, cast.ae)
    current = (today.month - 1) // 3 + 1
    assert result.below_minimum == list(range(1, current))
