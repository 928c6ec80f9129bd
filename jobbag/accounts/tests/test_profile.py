"""The profile page: details, language, password change and personal API tokens."""

import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from jobbag import settings as project_settings
from jobbag.accounts.models import ApiToken, User
from jobbag.accounts.tests.factories import PASSWORD
from jobbag.accounts.tokens import token_authenticate, token_create
from jobbag.core.models import AuditEntry

# Argon2 costs most of a second per hash and these tests sign in often.
pytestmark = pytest.mark.usefixtures("quick_password_hashing")

PROFILE = reverse("accounts:profile")
CHANGE = reverse("accounts:password_change")
NEW_PASSWORD = "Quiet-orchard-rain-58"


@pytest.fixture
def ae(cast) -> User:
    # English, so that the assertions can read the messages.
    User.objects.filter(pk=cast.ae.pk).update(language="en")
    cast.ae.refresh_from_db()
    return cast.ae


def test_it_shows_the_users_details(ae, login):
    response = login(ae).get(PROFILE)

    assert response.status_code == 200
    html = response.content.decode()
    assert ae.full_name in html
    assert str(ae.department) in html and str(ae.position) in html
    assert f'href="{CHANGE}"' in html
    assert f'href="{reverse("accounts:otp_setup")}"' in html
    assert f'action="{reverse("accounts:token_create")}"' in html


def test_it_saves_the_language_preference(cast, login):
    response = login(cast.ae).post(PROFILE, {"language": "en"})

    assert response.status_code == 302 and response["Location"] == PROFILE
    assert response.cookies["django_language"].value == "en"
    cast.ae.refresh_from_db()
    assert cast.ae.language == "en"
    page = login(cast.ae).get(PROFILE)
    assert '<html lang="en">' in page.content.decode()


def test_it_refuses_an_unknown_language_and_changes_nothing(ae, login):
    response = login(ae).post(PROFILE, {"language": "fr"})

    assert response.status_code == 400
    assert 'class="field-error"' in response.content.decode()
    ae.refresh_from_db()
    assert ae.language == "en"


# --- Password change --------------------------------------------------------------------


def change(client: Client, old: str, new: str, again: str | None = None):
    return client.post(
        CHANGE, {"old_password": old, "new_password1": new, "new_password2": again or new}
    )


def signed_in(username: str, password: str = PASSWORD) -> Client:
    client = Client()
    response = client.post(reverse("accounts:login"), {"username": username, "password": password})
    assert response.status_code == 302
    return client


def test_it_changes_the_password_and_ends_the_users_other_sessions(ae):
    client, other = signed_in("ae"), signed_in("ae")

    response = change(client, PASSWORD, NEW_PASSWORD)

    assert response.status_code == 302 and response["Location"] == PROFILE
    ae.refresh_from_db()
    assert ae.check_password(NEW_PASSWORD)
    assert client.get(PROFILE).status_code == 200
    assert other.get(PROFILE)["Location"].startswith(reverse("accounts:login"))
    entry = AuditEntry.objects.get(object_id=str(ae.pk), note="password changed")
    assert entry.actor == ae and "pbkdf2" not in str(entry.changes).lower()


def test_it_needs_the_current_password(ae, login):
    response = change(login(ae), "not-my-password", NEW_PASSWORD)

    assert response.status_code == 400
    assert "current password was entered incorrectly" in response.content.decode()
    ae.refresh_from_db()
    assert ae.check_password(PASSWORD)
    assert not AuditEntry.objects.filter(object_id=str(ae.pk)).exists()


@pytest.mark.parametrize(
    ("new", "message"),
    [
        ("password123", "too common"),
        ("Ab-3", "at least 10 characters"),
        ("2718281828459", "entirely numeric"),
    ],
)
def test_it_refuses_a_weak_password_with_a_clear_message(ae, login, new, message):
    response = change(login(ae), PASSWORD, new)

    assert response.status_code == 400
    assert message in response.content.decode()
    ae.refresh_from_db()
    assert ae.check_password(PASSWORD)
    assert not AuditEntry.objects.filter(object_id=str(ae.pk)).exists()


def test_it_refuses_two_different_new_passwords(ae, login):
    response = change(login(ae), PASSWORD, NEW_PASSWORD, "Another-one-entirely-9")

    assert response.status_code == 400
    assert "do not match" in response.content.decode()
    ae.refresh_from_db()
    assert ae.check_password(PASSWORD)


def test_it_stores_passwords_with_argon2(ae, login, settings):
    # The project's hashers first; the quick one last, only to read the test user's hash.
    settings.PASSWORD_HASHERS = project_settings.PASSWORD_HASHERS + [
        "django.contrib.auth.hashers.MD5PasswordHasher"
    ]

    change(login(ae), PASSWORD, NEW_PASSWORD)

    ae.refresh_from_db()
    assert ae.password.startswith("argon2")


# --- Personal API tokens ----------------------------------------------------------------


def test_it_creates_a_token_and_shows_its_secret_once(ae, login):
    client = login(ae)

    response = client.post(reverse("accounts:token_create"), {"name": "Excel export"})

    assert response.status_code == 200
    secret = re.search(r'data-testid="new-token-secret">([^<]+)<', response.content.decode())[1]
    token = ApiToken.objects.get(user=ae)
    assert token.name == "Excel export" and token.digest == ApiToken.digest_of(secret)
    assert token_authenticate(secret) == ae
    assert secret not in client.get(PROFILE).content.decode()
    assert AuditEntry.objects.filter(object_id=str(token.pk), action="create").exists()


def test_it_refuses_a_token_without_a_name_and_creates_nothing(ae, login):
    response = login(ae).post(reverse("accounts:token_create"), {"name": "  "})

    assert response.status_code == 400
    assert 'class="field-error"' in response.content.decode()
    assert not ApiToken.objects.exists()


def test_it_revokes_a_token(ae, login):
    token, secret = token_create(actor=ae, name="script")

    response = login(ae).post(reverse("accounts:token_revoke", args=[token.pk]))

    assert response.status_code == 302 and response["Location"] == PROFILE
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert token_authenticate(secret) is None
    assert AuditEntry.objects.filter(object_id=str(token.pk), note="revoked").exists()


def test_it_will_not_revoke_someone_elses_token(ae, cast, login):
    token, secret = token_create(actor=cast.ad, name="theirs")

    response = login(ae).post(reverse("accounts:token_revoke", args=[token.pk]))

    assert response.status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None and token_authenticate(secret) == cast.ad


def test_it_revokes_by_post_only(ae, login):
    token, _secret = token_create(actor=ae, name="script")

    assert login(ae).get(reverse("accounts:token_revoke", args=[token.pk])).status_code == 405
    token.refresh_from_db()
    assert token.revoked_at is None


def test_it_shows_the_profile_in_a_fixed_number_of_queries(ae, login):
    client = login(ae)
    client.get(PROFILE)
    token_create(actor=ae, name="first")
    with CaptureQueriesContext(connection) as one:
        assert client.get(PROFILE).status_code == 200
    for n in range(5):
        token_create(actor=ae, name=f"more {n}")

    with CaptureQueriesContext(connection) as six:
        response = client.get(PROFILE)

    assert response.content.decode().count(">Revoke<") == 6
    # Session, user, user with department and position, tokens, second factor, policy,
    # unread notifications: the same seven whatever the number of tokens.
    assert len(six) == len(one) == 7, [q["sql"] for q in six.captured_queries]
