"""Sign-in security: throttling, session limits, the second factor (TOTP) and passwords.

Views and middleware stay thin and call these functions; every rule about who may sign
in, for how long, and with what proof lives here.
"""

import hmac
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta

import pyotp
import qrcode
import qrcode.image.svg
from django.conf import settings
from django.contrib.auth import authenticate, login, password_validation
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import F
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_decode, urlsafe_base64_encode
from django.utils.translation import gettext_lazy as _

from jobbag.accounts.models import (
    Department,
    LoginAttempt,
    Role,
    SecurityPolicy,
    TotpDevice,
    User,
)
from jobbag.core import audit
from jobbag.core.errors import DomainError
from jobbag.core.models import AuditEntry
from jobbag.core.permissions import require
from jobbag.core.versioning import save_versioned

# One message for an unknown user, a wrong password and an inactive account, so the
# sign-in page never tells anyone which usernames exist.
LOGIN_REFUSED = _("The username or password is incorrect, or the account is disabled.")
LOGIN_LOCKED = _(
    "Too many failed sign-in attempts. Wait %(minutes)d minutes and try again, "
    "or reset your password."
)
CODE_WRONG = _("The code is not correct or has already been used. Enter the current code.")
ALREADY_ENROLLED = _("A second factor is already set up. Remove it first to set up a new one.")
NOT_ENROLLED = _("No second factor is set up.")
OLD_PASSWORD_WRONG = _("Your current password was entered incorrectly.")
RESET_LINK_INVALID = _("This password reset link is invalid or has expired.")
SESSION_EXPIRED = _("Your session has expired. Please sign in again.")

# Session keys. Times are epoch seconds so that the session stays JSON-serialisable.
SESSION_LOGIN_AT = "jobbag_login_at"
SESSION_SEEN_AT = "jobbag_seen_at"
SESSION_SECOND_FACTOR = "jobbag_second_factor"
# Last activity is written back at most this often, so reading a page is not a write.
SEEN_WRITE_INTERVAL = 60

# Second-factor state of a session.
SECOND_FACTOR_PASSED = "passed"  # nothing (more) to prove
SECOND_FACTOR_PENDING = "pending"  # has a device: must enter a code first
SECOND_FACTOR_ENROL = "enrol"  # required but has no device: must set one up first

TOTP_ISSUER = "Jobbag"


# --- Throttling -------------------------------------------------------------------------


def client_ip(request: HttpRequest) -> str | None:
    """The caller's address. Behind the HTTPS proxy (SECURE_HTTPS, which already trusts
    its X-Forwarded-Proto) the last X-Forwarded-For entry is the one the proxy saw;
    anything left of it came from the client and can be forged."""
    if getattr(settings, "SECURE_HTTPS", False):
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        if forwarded:
            return forwarded.split(",")[-1].strip() or None
    return request.META.get("REMOTE_ADDR") or None


def _throttle_name(username: str) -> str:
    # Case variants of one name count together, so they cannot multiply the allowance.
    return (username or "").strip().lower()[:150]


def login_is_locked(*, username: str, ip: str | None) -> bool:
    """True after LOGIN_FAILURE_LIMIT failures for the name, or four times as many from
    one address, within LOGIN_FAILURE_WINDOW. Unknown names lock like real ones."""
    since = timezone.now() - settings.LOGIN_FAILURE_WINDOW
    limit = settings.LOGIN_FAILURE_LIMIT
    recent = LoginAttempt.objects.filter(at__gte=since)
    if recent.filter(username=_throttle_name(username)).count() >= limit:
        return True
    return ip is not None and recent.filter(ip_address=ip).count() >= 4 * limit


def login_failure_record(*, username: str, ip: str | None) -> None:
    LoginAttempt.objects.create(username=_throttle_name(username), ip_address=ip)


def login_failures_clear(*, username: str) -> None:
    LoginAttempt.objects.filter(username=_throttle_name(username)).delete()


def _locked_error() -> DomainError:
    minutes = max(1, int(settings.LOGIN_FAILURE_WINDOW.total_seconds() // 60))
    return DomainError(LOGIN_LOCKED % {"minutes": minutes}, code="locked")


# --- Signing in -------------------------------------------------------------------------


def sign_in_check(*, request: HttpRequest, username: str, password: str) -> User:
    """The user these credentials belong to, or DomainError with one generic message.

    Refuses while the name or address is locked, counts every failure, and clears the
    name's failures on success (for users with a second factor: once the code is right).
    Inactive users fail like a wrong password (Django's
    ModelBackend refuses them and still spends the hashing time on unknown names).
    """
    ip = client_ip(request)
    if login_is_locked(username=username, ip=ip):
        raise _locked_error()
    user = authenticate(request, username=username, password=password)
    if user is None:
        login_failure_record(username=username, ip=ip)
        raise DomainError(LOGIN_REFUSED, code="refused")
    # With a second factor the slate is wiped only once the code is right too; else each
    # password sign-in would buy a fresh set of guesses at the code.
    if not has_second_factor(user):
        login_failures_clear(username=username)
    return user


def sign_in(request: HttpRequest, user: User) -> str:
    """Starts the session (Django's login() gives it a new id), stamps its start for the
    session limits, decides whether a second factor is still owed, and switches to the
    user's language. Returns the second-factor state."""
    login(request, user)
    now = time.time()
    request.session[SESSION_LOGIN_AT] = now
    request.session[SESSION_SEEN_AT] = now
    state = second_factor_state(user)
    request.session[SESSION_SECOND_FACTOR] = state
    translation.activate(user.language)
    return state


def session_is_current(request: HttpRequest) -> bool:
    """False once the signed-in session has been idle longer than SESSION_IDLE_TIMEOUT or
    has lasted longer than SESSION_ABSOLUTE_TIMEOUT. Keeps the activity stamp fresh."""
    session = request.session
    now = time.time()
    login_at = session.get(SESSION_LOGIN_AT)
    seen_at = session.get(SESSION_SEEN_AT)
    if login_at is None or seen_at is None:
        # A session started without our sign-in page (e.g. force_login in tests) starts
        # its clock at its first request.
        session[SESSION_LOGIN_AT] = session[SESSION_SEEN_AT] = now
        return True
    if now - seen_at > settings.SESSION_IDLE_TIMEOUT.total_seconds():
        return False
    if now - login_at > settings.SESSION_ABSOLUTE_TIMEOUT.total_seconds():
        return False
    if now - seen_at > SEEN_WRITE_INTERVAL:
        session[SESSION_SEEN_AT] = now
    return True


# --- Second factor ----------------------------------------------------------------------


def second_factor_required(user: User) -> bool:
    """Whether the security policy requires this user to have a second factor."""
    policy = SecurityPolicy.current()
    if policy.require_2fa_admins and user.is_admin:
        return True
    if policy.require_2fa_finance and (
        user.role == Role.FINANCE
        or (user.department_id and user.department.kind == Department.Kind.FINANCE)
    ):
        return True
    return bool(policy.require_2fa_approvers and user.position_id and user.position.is_approver)


def has_second_factor(user: User) -> bool:
    return TotpDevice.objects.filter(user=user, confirmed_at__isnull=False).exists()


def second_factor_state(user: User) -> str:
    """What the user still owes after the password. Decided once per session, so a
    policy change applies from each user's next sign-in."""
    if has_second_factor(user):
        return SECOND_FACTOR_PENDING
    if second_factor_required(user):
        return SECOND_FACTOR_ENROL
    return SECOND_FACTOR_PASSED


def session_second_factor(request: HttpRequest) -> str:
    """The session's second-factor state, worked out on first sight if missing."""
    state = request.session.get(SESSION_SECOND_FACTOR)
    if state is None:
        state = second_factor_state(request.user)
        request.session[SESSION_SECOND_FACTOR] = state
    return state


def second_factor_passed(request: HttpRequest) -> None:
    """Marks the session as fully signed in; a new session id, as the session gained
    rights."""
    request.session.cycle_key()
    request.session[SESSION_SECOND_FACTOR] = SECOND_FACTOR_PASSED


def _code_counter(device: TotpDevice, code: str) -> int | None:
    """The time step `code` belongs to, allowing one step of clock drift either way."""
    code = "".join((code or "").split())
    if len(code) != 6 or not code.isdigit():
        return None
    totp = pyotp.TOTP(device.secret)
    now = int(time.time()) // totp.interval
    for counter in (now - 1, now, now + 1):
        if hmac.compare_digest(totp.generate_otp(counter), code):
            return counter
    return None


def _code_consume(device: TotpDevice, code: str) -> bool:
    counter = _code_counter(device, code)
    if counter is None:
        return False
    # One UPDATE both checks and records the step, so a code used twice (even by two
    # requests at the same moment) is accepted only once.
    used = TotpDevice.objects.filter(pk=device.pk, last_counter__lt=counter)
    return used.update(last_counter=counter) == 1


class _WrongCode(Exception):
    pass


def _code_check(*, user: User, device: TotpDevice, code: str, ip: str | None) -> None:
    """Accepts a fresh, correct code; raises _WrongCode for any other."""
    if login_is_locked(username=user.username, ip=ip):
        raise _locked_error()
    if not _code_consume(device, code):
        raise _WrongCode


@contextmanager
def _counting_wrong_codes(user: User, ip: str | None) -> Iterator[None]:
    """Turns a wrong code into a failed sign-in. Entered outside the service's
    transaction, so the failure is written after the rollback and still counts."""
    try:
        yield
    except _WrongCode:
        login_failure_record(username=user.username, ip=ip)
        raise DomainError(CODE_WRONG, fields={"code": [str(CODE_WRONG)]}, code="code") from None


def _record_second_factor(actor: User, *, enabled: bool) -> None:
    # Recorded on the user, without the secret, which must never reach the audit trail.
    audit.record(
        actor=actor,
        obj=actor,
        action=AuditEntry.Action.CHANGE,
        changes={"second_factor": [not enabled, enabled]},
        note="second factor enrolled" if enabled else "second factor removed",
    )


def totp_verify(*, user: User, code: str, ip: str | None) -> None:
    """The code step after the password."""
    device = TotpDevice.objects.filter(user=user, confirmed_at__isnull=False).first()
    if device is None:
        raise DomainError(NOT_ENROLLED, code="not_enrolled")
    with _counting_wrong_codes(user, ip):
        _code_check(user=user, device=device, code=code, ip=ip)
    login_failures_clear(username=user.username)


@transaction.atomic
def totp_setup_start(*, actor: User) -> TotpDevice:
    """The user's unconfirmed device, made with a new secret if there is none. The same
    secret is kept until confirmed, so reloading the page does not break a scanned code."""
    device = TotpDevice.objects.select_for_update().filter(user=actor).first()
    if device is not None and device.confirmed_at is not None:
        raise DomainError(ALREADY_ENROLLED, code="enrolled")
    if device is None:
        device = TotpDevice.objects.create(user=actor, secret=pyotp.random_base32())
    return device


def totp_confirm(*, actor: User, code: str, ip: str | None) -> TotpDevice:
    """Turns the second factor on once the user proves the authenticator app works."""
    with _counting_wrong_codes(actor, ip), transaction.atomic():
        device = TotpDevice.objects.select_for_update().filter(user=actor).first()
        if device is None:
            raise DomainError(NOT_ENROLLED, code="not_enrolled")
        if device.confirmed_at is not None:
            raise DomainError(ALREADY_ENROLLED, code="enrolled")
        _code_check(user=actor, device=device, code=code, ip=ip)
        device.confirmed_at = timezone.now()
        device.save(update_fields=["confirmed_at"])
        _record_second_factor(actor, enabled=True)
    return device


def totp_remove(*, actor: User, code: str, ip: str | None) -> None:
    """Turns the second factor off; the user confirms with a current code."""
    with _counting_wrong_codes(actor, ip), transaction.atomic():
        device = TotpDevice.objects.select_for_update().filter(user=actor).first()
        if device is None or device.confirmed_at is None:
            raise DomainError(NOT_ENROLLED, code="not_enrolled")
        _code_check(user=actor, device=device, code=code, ip=ip)
        device.delete()
        _record_second_factor(actor, enabled=False)


def totp_uri(device: TotpDevice) -> str:
    return pyotp.TOTP(device.secret).provisioning_uri(
        name=device.user.username, issuer_name=TOTP_ISSUER
    )


def totp_qr_svg(device: TotpDevice) -> str:
    """The provisioning URI as an inline SVG QR code (no image request, no CDN)."""
    image = qrcode.make(totp_uri(device), image_factory=qrcode.image.svg.SvgPathImage)
    return image.to_string(encoding="unicode")


@transaction.atomic
def security_policy_update(
    *,
    actor: User,
    version: int,
    require_2fa_admins: bool,
    require_2fa_finance: bool,
    require_2fa_approvers: bool,
) -> SecurityPolicy:
    require(actor, "accounts.organisation.manage")
    policy = SecurityPolicy.current()
    fields = ["require_2fa_admins", "require_2fa_finance", "require_2fa_approvers"]
    before = audit.snapshot(policy, fields)
    policy.require_2fa_admins = require_2fa_admins
    policy.require_2fa_finance = require_2fa_finance
    policy.require_2fa_approvers = require_2fa_approvers
    save_versioned(policy, expected_version=version, fields=fields)
    audit.record_change(actor=actor, obj=policy, before=before)
    return policy


# --- Passwords --------------------------------------------------------------------------


def _validate_new_password(password: str, user: User, *, field: str) -> None:
    """Django's validators (length, common passwords, similarity), as field errors."""
    try:
        password_validation.validate_password(password, user)
    except ValidationError as error:
        raise DomainError(fields={field: list(error.messages)}, code="password") from error


def _record_password(actor: User, user: User, note: str) -> None:
    # The hash never goes into the audit trail; the entry says only that it changed.
    audit.record(
        actor=actor,
        obj=user,
        action=AuditEntry.Action.CHANGE,
        changes={"password": ["***", "***"]},
        note=note,
    )


@transaction.atomic
def password_change(*, actor: User, old_password: str, new_password: str) -> None:
    """Changes the user's own password. Their other sessions end (the session hash
    follows the password); the caller keeps the current one with
    update_session_auth_hash."""
    if not actor.check_password(old_password):
        raise DomainError(
            OLD_PASSWORD_WRONG, fields={"old_password": [str(OLD_PASSWORD_WRONG)]}, code="old"
        )
    _validate_new_password(new_password, actor, field="new_password1")
    actor.set_password(new_password)
    actor.save(update_fields=["password"])
    _record_password(actor, actor, "password changed")


def password_reset_request(*, email: str) -> None:
    """Mails a reset link to each active user with this address. Says nothing about
    whether there was one: the page answers the same either way."""
    email = (email or "").strip()
    if not email:
        return
    users = User.objects.filter(email__iexact=email, is_active=True)
    for user in users:
        if not user.has_usable_password():
            continue
        _password_reset_mail(user)


def _password_reset_mail(user: User) -> None:
    path = reverse(
        "accounts:password_reset_confirm",
        kwargs={
            "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
            "token": default_token_generator.make_token(user),
        },
    )
    context = {
        "user": user,
        "link": settings.SITE_URL.rstrip("/") + path,
        "valid_until": timezone.localtime() + timedelta(seconds=settings.PASSWORD_RESET_TIMEOUT),
    }
    # Written in the language the user chose, whatever language the request came in.
    with translation.override(user.language):
        subject = render_to_string("accounts/password_reset_subject.txt", context)
        body = render_to_string("accounts/password_reset_email.txt", context)
    send_mail(" ".join(subject.split()), body, None, [user.email])


def password_reset_user(*, uidb64: str, token: str) -> User | None:
    """The active user a reset link belongs to while the link is valid, else None. The
    token covers the password hash, so it stops working once the password changes."""
    try:
        pk = urlsafe_base64_decode(uidb64).decode()
        user = User.objects.get(pk=pk, is_active=True)
    except (ValueError, TypeError, OverflowError, User.DoesNotExist, ValidationError):
        return None
    if not default_token_generator.check_token(user, token):
        return None
    return user


@transaction.atomic
def password_reset_complete(*, uidb64: str, token: str, new_password: str) -> User:
    """Sets a new password from a reset link: the link is used up, every existing session
    of the user ends, and their failed sign-ins are forgotten."""
    user = password_reset_user(uidb64=uidb64, token=token)
    if user is None:
        raise DomainError(RESET_LINK_INVALID, code="link")
    _validate_new_password(new_password, user, field="new_password1")
    user.set_password(new_password)
    user.save(update_fields=["password"])
    User.objects.filter(pk=user.pk).update(session_epoch=F("session_epoch") + 1)
    user.refresh_from_db(fields=["session_epoch"])
    login_failures_clear(username=user.username)
    _record_password(user, user, "password reset by e-mail")
    return user
