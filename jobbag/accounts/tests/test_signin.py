"""Signing in and out, throttling, the user's language and pages that need a login."""

import re
from datetime import timedelta
from urllib.parse import urlencode

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from jobbag.accounts import middleware, security
from jobbag.accounts.models import LoginAttempt, User
from jobbag.accounts.tests.factories import PASSWORD, UserFactory

# Argon2 costs most of a second per hash and these tests sign in often.
pytestmark = pytest.mark.usefixtures("quick_password_hashing")

LOGIN = reverse("accounts:login")


def sign_in(client, username: str, password: str = PASSWORD, **extra):
    return client.post(LOGIN, {"username": username, "password": password, **extra})


def form_errors(response) -> str:
    """The text of the form's error box (data-testid="form-errors")."""
    match = re.search(
        r'data-testid="form-errors">(.*?)</div>', response.content.decode(), flags=re.S
    )
    assert match, "no form-errors box on the page"
    return match.group(1).strip()


def signed_in_as(client) -> int | None:
    user_id = client.session.get("_auth_user_id")
    return int(user_id) if user_id else None


@pytest.fixture(autouse=True)
def _english(client):
    # The assertions read English messages; the pages default to Chinese.
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"


@pytest.fixture
def ae(db) -> User:
    return UserFactory(username="ae", language="en")


def test_it_shows_the_login_page_in_chinese_with_a_language_switcher(db):
    response = Client().get(LOGIN)

    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="zh-hans">' in html
    assert 'name="username"' in html and 'name="password"' in html
    assert 'data-testid="login-submit"' in html
    assert f'action="{reverse("core:set_language")}"' in html
    assert 'name="language"' in html and 'name="next"' in html


def test_it_switches_the_login_page_language_for_anonymous_users(db):
    client = Client()
    response = client.post(reverse("core:set_language"), {"language": "en", "next": LOGIN})

    assert response.status_code == 302 and response["Location"] == LOGIN
    assert response.cookies["django_language"].value == "en"
    assert '<html lang="en">' in client.get(LOGIN).content.decode()


def test_it_signs_in_in_the_users_saved_language(client, ae):
    client.cookies["django_language"] = "zh-hans"

    response = sign_in(client, "ae")

    assert response.status_code == 302 and response["Location"] == reverse("core:home")
    assert response.cookies["django_language"].value == "en"
    assert signed_in_as(client) == ae.pk
    assert client.session[security.SESSION_LOGIN_AT] == client.session[security.SESSION_SEEN_AT]
    home = client.get(reverse("core:home"))
    assert home.status_code == 200 and '<html lang="en">' in home.content.decode()


def test_it_keeps_the_signed_in_users_language_whatever_the_cookie_says(client, ae):
    client.force_login(ae)
    client.cookies["django_language"] = "zh-hans"

    response = client.get(reverse("core:home"), HTTP_ACCEPT_LANGUAGE="zh-CN")

    assert '<html lang="en">' in response.content.decode()
    assert response["Content-Language"] == "en"


def test_it_follows_accept_language_for_anonymous_users(db):
    client = Client()
    assert '<html lang="en">' in client.get(LOGIN, HTTP_ACCEPT_LANGUAGE="en-US").content.decode()
    assert '<html lang="zh-hans">' in client.get(LOGIN).content.decode()


def test_it_returns_to_next_only_on_this_site(client, ae):
    response = sign_in(client, "ae", next="/notifications/")
    assert response["Location"] == "/notifications/"

    client.logout()
    response = sign_in(client, "ae", next="https://evil.example/steal")
    assert response["Location"] == reverse("core:home")


def test_it_gives_the_same_message_for_a_wrong_password_and_an_unknown_user(client, ae):
    wrong_password = sign_in(client, "ae", "not-the-password")
    unknown_user = sign_in(client, "nobody", "not-the-password")

    assert wrong_password.status_code == unknown_user.status_code == 200
    assert form_errors(wrong_password) == form_errors(unknown_user) != ""
    assert signed_in_as(client) is None
    assert LoginAttempt.objects.filter(username="ae").count() == 1
    assert LoginAttempt.objects.filter(username="nobody", ip_address="127.0.0.1").count() == 1


def test_it_refuses_an_inactive_user_with_the_same_message(client, ae):
    unknown = form_errors(sign_in(client, "nobody"))
    User.objects.filter(pk=ae.pk).update(is_active=False)

    response = sign_in(client, "ae")

    assert response.status_code == 200
    assert form_errors(response) == unknown
    assert signed_in_as(client) is None


def test_it_locks_a_name_after_the_limit_and_lifts_the_lock_after_the_window(client, ae, settings):
    settings.LOGIN_FAILURE_LIMIT = 3
    for _attempt in range(3):
        sign_in(client, "AE", "wrong-password")

    locked = sign_in(client, "ae")

    assert locked.status_code == 200
    assert "Too many failed sign-in attempts" in form_errors(locked)
    assert signed_in_as(client) is None
    # The lock message does not tell whether the name exists.
    for _attempt in range(3):
        sign_in(client, "nobody", "wrong-password")
    assert form_errors(sign_in(client, "nobody")) == form_errors(locked)

    LoginAttempt.objects.update(at=timezone.now() - settings.LOGIN_FAILURE_WINDOW - timedelta(1))
    response = sign_in(client, "ae")

    assert response.status_code == 302
    assert signed_in_as(client) == ae.pk
    assert not LoginAttempt.objects.filter(username="ae").exists()


def test_it_locks_an_address_after_four_times_the_limit(client, ae, settings):
    settings.LOGIN_FAILURE_LIMIT = 2
    for n in range(8):
        sign_in(client, f"guess{n}", "wrong-password")

    response = sign_in(client, "ae")

    assert "Too many failed sign-in attempts" in form_errors(response)
    assert signed_in_as(client) is None
    other_address = client.post(
        LOGIN, {"username": "ae", "password": PASSWORD}, REMOTE_ADDR="10.0.0.9"
    )
    assert other_address.status_code == 302


def test_it_clears_a_names_failures_on_success(client, ae):
    sign_in(client, "ae", "wrong-password")
    sign_in(client, "someone-else", "wrong-password")

    sign_in(client, "ae")

    assert not LoginAttempt.objects.filter(username="ae").exists()
    assert LoginAttempt.objects.filter(username="someone-else").count() == 1


def test_it_shows_field_errors_for_an_empty_form_and_records_nothing(client, ae):
    response = client.post(LOGIN, {"username": "", "password": ""})

    assert response.status_code == 200
    assert response.content.decode().count('class="field-error"') == 2
    assert not LoginAttempt.objects.exists()
    assert signed_in_as(client) is None


def test_it_sends_a_signed_in_user_away_from_the_login_page(client, ae):
    client.force_login(ae)

    response = client.get(LOGIN)

    assert response.status_code == 302 and response["Location"] == reverse("core:home")


def test_it_signs_out_by_post_only(client, ae):
    sign_in(client, "ae")

    assert client.get(reverse("accounts:logout")).status_code == 405
    assert signed_in_as(client) == ae.pk

    response = client.post(reverse("accounts:logout"))

    assert response.status_code == 302 and response["Location"] == LOGIN
    assert signed_in_as(client) is None
    assert client.get(reverse("core:home")).status_code == 302


# --- Pages that need a login --------------------------------------------------------------

SAMPLE_ARGS = {
    "int": "1",
    "str": "x",
    "slug": "x",
    "path": "x",
    "uuid": "0" * 8 + "-0000" * 3 + "-" + "0" * 12,
}


def _all_paths(patterns, prefix: str = ""):
    """Every URL of the project with sample values in its parameters, with its name."""
    for entry in patterns:
        if isinstance(entry, URLResolver):
            namespace = f"{entry.namespace}:" if entry.namespace else ""
            for path, name in _all_paths(entry.url_patterns, prefix + str(entry.pattern)):
                yield path, namespace + name if name else None
        elif isinstance(entry, URLPattern):
            route = prefix + str(entry.pattern)
            if route.startswith("^") or "(?P" in route:
                continue
            path = re.sub(
                r"<(?:(\w+):)?\w+>", lambda m: SAMPLE_ARGS.get(m.group(1) or "str", "x"), route
            )
            yield "/" + path, entry.name


def test_it_sends_anonymous_users_to_login_from_every_page_but_the_public_ones(client, db):
    checked = 0
    for path, name in _all_paths(get_resolver().url_patterns):
        if path.startswith(middleware.PUBLIC_PATH_PREFIXES):
            continue
        response = client.get(path)
        if name and name in middleware.PUBLIC_URL_NAMES:
            assert response.status_code != 302 or not response["Location"].startswith(LOGIN), path
            continue
        checked += 1
        assert response.status_code == 302, path
        assert response["Location"] == f"{LOGIN}?{urlencode({'next': path})}", path
    assert checked >= 8


def test_it_leaves_the_public_pages_open(client, db):
    for name in [
        "accounts:login",
        "accounts:password_reset",
        "accounts:password_reset_done",
        "accounts:password_reset_complete",
    ]:
        assert client.get(reverse(name)).status_code == 200, name
    assert client.get("/healthz").status_code != 302
    assert client.get("/jsi18n/").status_code == 200
    assert client.get("/api/v1/users/me").status_code == 401


def test_it_answers_htmx_with_hx_redirect_to_login(client, db):
    response = client.get(
        reverse("core:notifications"),
        HTTP_HX_REQUEST="true",
        HTTP_HX_CURRENT_URL="http://testserver/notifications/?page=2",
    )

    assert response.status_code == 200
    assert response["HX-Redirect"] == f"{LOGIN}?next=%2Fnotifications%2F%3Fpage%3D2"


def test_it_sends_a_form_post_to_login_without_next(client, db):
    response = client.post(reverse("accounts:password_change"), {})

    assert response.status_code == 302 and response["Location"] == LOGIN
