"""The account-health API under /api/v1/service/health/: the list (filters), one
client's figures, and 404 for whoever may not see them."""

import pytest

from jobbag.service.tests.health_fixtures import *  # noqa: F403
from jobbag.service.tests.health_fixtures import days_ago, late_complaint, quote

pytestmark = pytest.mark.django_db

BASE = "/api/v1/service/health"


def test_it_lists_the_flagged_clients_of_the_caller(health_world, login, cast):
    haier = health_world.company
    body = login(cast.ae).get(f"{BASE}/").json()
    assert [row["company"] for row in body] == [haier.pk]
    assert body[0]["signals"] == ["complaints", "contact"]
    assert body[0]["complaints"]["late"] == 1
    assert body[0]["contact"]["days"] == 60
    assert body[0]["satisfaction"]["measured"] is True


def test_it_filters_by_signal_and_text_and_shows_the_healthy_on_request(health_world, login, cast):
    haier, nike = health_world.company, health_world.clientele.other_company
    late_complaint(nike)
    client = login(cast.gm)
    assert [r["code"] for r in client.get(f"{BASE}/").json()] == ["HAIER", "NIKE"]
    assert [r["code"] for r in client.get(f"{BASE}/?signal=contact").json()] == ["HAIER"]
    assert [r["code"] for r in client.get(f"{BASE}/?q=nike").json()] == ["NIKE"]
    assert client.get(f"{BASE}/?everyone=true&q=haier").json()[0]["company"] == haier.pk


def test_one_clients_figures(health_world, login, cast):
    haier = health_world.company
    quote(haier, "1000.00", days_ago(100))
    body = login(cast.ad).get(f"{BASE}/{haier.pk}").json()
    assert body["signals"] == ["spend", "complaints", "contact"]
    assert body["spend"]["source"] == "quotes"
    assert body["spend"]["previous"] == "1000.00"
    assert body["spend"]["drop_percent"] == "100.0"


@pytest.mark.parametrize("who", ["client", "outsider", "designer"])
def test_others_get_404(health_world, login, cast, who):
    client = login(getattr(cast, who))
    assert client.get(f"{BASE}/").status_code == 404
    assert client.get(f"{BASE}/{health_world.company.pk}").status_code == 404


def test_a_client_outside_the_callers_scope_is_404(health_world, login):
    client = login(health_world.clientele.other_ae)
    assert client.get(f"{BASE}/").json() == []
    assert client.get(f"{BASE}/{health_world.company.pk}").status_code == 404
    assert client.get(f"{BASE}/999999").status_code == 404


def test_anonymous_is_refused(health_world, client):
    assert client.get(f"{BASE}/").status_code == 401
