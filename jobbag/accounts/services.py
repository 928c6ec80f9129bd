"""Changes to people and organisation. Every write goes through a function here.

Each service takes the acting user first, checks permission through core.permissions,
validates (raising DomainError with translatable messages per field), writes inside a
transaction and records an audit entry. Edits name the version they were made against,
so a stale edit is refused (core.versioning).
"""

import re
import secrets
from datetime import date
from decimal import Decimal

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
    ACCOUNT_LADDER,
    ApiToken,
    AuthorityLimit,
    ClientGroup,
    Department,
    Deputy,
    Position,
    Role,
    ServiceTeamMembership,
    User,
)
from jobbag.core import audit
from jobbag.core.errors import Conflict, DomainError, NotAllowed
from jobbag.core.models import AuditEntry
from jobbag.core.permissions import require
from jobbag.core.versioning import save_versioned

MANAGE = "accounts.organisation.manage"

# Messages shown to the user; constants so that every caller gets the same wording.
INVALID = _("Please correct the errors below.")
REQUIRED = _("This field is required.")
CODE_FORMAT = _("Use lower-case letters, digits and hyphens only.")
CODE_TAKEN = _("This code is already in use.")
USERNAME_TAKEN = _("This username is already in use.")
EMAIL_TAKEN = _("Another user already has this e-mail address.")
EMAIL_INVALID = _("Enter a valid e-mail address.")
LANGUAGE_INVALID = _("Choose one of the offered languages.")
ROLE_INVALID = _("Choose one of the offered roles.")
KIND_INVALID = _("Choose one of the offered kinds.")
NOT_ACTIVE_STAFF = _("Choose an active staff member.")
INACTIVE_DEPARTMENT = _("This department is no longer active.")
PARENT_CYCLE = _("A department cannot be part of itself or of one of its own teams.")
DEPARTMENT_HAS_MEMBERS = _("This department still has active members; move them first.")
REPORTS_TO_CYCLE = _("A person cannot report to themselves or to someone who reports to them.")
OWN_ADMIN_RIGHTS = _("You cannot take away your own administrator rights.")
SELF_DEACTIVATE = _("You cannot deactivate your own account.")
ALREADY_ACTIVE = _("This user is already active.")
DATES_ORDER = _("The end date cannot be before the start date.")
DEPUTY_SELF = _("You cannot be your own deputy.")
DEPUTY_OVERLAP = _("There is already a deputy for an overlapping period (%(start)s to %(end)s).")
DEPUTY_CLOSED = _("This deputy arrangement has already ended or been cancelled.")
TEAM_ROLE_INVALID = _("Choose AD, AM or AE (a role on the account ladder).")
TEAM_DUPLICATE = _("This person is already on the team.")
TEAM_ENDED = _("This membership has already ended.")
DOCUMENT_TYPE_FORMAT = _("Use lower-case letters, digits, hyphens and underscores only.")
CURRENCY_FORMAT = _("Enter a three-letter currency code such as CNY.")
AMOUNT_NEGATIVE = _("The amount cannot be negative.")
LIMIT_EXISTS = _("This position already has a limit for this document type and currency.")

CODE_RE = re.compile(r"^[a-z0-9][a-z0-9-]*$")
DOCUMENT_TYPE_RE = re.compile(r"^[a-z][a-z0-9_-]*$")
CURRENCY_RE = re.compile(r"^[A-Z]{3}$")


def _raise_if(errors: dict) -> None:
    if errors:
        raise DomainError(INVALID, fields=errors)


def _is_active_staff(user: User | None) -> bool:
    return user is not None and user.is_active and user.kind == User.Kind.STAFF


def _newly_inactive(department: Department | None, current_id: int | None) -> bool:
    """An inactive department may stay where it was chosen before, but not be chosen anew."""
    return department is not None and not department.is_active and department.pk != current_id


def _check_names(errors: dict, *, code: str, name_zh: str, model, instance=None) -> None:
    """The checks shared by departments, positions and client groups."""
    if not code:
        errors["code"] = REQUIRED
    elif not CODE_RE.match(code) or len(code) > 32:
        errors["code"] = CODE_FORMAT
    else:
        others = model.objects.filter(code=code)
        if instance is not None:
            others = others.exclude(pk=instance.pk)
        if others.exists():
            errors["code"] = CODE_TAKEN
    if not name_zh.strip():
        errors["name_zh"] = REQUIRED


def _update_versioned(*, actor: User, obj, expected_version: int, values: dict, note: str = ""):
    """Applies `values` to `obj` if it is still at `expected_version`, and audits the change."""
    before = audit.snapshot(obj, list(values))
    for name, value in values.items():
        setattr(obj, name, value)
    save_versioned(obj, expected_version=expected_version, fields=list(values))
    audit.record_change(actor=actor, obj=obj, before=before, note=note)
    return obj


# Users ---------------------------------------------------------------------------------


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
    if _newly_inactive(department, user.department_id if user else None):
        errors["department"] = INACTIVE_DEPARTMENT
    if reports_to is not None:
        if not _is_active_staff(reports_to):
            errors["reports_to"] = NOT_ACTIVE_STAFF
        elif user is not None and _reports_up_to(reports_to, user):
            errors["reports_to"] = REPORTS_TO_CYCLE


def _reports_up_to(start: User, target: User) -> bool:
    """Whether following reports_to upwards from `start` reaches `target`."""
    seen = set()
    current = start
    while current is not None and current.pk not in seen:
        if current.pk == target.pk:
            return True
        seen.add(current.pk)
        current = current.reports_to
    return False


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
    _raise_if(errors)
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
    _raise_if(errors)
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
    return _update_versioned(
        actor=actor, obj=user, expected_version=expected_version, values=values
    )


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


# Departments, positions, client groups ---------------------------------------------------


def _check_department(
    errors: dict,
    *,
    department: Department | None,
    parent: Department | None,
    head: User | None,
    kind: str,
    is_active: bool,
) -> None:
    if kind not in Department.Kind.values:
        errors["kind"] = KIND_INVALID
    if head is not None and not _is_active_staff(head):
        errors["head"] = NOT_ACTIVE_STAFF
    if parent is not None:
        if department is not None and _department_within(parent, department):
            errors["parent"] = PARENT_CYCLE
        elif _newly_inactive(parent, department.parent_id if department else None):
            errors["parent"] = INACTIVE_DEPARTMENT
    closing = department is not None and department.is_active and not is_active
    if closing and department.members.filter(is_active=True).exists():
        errors["is_active"] = DEPARTMENT_HAS_MEMBERS


def _department_within(start: Department, target: Department) -> bool:
    """Whether `start` is `target` or one of its teams (following parent upwards)."""
    seen = set()
    current = start
    while current is not None and current.pk not in seen:
        if current.pk == target.pk:
            return True
        seen.add(current.pk)
        current = current.parent
    return False


@transaction.atomic
def department_create(
    *,
    actor: User,
    code: str,
    name_zh: str,
    name_en: str = "",
    kind: str = Department.Kind.OTHER,
    parent: Department | None = None,
    head: User | None = None,
) -> Department:
    require(actor, MANAGE)
    code = code.strip()
    errors: dict = {}
    _check_names(errors, code=code, name_zh=name_zh, model=Department)
    _check_department(errors, department=None, parent=parent, head=head, kind=kind, is_active=True)
    _raise_if(errors)
    department = Department.objects.create(
        code=code,
        name_zh=name_zh.strip(),
        name_en=name_en.strip(),
        kind=kind,
        parent=parent,
        head=head,
    )
    audit.record_create(actor=actor, obj=department)
    return department


@transaction.atomic
def department_update(
    *,
    actor: User,
    department: Department,
    expected_version: int,
    code: str,
    name_zh: str,
    name_en: str,
    kind: str,
    parent: Department | None,
    head: User | None,
    is_active: bool,
) -> Department:
    require(actor, MANAGE)
    code = code.strip()
    errors: dict = {}
    _check_names(errors, code=code, name_zh=name_zh, model=Department, instance=department)
    _check_department(
        errors, department=department, parent=parent, head=head, kind=kind, is_active=is_active
    )
    _raise_if(errors)
    values = {
        "code": code,
        "name_zh": name_zh.strip(),
        "name_en": name_en.strip(),
        "kind": kind,
        "parent": parent,
        "head": head,
        "is_active": is_active,
    }
    return _update_versioned(
        actor=actor, obj=department, expected_version=expected_version, values=values
    )


def _check_position(errors: dict, *, role: str, department: Department | None, current=None):
    if role not in Role.values:
        errors["role"] = ROLE_INVALID
    if _newly_inactive(department, current):
        errors["department"] = INACTIVE_DEPARTMENT


@transaction.atomic
def position_create(
    *,
    actor: User,
    code: str,
    name_zh: str,
    name_en: str = "",
    role: str = Role.STAFF,
    department: Department | None = None,
    is_approver: bool = False,
) -> Position:
    require(actor, MANAGE)
    code = code.strip()
    errors: dict = {}
    _check_names(errors, code=code, name_zh=name_zh, model=Position)
    _check_position(errors, role=role, department=department)
    _raise_if(errors)
    position = Position.objects.create(
        code=code,
        name_zh=name_zh.strip(),
        name_en=name_en.strip(),
        role=role,
        department=department,
        is_approver=is_approver,
    )
    audit.record_create(actor=actor, obj=position)
    return position


@transaction.atomic
def position_update(
    *,
    actor: User,
    position: Position,
    expected_version: int,
    code: str,
    name_zh: str,
    name_en: str,
    role: str,
    department: Department | None,
    is_approver: bool,
) -> Position:
    require(actor, MANAGE)
    code = code.strip()
    errors: dict = {}
    _check_names(errors, code=code, name_zh=name_zh, model=Position, instance=position)
    _check_position(errors, role=role, department=department, current=position.department_id)
    _raise_if(errors)
    values = {
        "code": code,
        "name_zh": name_zh.strip(),
        "name_en": name_en.strip(),
        "role": role,
        "department": department,
        "is_approver": is_approver,
    }
    return _update_versioned(
        actor=actor, obj=position, expected_version=expected_version, values=values
    )


def _member_names(users) -> list[str]:
    return sorted(str(u) for u in users)


def _check_client_group(errors: dict, *, department, leader, members, group=None) -> None:
    current_members = set(group.members.values_list("pk", flat=True)) if group else set()
    if _newly_inactive(department, group.department_id if group else None):
        errors["department"] = INACTIVE_DEPARTMENT
    if leader is not None and not _is_active_staff(leader):
        errors["leader"] = NOT_ACTIVE_STAFF
    # People already on the group may stay after they leave; new members must be active staff.
    if any(not _is_active_staff(m) and m.pk not in current_members for m in members):
        errors["members"] = NOT_ACTIVE_STAFF


@transaction.atomic
def client_group_create(
    *,
    actor: User,
    code: str,
    name_zh: str,
    name_en: str = "",
    department: Department | None = None,
    leader: User | None = None,
    members: list[User] | None = None,
) -> ClientGroup:
    require(actor, MANAGE)
    code = code.strip()
    members = list(members or [])
    errors: dict = {}
    _check_names(errors, code=code, name_zh=name_zh, model=ClientGroup)
    _check_client_group(errors, department=department, leader=leader, members=members)
    _raise_if(errors)
    group = ClientGroup.objects.create(
        code=code,
        name_zh=name_zh.strip(),
        name_en=name_en.strip(),
        department=department,
        leader=leader,
    )
    group.members.set(members)
    entry_changes = {k: [None, v] for k, v in audit.snapshot(group).items() if v not in (None, "")}
    if members:
        entry_changes["members"] = [None, _member_names(members)]
    audit.record(actor=actor, obj=group, action=AuditEntry.Action.CREATE, changes=entry_changes)
    return group


@transaction.atomic
def client_group_update(
    *,
    actor: User,
    group: ClientGroup,
    expected_version: int,
    code: str,
    name_zh: str,
    name_en: str,
    department: Department | None,
    leader: User | None,
    members: list[User],
) -> ClientGroup:
    require(actor, MANAGE)
    code = code.strip()
    members = list(members)
    errors: dict = {}
    _check_names(errors, code=code, name_zh=name_zh, model=ClientGroup, instance=group)
    _check_client_group(errors, department=department, leader=leader, members=members, group=group)
    _raise_if(errors)
    values = {
        "code": code,
        "name_zh": name_zh.strip(),
        "name_en": name_en.strip(),
        "department": department,
        "leader": leader,
    }
    before = audit.snapshot(group, list(values))
    before["members"] = _member_names(group.members.all())
    for name, value in values.items():
        setattr(group, name, value)
    save_versioned(group, expected_version=expected_version, fields=list(values))
    group.members.set(members)
    after = audit.snapshot(group, list(values))
    after["members"] = _member_names(members)
    changes = audit.diff(before, after)
    if changes:
        audit.record(actor=actor, obj=group, action=AuditEntry.Action.CHANGE, changes=changes)
    return group


@transaction.atomic
def service_team_add(
    *,
    actor: User,
    client_group: ClientGroup,
    user: User,
    team_role: str,
    starts_on: date | None = None,
) -> ServiceTeamMembership:
    """Puts an AD, AM or AE on the team that serves a client group's accounts."""
    require(actor, MANAGE)
    starts_on = starts_on or timezone.localdate()
    errors: dict = {}
    if not _is_active_staff(user):
        errors["user"] = NOT_ACTIVE_STAFF
    elif ServiceTeamMembership.objects.filter(
        client_group=client_group, user=user, ends_on__isnull=True
    ).exists():
        errors["user"] = TEAM_DUPLICATE
    if team_role not in ACCOUNT_LADDER:
        errors["team_role"] = TEAM_ROLE_INVALID
    _raise_if(errors)
    membership = ServiceTeamMembership.objects.create(
        client_group=client_group, user=user, team_role=team_role, starts_on=starts_on
    )
    audit.record_create(actor=actor, obj=membership, note=str(client_group))
    return membership


@transaction.atomic
def service_team_end(
    *, actor: User, membership: ServiceTeamMembership, ends_on: date | None = None
) -> ServiceTeamMembership:
    """Takes someone off a service team from `ends_on` (today by default); the row stays."""
    require(actor, MANAGE)
    membership = ServiceTeamMembership.objects.select_for_update().get(pk=membership.pk)
    ends_on = ends_on or timezone.localdate()
    if membership.ends_on is not None:
        raise Conflict(TEAM_ENDED)
    if ends_on < membership.starts_on:
        raise DomainError(INVALID, fields={"ends_on": DATES_ORDER})
    before = audit.snapshot(membership, ["ends_on"])
    membership.ends_on = ends_on
    membership.save(update_fields=["ends_on"])
    audit.record_change(actor=actor, obj=membership, before=before)
    return membership


# Deputies ---------------------------------------------------------------------------------


@transaction.atomic
def deputy_create(
    *,
    actor: User,
    principal: User,
    deputy: User | None,
    starts_on: date | None,
    ends_on: date | None,
    reason: str = "",
) -> Deputy:
    """Names `deputy` to act for `principal` from `starts_on` to `ends_on` inclusive.

    Staff name their own deputies; admins may name one for anyone.
    """
    require(actor, "accounts.deputy.manage", principal)
    # Locking the principal serialises two requests naming deputies for the same person,
    # so that the overlap check below cannot be raced.
    principal = User.objects.select_for_update().get(pk=principal.pk)
    errors: dict = {}
    if deputy is None:
        errors["deputy"] = REQUIRED
    elif deputy.pk == principal.pk:
        errors["deputy"] = DEPUTY_SELF
    elif not _is_active_staff(deputy):
        errors["deputy"] = NOT_ACTIVE_STAFF
    if starts_on is None:
        errors["starts_on"] = REQUIRED
    if ends_on is None:
        errors["ends_on"] = REQUIRED
    if starts_on and ends_on:
        if ends_on < starts_on:
            errors["ends_on"] = DATES_ORDER
        else:
            clash = (
                Deputy.objects.filter(
                    principal=principal,
                    cancelled_at__isnull=True,
                    starts_on__lte=ends_on,
                    ends_on__gte=starts_on,
                )
                .order_by("starts_on")
                .first()
            )
            if clash is not None:
                errors["starts_on"] = DEPUTY_OVERLAP % {
                    "start": clash.starts_on.isoformat(),
                    "end": clash.ends_on.isoformat(),
                }
    _raise_if(errors)
    record = Deputy.objects.create(
        principal=principal,
        deputy=deputy,
        starts_on=starts_on,
        ends_on=ends_on,
        reason=reason.strip(),
        created_by=actor,
    )
    audit.record_create(actor=actor, obj=record)
    return record


@transaction.atomic
def deputy_cancel(*, actor: User, record: Deputy) -> Deputy:
    """Calls off a deputy arrangement that has not yet ended; the row stays for the record."""
    record = Deputy.objects.select_for_update().select_related("principal").get(pk=record.pk)
    require(actor, "accounts.deputy.manage", record.principal)
    if record.cancelled_at is not None or record.ends_on < timezone.localdate():
        raise Conflict(DEPUTY_CLOSED)
    old = record.state
    record.cancelled_at = timezone.now()
    record.save(update_fields=["cancelled_at"])
    audit.record_transition(actor=actor, obj=record, old=old, new="cancelled")
    return record


def deputies_on(day, *, principal: User):
    """The deputies acting for `principal` on `day`."""
    return User.objects.filter(
        deputising_for__principal=principal,
        deputising_for__starts_on__lte=day,
        deputising_for__ends_on__gte=day,
        deputising_for__cancelled_at__isnull=True,
        is_active=True,
    )


def principals_on(day, *, deputy: User):
    """The people `deputy` acts for on `day` (职务代理)."""
    return User.objects.filter(
        deputies__deputy=deputy,
        deputies__starts_on__lte=day,
        deputies__ends_on__gte=day,
        deputies__cancelled_at__isnull=True,
    )


def is_deputy_for(*, deputy: User, principal: User, day=None) -> bool:
    day = day or timezone.localdate()
    return Deputy.objects.filter(
        deputy=deputy,
        principal=principal,
        starts_on__lte=day,
        ends_on__gte=day,
        cancelled_at__isnull=True,
    ).exists()


# Authority limits -------------------------------------------------------------------------


def _check_limit(errors: dict, *, document_type: str, currency: str, max_amount) -> None:
    if not document_type:
        errors["document_type"] = REQUIRED
    elif not DOCUMENT_TYPE_RE.match(document_type) or len(document_type) > 40:
        errors["document_type"] = DOCUMENT_TYPE_FORMAT
    if not CURRENCY_RE.match(currency):
        errors["currency"] = CURRENCY_FORMAT
    if max_amount is not None and Decimal(max_amount) < 0:
        errors["max_amount"] = AMOUNT_NEGATIVE


@transaction.atomic
def authority_limit_set(
    *,
    actor: User,
    position: Position,
    document_type: str,
    max_amount: Decimal | None,
    currency: str = "CNY",
    expected_version: int | None = None,
) -> AuthorityLimit:
    """Lets holders of `position` approve `document_type` up to `max_amount` (no upper
    limit when None). A new limit is created without `expected_version`; changing an
    existing one names the version it was read at."""
    require(actor, MANAGE)
    document_type = document_type.strip().lower()
    currency = currency.strip().upper()
    errors: dict = {}
    _check_limit(errors, document_type=document_type, currency=currency, max_amount=max_amount)
    _raise_if(errors)
    existing = AuthorityLimit.objects.filter(
        position=position, document_type=document_type, currency=currency
    ).first()
    if existing is None:
        if expected_version is not None:
            # The limit being edited was removed meanwhile.
            raise Conflict()
        limit = AuthorityLimit.objects.create(
            position=position, document_type=document_type, currency=currency, max_amount=max_amount
        )
        audit.record_create(actor=actor, obj=limit)
        return limit
    if expected_version is None:
        raise DomainError(INVALID, fields={"document_type": LIMIT_EXISTS})
    return _update_versioned(
        actor=actor,
        obj=existing,
        expected_version=expected_version,
        values={"max_amount": max_amount},
    )


@transaction.atomic
def authority_limit_remove(*, actor: User, limit: AuthorityLimit, expected_version: int) -> None:
    """Removes a limit; the audit entry keeps what it was."""
    require(actor, MANAGE)
    before = audit.snapshot(limit)
    deleted, _rows = AuthorityLimit.objects.filter(pk=limit.pk, version=expected_version).delete()
    if not deleted:
        raise Conflict()
    audit.record(
        actor=actor,
        obj=limit,
        action=AuditEntry.Action.DELETE,
        changes={name: [value, None] for name, value in before.items()},
    )


PROFILE_FIELDS = ("full_name", "phone", "mobile", "language")
# Digits with spaces, dashes or brackets between, optionally an international "+" first.
PHONE_RE = re.compile(r"^\+?[0-9][0-9 ()\-]{3,30}[0-9]$")
PHONE_INVALID = _("Enter a phone number: digits, spaces, dashes or brackets, optionally +.")
FULL_NAME_TOO_LONG = _("Use at most 100 characters.")


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
        if values.get(name) and not PHONE_RE.match(values[name]):
            errors[name] = PHONE_INVALID
    if "language" in values and values["language"] not in dict(settings.LANGUAGES):
        errors["language"] = LANGUAGE_INVALID
    _raise_if(errors)
    user = User.objects.get(pk=actor.pk)
    return _update_versioned(
        actor=actor, obj=user, expected_version=version, values=values, note="profile"
    )
