"""Session limits: a new id at sign-in, idle and absolute timeouts, and deactivation."""

import time
from urllib.parse import urlencode

import pytest
from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import reverse

from jobbag.accounts import security
from jobbag.accounts.models import User
from jobbag.accounts.services import user_deactivate
from jobbag.accounts.tests.factories import PASSWORD, UserFactory
from jobbag.accounts.tokens import token_authenticate, token_create
from jobbag.core.models import AuditEntry

# Argon2 costs most of a second per hash and these tests sign in often.
pytestmark = pytest.mark.usefixtures("quick_password_hashing")

HOME = reverse("core:home")
LOGIN = reverse("accounts:login")


@pytest.fixture
def ae(db) -> User:
    # English, so that the assertions can read the messages.
    return UserFactory(username="ae", language="en")


def signed_in_client(username: str) -> Client:
    client = Client()
    response = client.post(LOGIN, {"username": username, "password": PASSWORD})
    assert response.status_code == 302
    return client


def shift_session(client: Client, **seconds_ago: float) -> None:
    """Moves the session's login and/or last-activity stamps into the past."""
    session = client.session
    now = time.time()
    if "login" in seconds_ago:
        session[security.SESSION_LOGIN_AT] = now - seconds_ago["login"]
    if "seen" in seconds_ago:
        session[security.SESSION_SEEN_AT] = now - seconds_ago["seen"]
    session.save()


def test_it_gives_the_session_a_new_id_at_sign_in(client, ae):
    session = client.session
    session["before"] = "sign-in"
    session.save()
    old_key = session.session_key

    client.post(LOGIN, {"username": "ae", "password": PASSWORD})

    new_key = client.cookies["sessionid"].value
    assert new_key != old_key
    assert not Session.objects.filter(session_key=old_key).exists()
    assert client.session["_auth_user_id"] == str(ae.pk)


def test_it_ends_a_session_left_idle_too_long(ae, settings):
    client = signed_in_client("ae")
    shift_session(client, seen=settings.SESSION_IDLE_TIMEOUT.total_seconds() + 5)

    response = client.get(reverse("core:notifications"))

    assert response.status_code == 302
    assert response["Location"] == f"{LOGIN}?{urlencode({'next': '/notifications/'})}"
    assert "_auth_user_id" not in client.session
    page = client.get(response["Location"])
    assert "Your session has expired" in page.content.decode()


def test_it_keeps_a_session_that_is_used(ae, settings):
    client = signed_in_client("ae")
    shift_session(client, seen=settings.SESSION_IDLE_TIMEOUT.total_seconds() - 60)

    assert client.get(HOME).status_code == 200
    assert client.session[security.SESSION_SEEN_AT] > time.time() - 5


def test_it_ends_a_session_after_the_absolute_limit_however_busy(ae, settings):
    client = signed_in_client("ae")
    shift_session(client, login=settings.SESSION_ABSOLUTE_TIMEOUT.total_seconds() + 5, seen=1)

    response = client.get(HOME)

    assert response.status_code == 302 and response["Location"].startswith(LOGIN)
    assert "_auth_user_id" not in client.session


def test_it_follows_the_configured_limits(ae, settings):
    settings.SESSION_IDLE_TIMEOUT = settings.SESSION_IDLE_TIMEOUT / 30  # one minute
    client = signed_in_client("ae")
    shift_session(client, seen=61)

    assert client.get(HOME).status_code == 302


def test_it_answers_htmx_with_hx_redirect_when_the_session_expired(ae, settings):
    client = signed_in_client("ae")
    shift_session(client, seen=settings.SESSION_IDLE_TIMEOUT.total_seconds() + 5)

    response = client.get(
        reverse("core:notifications"),
        HTTP_HX_REQUEST="true",
        HTTP_HX_CURRENT_URL="http://testserver/notifications/",
    )

    assert response.status_code == 200
    assert response["HX-Redirect"] == f"{LOGIN}?{urlencode({'next': '/notifications/'})}"


def test_it_does_not_write_the_session_on_every_request(ae):
    client = signed_in_client("ae")
    client.get(HOME)
    key = client.cookies["sessionid"].value
    stored = Session.objects.get(session_key=key).session_data

    client.get(HOME)
    client.get(reverse("core:notifications"))

    assert Session.objects.get(session_key=key).session_data == stored

    shift_session(client, seen=security.SEEN_WRITE_INTERVAL + 1)
    client.get(HOME)

    assert client.session[security.SESSION_SEEN_AT] > time.time() - 5


def test_it_starts_the_clock_of_a_session_made_without_the_login_page(client, ae):
    client.force_login(ae)

    assert client.get(HOME).status_code == 200
    session = client.session
    assert session[security.SESSION_LOGIN_AT] == session[security.SESSION_SEEN_AT]


def test_it_ends_every_session_and_token_of_a_deactivated_user_at_once(ae, cast):
    first, second = signed_in_client("ae"), signed_in_client("ae")
    assert first.get(HOME).status_code == second.get(HOME).status_code == 200
    _token, secret = token_create(actor=ae, name="script")
    assert token_authenticate(secret) == ae

    user_deactivate(actor=cast.admin, user=ae)

    for client in (first, second):
        response = client.get(HOME)
        assert response.status_code == 302 and response["Location"].startswith(LOGIN)
    assert token_authenticate(secret) is None
    assert (
        Client().get("/api/v1/users/me", HTTP_AUTHORIZATION=f"Bearer {secret}").status_code == 401
    )
    ae.refresh_from_db()
    assert not ae.is_active and ae.session_epoch == 1
    assert AuditEntry.objects.filter(object_id=str(ae.pk), note="deactivated").exists()


def test_it_leaves_an_expired_api_session_to_the_apis_own_401(ae, settings):
    client = signed_in_client("ae")
    assert client.get("/api/v1/users/me").status_code == 200
    shift_session(client, seen=settings.SESSION_IDLE_TIMEOUT.total_seconds() + 5)

    response = client.get("/api/v1/users/me")

    assert response.status_code == 401
    assert set(response.json()) >= {"code", "message"}
