"""Read queries on people and organisation, shared by pages, API and other apps.

Every list here loads its related rows up front (select_related/prefetch_related), so a
page costs the same number of queries whatever the number of rows.
"""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from jobbag.accounts.models import (
    AuthorityLimit,
    ClientGroup,
    Department,
    Deputy,
    Position,
    ServiceTeamMembership,
    User,
)
from jobbag.core.permissions import visible

USER_RELATED = ("department", "position", "reports_to")


def directory_search(
    *, viewer: User, query: str = "", department_id: int | None = None, role: str = ""
) -> QuerySet[User]:
    """Active staff matching a name, username or phone, by department and role."""
    users = (
        visible(viewer, User.objects.all())
        .filter(kind=User.Kind.STAFF, is_active=True)
        .select_related(*USER_RELATED)
    )
    query = (query or "").strip()
    if query:
        users = users.filter(
            Q(full_name__icontains=query)
            | Q(username__icontains=query)
            | Q(phone__icontains=query)
            | Q(mobile__icontains=query)
        )
    if department_id:
        users = users.filter(department_id=department_id)
    if role:
        users = users.filter(position__role=role)
    return users.order_by("full_name", "username")


def user_list(*, viewer: User, query: str = "", status: str = "active") -> QuerySet[User]:
    """Every user an admin manages, staff and client, active or not."""
    users = visible(viewer, User.objects.all()).select_related(*USER_RELATED)
    if status == "active":
        users = users.filter(is_active=True)
    elif status == "inactive":
        users = users.filter(is_active=False)
    query = query.strip()
    if query:
        users = users.filter(
            Q(full_name__icontains=query)
            | Q(username__icontains=query)
            | Q(email__icontains=query)
            | Q(phone__icontains=query)
            | Q(mobile__icontains=query)
        )
    return users.order_by("username")


def user_for_viewer(*, viewer: User, pk: int) -> User | None:
    """The user `pk` with their department, position and manager, if `viewer` may see them."""
    return visible(viewer, User.objects.all()).select_related(*USER_RELATED).filter(pk=pk).first()


@dataclass
class UserDetail:
    user: User
    deputies: list[Deputy]
    acting_for: list[Deputy]
    service_teams: list[ServiceTeamMembership]
    client_groups: list[ClientGroup]
    direct_reports: list[User]


def user_detail(*, user: User, today: date | None = None) -> UserDetail:
    """What the directory shows about one person: deputies (current and upcoming, both
    ways), service teams, client groups and direct reports; one query each."""
    today = today or timezone.localdate()
    open_ranges = Q(cancelled_at__isnull=True, ends_on__gte=today)
    return UserDetail(
        user=user,
        deputies=list(
            Deputy.objects.filter(open_ranges, principal=user)
            .select_related("deputy")
            .order_by("starts_on")
        ),
        acting_for=list(
            Deputy.objects.filter(open_ranges, deputy=user)
            .select_related("principal")
            .order_by("starts_on")
        ),
        service_teams=list(
            ServiceTeamMembership.objects.filter(user=user)
            .filter(Q(ends_on__isnull=True) | Q(ends_on__gte=today))
            .select_related("client_group")
            .order_by("starts_on")
        ),
        client_groups=list(user.client_groups.order_by("code")),
        direct_reports=list(
            user.direct_reports.filter(is_active=True)
            .select_related("position")
            .order_by("full_name", "username")
        ),
    )


def departments_for_choice() -> QuerySet[Department]:
    return Department.objects.filter(is_active=True).order_by("code")


def department_list() -> QuerySet[Department]:
    return (
        Department.objects.select_related("parent", "head")
        .annotate(headcount=Count("members", filter=Q(members__is_active=True)))
        .order_by("code")
    )


def position_list() -> QuerySet[Position]:
    return (
        Position.objects.select_related("department")
        .annotate(holders_count=Count("holders", filter=Q(holders__is_active=True)))
        .order_by("code")
    )


def client_group_list() -> QuerySet[ClientGroup]:
    return (
        ClientGroup.objects.select_related("department", "leader")
        .annotate(members_count=Count("members", distinct=True))
        .order_by("code")
    )


def service_team_of(group: ClientGroup) -> QuerySet[ServiceTeamMembership]:
    return group.service_team.select_related("user").order_by("ends_on", "team_role", "starts_on")


def deputy_list(*, viewer: User, state: str = "open") -> QuerySet[Deputy]:
    """Deputy arrangements `viewer` may see; "open" means current or upcoming."""
    records = visible(viewer, Deputy.objects.all()).select_related("principal", "deputy")
    if state == "open":
        records = records.filter(cancelled_at__isnull=True, ends_on__gte=timezone.localdate())
    return records.order_by("-starts_on", "-pk")


def my_deputies(*, user: User, today: date | None = None) -> dict:
    """A staff member's own arrangements: whom they named (open and the last few closed)
    and for whom they act."""
    today = today or timezone.localdate()
    named = Deputy.objects.filter(principal=user).select_related("deputy")
    open_ranges = Q(cancelled_at__isnull=True, ends_on__gte=today)
    return {
        "open": list(named.filter(open_ranges).order_by("starts_on")),
        "closed": list(named.exclude(open_ranges).order_by("-starts_on")[:10]),
        "acting_for": list(
            Deputy.objects.filter(open_ranges, deputy=user)
            .select_related("principal")
            .order_by("starts_on")
        ),
    }


def authority_limit_list() -> QuerySet[AuthorityLimit]:
    return AuthorityLimit.objects.select_related("position").order_by(
        "document_type", "currency", "max_amount", "position__code"
    )


def headcount_by_department() -> tuple[list[Department], int]:
    """Active staff per active department, and those without a department; two queries."""
    departments = list(
        Department.objects.filter(is_active=True)
        .annotate(
            headcount=Count(
                "members",
                filter=Q(members__is_active=True, members__kind=User.Kind.STAFF),
            )
        )
        .order_by("code")
    )
    unassigned = User.objects.filter(
        kind=User.Kind.STAFF, is_active=True, department__isnull=True
    ).count()
    return departments, unassigned


@dataclass(frozen=True)
class Authority:
    """The answer to "may this user approve this?": `acting_as` is the user themselves or,
    when they approve as a deputy, the principal whose position carries the limit."""

    allowed: bool
    acting_as: User | None = None
    limit: AuthorityLimit | None = None
    as_deputy: bool = False

    def __bool__(self) -> bool:
        return self.allowed

    @property
    def on_behalf_of(self) -> User | None:
        """The principal when acting as a deputy (for the audit entry), else None."""
        return self.acting_as if self.as_deputy else None


def approval_authority(
    user: User,
    document_type: str,
    amount: Decimal,
    currency: str = "CNY",
    on: date | None = None,
) -> Authority:
    """Whether `user` may approve `amount` of `document_type` on day `on`: by their own
    position's limit or, as a deputy that day, by a principal's. Their own comes first.
    Two queries."""
    if not user.is_active or user.kind != User.Kind.STAFF:
        return Authority(allowed=False)
    on = on or timezone.localdate()
    principals = list(
        User.objects.filter(
            is_active=True,
            deputies__deputy=user,
            deputies__starts_on__lte=on,
            deputies__ends_on__gte=on,
            deputies__cancelled_at__isnull=True,
        )
        .distinct()
        .order_by("pk")
    )
    candidates = [user, *principals]
    position_ids = {c.position_id for c in candidates if c.position_id}
    limits = {
        limit.position_id: limit
        for limit in AuthorityLimit.objects.filter(
            position_id__in=position_ids,
            document_type=document_type,
            currency=currency.upper(),
        )
        .filter(Q(max_amount__isnull=True) | Q(max_amount__gte=amount))
        .select_related("position")
    }
    for candidate in candidates:
        limit = limits.get(candidate.position_id)
        if limit is not None:
            return Authority(
                allowed=True,
                acting_as=candidate,
                limit=limit,
                as_deputy=candidate.pk != user.pk,
            )
    return Authority(allowed=False)


def deputising_today(*, user: User, today: date | None = None) -> dict:
    """Who stands in for `user` today, and for whom `user` stands in."""
    today = today or timezone.localdate()
    current = Q(cancelled_at__isnull=True, starts_on__lte=today, ends_on__gte=today)
    return {
        "my_deputies": list(
            Deputy.objects.filter(current, principal=user).select_related("deputy")
        ),
        "acting_for": list(Deputy.objects.filter(current, deputy=user).select_related("principal")),
    }


def team_of(*, user: User) -> dict:
    """A manager's direct reports and the client groups they lead or belong to."""
    return {
        "direct_reports": list(
            user.direct_reports.filter(is_active=True)
            .select_related("position")
            .order_by("full_name", "username")
        ),
        "client_groups": list(
            ClientGroup.objects.filter(Q(members=user) | Q(leader=user)).distinct().order_by("code")
        ),
    }
