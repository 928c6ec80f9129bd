"""The clients API: the team sees the file, other staff the name, client users their own
company only."""

from dataclasses import dataclass

import pytest

from jobbag.clients.models import Brand, Company, Contact
from jobbag.clients.tests.factories import CompanyFactory
from jobbag.core.models import AuditEntry
from jobbag.core.testing import Case, run_permission_matrix

pytestmark = [pytest.mark.django_db, pytest.mark.urls("jobbag.clients.tests.api_urls_clients")]

BASE = "/api/v1/test/clients"
JSON = "application/json"


def test_it_lists_clients_with_the_profile_only_where_the_file_is_open(cast, clientele, login):
    Company.objects.update(annual_revenue=5000000)
    response = login(cast.ae).get(BASE)

    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 2
    rows = {item["code"]: item for item in body["items"]}
    assert rows["HAIER"]["profile"]["annual_revenue"] == "5000000.00"
    assert rows["NIKE"]["profile"] is None and rows["NIKE"]["name"] == "耐克体育"


def test_it_filters_the_list_by_pinyin_status_and_mine(cast, clientele, login):
    CompanyFactory(code="GREE", name="格力电器", status="dormant")
    client = login(cast.ae)

    def codes(**params):
        return [item["code"] for item in client.get(BASE, params).json()["items"]]

    assert codes(q="haier") == ["HAIER"]
    assert codes(status="dormant") == ["GREE"]
    assert codes(mine="true") == ["HAIER"]


def test_another_ae_gets_the_name_only_and_no_people(cast, clientele, login):
    client = login(clientele.other_ae)
    company = client.get(f"{BASE}/{clientele.company.pk}").json()
    assert company["name"] == "海尔集团" and company["profile"] is None

    assert client.get(f"{BASE}/{clientele.company.pk}/contacts").status_code == 403
    assert client.get(f"{BASE}/{clientele.company.pk}/brands").status_code == 403
    patch = client.patch(
        f"{BASE}/contacts/{clientele.contact.pk}",
        {"version": 1, "title": "X"},
        content_type=JSON,
    )
    assert patch.status_code == 404


def test_an_ae_creates_a_client_with_a_brand_and_two_people(cast, login):
    client = login(cast.ae)
    created = client.post(
        BASE,
        {"code": "GREE", "name": "格力电器", "annual_revenue": "1000.50", "phone": "0756-8669999"},
        content_type=JSON,
    )
    assert created.status_code == 201, created.json()
    company_id = created.json()["id"]
    assert created.json()["profile"]["annual_revenue"] == "1000.50"

    brand = client.post(f"{BASE}/{company_id}/brands", {"name": "格力空调"}, content_type=JSON)
    assert brand.status_code == 201
    boss = client.post(
        f"{BASE}/{company_id}/contacts",
        {"name": "董明珠", "title": "董事长", "mobile": "13800000001"},
        content_type=JSON,
    ).json()
    report = client.post(
        f"{BASE}/{company_id}/contacts",
        {"name": "王经理", "reports_to_id": boss["id"], "brand_id": brand.json()["id"]},
        content_type=JSON,
    )
    assert report.status_code == 201 and report.json()["reports_to_id"] == boss["id"]

    people = client.get(f"{BASE}/{company_id}/contacts").json()
    assert [p["name"] for p in people] == ["王经理", "董明珠"]
    assert Brand.objects.filter(company_id=company_id).count() == 1
    assert AuditEntry.objects.filter(action="create", actor=cast.ae).count() == 5


def test_bad_input_answers_field_errors_and_writes_nothing(cast, clientele, login):
    client = login(cast.ae)
    bad = client.post(BASE, {"code": "x", "name": "", "phone": "abc"}, content_type=JSON)
    assert bad.status_code == 400
    assert {"code", "name", "phone"} <= set(bad.json()["fields"])

    foreign = client.post(
        f"{BASE}/{clientele.company.pk}/contacts",
        {"name": "某人", "reports_to_id": 999999},
        content_type=JSON,
    )
    assert foreign.status_code == 400 and "reports_to_id" in foreign.json()["fields"]
    assert Company.objects.count() == 2 and Contact.objects.count() == 1
    assert not AuditEntry.objects.exists()


def test_a_stale_patch_answers_409_and_changes_nothing(cast, clientele, login):
    client = login(cast.ae)
    url = f"{BASE}/{clientele.company.pk}"
    version = clientele.company.version

    ok = client.patch(url, {"version": version, "industry": "家电"}, content_type=JSON)
    assert ok.status_code == 200 and ok.json()["version"] == version + 1
    stale = client.patch(url, {"version": version, "industry": "汽车"}, content_type=JSON)
    assert stale.status_code == 409 and stale.json()["code"] == "conflict"
    assert Company.objects.get(pk=clientele.company.pk).industry == "家电"

    contact = clientele.contact
    patched = client.patch(
        f"{BASE}/contacts/{contact.pk}",
        {"version": contact.version, "mobile": "13900000000"},
        content_type=JSON,
    )
    assert patched.status_code == 200 and patched.json()["mobile"] == "13900000000"
    again = client.patch(
        f"{BASE}/contacts/{contact.pk}", {"version": contact.version}, content_type=JSON
    )
    assert again.status_code == 409


def test_a_client_user_reaches_only_their_own_company(cast, clientele, login):
    client = login(cast.client)
    listed = client.get(BASE).json()
    assert [item["code"] for item in listed["items"]] == ["HAIER"]
    assert listed["items"][0]["profile"] is None
    assert client.get(f"{BASE}/{clientele.company.pk}").status_code == 200
    assert client.get(f"{BASE}/{clientele.other_company.pk}").status_code == 404
    assert client.get(f"{BASE}/{clientele.other_company.pk}/contacts").status_code == 404
    assert client.get(f"{BASE}/search", {"q": "haier"}).status_code == 403
    assert (
        client.patch(
            f"{BASE}/{clientele.company.pk}", {"version": 1, "name": "X"}, content_type=JSON
        ).status_code
        == 403
    )
    assert client.post(BASE, {"code": "HACK", "name": "X"}, content_type=JSON).status_code == 403
    assert Company.objects.get(pk=clientele.company.pk).name == "海尔集团"


def test_search_groups_results_by_kind(cast, clientele, login):
    body = login(cast.ae).get(f"{BASE}/search", {"q": "haier"}).json()
    assert [c["code"] for c in body["companies"]] == ["HAIER"]
    assert [b["name"] for b in body["brands"]] == ["海尔冰箱"]
    sunli = login(cast.ae).get(f"{BASE}/search", {"q": "sunli"}).json()
    assert [c["name"] for c in sunli["contacts"]] == ["孙丽"]
    other = login(clientele.other_ae).get(f"{BASE}/search", {"q": "sunli"}).json()
    assert other["contacts"] == []


@dataclass
class Roles:
    """The cast plus an AE serving another client (who sees HAIER by name only)."""

    client: object
    outsider: object
    designer: object
    ae: object
    other_ae: object
    gm: object
    admin: object


def test_the_permission_matrix_of_pages_and_api(cast, clientele):
    roles = Roles(
        cast.client, cast.outsider, cast.designer, cast.ae, clientele.other_ae, cast.gm, cast.admin
    )
    haier, brand, contact = clientele.company.pk, clientele.brand.pk, clientele.contact.pk
    everyone = ["anonymous", "client", "outsider", "designer", "ae", "other_ae", "gm", "admin"]
    # Expected statuses per role, in the order of `everyone`.
    table = {
        ("GET", "/clients/"): [302, 404, 404, 200, 200, 200, 200, 200],
        ("GET", "/clients/export/"): [302, 404, 404, 200, 200, 200, 200, 200],
        ("GET", "/clients/search/?q=haier"): [302, 404, 404, 200, 200, 200, 200, 200],
        ("GET", "/clients/new/"): [302, 404, 404, 403, 200, 200, 200, 200],
        ("GET", f"/clients/{haier}/"): [302, 404, 404, 200, 200, 200, 200, 200],
        ("GET", f"/clients/{haier}/edit/"): [302, 404, 404, 403, 200, 403, 200, 200],
        ("GET", f"/clients/{haier}/brands/new/"): [302, 404, 404, 403, 200, 403, 200, 200],
        ("GET", f"/clients/{haier}/contacts/new/"): [302, 404, 404, 403, 200, 403, 200, 200],
        ("POST", f"/clients/{haier}/team/add/"): [302, 404, 404, 403, 302, 403, 302, 302],
        ("GET", f"/clients/brands/{brand}/"): [302, 404, 404, 200, 200, 200, 200, 200],
        ("GET", f"/clients/brands/{brand}/edit/"): [302, 404, 404, 403, 200, 403, 200, 200],
        ("GET", f"/clients/contacts/{contact}/"): [302, 404, 404, 404, 200, 404, 200, 404],
        ("GET", f"/clients/contacts/{contact}/edit/"): [302, 404, 404, 404, 200, 404, 200, 404],
        ("GET", BASE): [401, 200, 200, 200, 200, 200, 200, 200],
        ("GET", f"{BASE}/{haier}"): [401, 200, 404, 200, 200, 200, 200, 200],
        ("GET", f"{BASE}/{haier}/brands"): [401, 200, 404, 403, 200, 403, 200, 403],
        ("GET", f"{BASE}/{haier}/contacts"): [401, 200, 404, 403, 200, 403, 200, 403],
        ("GET", f"{BASE}/search?q=haier"): [401, 403, 403, 200, 200, 200, 200, 200],
        ("PATCH", f"{BASE}/{haier}"): [401, 403, 404, 403, 409, 403, 409, 409],
        ("PATCH", f"{BASE}/contacts/{contact}"): [401, 403, 404, 404, 409, 404, 409, 404],
        ("POST", f"{BASE}/{haier}/brands"): [401, 403, 404, 403, 201, 403, 201, 201],
    }
    cases = []
    for (method, url), statuses in table.items():
        for n, (role, status) in enumerate(zip(everyone, statuses, strict=True)):
            data = {"version": 999}
            if url.endswith("/brands") and method == "POST":
                data = {"name": f"品牌{n}"}
            cases.append(Case(role, method, url, status, data))
    for n, role in enumerate(everyone):
        status = [401, 403, 403, 403, 201, 201, 201, 201][n]
        cases.append(Case(role, "POST", BASE, status, {"code": f"NEW{n}", "name": "新客户"}))
    run_permission_matrix(roles, cases)
