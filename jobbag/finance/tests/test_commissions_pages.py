"""Commission pages: "My commissions" (one's own statement per period, with .xlsx),
everyone's commissions for Finance with the payout button, the rules page (shares adding
up to 100%) and who was who on a job; fixed query budgets."""

from datetime import timedelta
from decimal import Decimal
from io import BytesIO

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from jobbag.finance.models import Commission, CommissionRule
from jobbag.finance.services import incentives as services

# The fixtures of conftest_incentives (books, people, signed_job).
pytest_plugins = ["jobbag.finance.tests.conftest_incentives"]

MY_QUERIES = 5
ALL_QUERIES = 6
RULES_QUERIES = 5
TODAY = timezone.localdate


@pytest.fixture
def rule(cast):
    return services.commission_rule_create(
        actor=cast.finance, code="account", name="客户提成 5%", rate="5", shares={"owner": 100}
    )


def _earn(clientele, signed_job, books, owner, *, paid: bool, net="100000"):
    job = signed_job(owner=owner, net=net)
    invoice = books.invoice(company=clientele.company, job=job, total=Decimal(net) * 106 / 100)
    if paid:
        books.pay(invoice, on=TODAY())
    services.commissions_refresh(job)
    return job


def test_my_commissions_shows_only_mine_pending_and_payable(
    cast, clientele, people, rule, signed_job, books, login
):
    payable = _earn(clientele, signed_job, books, cast.ae, paid=True)
    pending = _earn(clientele, signed_job, books, cast.ae, paid=False, net="20000")
    _earn(clientele, signed_job, books, people.am, paid=True)
    response = login(cast.ae).get(reverse("finance:my_commissions"))
    assert response.status_code == 200
    statement = response.context["statement"]
    assert [c.job for c in statement.earned] == [payable]
    assert [c.job for c in statement.pending] == [pending]
    assert statement.earned_total == Decimal("5000.00")
    assert statement.pending_total == Decimal("1000.00")
    html = response.content.decode()
    assert 'data-status="payable"' in html and 'data-status="pending"' in html


def test_a_period_with_nothing_payable_shows_only_the_pending(
    cast, clientele, rule, signed_job, books, login
):
    _earn(clientele, signed_job, books, cast.ae, paid=True)
    last_year = f"{TODAY().year - 1}-Q1"
    response = login(cast.ae).get(reverse("finance:my_commissions"), {"period": last_year})
    assert response.context["statement"].earned == []
    # A malformed period falls back to this month.
    response = login(cast.ae).get(reverse("finance:my_commissions"), {"period": "2026-13"})
    assert response.status_code == 200 and len(response.context["statement"].earned) == 1


def test_my_commissions_export_to_excel(cast, clientele, rule, signed_job, books, login):
    _earn(clientele, signed_job, books, cast.ae, paid=True)
    response = login(cast.ae).get(reverse("finance:my_commissions"), {"export": "xlsx"})
    assert response.status_code == 200
    sheet = load_workbook(BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert len(rows) == 2 and rows[1][7] == 5000


def test_finance_sees_everyone_and_marks_one_paid_out(
    cast, clientele, people, rule, signed_job, books, login
):
    _earn(clientele, signed_job, books, cast.ae, paid=True)
    _earn(clientele, signed_job, books, people.am, paid=True)
    client = login(cast.finance)
    response = client.get(reverse("finance:commissions"))
    assert response.status_code == 200
    assert len(response.context["statement"].earned) == 2
    one = Commission.objects.get(user=cast.ae)
    response = client.post(
        reverse("finance:commission_pay", args=[one.pk]), {"next": "/finance/commissions/"}
    )
    assert response.status_code == 302
    one.refresh_from_db()
    assert one.status == "paid" and one.paid_on == TODAY()
    # A second click says so and changes nothing.
    client.post(reverse("finance:commission_pay", args=[one.pk]))
    one.refresh_from_db()
    assert one.status == "paid"
    response = client.get(reverse("finance:commissions"), {"user": people.am.pk})
    assert [c.user for c in response.context["statement"].earned] == [people.am]


def test_rules_page_refuses_shares_not_adding_up_to_100(cast, login):
    client = login(cast.finance)
    data = {"code": "split", "name": "项目分成", "rate": "3", "is_active": "on"}
    response = client.post(
        reverse("finance:commission_rules"), {**data, "share_ae": "50", "share_designer": "40"}
    )
    assert response.status_code == 400 and not CommissionRule.objects.exists()
    response = client.post(
        reverse("finance:commission_rules"), {**data, "share_ae": "60", "share_designer": "40"}
    )
    assert response.status_code == 302
    rule = CommissionRule.objects.get()
    assert {s.participant: s.share for s in rule.shares.all()} == {
        "ae": Decimal("60.00"),
        "designer": Decimal("40.00"),
    }
    edit = reverse("finance:commission_rule_edit", args=[rule.pk])
    assert client.get(edit).status_code == 200
    response = client.post(edit, {**data, "rate": "4", "share_ae": "100", "version": rule.version})
    assert response.status_code == 302
    rule.refresh_from_db()
    assert rule.rate == Decimal("4.00") and rule.shares.count() == 1


def test_the_account_team_names_the_designer_on_the_job_page(
    cast, clientele, rule, signed_job, login
):
    job = signed_job()
    url = reverse("finance:job_credits", args=[job.pk])
    client = login(cast.ae)
    assert client.get(url).status_code == 200
    response = client.post(url, {"participant": "designer", "user": cast.designer.pk})
    assert response.status_code == 302
    assert job.commission_credits.get().user == cast.designer
    # Someone who does not work the job gets 404 (its client is not theirs).
    assert login(clientele.other_ae).get(url).status_code == 404


@pytest.mark.parametrize("count", [2, 20])
def test_my_commissions_has_a_fixed_query_budget(
    cast, clientele, rule, signed_job, books, login, django_assert_num_queries, count
):
    for n in range(count):
        _earn(clientele, signed_job, books, cast.ae, paid=n % 2 == 0)
    client = login(cast.ae)
    client.get(reverse("finance:my_commissions"))
    with django_assert_num_queries(MY_QUERIES):
        assert client.get(reverse("finance:my_commissions")).status_code == 200


@pytest.mark.parametrize("count", [2, 20])
def test_all_commissions_has_a_fixed_query_budget(
    cast, clientele, people, rule, signed_job, books, login, django_assert_num_queries, count
):

    for n in range(count):
        _earn(clientele, signed_job, books, cast.ae if n % 2 else people.am, paid=n % 3 != 0)
    client = login(cast.finance)
    client.get(reverse("finance:commissions"))
    with django_assert_num_queries(ALL_QUERIES):
        assert client.get(reverse("finance:commissions")).status_code == 200


@pytest.mark.parametrize("count", [2, 20])
def test_the_rules_page_has_a_fixed_query_budget(cast, login, django_assert_num_queries, count):
    for n in range(count):
        services.commission_rule_create(
            actor=cast.finance,
            code=f"r{n}",
            name=f"规则{n}",
            rate="1",
            shares={"owner": 50, "ae": 50},
        )
    client = login(cast.finance)
    client.get(reverse("finance:commission_rules"))
    with django_assert_num_queries(RULES_QUERIES):
        assert client.get(reverse("finance:commission_rules")).status_code == 200


def test_nothing_is_payable_later_than_today(cast, clientele, rule, signed_job, books):
    job = signed_job()
    invoice = books.invoice(company=clientele.company, job=job, total="106000")
    books.pay(invoice, on=TODAY() - timedelta(days=2))
    (commission,) = services.commissions_refresh(job)
    assert commission.payable_on == TODAY() - timedelta(days=2)


def test_the_home_card_shows_what_is_payable(cast, clientele, rule, signed_job, books, login):
    assert 'data-testid="home-commissions"' not in login(cast.ae).get("/").content.decode()
    _earn(clientele, signed_job, books, cast.ae, paid=True)
    response = login(cast.ae).get("/")
    assert "5,000.00" in response.content.decode()
    assert 'data-testid="home-commissions-payable"' in response.content.decode()
