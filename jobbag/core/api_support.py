"""Plumbing shared by every API router: authentication, the one error shape, pagination.

Every 4xx answer of /api/v1/ is `{"code": ..., "message": ..., "fields": {...}}`, where
`fields` maps a field name to its messages. Routers raise DomainError (or its NotAllowed,
NotFound, Conflict), Http404 or let ninja's validation fail; the handlers here turn each
into that shape.
"""

import functools
import json
import math
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseNotAllowed, JsonResponse
from django.urls import re_path
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from django.views.decorators.csrf import csrf_exempt
from ninja import Field, NinjaAPI, Schema
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.pagination import PaginationBase
from ninja.parser import Parser
from ninja.security import APIKeyCookie, HttpBearer
from ninja.utils import check_csrf

from jobbag.accounts.models import User
from jobbag.accounts.tokens import token_authenticate
from jobbag.core.errors import DomainError

NOT_AUTHENTICATED = _("Sign in or send a valid API token.")
CSRF_FAILED = _("The security check (CSRF) failed. Reload the page and try again.")
FORBIDDEN = _("You are not allowed to do this.")
NOT_FOUND = _("Not found.")
METHOD_NOT_ALLOWED = _("This method is not allowed here.")
MALFORMED_JSON = _("The request body is not valid JSON.")
THROTTLED = _("Too many requests. Wait a little and try again.")
INVALID_INPUT = _("Some of the values sent are not valid.")
FIELD_REQUIRED = _("This field is required.")
FIELD_INVALID = _("Enter a valid value.")

# The key under `fields` for an error that belongs to no one field (as in Django forms).
NON_FIELD = "__all__"

# Common HTTP statuses and the code an error of that status carries by default.
STATUS_CODES = {
    400: "invalid",
    401: "not_authenticated",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    409: "conflict",
    422: "invalid",
    429: "throttled",
}


class ErrorOut(Schema):
    """The shape of every 4xx answer."""

    code: str
    message: str
    fields: dict[str, list[str]] = {}


def errors(*statuses: int) -> dict[int, type[ErrorOut]]:
    """OpenAPI entries for an operation's error answers; 401 and 422 can happen anywhere."""
    return {status: ErrorOut for status in sorted({401, 422, *statuses})}


def _messages(value) -> list[str]:
    """Services give a field one message or a list of them; the API always sends a list."""
    if isinstance(value, (list, tuple)):
        return [str(message) for message in value]
    return [str(value)]


def error_body(code: str, message, fields: dict | None = None) -> dict:
    return {
        "code": code,
        "message": str(message),
        "fields": {name: _messages(value) for name, value in (fields or {}).items()},
    }


def error_response(status: int, code: str, message, fields: dict | None = None) -> JsonResponse:
    """An error in the API's shape, for code outside ninja (middleware, URL fallbacks)."""
    return JsonResponse(error_body(code, message, fields), status=status)


# Authentication -------------------------------------------------------------------------


class CsrfFailed(HttpError):
    def __init__(self) -> None:
        super().__init__(403, "CSRF check failed")


def bearer_user(request: HttpRequest) -> User | None:
    """The user of the `Authorization: Bearer <secret>` token, looked up once per request.

    The idempotency middleware needs the caller before ninja authenticates, so both ask
    here and the token is read from the database only once.
    """
    if not hasattr(request, "_bearer_user"):
        scheme, _sep, secret = request.headers.get("Authorization", "").partition(" ")
        user = None
        if scheme.lower() == "bearer" and secret.strip():
            user = token_authenticate(secret.strip())
        request._bearer_user = user
    return request._bearer_user


class TokenAuth(HttpBearer):
    """Personal API tokens (accounts.tokens); revoked tokens and inactive users fail."""

    def __call__(self, request: HttpRequest) -> User | None:
        user = bearer_user(request)
        if user is not None:
            # Code that reads request.user (services, permission checks) sees the caller,
            # in their own language as UserLanguageMiddleware does for a session.
            request.user = user
            if user.language:
                translation.activate(user.language)
        return user

    def authenticate(self, request: HttpRequest, token: str) -> User | None:
        return bearer_user(request)


class SessionAuth(APIKeyCookie):
    """The browser's Django session, with the CSRF check that ninja's django_auth does.

    Only a request that the session authenticates is CSRF-checked, so a token client
    that sends no cookie gets 401 rather than a misleading CSRF failure.
    """

    param_name = settings.SESSION_COOKIE_NAME

    def __call__(self, request: HttpRequest) -> User | None:
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated or not user.is_active:
            return None
        if not getattr(request, "_ninja_csrf_exempt", False) and check_csrf(request):
            raise CsrfFailed()
        return user

    def authenticate(self, request: HttpRequest, key: str | None) -> User | None:
        return self(request)


def caller(request: HttpRequest) -> User:
    """The authenticated user of an API request (session or token)."""
    return request.auth


# Errors ---------------------------------------------------------------------------------


class MalformedJson(ValueError):
    pass


class JsonParser(Parser):
    """ninja's JSON parser, raising an error the handlers can tell apart from others."""

    def parse_body(self, request: HttpRequest) -> Any:
        try:
            return json.loads(request.body)
        except (ValueError, UnicodeDecodeError) as exc:
            raise MalformedJson() from exc


# Field messages by pydantic's error type; most are Django's own wording, which its
# catalogue already translates. Anything else falls back to pydantic's English message.
_VALIDATION_MESSAGES = {
    "missing": FIELD_REQUIRED,
    "int_parsing": _("Enter a whole number."),
    "int_type": _("Enter a whole number."),
    "float_parsing": _("Enter a number."),
    "decimal_parsing": _("Enter a number."),
    "bool_parsing": FIELD_INVALID,
    "date_from_datetime_parsing": _("Enter a valid date."),
    "date_parsing": _("Enter a valid date."),
    "datetime_parsing": _("Enter a valid date/time."),
    "datetime_from_date_parsing": _("Enter a valid date/time."),
    "string_type": FIELD_INVALID,
    "enum": _("Select a valid choice."),
    "literal_error": _("Select a valid choice."),
    "json_invalid": MALFORMED_JSON,
}
# Messages that name a limit, from pydantic's ctx.
_LIMIT_MESSAGES = {
    "greater_than_equal": (
        _("Ensure this value is greater than or equal to %(limit_value)s."),
        "ge",
    ),
    "less_than_equal": (_("Ensure this value is less than or equal to %(limit_value)s."), "le"),
    "greater_than": (_("Ensure this value is greater than %(limit_value)s."), "gt"),
    "less_than": (_("Ensure this value is less than %(limit_value)s."), "lt"),
    "string_too_long": (
        _("Ensure this value has at most %(limit_value)s characters."),
        "max_length",
    ),
    "string_too_short": (
        _("Ensure this value has at least %(limit_value)s characters."),
        "min_length",
    ),
}


def _field_name(loc: tuple) -> str:
    """`("body", "payload", "phone")` → "phone"; `("query", "page")` → "page"."""
    parts = [str(part) for part in loc[1:]]
    # A body schema is read into one view argument whose name is no business of the client.
    if loc and loc[0] == "body" and len(parts) > 1:
        parts = parts[1:]
    return ".".join(parts) or NON_FIELD


def _validation_message(error: dict) -> str:
    kind = error.get("type", "")
    if kind in _LIMIT_MESSAGES:
        message, ctx_key = _LIMIT_MESSAGES[kind]
        limit = (error.get("ctx") or {}).get(ctx_key)
        if limit is not None:
            return str(message) % {"limit_value": limit}
    if kind in _VALIDATION_MESSAGES:
        return str(_VALIDATION_MESSAGES[kind])
    return str(error.get("msg") or FIELD_INVALID)


def validation_fields(errors: list[dict]) -> dict[str, list[str]]:
    fields: dict[str, list[str]] = {}
    for error in errors:
        fields.setdefault(_field_name(tuple(error.get("loc") or ())), []).append(
            _validation_message(error)
        )
    return fields


def install_error_handlers(api: NinjaAPI) -> None:
    """Makes every 4xx of `api` answer in the one error shape."""

    def respond(request, status: int, code: str, message, fields: dict | None = None):
        return api.create_response(request, error_body(code, message, fields), status=status)

    @api.exception_handler(ValidationError)
    def on_validation_error(request, exc: ValidationError):
        return respond(request, 422, "invalid", INVALID_INPUT, validation_fields(exc.errors))

    @api.exception_handler(DomainError)
    def on_domain_error(request, exc: DomainError):
        return respond(request, exc.status, exc.code, exc.message, exc.fields)

    @api.exception_handler(AuthenticationError)
    def on_authentication_error(request, exc: AuthenticationError):
        return respond(request, 401, "not_authenticated", NOT_AUTHENTICATED)

    @api.exception_handler(CsrfFailed)
    def on_csrf_failed(request, exc: CsrfFailed):
        return respond(request, 403, "csrf_failed", CSRF_FAILED)

    @api.exception_handler(HttpError)
    def on_http_error(request, exc: HttpError):
        if isinstance(exc.__cause__, MalformedJson):
            return respond(request, 400, "malformed_json", MALFORMED_JSON)
        code = STATUS_CODES.get(exc.status_code, "error")
        message = THROTTLED if exc.status_code == 429 else exc.message
        return respond(request, exc.status_code, code, message)

    @api.exception_handler(Http404)
    def on_not_found(request, exc: Http404):
        return respond(request, 404, "not_found", NOT_FOUND)

    @api.exception_handler(PermissionDenied)
    def on_permission_denied(request, exc: PermissionDenied):
        return respond(request, 403, "forbidden", FORBIDDEN)


def _not_allowed_as_error(view):
    """ninja answers a wrong method with a bare 405; give it the error shape too."""

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        if isinstance(response, HttpResponseNotAllowed):
            error = error_response(405, "method_not_allowed", METHOD_NOT_ALLOWED)
            error["Allow"] = response["Allow"]
            return error
        return response

    return wrapper


@csrf_exempt
def _unknown_path(request: HttpRequest, *args, **kwargs) -> HttpResponse:
    return error_response(404, "not_found", NOT_FOUND)


class JobbagAPI(NinjaAPI):
    """NinjaAPI whose unknown paths and wrong methods also answer in the error shape."""

    def _get_urls(self) -> list:
        urls = super()._get_urls()
        for pattern in urls:
            pattern.callback = _not_allowed_as_error(pattern.callback)
        return [*urls, re_path(r"", _unknown_path)]


# Pagination -----------------------------------------------------------------------------


class PagePagination(PaginationBase):
    """`?page=` and `?page_size=`; answers `{"items", "count", "page", "pages"}`.

    Two queries whatever the size: the count and the page. A page past the last one is
    empty rather than an error, so a client walking pages while rows vanish does not fail.
    """

    class Input(Schema):
        page: int = Field(1, ge=1)
        page_size: int = Field(
            settings.NINJA_PAGINATION_PER_PAGE,
            ge=1,
            le=settings.NINJA_PAGINATION_MAX_PER_PAGE_SIZE,
        )

    class Output(Schema):
        items: list[Any]
        count: int
        page: int
        pages: int

    def paginate_queryset(
        self, queryset: QuerySet, pagination: Input, request: HttpRequest, **params: Any
    ) -> dict:
        count = self._items_count(queryset)
        offset = (pagination.page - 1) * pagination.page_size
        items = list(queryset[offset : offset + pagination.page_size]) if offset < count else []
        return {
            "items": items,
            "count": count,
            "page": pagination.page,
            "pages": max(1, math.ceil(count / pagination.page_size)),
        }


# Helpers --------------------------------------------------------------------------------


def get_or_404(queryset: QuerySet, **lookup):
    """The one row of `queryset` (already scoped to the user) matching `lookup`, or 404."""
    obj = queryset.filter(**lookup).first()
    if obj is None:
        raise Http404()
    return obj
