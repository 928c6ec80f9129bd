"""Every 4xx of the API answers {"code", "message", "fields"}."""

import pytest
from django.http import Http404
from django.test import Client
from ninja.errors import HttpError

from jobbag.accounts.models import ApiToken
from jobbag.core.api_support import validation_fields
from jobbag.core.errors import Conflict

JSON = "application/json"


def assert_error_shape(response, status: int, code: str) -> dict:
    assert response.status_code == status
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert set(body) == {"code", "message", "fields"}
    assert body["code"] == code
    assert isinstance(body["message"], str) and body["message"]
    assert isinstance(body["fields"], dict)
    return body


def test_it_answers_401_without_credentials(db, client):
    assert_error_shape(client.get("/api/v1/users/me"), 401, "not_authenticated")


def test_it_answers_403_when_a_rule_refuses(cast, login):
    assert_error_shape(login(cast.client).get("/api/v1/users"), 403, "forbidden")


def test_it_answers_404_outside_the_scope_and_for_unknown_paths(cast, login):
    client = login(cast.ae)

    assert_error_shape(client.get(f"/api/v1/users/{cast.client.pk}"), 404, "not_found")
    assert_error_shape(client.get("/api/v1/no-such-thing"), 404, "not_found")


def test_an_unknown_path_answers_404_even_to_a_post_without_csrf(cast):
    client = Client(enforce_csrf_checks=True)
    client.force_login(cast.ae)

    assert_error_shape(client.post("/api/v1/no-such-thing", {}), 404, "not_found")


def test_it_answers_405_for_a_wrong_method(cast, login):
    response = login(cast.ae).put("/api/v1/users", {}, content_type=JSON)

    assert_error_shape(response, 405, "method_not_allowed")
    assert response["Allow"] == "GET"


def test_it_answers_409_for_a_stale_version(cast, login):
    response = login(cast.ae).patch("/api/v1/users/me", {"version": 9}, content_type=JSON)

    assert_error_shape(response, 409, "conflict")


def test_it_answers_422_with_the_fields_at_fault(cast, login):
    response = login(cast.ae).get("/api/v1/users", {"page": "two", "department": "x"})

    body = assert_error_shape(response, 422, "invalid")
    assert set(body["fields"]) == {"page", "department"}
    assert all(len(messages) == 1 for messages in body["fields"].values())


def test_it_answers_400_for_malformed_json_and_writes_nothing(cast, login):
    response = login(cast.ae).post("/api/v1/tokens", "{name: 'x'", content_type=JSON)

    assert_error_shape(response, 400, "malformed_json")
    assert not ApiToken.objects.exists()


def test_it_answers_403_when_a_session_post_fails_the_csrf_check(cast):
    client = Client(enforce_csrf_checks=True)
    client.force_login(cast.ae)

    response = client.post("/api/v1/tokens", {"name": "x"}, content_type=JSON)

    assert_error_shape(response, 403, "csrf_failed")
    assert not ApiToken.objects.exists()


def test_a_session_post_with_the_csrf_token_passes(cast):
    client = Client(enforce_csrf_checks=True)
    client.force_login(cast.ae)
    client.cookies["csrftoken"] = "a" * 32

    response = client.post(
        "/api/v1/tokens", {"name": "x"}, content_type=JSON, HTTP_X_CSRFTOKEN="a" * 32
    )

    assert response.status_code == 201
    assert ApiToken.objects.filter(user=cast.ae).count() == 1


def test_messages_follow_the_language(cast, login):
    cast.ae.language = "en"
    cast.ae.save(update_fields=["language"])

    response = login(cast.ae).get("/api/v1/users", {"page": "0"})

    assert response.json()["fields"]["page"] == ["Ensure this value is greater than or equal to 1."]


@pytest.mark.parametrize(
    ("loc", "field"),
    [
        (("body", "payload", "phone"), "phone"),
        (("body", "payload", "lines", 0, "amount"), "lines.0.amount"),
        (("query", "page"), "page"),
        (("path", "user_id"), "user_id"),
        (("body", "payload"), "payload"),
        (("body",), "__all__"),
    ],
)
def test_validation_locations_become_field_names(loc, field):
    assert list(validation_fields([{"loc": loc, "type": "missing", "msg": "x"}])) == [field]


def test_domain_errors_and_http_errors_keep_their_status_and_code(rf):
    from jobbag.api import api

    request = rf.get("/api/v1/")
    conflict = api.on_exception(request, Conflict(fields={"amount": "Too late."}))
    teapot = api.on_exception(request, HttpError(418, "I'm a teapot"))
    missing = api.on_exception(request, Http404())

    assert conflict.status_code == 409
    assert conflict.content.startswith(b'{"code": "conflict"')
    assert b'"fields": {"amount": ["Too late."]}' in conflict.content
    assert (teapot.status_code, missing.status_code) == (418, 404)
    assert b'"code": "error"' in teapot.content and b'"code": "not_found"' in missing.content
