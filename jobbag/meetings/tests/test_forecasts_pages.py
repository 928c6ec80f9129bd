"""The forecast pages and API: the AM enters a client's year at once (a stale grid gets a
clear message and saves nothing), management reads the monthly view, the GM and Finance
the quarterly one, both export to .xlsx; who sees what; fixed query budgets."""

from datetime import date
from decimal import Decimal
from io import BytesIO

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation
from openpyxl import load_workbook

from jobbag.accounts.models import Role, ServiceTeamMembership
from jobbag.accounts.tests.factories import staff
from jobbag.clients.tests.factories import CompanyFactory
from jobbag.core.navigation import menu_for
from jobbag.core.testing import Case, run_permission_matrix
from jobbag.meetings.models import Forecast
from jobbag.meetings.services.forecasts import forecast_set
from jobbag.meetings.views.forecasts import STALE

pytestmark = pytest.mark.django_db
API = "/api/v1/meetings"
JSON = "application/json"


@pytest.fixture
def am(clientele):
    user = staff("am", Role.AM, full_name="吴芳")
    ServiceTeamMembership.objects.create(user=user, team_role=Role.AM, company=clientele.company)
    return user


def english(user):
    user.language = "en"
    user.save(update_fields=["language"])
    return user


def entry_url(company, year=2026) -> str:
    return reverse("meetings:forecast_entry", args=[company.pk, year])


def year_post(**cells) -> dict:
    """The grid's POST: every month blank unless given (`ad_spend_3="100"`)."""
    data = {}
    for month in range(1, 13):
        for name in ("ad_spend", "revenue", "note", "version"):
            data[f"{name}_{month}"] = ""
    data.update({key: str(value) for key, value in cells.items()})
    return data


def test_the_am_enters_a_year_on_one_page(am, clientele, login):
    client = login(am)
    page = client.get(entry_url(clientele.company))
    assert page.status_code == 200
    assert page.content.decode().count('data-testid="forecast-month"') == 12

    response = client.post(
        entry_url(clientele.company),
        year_post(ad_spend_1="100000.10", revenue_1="8000.05", note_1="新品", ad_spend_2="5"),
    )

    assert response.status_code == 302
    rows = Forecast.objects.order_by("month")
    assert [(r.month, r.ad_spend, r.revenue) for r in rows] == [
        (date(2026, 1, 1), Decimal("100000.10"), Decimal("8000.05")),
        (date(2026, 2, 1), Decimal("5.00"), Decimal("0.00")),
    ]
    html = client.get(entry_url(clientele.company)).content.decode()
    assert "¥100,005.10" in html  # The year's saved ad spend.
    assert 'name="version_1" value="1"' in html


def test_a_bad_grid_shows_the_errors_and_saves_nothing(am, clientele, login):
    response = login(am).post(
        entry_url(clientele.company), year_post(ad_spend_1="100", ad_spend_4="-3", revenue_5="x")
    )
    assert response.status_code == 400
    assert response.content.decode().count('class="field-error"') == 2
    assert not Forecast.objects.exists()


def test_a_stale_grid_says_so_and_saves_nothing(am, cast, clientele, login):
    client = login(am)
    forecast_set(
        actor=cast.ad, company=clientele.company, month=date(2026, 3, 1), ad_spend=7, revenue=1
    )

    # The AM's page was loaded before the AD saved March: version_3 is blank.
    response = client.post(
        entry_url(clientele.company), year_post(ad_spend_1="1", ad_spend_3="300")
    )

    assert response.status_code == 409
    html = response.content.decode()
    assert str(STALE)[:10] in html or "其他人" in html or "Someone else" in html
    assert 'data-testid="saved-now"' in html
    assert not Forecast.objects.filter(month=date(2026, 1, 1)).exists()
    assert Forecast.objects.get(month=date(2026, 3, 1)).ad_spend == Decimal("7.00")
    # Saving again now replaces the AD's figures deliberately.
    again = client.post(
        entry_url(clientele.company), year_post(ad_spend_1="1", ad_spend_3="300", version_3="1")
    )
    assert again.status_code == 302
    assert Forecast.objects.get(month=date(2026, 3, 1)).ad_spend == Decimal("300.00")


def test_a_double_submit_saves_once(am, clientele, login):
    client = login(am)
    data = year_post(ad_spend_1="100", revenue_1="10")
    assert client.post(entry_url(clientele.company), data).status_code == 302
    assert client.post(entry_url(clientele.company), data).status_code == 302
    forecast = Forecast.objects.get()
    assert (forecast.ad_spend, forecast.version) == (Decimal("100.00"), 1)


def test_an_ae_reads_their_clients_grid_but_cannot_save_it(cast, clientele, login):
    client = login(cast.ae)
    html = client.get(entry_url(clientele.company)).content.decode()
    assert 'data-testid="forecast-save"' not in html
    assert client.post(entry_url(clientele.company), year_post(ad_spend_1="1")).status_code == 403
    assert not Forecast.objects.exists()


def test_who_sees_which_forecast_page(am, cast, clientele, loop):
    cast.other_ae = clientele.other_ae
    cast.am = am
    cast.manager = loop.manager
    month, quarter = reverse("meetings:forecast_month"), reverse("meetings:forecast_quarter")
    haier, nike = entry_url(clientele.company), entry_url(clientele.other_company)
    index, pick = reverse("meetings:forecasts"), reverse("meetings:forecast_pick")
    cases = [
        Case("gm", "GET", month, 200),
        Case("admin", "GET", month, 200),
        Case("manager", "GET", month, 200),
        Case("ad", "GET", month, 200),
        Case("ae", "GET", month, 200),
        Case("finance", "GET", month, 403),
        Case("designer", "GET", month, 403),
        Case("client", "GET", month, 404),
        Case("outsider", "GET", month, 404),
        Case("anonymous", "GET", month, 302),
        Case("gm", "GET", quarter, 200),
        Case("finance", "GET", quarter, 200),
        Case("ae", "GET", quarter, 200),
        Case("designer", "GET", quarter, 403),
        Case("client", "GET", quarter, 404),
        Case("finance", "GET", index, 302),
        Case("designer", "GET", index, 403),
        Case("am", "GET", haier, 200),
        Case("ae", "GET", haier, 200),
        Case("gm", "GET", nike, 200),
        Case("manager", "GET", nike, 200),
        Case("am", "GET", nike, 404),
        Case("other_ae", "GET", haier, 404),
        Case("finance", "GET", haier, 403),
        Case("designer", "GET", haier, 403),
        Case("client", "GET", haier, 404),
        Case("outsider", "GET", haier, 404),
        Case("ae", "POST", haier, 403, year_post(ad_spend_1="1")),
        Case("other_ae", "POST", haier, 404, year_post(ad_spend_1="1")),
        Case("am", "POST", nike, 404, year_post(ad_spend_1="1")),
        Case("ae", "GET", pick, 403),
        Case("am", "GET", f"{pick}?company={clientele.company.pk}&year=2027", 302),
    ]
    run_permission_matrix(cast, cases)
    assert not Forecast.objects.exists()


def test_the_menu_shows_forecasts_to_those_who_see_them(cast, clientele):
    def labels(user) -> set[str]:
        with translation.override("en"):
            return {str(item.label) for item in menu_for(user)}

    for user in [cast.gm, cast.finance, cast.ae, cast.ad]:
        assert "Forecasts" in labels(user), user.username
    for user in [cast.designer, cast.client]:
        assert "Forecasts" not in labels(user), user.username


def seed(clientele, cast, companies: int = 1):
    """Forecasts for HAIER and NIKE for every month, and `companies` more clients."""
    for company in [clientele.company, clientele.other_company]:
        for month in range(1, 13):
            forecast_set(
                actor=cast.gm,
                company=company,
                month=date(2026, month, 1),
                ad_spend=month * 1000,
                revenue=month * 100,
            )
    for _n in range(companies):
        company = CompanyFactory()
        ServiceTeamMembership.objects.create(user=cast.ad, team_role=Role.AD, company=company)
        forecast_set(actor=cast.gm, company=company, month=date(2026, 5, 1), ad_spend=1, revenue=1)


def test_the_monthly_view_totals_and_exports(cast, clientele, login):
    seed(clientele, cast, companies=0)
    client = login(english(cast.gm))
    html = client.get(reverse("meetings:forecast_month") + "?year=2026").content.decode()
    assert html.count('data-testid="forecast-row"') == 4
    # HAIER's year: 78 × 1000 of ad spend; both clients' together in the total row.
    assert "CNY 78,000.00" in html
    assert "CNY 156,000.00" in html

    export = client.get(reverse("meetings:forecast_month") + "?year=2026&export=xlsx")
    assert export.status_code == 200
    sheet = load_workbook(BytesIO(export.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:5] == ("Client code", "Client", "Currency", "Figure", "January")
    assert rows[1][0] == "HAIER" and rows[1][1] == "海尔集团"
    assert rows[1][4] == 1000 and rows[1][-1] == 78000
    assert rows[-1][1] == "Total" and rows[-1][-1] == 15600


def test_the_quarterly_view_totals_and_exports(cast, clientele, login):
    seed(clientele, cast, companies=0)
    client = login(cast.finance)
    html = client.get(reverse("meetings:forecast_quarter") + "?year=2026").content.decode()
    assert "¥6,000.00" in html  # Q1 of one client: 1000 + 2000 + 3000.
    assert "¥12,000.00" in html  # Q1 of both.

    export = client.get(reverse("meetings:forecast_quarter") + "?year=2026&export=xlsx")
    sheet = load_workbook(BytesIO(export.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert len(rows[0]) == 4 + 4 + 1
    assert rows[1][4:] == (6000, 15000, 24000, 33000, 78000)


@pytest.mark.parametrize("name", ["meetings:forecast_month", "meetings:forecast_quarter"])
def test_the_summary_views_read_a_fixed_number_of_queries(
    name, cast, clientele, login, django_assert_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    seed(clientele, cast, companies=1)
    client = login(cast.ad)
    url = reverse(name) + "?year=2026"
    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        client.get(url)
    seed_more = CompanyFactory()
    ServiceTeamMembership.objects.create(user=cast.ad, team_role=Role.AD, company=seed_more)
    for month in range(1, 13):
        forecast_set(
            actor=cast.gm, company=seed_more, month=date(2026, month, 1), ad_spend=1, revenue=1
        )
    with django_assert_num_queries(len(queries)):
        response = client.get(url)
    assert response.content.decode().count('data-testid="forecast-row"') == 6


def test_the_entry_page_reads_a_fixed_number_of_queries(
    am, cast, clientele, login, django_assert_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = login(am)
    url = entry_url(clientele.company)
    forecast_set(actor=am, company=clientele.company, month=date(2026, 1, 1), ad_spend=1, revenue=1)
    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        client.get(url)
    for month in range(2, 13):
        forecast_set(
            actor=cast.gm,
            company=clientele.company,
            month=date(2026, month, 1),
            ad_spend=1,
            revenue=1,
        )
    with django_assert_num_queries(len(queries)):
        assert client.get(url).status_code == 200


# API ------------------------------------------------------------------------------------


def test_forecasts_over_the_api(am, cast, clientele, login):
    api = login(english(am))
    url = f"{API}/forecasts/{clientele.company.pk}/2026/3"
    created = api.put(url, {"ad_spend": "120000.50", "revenue": "9000", "note": "Q1"}, JSON)
    assert created.status_code == 200, created.content
    body = created.json()
    assert (body["ad_spend"], body["revenue"], body["version"]) == ("120000.50", "9000.00", 1)

    stale = api.put(url, {"ad_spend": "1", "revenue": "1"}, JSON)
    assert stale.status_code == 409
    negative = api.put(url, {"ad_spend": "-1", "revenue": "1", "version": 1}, JSON)
    assert negative.status_code == 400
    assert negative.json()["fields"] == {"ad_spend": ["An amount cannot be negative."]}
    changed = api.put(url, {"ad_spend": "2", "revenue": "1", "version": 1}, JSON)
    assert changed.json()["version"] == 2
    assert (
        api.put(
            f"{API}/forecasts/{clientele.company.pk}/2026/13",
            {"ad_spend": "1", "revenue": "1"},
            JSON,
        ).status_code
        == 404
    )

    listed = api.get(f"{API}/forecasts?year=2026&company={clientele.company.pk}")
    assert [row["month"] for row in listed.json()] == ["2026-03-01"]
    monthly = api.get(f"{API}/forecasts/monthly?year=2026").json()
    assert monthly["clients"][0]["periods"][2]["ad_spend"] == "2.00"
    assert monthly["totals"][0]["total"]["revenue"] == "1.00"
    quarterly = api.get(f"{API}/forecasts/quarterly?year=2026").json()
    assert quarterly["periods"] == [1, 2, 3, 4]
    assert quarterly["clients"][0]["periods"][0]["ad_spend"] == "2.00"
    assert Forecast.objects.get().ad_spend == Decimal("2.00")


def test_who_may_use_the_forecasts_api(am, cast, clientele):
    cast.other_ae = clientele.other_ae
    cast.am = am
    haier = f"{API}/forecasts/{clientele.company.pk}/2026/1"
    nike = f"{API}/forecasts/{clientele.other_company.pk}/2026/1"
    body = {"ad_spend": "1", "revenue": "1"}
    cases = [
        Case("ae", "GET", f"{API}/forecasts?year=2026", 200),
        Case("finance", "GET", f"{API}/forecasts/monthly", 403),
        Case("finance", "GET", f"{API}/forecasts/quarterly", 200),
        Case("designer", "GET", f"{API}/forecasts", 403),
        Case("designer", "GET", f"{API}/forecasts/quarterly", 403),
        Case("client", "GET", f"{API}/forecasts", 403),
        Case("client", "GET", f"{API}/forecasts/quarterly", 403),
        Case("outsider", "PUT", haier, 403, body),
        Case("anonymous", "GET", f"{API}/forecasts", 401),
        Case("ae", "PUT", haier, 403, body),
        Case("designer", "PUT", haier, 403, body),
        Case("other_ae", "PUT", haier, 404, body),
        Case("am", "PUT", nike, 404, body),
        Case("ae", "GET", f"{API}/forecasts?company={clientele.other_company.pk}", 404),
        Case("am", "PUT", haier, 200, body),
    ]
    run_permission_matrix(cast, cases)
    assert Forecast.objects.count() == 1


def test_the_api_needs_a_signed_in_caller():
    assert Client().get(f"{API}/forecasts/monthly").status_code == 401
