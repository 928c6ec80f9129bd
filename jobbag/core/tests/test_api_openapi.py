"""The API describes itself at /api/v1/openapi.json; its docs load nothing from elsewhere."""

import re

import pytest

ENDPOINTS = {
    "/api/v1/users": {"get"},
    "/api/v1/users/me": {"get", "patch"},
    "/api/v1/users/{user_id}": {"get"},
    "/api/v1/departments": {"get"},
    "/api/v1/tokens": {"get", "post"},
    "/api/v1/tokens/{token_id}": {"delete"},
    "/api/v1/notifications": {"get"},
    "/api/v1/notifications/{notification_id}/read": {"post"},
}


def test_the_openapi_schema_lists_every_endpoint_and_both_ways_in(db, client):
    response = client.get("/api/v1/openapi.json")

    assert response.status_code == 200
    schema = response.json()
    for path, methods in ENDPOINTS.items():
        assert methods <= set(schema["paths"][path]), path
    schemes = schema["components"]["securitySchemes"]
    assert {scheme["type"] for scheme in schemes.values()} == {"http", "apiKey"}
    listing = schema["paths"]["/api/v1/users"]["get"]
    assert {p["name"] for p in listing["parameters"]} >= {"q", "department", "role", "page"}
    assert {"401", "403", "422"} <= set(listing["responses"])
    error = listing["responses"]["403"]["content"]["application/json"]["schema"]
    assert error == {"$ref": "#/components/schemas/ErrorOut"}
    assert set(schema["components"]["schemas"]["ErrorOut"]["properties"]) == {
        "code",
        "message",
        "fields",
    }


@pytest.fixture
def plain_static_files(settings):
    """Static URLs without collectstatic's manifest, which `make test` builds first."""
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


def test_the_docs_page_loads_its_assets_locally(db, client, plain_static_files):
    response = client.get("/api/v1/docs")

    assert response.status_code == 200
    html = response.content.decode()
    assets = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert any(url.endswith("swagger-ui-bundle.js") for url in assets)
    assert all(url.startswith("/static/") for url in assets), assets
    assert "cdn" not in html and '"validatorUrl": null' in html
