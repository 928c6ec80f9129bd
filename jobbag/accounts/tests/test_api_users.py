"""The accounts API: staff directory, my profile, departments and my API tokens."""

import pytest

from jobbag.accounts.models import ApiToken, Role
from jobbag.accounts.tests.factories import DepartmentFactory, UserFactory
from jobbag.accounts.tokens import token_create
from jobbag.core.audit import history_for
from jobbag.core.models import AuditEntry

JSON = "application/json"


def bearer(secret: str) -> dict:
    return {"HTTP_AUTHORIZATION": f"Bearer {secret}"}


def usernames(response) -> list[str]:
    return [item["username"] for item in response.json()["items"]]


# Staff directory ---------------------------------------------------------------------


def test_it_lists_active_staff_with_department_and_position(cast, login):
    response = login(cast.ae).get("/api/v1/users")

    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 6 and body["page"] == 1 and body["pages"] == 1
    assert "client" not in usernames(response) and "outsider" not in usernames(response)
    ae = next(item for item in body["items"] if item["username"] == "ae")
    assert ae == {
        "id": cast.ae.pk,
        "username": "ae",
        "full_name": "王小明",
        "email": "ae@agency.example",
        "department": {
            "id": cast.ae.department_id,
            "code": "account",
            "name": cast.ae.department.name,
        },
        "position": {
            "id": cast.ae.position_id,
            "code": "ae",
            "name": cast.ae.position.name,
            "role": "ae",
        },
        "phone": "",
        "mobile": "",
        "is_active": True,
    }


def test_it_filters_the_directory_by_name_department_and_role(cast, login):
    client = login(cast.ae)

    assert usernames(client.get("/api/v1/users", {"q": "李娜"})) == ["ad"]
    assert usernames(client.get("/api/v1/users", {"q": "design"})) == ["designer"]
    by_department = client.get("/api/v1/users", {"department": cast.finance.department_id})
    assert usernames(by_department) == ["finance"]
    assert usernames(client.get("/api/v1/users", {"role": Role.GM})) == ["gm"]


def test_it_refuses_the_directory_to_client_users(cast, login):
    response = login(cast.client).get("/api/v1/users")

    assert response.status_code == 403
    assert response.json()["code"] == "forbidden"


def test_it_refuses_an_unknown_role_filter_with_a_field_message(cast, login):
    response = login(cast.ae).get("/api/v1/users", {"role": "pope"})

    assert response.status_code == 422
    assert list(response.json()["fields"]) == ["role"]


def test_the_directory_costs_the_same_queries_for_5_and_60_people(
    cast, client, django_assert_num_queries
):
    token, secret = token_create(actor=cast.ae, name="count")
    client.get("/api/v1/users", **bearer(secret))  # The first use stamps last_used_at.

    # The token, the count and the page: the same three for any number of people.
    with django_assert_num_queries(3):
        assert client.get("/api/v1/users", **bearer(secret)).json()["count"] == 6
    for n in range(54):
        UserFactory(username=f"staff{n:02}", department=cast.ae.department)
    with django_assert_num_queries(3):
        response = client.get("/api/v1/users", {"page_size": 100}, **bearer(secret))
    assert response.json()["count"] == 60 and len(response.json()["items"]) == 60


def test_it_shows_one_person_and_hides_those_outside_the_scope(cast, login):
    client = login(cast.ae)

    assert client.get(f"/api/v1/users/{cast.gm.pk}").json()["username"] == "gm"
    hidden = client.get(f"/api/v1/users/{cast.client.pk}")
    assert hidden.status_code == 404
    assert hidden.json() == {"code": "not_found", "message": hidden.json()["message"], "fields": {}}
    assert login(cast.admin).get(f"/api/v1/users/{cast.client.pk}").status_code == 200


def test_a_client_user_sees_only_themselves(cast, login):
    client = login(cast.client)

    assert client.get(f"/api/v1/users/{cast.client.pk}").status_code == 200
    assert client.get(f"/api/v1/users/{cast.outsider.pk}").status_code == 404
    assert client.get(f"/api/v1/users/{cast.ae.pk}").status_code == 404


# My profile ----------------------------------------------------------------------------


def test_it_shows_my_profile_with_its_version(cast, login):
    response = login(cast.client).get("/api/v1/users/me")

    assert response.status_code == 200
    body = response.json()
    assert body["username"] == "client" and body["kind"] == "client"
    assert body["version"] == 1 and body["language"] == "zh-hans"


def test_it_updates_my_profile_and_records_it(cast, login):
    response = login(cast.ae).patch(
        "/api/v1/users/me",
        {"version": 1, "phone": " 010-8888 6666 ", "language": "en"},
        content_type=JSON,
    )

    assert response.status_code == 200
    assert response.json()["phone"] == "010-8888 6666"
    assert response.json()["version"] == 2
    cast.ae.refresh_from_db()
    assert (cast.ae.phone, cast.ae.language, cast.ae.full_name) == ("010-8888 6666", "en", "王小明")
    entry = history_for(cast.ae).get()
    assert entry.action == AuditEntry.Action.CHANGE and entry.actor == cast.ae
    assert entry.changes == {"phone": ["", "010-8888 6666"], "language": ["zh-hans", "en"]}


def test_a_stale_version_is_refused_with_409_and_changes_nothing(cast, login):
    client = login(cast.ae)
    client.patch("/api/v1/users/me", {"version": 1, "mobile": "13800138000"}, content_type=JSON)

    response = client.patch(
        "/api/v1/users/me", {"version": 1, "full_name": "王大明"}, content_type=JSON
    )

    assert response.status_code == 409
    assert response.json()["code"] == "conflict" and response.json()["fields"] == {}
    cast.ae.refresh_from_db()
    assert (cast.ae.full_name, cast.ae.version) == ("王小明", 2)
    assert history_for(cast.ae).count() == 1


@pytest.mark.parametrize(
    ("field", "value"),
    [("phone", "call me"), ("mobile", "12"), ("full_name", "  "), ("language", "fr")],
)
def test_bad_profile_values_get_a_field_message_and_write_nothing(cast, login, field, value):
    response = login(cast.ae).patch(
        "/api/v1/users/me", {"version": 1, field: value}, content_type=JSON
    )

    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "invalid" and list(body["fields"]) == [field]
    assert len(body["fields"][field]) == 1 and body["fields"][field][0]
    cast.ae.refresh_from_db()
    assert cast.ae.version == 1
    assert not history_for(cast.ae).exists()


def test_a_profile_edit_without_a_version_is_refused(cast, login):
    response = login(cast.ae).patch("/api/v1/users/me", {"phone": "123456"}, content_type=JSON)

    assert response.status_code == 422
    assert list(response.json()["fields"]) == ["version"]
    cast.ae.refresh_from_db()
    assert cast.ae.phone == ""


# Departments ---------------------------------------------------------------------------


def test_it_lists_active_departments(cast, login):
    DepartmentFactory(code="closed", is_active=False)

    response = login(cast.designer).get("/api/v1/departments")

    assert response.status_code == 200
    codes = [item["code"] for item in response.json()]
    assert codes == ["account", "administration", "design", "finance", "management"]
    assert login(cast.client).get("/api/v1/departments").status_code == 403


# API tokens ----------------------------------------------------------------------------


def test_it_creates_a_token_showing_the_secret_once(cast, login):
    client = login(cast.ae)

    response = client.post("/api/v1/tokens", {"name": "报表脚本"}, content_type=JSON)

    assert response.status_code == 201
    secret = response.json()["secret"]
    token = ApiToken.objects.get(user=cast.ae)
    assert token.name == "报表脚本" and token.digest == ApiToken.digest_of(secret)
    assert response.json()["prefix"] == token.prefix == secret[:10]
    assert history_for(token).get().action == AuditEntry.Action.CREATE
    listed = client.get("/api/v1/tokens").json()
    assert [item["name"] for item in listed] == ["报表脚本"]
    assert "secret" not in listed[0]


def test_a_token_needs_a_name(cast, login):
    client = login(cast.ae)

    blank = client.post("/api/v1/tokens", {"name": "  "}, content_type=JSON)
    missing = client.post("/api/v1/tokens", {}, content_type=JSON)

    assert blank.status_code == 400 and list(blank.json()["fields"]) == ["name"]
    assert missing.status_code == 422 and list(missing.json()["fields"]) == ["name"]
    assert not ApiToken.objects.exists()


def test_it_lists_only_my_tokens(cast, login):
    token_create(actor=cast.ad, name="not mine")
    token_create(actor=cast.ae, name="mine")

    response = login(cast.ae).get("/api/v1/tokens")

    assert [item["name"] for item in response.json()] == ["mine"]


def test_it_revokes_my_token_so_it_stops_working(cast, login, client):
    token, secret = token_create(actor=cast.ae, name="script")
    assert client.get("/api/v1/users/me", **bearer(secret)).status_code == 200

    response = login(cast.ae).delete(f"/api/v1/tokens/{token.pk}")

    assert response.status_code == 204
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert history_for(token).filter(action=AuditEntry.Action.CHANGE).exists()
    client.logout()
    assert client.get("/api/v1/users/me", **bearer(secret)).status_code == 401


def test_it_does_not_revoke_someone_elses_token(cast, login):
    token, _secret = token_create(actor=cast.ad, name="theirs")

    response = login(cast.ae).delete(f"/api/v1/tokens/{token.pk}")

    assert response.status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None


def test_a_token_user_sees_what_their_scope_allows(cast, client):
    _token, secret = token_create(actor=cast.client, name="portal")

    assert client.get("/api/v1/users/me", **bearer(secret)).json()["username"] == "client"
    assert client.get("/api/v1/users", **bearer(secret)).status_code == 403
    assert client.get(f"/api/v1/users/{cast.ae.pk}", **bearer(secret)).status_code == 404
