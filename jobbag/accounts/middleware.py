"""Request gates for signing in. In settings.MIDDLEWARE they follow
AuthenticationMiddleware in this order: session limits, the user's language, the second
factor, login required. MessageMiddleware sits before them so they can leave a message.
"""

from urllib.parse import urlencode, urlsplit

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils import translation
from django_htmx.http import HttpResponseClientRedirect

from jobbag.accounts import security

# Pages anyone may open without signing in. Later issues add theirs here (client portal
# invitations, one-time survey links), by URL name or by path prefix.
PUBLIC_URL_NAMES: set[str] = {
    "accounts:login",
    "accounts:password_reset",
    "accounts:password_reset_done",
    "accounts:password_reset_confirm",
    "accounts:password_reset_complete",
    "core:set_language",
    "healthz",
    "javascript-catalog",
    "portal:accept",
    # A calendar feed is read by calendar programs; its secret link is the credential.
    "meetings:feed",
    # A survey's one-time link: its secret token is the credential, used once.
    "portal:survey_link",
}
# The API answers 401 in its own error shape, so it is left to decide for itself.
PUBLIC_PATH_PREFIXES: tuple[str, ...] = ("/static/", "/api/", "/healthz", "/jsi18n/")

# While a second factor is still owed, only these pages open (plus the public prefixes).
SECOND_FACTOR_PAGES = {
    security.SECOND_FACTOR_PENDING: {"accounts:otp_verify", "accounts:logout", "core:set_language"},
    security.SECOND_FACTOR_ENROL: {"accounts:otp_setup", "accounts:logout", "core:set_language"},
}
SECOND_FACTOR_URLS = {
    security.SECOND_FACTOR_PENDING: "accounts:otp_verify",
    security.SECOND_FACTOR_ENROL: "accounts:otp_setup",
}


def _is_api(request: HttpRequest) -> bool:
    return request.path_info.startswith("/api/")


def _is_public_path(request: HttpRequest) -> bool:
    return request.path_info.startswith(PUBLIC_PATH_PREFIXES)


def _return_path(request: HttpRequest) -> str | None:
    """Where to come back to after signing in: the page itself (for htmx, the page the
    partial was loaded into); none for a form post, which cannot be replayed."""
    if request.headers.get("HX-Request") == "true":
        current = urlsplit(request.headers.get("HX-Current-URL", ""))
        return current.path + (f"?{current.query}" if current.query else "") or None
    if request.method in ("GET", "HEAD"):
        return request.get_full_path()
    return None


def _redirect_to(request: HttpRequest, url_name: str) -> HttpResponse:
    url = reverse(url_name)
    back = _return_path(request)
    if back:
        url = f"{url}?{urlencode({'next': back})}"
    # htmx would swap the login page into a fragment; HX-Redirect makes it load the page.
    if request.headers.get("HX-Request") == "true":
        return HttpResponseClientRedirect(url)
    return HttpResponseRedirect(url)


class SessionLifetimeMiddleware:
    """Ends a session idle for SESSION_IDLE_TIMEOUT or older than SESSION_ABSOLUTE_TIMEOUT."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated and not security.session_is_current(request):
            logout(request)
            # Session use of the API then meets the API's own 401.
            if not _is_api(request):
                messages.warning(request, security.SESSION_EXPIRED)
                return _redirect_to(request, settings.LOGIN_URL)
        return self.get_response(request)


class UserLanguageMiddleware:
    """A signed-in user sees their own language (User.language) on every device; anyone
    else gets LocaleMiddleware's choice (cookie, Accept-Language, then zh-hans)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if user.is_authenticated and user.language:
            translation.activate(user.language)
            request.LANGUAGE_CODE = translation.get_language()
        return self.get_response(request)


class SecondFactorMiddleware:
    """Holds a signed-in user at the code step (if they have a device) or at enrolment
    (if the policy requires a device they lack) until it is done."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if (
            _is_api(request)
            and request.user.is_authenticated
            and security.session_second_factor(request) != security.SECOND_FACTOR_PASSED
        ):
            # Half signed-in is not signed in for the API.
            request.user = AnonymousUser()
        return self.get_response(request)

    def process_view(self, request: HttpRequest, view_func, view_args, view_kwargs):
        if not request.user.is_authenticated or _is_public_path(request):
            return None
        state = security.session_second_factor(request)
        if state == security.SECOND_FACTOR_PASSED:
            return None
        if request.resolver_match.view_name in SECOND_FACTOR_PAGES[state]:
            return None
        return _redirect_to(request, SECOND_FACTOR_URLS[state])


class LoginRequiredMiddleware:
    """Every page needs a signed-in user, except PUBLIC_URL_NAMES and PUBLIC_PATH_PREFIXES."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(self, request: HttpRequest, view_func, view_args, view_kwargs):
        if request.user.is_authenticated or _is_public_path(request):
            return None
        if request.resolver_match.view_name in PUBLIC_URL_NAMES:
            return None
        return _redirect_to(request, settings.LOGIN_URL)
