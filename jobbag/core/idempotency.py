"""`Idempotency-Key` on API POSTs: a retry gets the first answer, never a second record.

The first request with a key inserts a pending IdempotencyRecord in its own transaction;
the unique (user, key) constraint makes that insert the lock, also across processes on
PostgreSQL. When the view has answered, the record keeps the status and body. A retry
with the same key then finds the record and replays it without running the view; a
duplicate arriving while the first is still running finds it pending and gets 409.
"""

from datetime import timedelta

from django.db import IntegrityError, transaction
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jobbag.core.api_support import bearer_user, error_response
from jobbag.core.models import IdempotencyRecord

HEADER = "Idempotency-Key"
REPLAYED_HEADER = "Idempotent-Replayed"
API_PREFIX = "/api/"
MAX_KEY_LENGTH = 255
KEEP_FOR = timedelta(hours=24)

IN_FLIGHT = _("A request with this Idempotency-Key is still being processed. Retry shortly.")
KEY_REUSED = _("This Idempotency-Key was already used for a different request.")
KEY_TOO_LONG = _("The Idempotency-Key may have at most 255 characters.")
WITHHELD = _(
    "This request was already carried out. Its answer held a secret that is shown only once."
)


def _caller(request: HttpRequest):
    """The user the key belongs to: the token's owner, else the session's user."""
    user = bearer_user(request)
    if user is None:
        session_user = getattr(request, "user", None)
        if session_user is not None and session_user.is_authenticated:
            user = session_user
    return user


def _replay(record: IdempotencyRecord) -> HttpResponse:
    response = HttpResponse(
        bytes(record.body or b""),
        status=record.status_code,
        content_type=record.content_type or None,
    )
    response[REPLAYED_HEADER] = "true"
    return response


def _is_storable(request: HttpRequest, response: HttpResponse) -> bool:
    """Keep answers that a retry must see again: successes and the client's own errors.

    A 5xx is not kept so that a retry can succeed. Neither is an answer given before the
    API accepted the caller (failed authentication or CSRF check, `request.auth` unset):
    the view did not run, and a retry with valid credentials must be able to.
    """
    if response.streaming or getattr(request, "auth", None) is None:
        return False
    return 200 <= response.status_code < 300 or 400 <= response.status_code < 500


class IdempotencyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        key = request.headers.get(HEADER, "").strip()
        if request.method != "POST" or not key or not request.path.startswith(API_PREFIX):
            return self.get_response(request)
        user = _caller(request)
        if user is None:
            # Anonymous requests are refused by the API anyway; there is no one to key on.
            return self.get_response(request)
        if len(key) > MAX_KEY_LENGTH:
            return error_response(422, "invalid", KEY_TOO_LONG, {HEADER: [KEY_TOO_LONG]})

        try:
            with transaction.atomic():
                record = IdempotencyRecord.objects.create(
                    user=user, key=key, method=request.method, path=request.path
                )
        except IntegrityError:
            return self._answer_duplicate(request, user, key)

        try:
            response = self.get_response(request)
        except BaseException:
            IdempotencyRecord.objects.filter(pk=record.pk).delete()
            raise
        if _is_storable(request, response) and "no-store" in response.get("Cache-Control", ""):
            # The answer holds a secret (a new API token): keep that it happened, not the
            # secret, so a retry is told so instead of getting a second record.
            withheld = error_response(409, "idempotency_result_withheld", WITHHELD)
            IdempotencyRecord.objects.filter(pk=record.pk).update(
                status_code=withheld.status_code,
                content_type=withheld["Content-Type"],
                body=withheld.content,
            )
        elif _is_storable(request, response):
            IdempotencyRecord.objects.filter(pk=record.pk).update(
                status_code=response.status_code,
                content_type=response.get("Content-Type", ""),
                body=response.content,
            )
        else:
            IdempotencyRecord.objects.filter(pk=record.pk).delete()
        return response

    def _answer_duplicate(self, request: HttpRequest, user, key: str) -> HttpResponse:
        record = IdempotencyRecord.objects.filter(user=user, key=key).first()
        if record is not None and (record.method, record.path) != (request.method, request.path):
            return error_response(422, "idempotency_key_reused", KEY_REUSED, {HEADER: [KEY_REUSED]})
        if record is None or record.status_code is None:
            # Still running (or just given up on by its first request): the client retries.
            return error_response(409, "idempotency_in_flight", IN_FLIGHT)
        return _replay(record)


def prune_idempotency_records(*, older_than: timedelta = KEEP_FOR) -> int:
    """Deletes records older than `older_than` (24 h); a daily sweep calls this.

    Returns how many were deleted.
    """
    deleted, _by_model = IdempotencyRecord.objects.filter(
        created_at__lt=timezone.now() - older_than
    ).delete()
    return deleted
