"""Credit control over /api/v1/finance/: a client's status, the clients overdue, the
override log and the GM's grant; the job API refuses a held client's new order."""

from datetime import timedelta

import pytest
from django.utils import timezone

from jobbag.finance.models import CreditOverride
from jobbag.jobs.tests.factories import order_kind

# The fixtures of conftest_incentives (books, people, signed_job).
pytest_plugins = ["jobbag.finance.tests.conftest_incentives"]


API = "/api/v1/finance"
TODAY = timezone.localdate


@pytest.fixture
def held(cast, clientele, books):
    return books.invoice(company=clientele.company, total="10600", days_overdue=95)


def test_a_clients_credit_status(cast, clientele, held, login):
    client = login(cast.finance)
    response = client.get(f"{API}/credit/clients/{clientele.company.pk}")
    assert response.status_code == 200
    body = response.json()
    assert body["standing"] == "hold" and body["on_hold"] is True
    assert body["overdue_amount"] == "10600.00" and body["oldest_days"] == 95
    listing = client.get(f"{API}/credit/clients").json()
    assert [row["company_code"] for row in listing] == ["HAIER"]


def test_the_gm_grants_an_override_once(cast, clientele, held, login):
    client = login(cast.gm)
    url = f"{API}/credit/clients/{clientele.company.pk}/overrides"
    payload = {"reason": "客户承诺付款", "valid_until": (TODAY() + timedelta(days=5)).isoformat()}
    response = client.post(url, payload, content_type="application/json")
    assert response.status_code == 201 and response.json()["granted_by_id"] == cast.gm.pk
    response = client.post(url, payload, content_type="application/json")
    assert response.status_code == 409 and CreditOverride.objects.count() == 1
    response = client.post(url, {"reason": "x"}, content_type="application/json")
    assert response.status_code == 422
    response = client.post(url, "{bad", content_type="application/json")
    assert response.status_code == 400
    log = client.get(f"{API}/credit/overrides").json()
    assert len(log) == 1 and log[0]["used_at"] is None


def test_others_may_not_grant_and_outsiders_see_nothing(cast, clientele, held, login):
    url = f"{API}/credit/clients/{clientele.company.pk}/overrides"
    payload = {"reason": "x", "valid_until": TODAY().isoformat()}
    response = login(cast.finance).post(url, payload, content_type="application/json")
    assert response.status_code == 403
    assert login(cast.ae).get(f"{API}/credit/clients").status_code == 403
    assert login(cast.client).get(f"{API}/credit/clients").status_code == 403
    other = f"{API}/credit/clients/{clientele.other_company.pk}"
    assert login(cast.ad).get(other).status_code == 404
    assert login(cast.ad).get(f"{API}/credit/clients/999999").status_code == 404


def test_the_job_api_refuses_a_held_clients_new_order(cast, clientele, held, login):
    payload = {
        "company": clientele.company.pk,
        "order_kind": order_kind("formal").pk,
        "title": "冰箱秋季促销",
    }
    response = login(cast.ae).post("/api/v1/jobs/", payload, content_type="application/json")
    assert response.status_code == 400, response.content
    assert response.json()["code"] == "credit_hold"
