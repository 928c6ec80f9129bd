"""The quotes API under /api/v1/jobs/: versions, lines, sign-off, PDF and prepayment;
refusals in the one error shape; who may do what."""

from decimal import Decimal

import pytest
from django.utils import timezone

from jobbag.approvals.models import SignoffStatus
from jobbag.core.testing import Case, run_permission_matrix
from jobbag.jobs.models import QuoteVersion
from jobbag.jobs.services import quotes
from jobbag.jobs.tests.test_quotes_helpers import approve, client_decides, quote_of, rates

API = "/api/v1/jobs"


@pytest.fixture
def card(chain):
    return rates()


def post(client, path, data=None):
    return client.post(f"{API}{path}", data=data or {}, content_type="application/json")


def patch(client, path, data):
    return client.patch(f"{API}{path}", data=data, content_type="application/json")


def test_a_quote_is_made_filled_and_sent_over_the_api(login, cast, chain, card):
    client = login(cast.ae)
    response = post(client, f"/{chain.job.pk}/quotes")
    assert response.status_code == 201
    quote = response.json()
    assert quote["number"] == 1 and quote["lines"] == []
    artwork = card["rate_items"]["artwork"]
    response = post(
        client,
        f"/quotes/{quote['id']}/lines",
        {"kind": "time", "quantity": "10", "rate_item": artwork.pk},
    )
    assert response.status_code == 201
    line = response.json()
    assert Decimal(line["amount"]) == Decimal("3000.00")
    response = patch(client, f"/quotes/{quote['id']}/lines/{line['id']}", {"quantity": "20"})
    assert response.status_code == 200 and Decimal(response.json()["amount"]) == 6000
    response = client.get(f"{API}/quotes/{quote['id']}")
    detail = response.json()
    assert Decimal(detail["net_total"]) == Decimal("6000.00")
    assert Decimal(detail["total"]) == Decimal("6360.00")
    assert [tax["charged"] for tax in detail["tax_lines"]] == [True, False]
    response = patch(
        client, f"/quotes/{quote['id']}", {"version": detail["version"], "notes": "含税价"}
    )
    assert response.status_code == 200 and response.json()["notes"] == "含税价"
    response = post(client, f"/quotes/{quote['id']}/submit")
    assert response.status_code == 200
    body = response.json()
    assert body["quote"]["signoff_status"] == SignoffStatus.SUBMITTED
    assert body["approval_id"]
    listed = client.get(f"{API}/{chain.job.pk}/quotes").json()
    assert [q["approval_id"] for q in listed] == [body["approval_id"]]


def test_a_stale_patch_is_a_conflict(login, cast, chain, card):
    quote = quote_of(cast.ae, chain.job, 1000)
    client = login(cast.ae)
    response = patch(client, f"/quotes/{quote.pk}", {"version": quote.version - 1, "notes": "x"})
    assert response.status_code == 409
    assert response.json()["code"] == "conflict"


def test_bad_lines_answer_in_the_error_shape(login, cast, chain, card):
    quote = quote_of(cast.ae, chain.job, 1000)
    client = login(cast.ae)
    response = post(client, f"/quotes/{quote.pk}/lines", {"kind": "time", "quantity": "1"})
    assert response.status_code == 400
    assert "unit_price" in response.json()["fields"]
    response = post(
        client,
        f"/quotes/{quote.pk}/lines",
        {"kind": "external", "quantity": "-1", "unit_price": "5", "description": "x"},
    )
    assert response.status_code == 400 and "quantity" in response.json()["fields"]
    response = post(client, f"/quotes/{quote.pk}/lines", {"kind": "nope", "quantity": "1"})
    assert response.status_code == 422
    assert quote.lines.count() == 1


def test_lines_of_a_sent_quote_do_not_change(login, cast, chain, card):
    quote = quote_of(cast.ae, chain.job, 1000)
    quotes.quote_submit(actor=cast.ae, quote=quote)
    client = login(cast.ae)
    line = quote.lines.get()
    response = client.delete(f"{API}/quotes/{quote.pk}/lines/{line.pk}")
    assert response.status_code == 400
    assert response.json()["code"] == "not_editable"
    response = post(client, f"/quotes/{quote.pk}/submit")
    assert response.status_code == 409
    response = post(client, f"/{chain.job.pk}/quotes")
    assert response.status_code == 409


def test_an_empty_quote_is_refused(login, cast, chain, card):
    quote = quotes.quote_create(actor=cast.ae, job=chain.job)
    response = post(login(cast.ae), f"/quotes/{quote.pk}/submit")
    assert response.status_code == 400
    assert response.json()["code"] == "empty_quote"


def test_the_next_version_is_made_from_a_returned_one(login, cast, chain, card):
    quote = quote_of(cast.ae, chain.job, 1000)
    approval = quotes.quote_submit(actor=cast.ae, quote=quote)
    approve(approval, chain.dcs)
    client_decides(approval, cast.client, "return", "请降价")
    client = login(cast.ae)
    listed = client.get(f"{API}/{chain.job.pk}/quotes").json()
    assert listed[0]["client_feedback"] == "请降价"
    response = post(client, f"/{chain.job.pk}/quotes")
    assert response.status_code == 201
    assert response.json()["number"] == 2 and len(response.json()["lines"]) == 1


def test_a_line_is_removed(login, cast, chain, card):
    quote = quote_of(cast.ae, chain.job, 1000)
    line = quote.lines.get()
    response = login(cast.ae).delete(f"{API}/quotes/{quote.pk}/lines/{line.pk}")
    assert response.status_code == 204
    quote.refresh_from_db()
    assert quote.total == 0


def test_the_pdf(login, cast, chain, card):
    quote = quote_of(cast.ae, chain.job, 1000)
    response = login(cast.finance).get(f"{API}/quotes/{quote.pk}/pdf")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content[:4] == b"%PDF"


def test_prepayment_over_the_api(login, cast, chain):
    response = post(login(cast.ae), f"/{chain.job.pk}/prepayment", {"amount": "12000"})
    assert response.status_code == 200
    assert Decimal(response.json()["prepayment_required"]) == Decimal("12000.00")
    today = timezone.localdate().isoformat()
    response = post(login(cast.designer), f"/{chain.job.pk}/prepayment", {"received_on": today})
    assert response.status_code == 404
    response = post(login(cast.finance), f"/{chain.job.pk}/prepayment", {"amount": "1"})
    assert response.status_code == 403
    response = post(login(cast.finance), f"/{chain.job.pk}/prepayment", {"received_on": today})
    assert response.status_code == 200
    assert response.json()["prepayment_received_on"] == today
    response = post(login(cast.finance), f"/{chain.job.pk}/prepayment", {"received_on": today})
    assert response.status_code == 409


def test_permission_matrix(cast, chain, card):
    quote = quote_of(cast.ae, chain.job, 1000)
    line = quote.lines.get()
    job = chain.job.pk
    new_line = {"kind": "external", "quantity": "1", "unit_price": "10", "description": "x"}
    cases = []
    for role in ["ae", "ad", "gm", "admin", "finance"]:
        cases += [
            Case(role, "GET", f"{API}/{job}/quotes", 200),
            Case(role, "GET", f"{API}/quotes/{quote.pk}", 200),
        ]
    for role in ["designer", "client", "outsider"]:
        cases += [
            Case(role, "GET", f"{API}/{job}/quotes", 404),
            Case(role, "GET", f"{API}/quotes/{quote.pk}", 404),
            Case(role, "GET", f"{API}/quotes/{quote.pk}/pdf", 404),
            Case(role, "POST", f"{API}/quotes/{quote.pk}/lines", 404, new_line),
            Case(role, "PATCH", f"{API}/quotes/{quote.pk}/lines/{line.pk}", 404, {"quantity": 2}),
            Case(role, "POST", f"{API}/{job}/quotes", 404),
            Case(role, "POST", f"{API}/quotes/{quote.pk}/submit", 404),
        ]
    cases += [
        Case("anonymous", "GET", f"{API}/quotes/{quote.pk}", 401),
        Case("finance", "POST", f"{API}/quotes/{quote.pk}/lines", 403, new_line),
        Case("finance", "PATCH", f"{API}/quotes/{quote.pk}", 403, {"version": 1, "notes": "x"}),
        Case("finance", "POST", f"{API}/quotes/{quote.pk}/submit", 403),
        Case("finance", "POST", f"{API}/{job}/quotes", 403),
        Case("ae", "POST", f"{API}/quotes/{quote.pk}/lines", 201, new_line),
        Case("ad", "POST", f"{API}/quotes/{quote.pk}/lines", 201, new_line),
        Case("gm", "PATCH", f"{API}/quotes/{quote.pk}/lines/{line.pk}", 200, {"quantity": 2}),
    ]
    run_permission_matrix(cast, cases)
    assert QuoteVersion.objects.get(pk=quote.pk).lines.count() == 3
