"""Who the API lets in: a session, or a personal token sent as a Bearer header."""

from django.test import Client
from django.utils import timezone

from jobbag.accounts.models import ApiToken
from jobbag.accounts.services import user_deactivate
from jobbag.accounts.tokens import token_create

JSON = "application/json"


def bearer(secret: str) -> dict:
    return {"HTTP_AUTHORIZATION": f"Bearer {secret}"}


def test_a_session_authenticates(cast, login):
    response = login(cast.ae).get("/api/v1/users/me")

    assert response.status_code == 200
    assert response.json()["username"] == "ae"


def test_a_token_authenticates_and_is_stamped_as_used(cast, client):
    token, secret = token_create(actor=cast.ad, name="script")

    response = client.get("/api/v1/users/me", **bearer(secret))

    assert response.status_code == 200
    assert response.json()["username"] == "ad"
    token.refresh_from_db()
    assert token.last_used_at is not None


def test_a_token_post_needs_no_csrf_token(cast):
    _token, secret = token_create(actor=cast.ae, name="script")
    client = Client(enforce_csrf_checks=True)

    response = client.post(
        "/api/v1/tokens", {"name": "second"}, content_type=JSON, **bearer(secret)
    )

    assert response.status_code == 201
    assert ApiToken.objects.filter(user=cast.ae).count() == 2


def test_a_revoked_token_is_refused(cast, client):
    token, secret = token_create(actor=cast.ae, name="script")
    ApiToken.objects.filter(pk=token.pk).update(revoked_at=timezone.now())

    response = client.get("/api/v1/users/me", **bearer(secret))

    assert response.status_code == 401
    assert response.json()["code"] == "not_authenticated"


def test_the_token_of_a_deactivated_user_is_refused(cast, client):
    _token, secret = token_create(actor=cast.ae, name="script")
    user_deactivate(actor=cast.admin, user=cast.ae)

    assert client.get("/api/v1/users/me", **bearer(secret)).status_code == 401


def test_an_unknown_or_malformed_token_is_refused(db, client):
    for header in ["Bearer jb_nonsense", "Bearer ", "Token jb_x", "Basic YWU6cGFzcw=="]:
        response = client.get("/api/v1/users/me", HTTP_AUTHORIZATION=header)
        assert response.status_code == 401, header


def test_a_token_user_gets_messages_in_their_language(cast, client):
    cast.ae.language = "en"
    cast.ae.save(update_fields=["language"])
    _token, secret = token_create(actor=cast.ae, name="script")

    response = client.get("/api/v1/users", {"page": "x"}, **bearer(secret))

    assert response.json()["fields"]["page"] == ["Enter a whole number."]
