"""Signing in through a real browser: Chinese first, English on request, kept per user."""

import pytest
from django.conf import settings
from django.utils import translation

from jobbag.accounts.models import User

pytestmark = pytest.mark.browser


def sign_in(page, username: str, password: str) -> None:
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    page.get_by_test_id("login-submit").click()
    page.get_by_test_id("home-title").wait_for()


def chinese(text: str) -> str:
    """`text` as the Chinese interface shows it (itself until the catalog is compiled)."""
    with translation.override("zh-hans"):
        return translation.gettext(text)


def test_it_signs_in_in_chinese_and_keeps_english_once_chosen(page, cast, password):
    page.goto("/")

    # Signed out, the home page sends the visitor to the Chinese sign-in page.
    assert "/accounts/login/" in page.url
    assert page.get_attribute("html", "lang") == "zh-hans"
    assert page.get_by_test_id("login-submit").inner_text() == chinese("Sign in")
    if (settings.BASE_DIR / "locale/zh_Hans/LC_MESSAGES/django.mo").exists():
        assert "登录" in page.content()

    sign_in(page, "ae", password)
    assert page.get_attribute("html", "lang") == "zh-hans"
    assert cast.ae.full_name in page.get_by_test_id("home-title").inner_text()

    # The language select submits itself on change.
    with page.expect_navigation():
        page.get_by_test_id("language-select").select_option("en")
    page.get_by_test_id("home-title").wait_for()
    assert page.get_attribute("html", "lang") == "en"
    assert page.get_by_test_id("home-title").inner_text() == f"Welcome, {cast.ae.full_name}"
    assert User.objects.get(pk=cast.ae.pk).language == "en"

    # Signed out, with the browser's cookies gone, the choice comes back with the user.
    page.locator("form[action='/accounts/logout/'] button").click()
    page.wait_for_url("**/accounts/login/**")
    page.context.clear_cookies()
    page.goto("/accounts/login/")
    assert page.get_attribute("html", "lang") == "zh-hans"
    sign_in(page, "ae", password)
    assert page.get_attribute("html", "lang") == "en"


def test_it_shows_the_navigation_behind_the_menu_toggle_on_a_phone(page, cast, password):
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto("/accounts/login/")
    sign_in(page, "ae", password)

    navigation = page.locator("#sidenav")
    toggle = page.locator("[data-menu-toggle]")
    assert navigation.is_hidden()
    assert toggle.get_attribute("aria-expanded") == "false"

    toggle.click()
    assert navigation.is_visible()
    assert toggle.get_attribute("aria-expanded") == "true"
    assert navigation.locator("a").first.is_visible()
