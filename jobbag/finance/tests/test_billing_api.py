"""The billing API under /api/v1/finance/: drafts, issue (409 on a second issue), credit
notes, payments with allocations, ageing and statements; no way to change an issued
invoice; malformed input is a 4xx in the one error shape."""

from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from jobbag.finance.models import Invoice, Payment
from jobbag.finance.tests.conftest_billing import billing_fixture, issued_invoice  # noqa: F401

D = Decimal
API = "/api/v1/finance"


def _post(client, url, data):
    return client.post(url, data=data, content_type="application/json")


def test_finance_drafts_issues_and_credits_through_the_api(login, cast, billing):
    client = login(cast.finance)
    response = _post(
        client,
        f"{API}/invoices",
        {"job": billing.job.pk, "kind": "percentage", "percentage": "50"},
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["status"] == "draft" and D(body["total"]) == D("5300.00")
    assert D(body["levy_amount"]) == D("150.00") and len(body["lines"]) == 1
    issued = _post(client, f"{API}/invoices/{body['id']}/issue", {"version": body["version"]})
    assert issued.status_code == 200 and issued.json()["number"].endswith("-00001")
    again = _post(client, f"{API}/invoices/{body['id']}/issue", {})
    assert again.status_code == 409 and again.json()["code"] == "conflict"
    credit = _post(
        client, f"{API}/invoices/{body['id']}/credit", {"reason": "折让", "net_amount": "100"}
    )
    assert credit.status_code == 201 and D(credit.json()["total"]) == D("-106.00")
    assert credit.json()["credit_of"] == body["id"]


def test_an_issued_invoice_has_no_edit_or_delete(login, cast, billing):
    invoice = issued_invoice(cast, billing)
    client = login(cast.finance)
    patch = client.patch(
        f"{API}/invoices/{invoice.pk}", data={"note": "x"}, content_type="application/json"
    )
    delete = client.delete(f"{API}/invoices/{invoice.pk}")
    assert patch.status_code == 405 and delete.status_code == 405
    invoice.refresh_from_db()
    assert invoice.note == "" and invoice.status == Invoice.Status.ISSUED


def test_over_the_quote_and_malformed_input_are_refused(login, cast, billing):
    client = login(cast.finance)
    over = _post(
        client,
        f"{API}/invoices",
        {"job": billing.job.pk, "kind": "milestone", "milestone": "尾款", "amount": "10000.01"},
    )
    assert over.status_code == 400 and over.json()["code"] == "over_quote"
    bad = _post(client, f"{API}/invoices", {"job": billing.job.pk, "percentage": "abc"})
    assert bad.status_code == 422 and "percentage" in bad.json()["fields"]
    missing = _post(client, f"{API}/invoices", {"job": 999999})
    assert missing.status_code == 404
    broken = client.post(f"{API}/invoices", data="{", content_type="application/json")
    assert broken.status_code == 400
    assert not Invoice.objects.exists()


def test_payments_allocations_ageing_and_statement(login, cast, clientele, billing):
    day = timezone.localdate() - timedelta(days=40)
    invoice = issued_invoice(cast, billing, issue_date=day)
    client = login(cast.finance)
    response = _post(
        client,
        f"{API}/payments",
        {
            "company": clientele.company.pk,
            "received_on": timezone.localdate().isoformat(),
            "amount": "5000",
            "allocations": [{"invoice": invoice.pk, "amount": "3000"}],
        },
    )
    assert response.status_code == 201, response.content
    payment = response.json()
    assert D(payment["unallocated"]) == D("2000.00")
    more = _post(
        client,
        f"{API}/payments/{payment['id']}/allocations",
        {"invoice": invoice.pk, "amount": "2000.01"},
    )
    assert more.status_code == 400 and "amount" in more.json()["fields"]
    ok = _post(
        client,
        f"{API}/payments/{payment['id']}/allocations",
        {"invoice": invoice.pk, "amount": "2000"},
    )
    assert ok.status_code == 201 and D(ok.json()["unallocated"]) == 0
    ageing = client.get(f"{API}/ageing?as_of={timezone.localdate().isoformat()}").json()
    assert D(ageing["rows"][0]["d30"]) == D("5600.00")
    earlier = client.get(f"{API}/ageing?as_of={(day + timedelta(days=1)).isoformat()}").json()
    assert D(earlier["rows"][0]["current"]) == D("10600.00")
    statement = client.get(
        f"{API}/statement?company={clientele.company.pk}&start={day}&end={timezone.localdate()}"
    ).json()
    assert D(statement["closing"]) == D("5600.00") and len(statement["entries"]) == 2


def test_roles_and_scope_in_the_api(login, cast, clientele, billing):
    invoice = issued_invoice(cast, billing)
    ae = login(cast.ae)
    assert ae.get(f"{API}/invoices/{invoice.pk}").status_code == 200
    assert _post(ae, f"{API}/invoices/{invoice.pk}/credit", {"reason": "x"}).status_code == 403
    assert _post(ae, f"{API}/invoices", {"job": billing.job.pk}).status_code == 403
    payment = {"company": clientele.company.pk, "received_on": "2026-01-05", "amount": "1"}
    assert _post(ae, f"{API}/payments", payment).status_code == 403
    other = login(clientele.other_ae)
    assert other.get(f"{API}/invoices/{invoice.pk}").status_code == 404
    assert other.get(f"{API}/invoices").json()["count"] == 0
    portal = login(cast.client)
    assert portal.get(f"{API}/invoices").json()["count"] == 1
    assert login(cast.outsider).get(f"{API}/invoices/{invoice.pk}").status_code == 404
    own = f"{API}/statement?company={clientele.company.pk}&start=2026-01-01&end=2026-12-31"
    assert login(cast.client).get(own).status_code == 200
    assert login(cast.outsider).get(own).status_code == 404
    assert not Payment.objects.exists()


def test_retainers_through_the_api(login, cast, clientele, billing):
    client = login(cast.finance)
    made = _post(
        client,
        f"{API}/retainers",
        {
            "company": clientele.company.pk,
            "description": "年度服务费",
            "monthly_fee": "20000",
            "starts_on": timezone.localdate().replace(day=1).isoformat(),
        },
    )
    assert made.status_code == 201, made.content
    retainer = made.json()["id"]
    draft = _post(client, f"{API}/retainers/{retainer}/draft", {})
    assert draft.status_code == 201 and D(draft.json()["total"]) == D("21200.00")
    assert _post(client, f"{API}/retainers/{retainer}/draft", {}).status_code == 409
    bad = _post(
        client,
        f"{API}/retainers",
        {
            "company": clientele.company.pk,
            "description": "x",
            "monthly_fee": "-1",
            "starts_on": "2026-01-01",
        },
    )
    assert bad.status_code == 400 and "monthly_fee" in bad.json()["fields"]
    assert login(cast.ae).get(f"{API}/retainers").status_code == 403
