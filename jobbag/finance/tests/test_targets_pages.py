"""Target pages: "My targets" for every staff member, the table per person and per team
for managers with the forms Finance and the GM use; fixed query budgets."""

from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from jobbag.accounts.tests.factories import staff
from jobbag.finance.models import BonusTier, Target
from jobbag.finance.services import incentives as services

# The fixtures of conftest_incentives (books, people, signed_job).
pytest_plugins = ["jobbag.finance.tests.conftest_incentives"]

MINE_QUERIES = 12
TABLE_QUERIES = 13
YEAR = timezone.localdate().year - 1


def test_my_targets_shows_my_attainment_and_flags_a_weak_quarter(cast, signed_job, login):
    services.target_save(
        actor=cast.finance,
        user=cast.ae,
        year=YEAR,
        annual_amount="200000",
        quarterly_minimum="30000",
    )
    signed_job(net="100000", signed_on=date(YEAR, 1, 15))
    response = login(cast.ae).get(reverse("finance:my_targets"), {"year": YEAR})
    assert response.status_code == 200
    result = response.context["result"]
    assert result.signed == Decimal("100000.00") and result.attainment == Decimal("50.0")
    html = response.content.decode()
    assert html.count('data-testid="below-minimum"') == 3


def test_my_targets_without_a_target(cast, login):
    response = login(cast.designer).get(reverse("finance:my_targets"))
    assert response.status_code == 200 and response.context["result"] is None


def test_finance_sets_a_target_and_a_tier_on_the_table(cast, login):
    client = login(cast.finance)
    response = client.post(
        reverse("finance:target_save"),
        {"user": cast.ae.pk, "year": YEAR, "annual_amount": "300000", "quarterly_minimum": ""},
    )
    assert response.status_code == 302
    assert Target.objects.get().annual_amount == Decimal("300000.00")
    response = client.post(
        reverse("finance:bonus_tier_add"), {"year": YEAR, "min_margin": "100000", "rate": "4"}
    )
    assert response.status_code == 302 and BonusTier.objects.count() == 1
    response = client.post(
        reverse("finance:target_save"),
        {"user": cast.ae.pk, "year": YEAR, "annual_amount": "-1"},
    )
    assert response.status_code == 400
    assert Target.objects.get().annual_amount == Decimal("300000.00")
    response = client.get(reverse("finance:targets"), {"year": YEAR})
    assert [r.user for r in response.context["rows"]] == [cast.ae]


def test_the_table_is_for_managers_only(cast, people, login):
    assert login(people.manager).get(reverse("finance:targets")).status_code == 200
    assert login(cast.ae).get(reverse("finance:targets")).status_code == 403
    response = login(people.manager).post(
        reverse("finance:target_save"), {"user": cast.ae.pk, "year": YEAR, "annual_amount": "1"}
    )
    assert response.status_code == 403


@pytest.mark.parametrize("count", [2, 20])
def test_the_table_has_a_fixed_query_budget(
    cast, signed_job, login, django_assert_num_queries, count
):
    for n in range(count):
        person = staff(f"ae{n}", "ae", department=f"team{n % 3}")
        services.target_save(actor=cast.gm, user=person, year=YEAR, annual_amount="100000")
        signed_job(owner=person, net="1000", signed_on=date(YEAR, 2, 1))
    services.bonus_tier_add(actor=cast.gm, year=YEAR, min_margin="0", rate="1")
    client = login(cast.gm)
    client.get(reverse("finance:targets"), {"year": YEAR})
    with django_assert_num_queries(TABLE_QUERIES):
        assert client.get(reverse("finance:targets"), {"year": YEAR}).status_code == 200


@pytest.mark.parametrize("count", [2, 20])
def test_my_targets_has_a_fixed_query_budget(
    cast, signed_job, login, django_assert_num_queries, count
):

    services.target_save(actor=cast.gm, user=cast.ae, year=YEAR, annual_amount="100000")
    for n in range(count):
        signed_job(net="1000", signed_on=date(YEAR, 1 + n % 12, 1))
    client = login(cast.ae)
    client.get(reverse("finance:my_targets"), {"year": YEAR})
    with django_assert_num_queries(MINE_QUERIES):
        assert client.get(reverse("finance:my_targets"), {"year": YEAR}).status_code == 200
