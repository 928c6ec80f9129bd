"""Password reset by e-mail: single-use, expiring links that end every old session."""

import re
from datetime import datetime, timedelta

import pytest
from django.contrib.auth.tokens import default_token_generator
from django.core import mail
from django.test import Client
from django.urls import reverse

from jobbag.accounts.models import LoginAttempt, User
from jobbag.accounts.tests.factories import PASSWORD, UserFactory
from jobbag.core.models import AuditEntry

# Argon2 costs most of a second per hash and these tests sign in often.
pytestmark = pytest.mark.usefixtures("quick_password_hashing")

RESET = reverse("accounts:password_reset")
LOGIN = reverse("accounts:login")
NEW_PASSWORD = "Fresh-harbour-lamp-42"


@pytest.fixture(autouse=True)
def _mail_in_memory(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"


@pytest.fixture(autouse=True)
def _english(client):
    # The assertions read English messages; the pages default to Chinese.
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"


@pytest.fixture
def ae(db) -> User:
    return UserFactory(username="ae", email="ae@agency.example", language="en")


def reset_link(client: Client, email: str) -> str:
    """Asks for a reset and returns the path of the link in the e-mail."""
    client.post(RESET, {"email": email})
    assert len(mail.outbox) == 1
    match = re.search(r"https?://[^/\s]+(/accounts/password/reset/\S+/)", mail.outbox[0].body)
    assert match, mail.outbox[0].body
    return match.group(1)


def test_it_mails_a_link_that_sets_a_new_password_once(client, ae, settings):
    LoginAttempt.objects.create(username="ae", ip_address="10.0.0.1")

    response = client.post(RESET, {"email": "AE@agency.example"})

    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:password_reset_done")
    message = mail.outbox[0]
    assert message.to == ["ae@agency.example"]
    assert "\n" not in message.subject
    link = re.search(r"(https?://\S+)", message.body).group(1)
    assert link.startswith(settings.SITE_URL)
    path = link[len(settings.SITE_URL) :]
    assert client.get(path).status_code == 200

    done = client.post(path, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})

    assert done.status_code == 302
    assert done["Location"] == reverse("accounts:password_reset_complete")
    ae.refresh_from_db()
    assert ae.check_password(NEW_PASSWORD) and ae.session_epoch == 1
    assert not LoginAttempt.objects.filter(username="ae").exists()
    assert AuditEntry.objects.filter(object_id=str(ae.pk), note="password reset by e-mail").exists()

    again = client.get(path)
    assert again.status_code == 400
    assert "invalid or has expired" in again.content.decode()
    other = "Another-bright-kettle-7"
    assert client.post(path, {"new_password1": other, "new_password2": other}).status_code == 400
    ae.refresh_from_db()
    assert ae.check_password(NEW_PASSWORD)


def test_it_answers_the_same_for_an_unknown_address(client, ae):
    known = client.post(RESET, {"email": "ae@agency.example"})
    unknown = client.post(RESET, {"email": "nobody@agency.example"})

    assert known.status_code == unknown.status_code == 302
    assert known["Location"] == unknown["Location"]
    assert len(mail.outbox) == 1


def test_it_sends_no_link_to_an_inactive_user(client, ae):
    User.objects.filter(pk=ae.pk).update(is_active=False)

    response = client.post(RESET, {"email": "ae@agency.example"})

    assert response.status_code == 302
    assert mail.outbox == []


def test_it_shows_a_field_error_for_a_malformed_address(client, ae):
    response = client.post(RESET, {"email": "not-an-address"})

    assert response.status_code == 400
    assert 'class="field-error"' in response.content.decode()
    assert mail.outbox == []


def test_it_refuses_an_expired_link(client, ae, settings, monkeypatch):
    path = reset_link(client, "ae@agency.example")
    later = datetime.now() + timedelta(seconds=settings.PASSWORD_RESET_TIMEOUT + 60)
    monkeypatch.setattr(default_token_generator, "_now", lambda: later)

    response = client.post(path, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})

    assert response.status_code == 400
    assert "invalid or has expired" in response.content.decode()
    ae.refresh_from_db()
    assert ae.check_password(PASSWORD) and ae.session_epoch == 0


def test_it_refuses_a_common_password_and_keeps_the_link(client, ae):
    path = reset_link(client, "ae@agency.example")

    response = client.post(path, {"new_password1": "password123", "new_password2": "password123"})

    assert response.status_code == 400
    assert "too common" in response.content.decode()
    ae.refresh_from_db()
    assert ae.check_password(PASSWORD) and ae.session_epoch == 0
    assert not AuditEntry.objects.filter(object_id=str(ae.pk)).exists()
    assert client.get(path).status_code == 200


def test_it_refuses_two_different_passwords(client, ae):
    path = reset_link(client, "ae@agency.example")

    response = client.post(
        path, {"new_password1": NEW_PASSWORD, "new_password2": "Something-else-99"}
    )

    assert response.status_code == 400
    assert "do not match" in response.content.decode()
    ae.refresh_from_db()
    assert ae.check_password(PASSWORD)


def test_it_ends_every_old_session_once_the_password_is_reset(ae):
    old = Client()
    assert old.post(LOGIN, {"username": "ae", "password": PASSWORD}).status_code == 302
    assert old.get(reverse("core:home")).status_code == 200
    client = Client()
    path = reset_link(client, "ae@agency.example")

    client.post(path, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})

    response = old.get(reverse("core:home"))
    assert response.status_code == 302 and response["Location"].startswith(LOGIN)
    assert client.post(LOGIN, {"username": "ae", "password": NEW_PASSWORD}).status_code == 302


def test_it_refuses_a_tampered_link(client, ae):
    path = reset_link(client, "ae@agency.example")
    tampered = re.sub(r"/([^/]+)/$", "/0-0000000000000000/", path)

    assert client.get(tampered).status_code == 400
    assert client.get("/accounts/password/reset/%%%/x/").status_code == 400
