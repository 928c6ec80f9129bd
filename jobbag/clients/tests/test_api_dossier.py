"""The dossier API, mounted here on a test API the way jobbag/api.py mounts routers (same
authentication and error handlers) at /api/test/clients/."""

from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import path

from jobbag.clients.api_dossier import router
from jobbag.clients.models import Budget, CompetitorReview, MarketOverview, Product
from jobbag.clients.services import dossier
from jobbag.core.api_support import (
    JobbagAPI,
    JsonParser,
    SessionAuth,
    TokenAuth,
    install_error_handlers,
)
from jobbag.core.models import AuditEntry
from jobbag.core.testing import Case, run_permission_matrix
from jobbag.urls import urlpatterns as project_urlpatterns

test_api = JobbagAPI(
    title="Dossier API under test",
    version="test",
    urls_namespace="dossier_test_api",
    auth=[TokenAuth(), SessionAuth()],
    parser=JsonParser(),
)
install_error_handlers(test_api)
test_api.add_router("/clients", router)
urlpatterns = [path("api/test/", test_api.urls), *project_urlpatterns]

pytestmark = [pytest.mark.django_db, pytest.mark.urls(__name__)]


def base(brand) -> str:
    return f"/api/test/clients/brands/{brand.pk}/dossier"


REVIEW = {
    "brand_product": "美的冰箱",
    "reviewed_on": "2025-03-01",
    "selling_points": "一级能效",
    "target": "新婚家庭",
    "promise_and_support": "十年保修",
    "creative_concept_and_tone": "温馨",
    "production_quality": "精良",
    "media_and_format": "央视15秒",
}


def test_it_reads_the_whole_dossier(cast, clientele, login):
    brand = clientele.brand
    dossier.dossier_section_set(
        actor=cast.ae, brand=brand, section="market", expected_version=0, share="28%"
    )
    dossier.dossier_row_add(
        actor=cast.ae,
        brand=brand,
        section="products",
        generic_name="冰箱",
        grid={"quality": {"strength": "扎实"}},
    )
    dossier.dossier_row_add(
        actor=cast.ae, brand=brand, section="budgets", year=2025, amount=Decimal("100.50")
    )

    response = login(cast.ae).get(base(brand))

    assert response.status_code == 200
    body = response.json()
    assert body["brand"] == {"id": brand.pk, "name": "海尔冰箱", "company_id": brand.company_id}
    assert body["market"]["share"] == "28%" and body["market"]["version"] == 1
    assert body["market"]["updated_by_id"] == cast.ae.pk
    assert body["products"][0]["grid"] == {"quality": {"strength": "扎实"}}
    assert body["budgets"][0]["amount"] == "100.50"
    assert body["consumers"] is None and body["strategy"] is None
    assert body["reviews"] == [] and body["attachments"] == []


def test_an_ae_on_the_team_fills_a_competitor_review_and_a_product_grid(cast, clientele, login):
    brand = clientele.brand
    client = login(cast.ae)

    review = client.post(f"{base(brand)}/reviews", REVIEW, content_type="application/json")
    product = client.post(
        f"{base(brand)}/products",
        {"generic_name": "冰箱", "grid": {"design": {"strength": "简洁", "weakness": "偏大"}}},
        content_type="application/json",
    )

    assert review.status_code == 201 and product.status_code == 201
    assert review.json()["selling_points"] == "一级能效"
    saved = CompetitorReview.objects.get()
    assert (saved.updated_by, str(saved.reviewed_on)) == (cast.ae, "2025-03-01")
    assert Product.objects.get().grid == {"design": {"strength": "简洁", "weakness": "偏大"}}
    assert AuditEntry.objects.filter(action="create", actor=cast.ae).count() == 2


def test_it_puts_a_single_section_and_refuses_a_stale_version(cast, clientele, login):
    brand = clientele.brand
    client = login(cast.ae)
    first = client.put(
        f"{base(brand)}/consumers",
        {"version": 0, "seasonality": "夏季旺季"},
        content_type="application/json",
    )
    assert first.status_code == 200 and first.json()["version"] == 1

    second = client.put(
        f"{base(brand)}/consumers",
        {"version": 1, "regions": "华东"},
        content_type="application/json",
    )
    assert second.status_code == 200
    assert (second.json()["regions"], second.json()["seasonality"]) == ("华东", "夏季旺季")

    stale = client.put(
        f"{base(brand)}/consumers",
        {"version": 1, "regions": "华南"},
        content_type="application/json",
    )
    assert stale.status_code == 409
    assert stale.json()["code"] == "conflict"
    assert brand.consumers.regions == "华东"
    market = client.put(f"{base(brand)}/market", {"version": 3}, content_type="application/json")
    assert market.status_code == 409 and not MarketOverview.objects.exists()


def test_it_patches_and_deletes_rows_with_their_versions(cast, clientele, login):
    brand = clientele.brand
    client = login(cast.ae)
    row_id = client.post(
        f"{base(brand)}/campaigns", {"name": "春节", "year": 2023}, content_type="application/json"
    ).json()["id"]

    patched = client.patch(
        f"{base(brand)}/campaigns/{row_id}",
        {"version": 1, "results": "销量 +12%"},
        content_type="application/json",
    )
    assert patched.status_code == 200
    assert (patched.json()["results"], patched.json()["name"]) == ("销量 +12%", "春节")

    stale = client.delete(f"{base(brand)}/campaigns/{row_id}?version=1")
    assert stale.status_code == 409
    deleted = client.delete(f"{base(brand)}/campaigns/{row_id}?version=2")
    assert deleted.status_code == 204
    assert AuditEntry.objects.get(action="delete").changes["results"] == ["销量 +12%", None]
    assert client.delete(f"{base(brand)}/campaigns/{row_id}?version=2").status_code == 404


def test_bad_input_gets_field_messages_and_writes_nothing(cast, clientele, login):
    brand = clientele.brand
    client = login(cast.ae)
    cases = [
        (
            "research",
            {"title": "U&A", "field_start": "2025-05-10", "field_end": "2025-05-01"},
            400,
            "field_end",
        ),
        ("research", {"title": "U&A", "field_start": "2025-02-30"}, 422, "field_start"),
        ("budgets", {"year": 2025, "amount": "-5"}, 400, "amount"),
        ("budgets", {"year": 2025, "amount": "5", "currency": "rmb1"}, 400, "currency"),
        ("budgets", {"year": 3000, "amount": "5"}, 400, "year"),
        ("budgets", {"year": 2025}, 422, "amount"),
        ("products", {"generic_name": "冰箱", "grid": {"smell": {"strength": "香"}}}, 400, "grid"),
        ("products", {"generic_name": "冰箱", "grid": {"quality": {"strength": 3}}}, 400, "grid"),
        ("reviews", {"brand_product": ""}, 400, "brand_product"),
        ("competitors", {"company": "美的"}, 422, "name"),
    ]
    for section, payload, status, field in cases:
        response = client.post(f"{base(brand)}/{section}", payload, content_type="application/json")
        assert response.status_code == status, (section, payload, response.json())
        assert field in response.json()["fields"], (section, response.json())
    assert not AuditEntry.objects.exists()
    assert not Budget.objects.exists() and not Product.objects.exists()


def test_a_budget_defaults_to_the_clients_currency_and_is_kept(cast, clientele, login):
    brand = clientele.brand
    client = login(cast.ae)
    budget = client.post(
        f"{base(brand)}/budgets",
        {"year": 2025, "amount": "800000"},
        content_type="application/json",
    )
    assert budget.status_code == 201
    assert (budget.json()["currency"], budget.json()["kind"]) == ("CNY", "budget")

    refused = client.delete(f"{base(brand)}/budgets/{budget.json()['id']}?version=1")
    assert refused.status_code == 400 and refused.json()["code"] == "budget_kept"
    assert Budget.objects.count() == 1


def test_those_outside_get_404_and_client_users_too(cast, clientele, login):
    brand = clientele.brand
    review = dossier.dossier_row_add(
        actor=cast.ae, brand=brand, section="reviews", brand_product="美的"
    )
    for user in (clientele.other_ae, cast.client, cast.outsider, cast.designer):
        client = login(user)
        assert client.get(base(brand)).status_code == 404
        assert (
            client.post(
                f"{base(brand)}/reviews", REVIEW, content_type="application/json"
            ).status_code
            == 404
        )
        assert client.delete(f"{base(brand)}/reviews/{review.pk}?version=1").status_code == 404
    assert login(cast.ae).get("/api/test/clients/brands/999999/dossier").status_code == 404
    assert CompetitorReview.objects.count() == 1


def test_the_permission_matrix_of_the_dossier_api(cast, clientele):
    brand = clientele.brand
    review = dossier.dossier_row_add(
        actor=cast.ae, brand=brand, section="reviews", brand_product="美的"
    )
    cast_plus = type("CastPlus", (), {**vars(cast), "other_ae": clientele.other_ae})
    outsiders = ("client", "outsider", "designer", "other_ae", "admin")
    row = f"{base(brand)}/reviews/{review.pk}"
    requests = [
        ("GET", base(brand), None, 200),
        ("PUT", f"{base(brand)}/strategy", {"version": 0, "tone": "温暖"}, 200),
        ("POST", f"{base(brand)}/reviews", REVIEW, 201),
        ("PATCH", row, {"version": 1, "target": "学生"}, 200),
    ]
    cases = []
    for method, path_, data, ok in requests:
        cases.append(Case("anonymous", method, path_, 401, data))
        cases += [Case(role, method, path_, 404, data) for role in outsiders]
        cases.append(Case("ae", method, path_, ok, data))
    cases += [Case(role, "DELETE", f"{row}?version=2", 404) for role in outsiders]
    cases += [Case("gm", "GET", base(brand), 200)]

    run_permission_matrix(cast_plus, cases)

    review.refresh_from_db()
    assert (review.target, review.version) == ("学生", 2)


def test_the_dossier_api_is_in_the_openapi_schema(cast, login):
    schema = login(cast.ae).get("/api/test/openapi.json").json()
    paths = schema["paths"]
    assert "/api/test/clients/brands/{brand_id}/dossier" in paths
    assert set(paths["/api/test/clients/brands/{brand_id}/dossier/products/{row_id}"]) == {
        "patch",
        "delete",
    }
    assert "put" in paths["/api/test/clients/brands/{brand_id}/dossier/market"]


def test_it_downloads_an_attachment_for_those_who_may_see_it(
    cast, clientele, login, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    brand = clientele.brand
    attachment = dossier.dossier_attachment_add(
        actor=cast.ae,
        brand=brand,
        section="market",
        upload=SimpleUploadedFile("份额.txt", "市场份额 28%".encode()),
    )
    listed = login(cast.ae).get(base(brand)).json()["attachments"]
    assert [a["original_name"] for a in listed] == ["份额.txt"]
    path = f"{base(brand)}/files/{attachment.pk}"

    response = login(cast.ad).get(path)

    assert response.status_code == 200
    assert b"".join(response.streaming_content).decode() == "市场份额 28%"
    assert response["Content-Disposition"].startswith("attachment;")
    assert AuditEntry.objects.filter(action="access", actor=cast.ad).count() == 1
    for user in (clientele.other_ae, cast.client):
        assert login(user).get(path).status_code == 404
