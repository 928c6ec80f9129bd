"""Credit control pages: the overview, a client's credit page with the GM's override
form, the override log; who sees what, and fixed query budgets."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from jobbag.clients.tests.factories import CompanyFactory
from jobbag.finance.models import CreditOverride
from jobbag.finance.services import credit as services
from jobbag.jobs.tests.factories import JobFactory, order_kind

# The fixtures of conftest_incentives (books, people, signed_job).
pytest_plugins = ["jobbag.finance.tests.conftest_incentives"]

OVERVIEW_QUERIES = 8
COMPANY_QUERIES = 10
OVERRIDES_QUERIES = 10

TODAY = timezone.localdate


def _english(login, user):
    """Signed in as `user` reading in English (pages follow the user's language)."""
    user.language = "en"
    user.save(update_fields=["language"])
    return login(user)


@pytest.fixture
def held(cast, clientele, books):
    job = JobFactory(company=clientele.company, owner=cast.ae, number="HAIER-2026-0001")
    invoice = books.invoice(company=clientele.company, job=job, total="10600", days_overdue=95)
    services.credit_notices_send()
    return invoice


def test_finance_sees_the_clients_on_hold_first(cast, clientele, books, held, login):
    books.invoice(company=clientele.other_company, total="500", days_overdue=10)
    response = _english(login, cast.finance).get(reverse("finance:credit"))
    assert response.status_code == 200
    rows = response.context["statuses"]
    assert [(s.company.code, s.standing) for s in rows] == [("HAIER", "hold"), ("NIKE", "overdue")]
    html = response.content.decode()
    assert "CNY 10,600.00" in html and 'data-standing="hold"' in html


def test_an_account_director_sees_only_the_clients_they_serve(cast, clientele, books, held, login):
    books.invoice(company=clientele.other_company, total="500", days_overdue=10)
    client = login(cast.ad)
    response = client.get(reverse("finance:credit"))
    assert [s.company.code for s in response.context["statuses"]] == ["HAIER"]
    assert (
        client.get(reverse("finance:credit_company", args=[clientele.company.pk])).status_code
        == 200
    )
    other = reverse("finance:credit_company", args=[clientele.other_company.pk])
    assert client.get(other).status_code == 404


def test_the_client_page_shows_invoices_notices_and_the_gms_form(cast, clientele, held, login):
    url = reverse("finance:credit_company", args=[clientele.company.pk])
    response = login(cast.gm).get(url)
    assert response.status_code == 200
    html = response.content.decode()
    assert held.number in html and 'data-testid="override-form"' in html
    assert html.count('data-testid="credit-notice"') == 3
    # Finance sees the page but not the form.
    response = login(cast.finance).get(url)
    assert 'data-testid="override-form"' not in response.content.decode()


def test_the_gm_grants_an_override_on_the_page(cast, clientele, held, login):
    url = reverse("finance:credit_override", args=[clientele.company.pk])
    client = login(cast.gm)
    valid = (TODAY() + timedelta(days=7)).isoformat()
    response = client.post(url, {"reason": "客户承诺本周付清", "valid_until": valid})
    assert response.status_code == 302
    override = CreditOverride.objects.get()
    assert override.granted_by == cast.gm and override.reason == "客户承诺本周付清"
    # Sent twice: one override, and the page says why.
    response = _english(login, cast.gm).post(url, {"reason": "again", "valid_until": valid})
    assert response.status_code == 400 and CreditOverride.objects.count() == 1
    assert "already" in response.content.decode()


def test_a_grant_without_a_reason_changes_nothing(cast, clientele, held, login):
    url = reverse("finance:credit_override", args=[clientele.company.pk])
    response = login(cast.gm).post(url, {"reason": "", "valid_until": "not a date"})
    assert response.status_code == 400 and not CreditOverride.objects.exists()


def test_the_job_form_shows_the_hold_reason(cast, clientele, held, login):
    data = {
        "company": clientele.company.pk,
        "order_kind": order_kind("formal").pk,
        "title": "冰箱秋季促销",
        "owner": cast.ae.pk,
        "currency": "CNY",
    }
    response = _english(login, cast.ae).post(reverse("jobs:create"), data)
    assert response.status_code == 400
    assert "on credit hold" in response.content.decode()


@pytest.mark.parametrize("count", [2, 20])
def test_the_overview_has_a_fixed_query_budget(
    cast, clientele, books, login, django_assert_num_queries, count
):
    for n in range(count):
        company = CompanyFactory(code=f"C{n:03d}", name=f"客户{n}")
        books.invoice(company=company, total="1000", days_overdue=100 + n)
        CreditOverride.objects.create(
            company=company, reason="ok", valid_until=TODAY(), granted_by=cast.gm
        )
    services.credit_notices_send()
    client = login(cast.finance)
    client.get(reverse("finance:credit"))
    with django_assert_num_queries(OVERVIEW_QUERIES):
        assert client.get(reverse("finance:credit")).status_code == 200


@pytest.mark.parametrize("count", [2, 20])
def test_the_client_page_has_a_fixed_query_budget(
    cast, clientele, books, login, django_assert_num_queries, count
):
    for n in range(count):
        job = JobFactory(company=clientele.company, owner=cast.ae)
        books.invoice(company=clientele.company, job=job, total="1000", days_overdue=100 + n)
        CreditOverride.objects.create(
            company=clientele.company,
            reason="ok",
            valid_until=TODAY() - timedelta(days=1),
            granted_by=cast.gm,
            used_at=timezone.now(),
            used_by=cast.ae,
            used_for="x",
        )
    services.credit_notices_send()
    client = login(cast.gm)
    url = reverse("finance:credit_company", args=[clientele.company.pk])
    client.get(url)
    with django_assert_num_queries(COMPANY_QUERIES):
        assert client.get(url).status_code == 200


@pytest.mark.parametrize("count", [2, 20])
def test_the_override_log_has_a_fixed_query_budget(
    cast, clientele, login, django_assert_num_queries, count
):

    for _n in range(count):
        CreditOverride.objects.create(
            company=clientele.company,
            reason="ok",
            valid_until=TODAY(),
            granted_by=cast.gm,
            used_at=timezone.now(),
            used_by=cast.ae,
            used_for="x",
        )
    client = login(cast.ad)
    client.get(reverse("finance:credit_overrides"))
    with django_assert_num_queries(OVERRIDES_QUERIES):
        assert client.get(reverse("finance:credit_overrides")).status_code == 200


def test_the_home_card_lists_the_held_clients_for_those_who_watch_credit(
    cast, clientele, books, held, login
):
    books.invoice(company=clientele.other_company, total="500", days_overdue=10)
    html = login(cast.gm).get("/").content.decode()
    assert html.count('data-testid="home-credit-client"') == 1 and "HAIER" in html
    assert 'data-testid="home-credit"' not in login(cast.ae).get("/").content.decode()
