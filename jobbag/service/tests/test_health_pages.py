"""The account-health pages: the overview (signals as badges, filters, most signals
first, fixed queries), one client's page (figures and evidence; 404 outside the user's
clients), the thresholds page, the home card, the client-page panel and the menu."""

import pytest
from django.urls import reverse
from django.utils import translation

from jobbag.accounts.models import Role, ServiceTeamMembership
from jobbag.accounts.tests.factories import staff
from jobbag.clients.tests.factories import CompanyFactory
from jobbag.core.navigation import menu_for
from jobbag.service.models import HealthSettings
from jobbag.service.tests.health_fixtures import *  # noqa: F403
from jobbag.service.tests.health_fixtures import (
    contact_log,
    days_ago,
    late_complaint,
    quote,
)

pytestmark = pytest.mark.django_db


def text(response) -> str:
    return response.content.decode()


def test_the_overview_shows_flagged_clients_with_their_badges(health_world, login, cast):
    haier = health_world.company
    response = login(cast.ae).get(reverse("service:health"))
    assert response.status_code == 200
    rows = response.context["rows"]
    assert [row.company for row in rows] == [haier]
    assert rows[0].signals == ["complaints", "contact"]
    body = text(response)
    assert 'data-signal="complaints"' in body and 'data-signal="contact"' in body


def test_management_sees_every_client_most_signals_first(health_world, login, cast):
    haier, nike = health_world.company, health_world.clientele.other_company
    late_complaint(nike)
    response = login(cast.gm).get(reverse("service:health"))
    assert [row.company for row in response.context["rows"]] == [haier, nike]
    everyone = login(cast.gm).get(reverse("service:health"), {"signal": "contact"})
    assert [row.company for row in everyone.context["rows"]] == [haier]
    by_name = login(cast.gm).get(reverse("service:health"), {"q": "耐克"})
    assert [row.company for row in by_name.context["rows"]] == [nike]


def test_healthy_clients_show_only_when_asked(service, login, cast):
    contact_log(service.company, days_ago(1))
    assert login(cast.ae).get(reverse("service:health")).context["rows"] == []
    response = login(cast.ae).get(reverse("service:health"), {"everyone": "on"})
    assert [row.company for row in response.context["rows"]] == [service.company]
    assert 'data-testid="health-ok"' in text(response)


def test_an_ae_of_another_client_does_not_see_it(health_world, login):
    other_ae = health_world.clientele.other_ae
    response = login(other_ae).get(reverse("service:health"))
    assert response.context["rows"] == []
    page = login(other_ae).get(reverse("service:health_client", args=[health_world.company.pk]))
    assert page.status_code == 404


@pytest.mark.parametrize("who", ["designer", "finance", "client"])
def test_others_have_no_health_pages(health_world, login, cast, who):
    user = getattr(cast, who)
    assert login(user).get(reverse("service:health")).status_code == 404
    url = reverse("service:health_client", args=[health_world.company.pk])
    assert login(user).get(url).status_code == 404


def test_the_overview_query_count_is_fixed(service, login, cast, django_assert_num_queries):
    def clients(n):
        for _ in range(n):
            company = CompanyFactory()
            quote(company, "100.00", days_ago(120))
            late_complaint(company)

    clients(2)
    HealthSettings.current()
    client = login(cast.gm)
    client.get(reverse("service:health"))
    with django_assert_num_queries(14) as small:
        client.get(reverse("service:health"))
    clients(18)
    with django_assert_num_queries(len(small.captured_queries)):
        response = client.get(reverse("service:health"))
    assert len(response.context["rows"]) == 22


def test_the_ae_overview_query_count_is_fixed(service, login, cast, django_assert_num_queries):
    def clients(n):
        for _ in range(n):
            company = CompanyFactory()
            ServiceTeamMembership.objects.create(user=cast.ae, team_role=Role.AE, company=company)
            late_complaint(company)

    clients(1)
    client = login(cast.ae)
    HealthSettings.current()
    client.get(reverse("service:health"))
    with django_assert_num_queries(19) as small:
        client.get(reverse("service:health"))
    clients(18)
    with django_assert_num_queries(len(small.captured_queries)):
        response = client.get(reverse("service:health"))
    assert len(response.context["rows"]) == 20


def test_a_clients_page_shows_each_signal_with_its_evidence(health_world, login, cast):
    haier = health_world.company
    quote(haier, "80000.00", days_ago(100))
    quote(haier, "20000.00", days_ago(10))
    # The page speaks the user's language (the middleware activates it): English here.
    cast.ad.language = "en"
    cast.ad.save(update_fields=["language"])
    with translation.override("en"):
        response = login(cast.ad).get(reverse("service:health_client", args=[haier.pk]))
    assert response.status_code == 200
    health = response.context["health"]
    assert health.signals == ["spend", "complaints", "contact"]
    body = text(response)
    assert 'data-testid="health-spend" data-flagged="true"' in body
    assert 'data-testid="health-complaints" data-flagged="true"' in body
    assert 'data-testid="health-contact" data-flagged="true"' in body
    assert 'data-testid="health-satisfaction" data-flagged="false"' in body
    assert body.count('data-testid="health-late-complaint"') == 1
    assert reverse("clients:company_log", args=[haier.pk]) in body
    assert "<svg" in body and len(response.context["chart"]) == 7
    assert "quotes signed back" in body


def test_a_clients_page_has_a_fixed_query_count(
    health_world, login, cast, django_assert_num_queries
):
    haier = health_world.company
    client = login(cast.gm)
    url = reverse("service:health_client", args=[haier.pk])
    client.get(url)
    with django_assert_num_queries(20) as small:
        client.get(url)
    for _ in range(5):
        late_complaint(haier)
        contact_log(haier, days_ago(70))
    with django_assert_num_queries(len(small.captured_queries)):
        response = client.get(url)
    assert response.context["health"].complaints.count == 6


def test_an_admin_sets_the_thresholds_on_the_page(cast, login):
    current = HealthSettings.current()
    url = reverse("service:health_settings")
    assert login(cast.gm).get(url).status_code == 404
    client = login(cast.admin)
    assert client.get(url).status_code == 200
    data = {
        "spend_months": 4,
        "spend_drop_percent": "30",
        "csat_drop": "5",
        "quiet_days": 20,
        "version": current.version,
    }
    response = client.post(url, data)
    assert response.status_code == 302
    assert HealthSettings.current().quiet_days == 20
    stale = client.post(url, {**data, "quiet_days": 99})
    assert stale.status_code == 409
    bad = client.post(url, {**data, "version": current.version + 1, "spend_months": 40})
    assert bad.status_code == 400
    assert HealthSettings.current().quiet_days == 20


def test_the_home_card_lists_my_flagged_clients(health_world, login, cast):
    response = login(cast.ae).get(reverse("core:home"))
    body = text(response)
    assert 'data-testid="home-health"' in body
    assert f'data-testid="home-health-row" data-company="{health_world.company.pk}"' in body
    other = login(health_world.clientele.other_ae).get(reverse("core:home"))
    assert 'data-testid="home-health"' not in text(other)


def test_the_client_page_shows_the_health_panel(health_world, login, cast):
    haier = health_world.company
    response = login(cast.ae).get(reverse("clients:detail", args=[haier.pk]))
    body = text(response)
    assert 'data-testid="company-health-panel"' in body
    badges = reverse("service:health_badges", args=[haier.pk])
    assert f'hx-get="{badges}"' in body
    assert reverse("service:health_client", args=[haier.pk]) in body
    # The panel's badges, loaded after the page: for those who see the client only.
    fragment = login(cast.ae).get(badges)
    assert fragment.status_code == 200
    assert text(fragment).count('data-testid="health-badge"') == 2
    assert login(health_world.clientele.other_ae).get(badges).status_code == 404
    assert login(cast.client).get(badges).status_code == 404


def test_the_menu_has_health_for_account_people_and_thresholds_for_admins(cast, service):
    def names(user):
        return {item.url_name for item in menu_for(user)}

    dcs = service.dcs
    am = staff("am", Role.AM)
    assert "service:health" in names(cast.ae)
    assert "service:health" in names(am)
    assert "service:health" in names(dcs)
    assert "service:health" in names(cast.gm)
    assert "service:health" not in names(cast.designer)
    assert "service:health_settings" in names(cast.admin)
    assert "service:health_settings" not in names(cast.gm)
