"""The account manager (and up) enters ad spend and revenue per client per month: exact
Decimal amounts, never negative, a month is its first day; a year's grid is saved whole
or not at all; two people at once cannot overwrite each other; the summaries total per
client, per month or quarter, and per currency."""

from datetime import date
from decimal import Decimal

import pytest

from jobbag.accounts.models import Role, ServiceTeamMembership
from jobbag.accounts.tests.factories import staff
from jobbag.clients.models import Company
from jobbag.core.errors import Conflict, DomainError, NotAllowed
from jobbag.core.models import AuditEntry
from jobbag.meetings.models import Forecast
from jobbag.meetings.selectors.forecasts import monthly_summary, quarterly_summary
from jobbag.meetings.services import forecasts as services
from jobbag.meetings.services.forecasts import forecast_set, forecast_year_set

pytestmark = pytest.mark.django_db
MARCH = date(2026, 3, 1)


@pytest.fixture
def am(clientele):
    """HAIER's Account Manager, who enters its forecast."""
    user = staff("am", Role.AM, full_name="吴芳")
    ServiceTeamMembership.objects.create(user=user, team_role=Role.AM, company=clientele.company)
    return user


def grid(**months) -> dict[int, dict]:
    """A year grid: grid(m3=("100", "10")) is March's ad spend and revenue."""
    return {
        int(key[1:]): {"ad_spend": spend, "revenue": revenue, "note": "", "version": None}
        for key, (spend, revenue) in months.items()
    }


def test_it_saves_a_month_exactly_and_audits_it(am, clientele):
    forecast = forecast_set(
        actor=am,
        company=clientele.company,
        month=MARCH,
        ad_spend=Decimal("1234567.89"),
        revenue="0.10",
        note="  春节后新品投放  ",
    )

    forecast.refresh_from_db()
    assert forecast.ad_spend == Decimal("1234567.89")
    assert forecast.revenue == Decimal("0.10")
    assert (forecast.note, forecast.currency, forecast.updated_by) == ("春节后新品投放", "CNY", am)
    assert forecast.version == 1
    entry = AuditEntry.objects.get(object_id=str(forecast.pk), action="create")
    assert entry.actor == am


def test_it_refuses_negative_amounts_other_days_and_inexact_numbers(am, clientele):
    company = clientele.company
    refusals = [
        ({"ad_spend": Decimal("-1"), "revenue": 0}, MARCH, "ad_spend", services.AMOUNT_NEGATIVE),
        ({"ad_spend": 0, "revenue": "-0.01"}, MARCH, "revenue", services.AMOUNT_NEGATIVE),
        ({"ad_spend": 1, "revenue": 1}, date(2026, 3, 15), "month", services.MONTH_NOT_FIRST),
        ({"ad_spend": 0.1, "revenue": 1}, MARCH, "ad_spend", services.AMOUNT_NOT_A_NUMBER),
        ({"ad_spend": "1.005", "revenue": 1}, MARCH, "ad_spend", services.AMOUNT_TOO_PRECISE),
        ({"ad_spend": "abc", "revenue": 1}, MARCH, "ad_spend", services.AMOUNT_NOT_A_NUMBER),
        ({"ad_spend": "NaN", "revenue": 1}, MARCH, "ad_spend", services.AMOUNT_NOT_A_NUMBER),
        ({"ad_spend": 10**12, "revenue": 1}, MARCH, "ad_spend", services.AMOUNT_TOO_LARGE),
        ({"ad_spend": 1, "revenue": 1}, "2026-03-01", "month", services.MONTH_REQUIRED),
    ]
    for amounts, month, field, message in refusals:
        with pytest.raises(DomainError) as refused:
            forecast_set(actor=am, company=company, month=month, **amounts)
        assert refused.value.fields == {field: message}, (amounts, month)
    assert not Forecast.objects.exists()
    assert not AuditEntry.objects.filter(content_type__model="forecast").exists()


def test_it_refuses_the_wrong_role_and_the_wrong_client(am, cast, clientele, loop):
    values = {"month": MARCH, "ad_spend": 1, "revenue": 1}
    for user in [cast.ae, cast.designer, cast.finance, clientele.other_ae, cast.client]:
        with pytest.raises(NotAllowed):
            forecast_set(actor=user, company=clientele.company, **values)
    for user in [am, cast.ad]:
        with pytest.raises(NotAllowed):
            forecast_set(actor=user, company=clientele.other_company, **values)
    assert not Forecast.objects.exists()

    # The AD on the client, management and the Marketing Manager may.
    forecast_set(actor=cast.ad, company=clientele.company, **values)
    forecast_set(actor=cast.gm, company=clientele.other_company, **values)
    forecast_set(
        actor=cast.admin,
        company=clientele.other_company,
        month=date(2026, 4, 1),
        ad_spend=1,
        revenue=1,
    )
    assert Forecast.objects.count() == 3


def test_a_stale_version_is_refused_and_changes_nothing(am, cast, clientele):
    company = clientele.company
    first = forecast_set(actor=am, company=company, month=MARCH, ad_spend=100, revenue=10)
    changed = forecast_set(
        actor=cast.ad, company=company, month=MARCH, ad_spend=200, revenue=20, expected_version=1
    )
    assert changed.version == 2
    assert AuditEntry.objects.filter(object_id=str(first.pk), action="change").count() == 1

    # The AM still has version 1 on screen; a second "new" entry is stale too.
    with pytest.raises(Conflict):
        forecast_set(
            actor=am, company=company, month=MARCH, ad_spend=300, revenue=30, expected_version=1
        )
    with pytest.raises(Conflict):
        forecast_set(actor=am, company=company, month=MARCH, ad_spend=300, revenue=30)
    first.refresh_from_db()
    assert (first.ad_spend, first.revenue, first.version, first.updated_by) == (
        Decimal("200.00"),
        Decimal("20.00"),
        2,
        cast.ad,
    )

    # Saving the same figures again writes nothing and records nothing.
    forecast_set(
        actor=am, company=company, month=MARCH, ad_spend="200.00", revenue=20, expected_version=2
    )
    first.refresh_from_db()
    assert first.version == 2
    assert AuditEntry.objects.filter(object_id=str(first.pk), action="change").count() == 1


def test_a_year_grid_is_saved_whole(am, clientele):
    company = clientele.company
    saved = forecast_year_set(
        actor=am,
        company=company,
        year=2026,
        months=grid(**{f"m{n}": (f"{n}0000.50", f"{n}000.25") for n in range(1, 13)}),
    )
    assert len(saved) == 12
    assert Forecast.objects.get(company=company, month=date(2026, 12, 1)).ad_spend == Decimal(
        "120000.50"
    )
    assert AuditEntry.objects.filter(action="create").count() == 12


def test_a_year_grid_with_one_bad_month_saves_nothing(am, clientele):
    company = clientele.company
    months = grid(**{f"m{n}": ("100", "10") for n in range(1, 13)})
    months[7]["ad_spend"] = "-5"
    months[9]["revenue"] = "1.234"
    with pytest.raises(DomainError) as refused:
        forecast_year_set(actor=am, company=company, year=2026, months=months)
    assert refused.value.fields == {
        "ad_spend_7": services.AMOUNT_NEGATIVE,
        "revenue_9": services.AMOUNT_TOO_PRECISE,
    }
    assert not Forecast.objects.exists()

    with pytest.raises(DomainError):
        forecast_year_set(actor=am, company=company, year=1999, months=grid(m1=("1", "1")))
    with pytest.raises(DomainError):
        forecast_year_set(actor=am, company=company, year=2026, months=grid(m13=("1", "1")))
    assert not Forecast.objects.exists()


def test_a_year_grid_with_one_stale_month_saves_nothing(am, cast, clientele):
    company = clientele.company
    forecast_year_set(
        actor=am, company=company, year=2026, months=grid(m1=("1", "1"), m6=("6", "6"))
    )
    # The AD changes June meanwhile.
    forecast_set(
        actor=cast.ad,
        company=company,
        month=date(2026, 6, 1),
        ad_spend=66,
        revenue=6,
        expected_version=1,
    )
    months = grid(m1=("11", "1"), m2=("22", "2"), m6=("60", "6"))
    months[1]["version"] = 1
    months[6]["version"] = 1
    with pytest.raises(Conflict):
        forecast_year_set(actor=am, company=company, year=2026, months=months)
    assert Forecast.objects.get(month=date(2026, 1, 1)).ad_spend == Decimal("1.00")
    assert not Forecast.objects.filter(month=date(2026, 2, 1)).exists()
    assert Forecast.objects.get(month=date(2026, 6, 1)).ad_spend == Decimal("66.00")


def test_blank_months_stay_unforecast_and_a_blanked_one_becomes_zero(am, clientele):
    company = clientele.company
    forecast_year_set(actor=am, company=company, year=2026, months=grid(m2=("5", "5")))
    months = grid(m1=(None, None), m2=(None, None))
    months[2]["version"] = 1
    forecast_year_set(actor=am, company=company, year=2026, months=months)
    assert list(Forecast.objects.values_list("month", "ad_spend", "revenue")) == [
        (date(2026, 2, 1), Decimal("0.00"), Decimal("0.00"))
    ]


def test_the_summaries_total_per_client_period_and_currency(am, cast, clientele, loop):
    haier, nike = clientele.company, clientele.other_company
    Company.objects.filter(pk=nike.pk).update(currency="USD")
    nike.refresh_from_db()
    forecast_year_set(
        actor=am,
        company=haier,
        year=2026,
        months=grid(m1=("0.10", "1"), m2=("0.20", "2"), m3=("0.30", "3"), m4=("1000", "4")),
    )
    forecast_set(actor=cast.gm, company=nike, month=date(2026, 2, 1), ad_spend=7, revenue=1)
    # Another year is not counted.
    forecast_set(actor=am, company=haier, month=date(2025, 12, 1), ad_spend=99, revenue=99)

    months = monthly_summary(cast.gm, 2026)
    assert [row.company.code for row in months.rows] == ["HAIER", "NIKE"]
    haier_row = months.rows[0]
    assert [cell.ad_spend for cell in haier_row.cells[:4]] == [
        Decimal("0.10"),
        Decimal("0.20"),
        Decimal("0.30"),
        Decimal("1000.00"),
    ]
    assert not haier_row.cells[4].entered
    assert haier_row.total.ad_spend == Decimal("1000.60")
    assert haier_row.total.revenue == Decimal("10.00")
    assert months.totals["CNY"][1].ad_spend == Decimal("0.20")
    assert months.totals["USD"][1].ad_spend == Decimal("7.00")
    assert months.year_totals["CNY"].ad_spend == Decimal("1000.60")
    assert haier_row.actuals is None

    quarters = quarterly_summary(cast.gm, 2026)
    assert [cell.ad_spend for cell in quarters.rows[0].cells] == [
        Decimal("0.60"),
        Decimal("1000.00"),
        Decimal("0.00"),
        Decimal("0.00"),
    ]
    assert quarters.totals["CNY"][0].revenue == Decimal("6.00")
    assert quarters.year_totals["USD"].ad_spend == Decimal("7.00")

    # The AD sees only the client they work on; Finance sees every client by quarter.
    assert [row.company.code for row in monthly_summary(cast.ad, 2026).rows] == ["HAIER"]
    assert [row.company.code for row in quarterly_summary(cast.finance, 2026).rows] == [
        "HAIER",
        "NIKE",
    ]
    assert [r.company.code for r in monthly_summary(loop.manager, 2026).rows] == ["HAIER", "NIKE"]
    assert monthly_summary(cast.designer, 2026).rows == []
    assert monthly_summary(cast.client, 2026).rows == []
