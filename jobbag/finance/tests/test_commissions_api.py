"""Commissions, rules and targets over /api/v1/finance/: staff read their own, Finance
and management everyone's; Finance pays out once; Finance and the GM set targets."""

from datetime import date

import pytest
from django.utils import timezone

from jobbag.finance.models import Commission, Target
from jobbag.finance.services import incentives as services

# The fixtures of conftest_incentives (books, people, signed_job).
pytest_plugins = ["jobbag.finance.tests.conftest_incentives"]


API = "/api/v1/finance"
YEAR = timezone.localdate().year


@pytest.fixture
def earned(cast, clientele, people, signed_job, books):
    services.commission_rule_create(
        actor=cast.finance, code="account", name="客户提成", rate="5", shares={"owner": 100}
    )
    mine = signed_job(owner=cast.ae, net="100000")
    books.pay(books.invoice(company=clientele.company, job=mine, total="106000"))
    services.commissions_refresh(mine)
    theirs = signed_job(owner=people.am, net="40000")
    services.commissions_refresh(theirs)
    return mine, theirs


def test_staff_read_only_their_own_commissions(cast, people, earned, login):
    client = login(cast.ae)
    rows = client.get(f"{API}/commissions").json()
    assert [(r["user_id"], r["amount"], r["status"]) for r in rows] == [
        (cast.ae.pk, "5000.00", "payable")
    ]
    theirs = Commission.objects.get(user=people.am)
    assert client.get(f"{API}/commissions/{theirs.pk}").status_code == 404
    # Asking for someone else's gives nothing of theirs.
    assert client.get(f"{API}/commissions", {"user": people.am.pk}).json() == []


def test_finance_reads_everyones_and_pays_out_once(cast, people, earned, login):
    client = login(cast.finance)
    rows = client.get(f"{API}/commissions").json()
    assert {r["user_id"] for r in rows} == {cast.ae.pk, people.am.pk}
    pending = client.get(f"{API}/commissions", {"status": "pending"}).json()
    assert [r["user_id"] for r in pending] == [people.am.pk]
    payable = Commission.objects.get(user=cast.ae)
    url = f"{API}/commissions/{payable.pk}/paid"
    response = client.post(url, {}, content_type="application/json")
    assert response.status_code == 200 and response.json()["status"] == "paid"
    assert client.post(url, {}, content_type="application/json").status_code == 409
    pending_one = Commission.objects.get(user=people.am)
    response = client.post(
        f"{API}/commissions/{pending_one.pk}/paid", {}, content_type="application/json"
    )
    assert response.status_code == 400 and response.json()["code"] == "not_payable"
    response = client.post(url, {"paid_on": "yesterday"}, content_type="application/json")
    assert response.status_code == 422


def test_only_finance_pays_out(cast, earned, login):
    payable = Commission.objects.get(user=cast.ae)
    for user in (cast.ae, cast.gm):
        response = login(user).post(
            f"{API}/commissions/{payable.pk}/paid", {}, content_type="application/json"
        )
        assert response.status_code == 403


def test_rules_are_read_by_finance_and_management(cast, earned, login):
    rules = login(cast.gm).get(f"{API}/commission-rules").json()
    assert rules[0]["code"] == "account" and rules[0]["shares"][0]["share"] == "100.00"
    assert login(cast.ae).get(f"{API}/commission-rules").status_code == 403


def test_targets_mine_and_everyones(cast, people, signed_job, login):
    services.target_save(actor=cast.gm, user=cast.ae, year=YEAR, annual_amount="100000")
    services.target_save(actor=cast.gm, user=people.am, year=YEAR, annual_amount="80000")
    signed_job(net="25000", signed_on=date(YEAR, 1, 2))
    mine = login(cast.ae).get(f"{API}/targets", {"year": YEAR}).json()
    assert [(r["user_id"], r["signed"], r["attainment"]) for r in mine] == [
        (cast.ae.pk, "25000.00", "25.0")
    ]
    assert login(cast.ae).get(f"{API}/targets", {"user": people.am.pk}).status_code == 404
    everyone = login(people.manager).get(f"{API}/targets", {"year": YEAR}).json()
    assert {r["user_id"] for r in everyone} == {cast.ae.pk, people.am.pk}


def test_finance_sets_a_target_with_its_version(cast, people, login):
    client = login(cast.finance)
    payload = {"user_id": people.am.pk, "year": YEAR, "annual_amount": "90000"}
    response = client.put(f"{API}/targets", payload, content_type="application/json")
    assert response.status_code == 200 and response.json()["version"] == 1
    stale = {**payload, "annual_amount": "1", "version": 0}
    assert client.put(f"{API}/targets", stale, content_type="application/json").status_code == 409
    bad = {**payload, "annual_amount": "-5"}
    assert client.put(f"{API}/targets", bad, content_type="application/json").status_code == 400
    response = login(people.manager).put(f"{API}/targets", payload, content_type="application/json")
    assert response.status_code == 403
    assert Target.objects.get().annual_amount == 90000
