"""Users: creating, editing, deactivating, profile and language."""

import secrets

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.contrib.auth.validators import UnicodeUsernameValidator
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jobbag.accounts.models import (
    ApiToken,
    Department,
    Position,
    User,
)
from jobbag.accounts.services.common import (
    ALREADY_ACTIVE,
    EMAIL_INVALID,
    EMAIL_TAKEN,
    INACTIVE_DEPARTMENT,
    LANGUAGE_INVALID,
    MANAGE,
    NOT_ACTIVE_STAFF,
    OWN_ADMIN_RIGHTS,
    REPORTS_TO_CYCLE,
    REQUIRED,
    SELF_DEACTIVATE,
    USERNAME_TAKEN,
    chain_reaches,
    is_active_staff,
    newly_inactive,
    raise_if,
    update_versioned,
)
from jobbag.core import audit
from jobbag.core.errors import Conflict, NotAllowed
from jobbag.core.permissions import require
from jobbag.core.phones import PHONE_INVALID, is_phone

PROFILE_FIELDS = ("full_name", "phone", "mobile", "language")
FULL_NAME_TOO_LONG = _("Use at most 100 characters.")


def user_set_language(*, actor: User, language: str) -> None:
    """Keeps the interface language the user chose, for every later sign-in."""
    if actor.language != language:
        User.objects.filter(pk=actor.pk).update(language=language)
        actor.language = language


def _check_user(
    errors: dict,
    *,
    user: User | None,
    email: str,
    full_name: str,
    department: Department | None,
    reports_to: User | None,
    language: str,
) -> None:
    if not full_name.strip():
        errors["full_name"] = REQUIRED
    if not email:
        errors["email"] = REQUIRED
    else:
        try:
            validate_email(email)
        except ValidationError:
            errors["email"] = EMAIL_INVALID
        else:
            others = User.objects.filter(email__iexact=email)
            if user is not None:
                others = others.exclude(pk=user.pk)
            if others.exists():
                errors["email"] = EMAIL_TAKEN
    if language not in dict(User._meta.get_field("language").choices):
        errors["language"] = LANGUAGE_INVALID
    if newly_inactive(department, user.department_id if user else None):
        errors["department"] = INACTIVE_DEPARTMENT
    if reports_to is not None:
        if not is_active_staff(reports_to):
            errors["reports_to"] = NOT_ACTIVE_STAFF
        elif user is not None and chain_reaches(reports_to, user, up="reports_to"):
            errors["reports_to"] = REPORTS_TO_CYCLE


@transaction.atomic
def user_create(
    *,
    actor: User,
    username: str,
    full_name: str,
    email: str,
    department: Department | None = None,
    position: Position | None = None,
    reports_to: User | None = None,
    phone: str = "",
    mobile: str = "",
    language: str = settings.LANGUAGE_CODE,
    is_superuser: bool = False,
    password: str = "",
) -> User:
    """Creates a staff member. Without an initial password the account gets a random one
    that nobody knows: the person sets their own through "forgot password"."""
    require(actor, MANAGE)
    username = username.strip()
    errors: dict = {}
    if not username:
        errors["username"] = REQUIRED
    else:
        try:
            UnicodeUsernameValidator()(username)
        except ValidationError as error:
            errors["username"] = error.messages[0]
        else:
            if User.objects.filter(username__iexact=username).exists():
                errors["username"] = USERNAME_TAKEN
    _check_user(
        errors,
        user=None,
        email=email,
        full_name=full_name,
        department=department,
        reports_to=reports_to,
        language=language,
    )
    user = User(
        username=username,
        full_name=full_name.strip(),
        email=email,
        kind=User.Kind.STAFF,
        department=department,
        position=position,
        reports_to=reports_to,
        phone=phone.strip(),
        mobile=mobile.strip(),
        language=language,
        is_superuser=is_superuser,
    )
    if password:
        try:
            validate_password(password, user)
        except ValidationError as error:
            errors["password"] = " ".join(error.messages)
    raise_if(errors)
    user.set_password(password or secrets.token_urlsafe(32))
    user.save()
    audit.record_create(actor=actor, obj=user)
    return user


@transaction.atomic
def user_update(
    *,
    actor: User,
    user: User,
    expected_version: int,
    full_name: str,
    email: str,
    department: Department | None,
    position: Position | None,
    reports_to: User | None,
    phone: str,
    mobile: str,
    language: str,
    is_superuser: bool,
) -> User:
    """Changes a user's details and place in the organisation."""
    require(actor, MANAGE)
    errors: dict = {}
    _check_user(
        errors,
        user=user,
        email=email,
        full_name=full_name,
        department=department,
        reports_to=reports_to,
        language=language,
    )
    if user.pk == actor.pk and user.is_superuser and not is_superuser:
        errors["is_superuser"] = OWN_ADMIN_RIGHTS
    raise_if(errors)
    values = {
        "full_name": full_name.strip(),
        "email": email,
        "department": department,
        "position": position,
        "reports_to": reports_to,
        "phone": phone.strip(),
        "mobile": mobile.strip(),
        "language": language,
        "is_superuser": is_superuser,
    }
    return update_versioned(actor=actor, obj=user, expected_version=expected_version, values=values)


@transaction.atomic
def user_deactivate(*, actor: User, user: User) -> None:
    """Deactivates `user`: every session and API token of theirs stops working at once."""
    require(actor, MANAGE)
    if user.pk == actor.pk:
        raise NotAllowed(SELF_DEACTIVATE, code="self")
    before = audit.snapshot(user, ["is_active"])
    User.objects.filter(pk=user.pk).update(
        is_active=False, session_epoch=F("session_epoch") + 1, version=F("version") + 1
    )
    ApiToken.objects.filter(user=user, revoked_at__isnull=True).update(revoked_at=timezone.now())
    user.refresh_from_db()
    audit.record_change(actor=actor, obj=user, before=before, note="deactivated")


@transaction.atomic
def user_reactivate(*, actor: User, user: User) -> None:
    """Lets a deactivated user sign in again. Their old sessions and tokens stay dead."""
    require(actor, MANAGE)
    if user.is_active:
        raise Conflict(ALREADY_ACTIVE)
    before = audit.snapshot(user, ["is_active"])
    User.objects.filter(pk=user.pk).update(is_active=True, version=F("version") + 1)
    user.refresh_from_db()
    audit.record_change(actor=actor, obj=user, before=before, note="reactivated")


@transaction.atomic
def user_update_profile(*, actor: User, version: int, **fields: str) -> User:
    """Changes the actor's own name, phone numbers and interface language.

    `version` is the profile version the edit was made against. Bad values raise
    DomainError with field messages; a stale version raises Conflict (HTTP 409). Either
    way nothing is written. Returns the updated user (a fresh copy of `actor`).
    """
    unknown = set(fields) - set(PROFILE_FIELDS)
    if unknown:
        raise TypeError(f"Not profile fields: {sorted(unknown)}")
    values = {name: (value or "").strip() for name, value in fields.items()}
    errors: dict = {}
    if "full_name" in values and not values["full_name"]:
        errors["full_name"] = REQUIRED
    elif len(values.get("full_name", "")) > 100:
        errors["full_name"] = FULL_NAME_TOO_LONG
    for name in ("phone", "mobile"):
        if values.get(name) and not is_phone(values[name]):
            errors[name] = PHONE_INVALID
    if "language" in values and values["language"] not in dict(settings.LANGUAGES):
        errors["language"] = LANGUAGE_INVALID
    raise_if(errors)
    user = User.objects.get(pk=actor.pk)
    return update_versioned(
        actor=actor, obj=user, expected_version=version, values=values, note="profile"
    )
