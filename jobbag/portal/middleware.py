"""Keeps client users inside the portal.

A client user (User.kind == client) reaches only the URL names and prefixes below;
every other page answers 404, as if it did not exist, whatever its own checks would say.
The API under /api/ stays open because each endpoint scopes its rows to the caller
(tested by walking the OpenAPI schema in portal/tests/test_isolation.py).
"""

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect

from jobbag.portal.urls import STAFF_URL_NAMES

CLIENT_URL_NAMES = {
    "accounts:logout",
    "accounts:profile",
    "accounts:password_change",
    # The profile page's own forms: a user's personal API tokens.
    "accounts:token_create",
    "accounts:token_revoke",
    "core:set_language",
    "core:notifications",
    "core:notification_read",
    "healthz",
    "javascript-catalog",
}
CLIENT_URL_NAME_PREFIXES = ("portal:", "accounts:otp_")
# The API (/api/v1/, and the test APIs that apps mount beside it under /api/) answers for
# itself: every endpoint scopes its rows to the caller.
CLIENT_PATH_PREFIXES = ("/api/", "/static/")
# Pages that send a client user to their portal counterpart instead of answering 404.
CLIENT_REDIRECTS = {"core:home": "portal:home"}


def client_may_open(view_name: str | None) -> bool:
    """Whether a client user may open the page named `view_name` ("app:name")."""
    if not view_name or view_name in STAFF_URL_NAMES:
        return False
    return view_name in CLIENT_URL_NAMES or view_name.startswith(CLIENT_URL_NAME_PREFIXES)


class PortalIsolationMiddleware:
    """404 for every page outside the allow-list when the user is a client user; their
    home page ("/") is the portal's."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(self, request: HttpRequest, view_func, view_args, view_kwargs):
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated or not user.is_client_user:
            return None
        if request.path_info.startswith(CLIENT_PATH_PREFIXES):
            return None
        view_name = request.resolver_match.view_name
        if view_name in CLIENT_REDIRECTS:
            return redirect(CLIENT_REDIRECTS[view_name])
        if client_may_open(view_name):
            return None
        raise Http404
