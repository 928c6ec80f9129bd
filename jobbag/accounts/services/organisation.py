"""Departments, positions, client groups and service teams."""

from datetime import date

from django.db import transaction
from django.utils import timezone

from jobbag.accounts.models import (
    ACCOUNT_LADDER,
    ClientGroup,
    Department,
    Position,
    Role,
    ServiceTeamMembership,
    User,
)
from jobbag.accounts.services.common import (
    DATES_ORDER,
    DEPARTMENT_HAS_MEMBERS,
    INACTIVE_DEPARTMENT,
    INVALID,
    KIND_INVALID,
    MANAGE,
    NOT_ACTIVE_STAFF,
    PARENT_CYCLE,
    ROLE_INVALID,
    TEAM_DUPLICATE,
    TEAM_ENDED,
    TEAM_ROLE_INVALID,
    chain_reaches,
    check_names,
    is_active_staff,
    newly_inactive,
    raise_if,
    update_versioned,
)
from jobbag.core import audit
from jobbag.core.errors import Conflict, DomainError
from jobbag.core.models import AuditEntry
from jobbag.core.permissions import require
from jobbag.core.versioning import save_versioned


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
    if head is not None and not is_active_staff(head):
        errors["head"] = NOT_ACTIVE_STAFF
    if parent is not None:
        if department is not None and chain_reaches(parent, department, up="parent"):
            errors["parent"] = PARENT_CYCLE
        elif newly_inactive(parent, department.parent_id if department else None):
            errors["parent"] = INACTIVE_DEPARTMENT
    closing = department is not None and department.is_active and not is_active
    if closing and department.members.filter(is_active=True).exists():
        errors["is_active"] = DEPARTMENT_HAS_MEMBERS


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
    check_names(errors, code=code, name_zh=name_zh, model=Department)
    _check_department(errors, department=None, parent=parent, head=head, kind=kind, is_active=True)
    raise_if(errors)
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
    check_names(errors, code=code, name_zh=name_zh, model=Department, instance=department)
    _check_department(
        errors, department=department, parent=parent, head=head, kind=kind, is_active=is_active
    )
    raise_if(errors)
    values = {
        "code": code,
        "name_zh": name_zh.strip(),
        "name_en": name_en.strip(),
        "kind": kind,
        "parent": parent,
        "head": head,
        "is_active": is_active,
    }
    return update_versioned(
        actor=actor, obj=department, expected_version=expected_version, values=values
    )


def _check_position(errors: dict, *, role: str, department: Department | None, current=None):
    if role not in Role.values:
        errors["role"] = ROLE_INVALID
    if newly_inactive(department, current):
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
    check_names(errors, code=code, name_zh=name_zh, model=Position)
    _check_position(errors, role=role, department=department)
    raise_if(errors)
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
    check_names(errors, code=code, name_zh=name_zh, model=Position, instance=position)
    _check_position(errors, role=role, department=department, current=position.department_id)
    raise_if(errors)
    values = {
        "code": code,
        "name_zh": name_zh.strip(),
        "name_en": name_en.strip(),
        "role": role,
        "department": department,
        "is_approver": is_approver,
    }
    return update_versioned(
        actor=actor, obj=position, expected_version=expected_version, values=values
    )


def _member_names(users) -> list[str]:
    return sorted(str(u) for u in users)


def _check_client_group(errors: dict, *, department, leader, members, group=None) -> None:
    current_members = set(group.members.values_list("pk", flat=True)) if group else set()
    if newly_inactive(department, group.department_id if group else None):
        errors["department"] = INACTIVE_DEPARTMENT
    if leader is not None and not is_active_staff(leader):
        errors["leader"] = NOT_ACTIVE_STAFF
    # People already on the group may stay after they leave; new members must be active staff.
    if any(not is_active_staff(m) and m.pk not in current_members for m in members):
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
    check_names(errors, code=code, name_zh=name_zh, model=ClientGroup)
    _check_client_group(errors, department=department, leader=leader, members=members)
    raise_if(errors)
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
    check_names(errors, code=code, name_zh=name_zh, model=ClientGroup, instance=group)
    _check_client_group(errors, department=department, leader=leader, members=members, group=group)
    raise_if(errors)
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
    if not is_active_staff(user):
        errors["user"] = NOT_ACTIVE_STAFF
    elif ServiceTeamMembership.objects.filter(
        client_group=client_group, user=user, ends_on__isnull=True
    ).exists():
        errors["user"] = TEAM_DUPLICATE
    if team_role not in ACCOUNT_LADDER:
        errors["team_role"] = TEAM_ROLE_INVALID
    raise_if(errors)
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
