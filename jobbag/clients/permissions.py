"""Who may see and change the client file. Read as a table:

| action                              | who                                                   |
| ----------------------------------- | ----------------------------------------------------- |
| clients.company.view (obj)          | staff: every company, by name; client users: their own |
| clients.company.view_confidential   | the company's service team (and deputies acting for   |
|   (obj)                             | them today), their superiors up the reporting line,   |
|                                     | management (GM, deputy GM)                            |
| clients.company.create              | account ladder (DCS…AE), Marketing Manager,           |
|                                     | management, admins                                    |
| clients.company.edit (obj)          | those who may view it confidentially and may create   |
| clients.contact_log.add (obj)       | those who may view the company confidentially         |

Confidential is everything past the name: profile figures, contacts, org chart, dossier,
contact log. Everyone else on the staff sees the name, code and industry only.
"""

from django.db import connection
from django.db.models import Q
from django.utils import timezone

from jobbag.accounts.models import ACCOUNT_LADDER, ClientGroup, Role, ServiceTeamMembership, User
from jobbag.accounts.services import principals_on
from jobbag.clients.models import Brand, Company, Contact, ContactLogEntry
from jobbag.core.memo import recall
from jobbag.core.permissions import rule, scope

MANAGEMENT_ROLES = {Role.GM, Role.DEPUTY_GM}
CREATOR_ROLES = {*ACCOUNT_LADDER, Role.MARKETING_MANAGER, *MANAGEMENT_ROLES}


def is_staff(user) -> bool:
    return user.kind == User.Kind.STAFF


def sees_every_client(user) -> bool:
    return is_staff(user) and user.role in MANAGEMENT_ROLES


def current_memberships(on=None):
    today = on or timezone.localdate()
    return ServiceTeamMembership.objects.filter(starts_on__lte=today).filter(
        Q(ends_on__isnull=True) | Q(ends_on__gte=today)
    )


def _people_behind(user) -> set[int]:
    """The user, whoever they act for today as deputy, and everyone reporting up to any
    of them (their superiors see what their teams see)."""
    seeds = [
        user.pk,
        *principals_on(timezone.localdate(), deputy=user).values_list("pk", flat=True),
    ]
    # One recursive query however deep the reporting line runs (UNION stops at cycles).
    table = connection.ops.quote_name(User._meta.db_table)
    marks = ", ".join(["%s"] * len(seeds))
    with connection.cursor() as cursor:
        cursor.execute(
            f"WITH RECURSIVE behind(id) AS (SELECT id FROM {table} WHERE id IN ({marks})"
            f" UNION SELECT u.id FROM {table} u JOIN behind b ON u.reports_to_id = b.id"
            " WHERE u.is_active) SELECT id FROM behind",
            seeds,
        )
        return {row[0] for row in cursor.fetchall()}


def confidential_company_ids(user) -> set[int] | None:
    """Ids of the companies `user` may see in full; None means every company. Read once
    per request inside core.memo.remembered."""
    if not user.is_authenticated or not user.is_active or not is_staff(user):
        return set()
    if sees_every_client(user):
        return None
    return recall(user, "clients.confidential", lambda: _served_companies(user))


def _served_companies(user) -> set[int]:
    people = _people_behind(user)
    served = current_memberships().filter(user__in=people)
    groups = set(served.values_list("client_group", flat=True)) | set(
        ClientGroup.objects.filter(members__in=people).values_list("pk", flat=True)
    )
    groups.discard(None)
    return set(
        Company.objects.filter(
            Q(pk__in=served.values("company"))
            | Q(pk__in=Brand.objects.filter(pk__in=served.values("brand")).values("company"))
            | Q(client_group__in=groups)
            | Q(pk__in=Brand.objects.filter(client_group__in=groups).values("company"))
        ).values_list("pk", flat=True)
    )


def may_see_confidential(user, company: Company) -> bool:
    ids = confidential_company_ids(user)
    return ids is None or company.pk in ids


@rule("clients.company.view")
def can_view_company(user, obj=None) -> bool:
    if is_staff(user):
        return True
    return obj is not None and user.company_id == obj.pk


@rule("clients.company.view_confidential")
def can_view_confidential(user, obj=None) -> bool:
    if obj is None:
        return is_staff(user)
    return may_see_confidential(user, obj)


@rule("clients.company.create")
def can_create_company(user, obj=None) -> bool:
    return is_staff(user) and (user.is_admin or user.role in CREATOR_ROLES)


@rule("clients.company.edit")
def can_edit_company(user, obj=None) -> bool:
    if not can_create_company(user):
        return False
    return obj is None or user.is_admin or may_see_confidential(user, obj)


@rule("clients.contact_log.add")
def can_log_contact(user, obj=None) -> bool:
    return is_staff(user) and (obj is None or may_see_confidential(user, obj))


@scope(Company)
def visible_companies(user, queryset):
    """Staff see every company (by name; confidential parts are checked per company);
    a client user sees only their own."""
    if is_staff(user):
        return queryset
    return queryset.filter(pk=user.company_id) if user.company_id else queryset.none()


@scope(Brand)
def visible_brands(user, queryset):
    if is_staff(user):
        return queryset
    return queryset.filter(company_id=user.company_id) if user.company_id else queryset.none()


def _confidential_rows(user, queryset, company_field: str):
    ids = confidential_company_ids(user)
    if ids is None:
        return queryset
    return queryset.filter(**{f"{company_field}__in": ids})


@scope(Contact)
def visible_contacts(user, queryset):
    """Client people are confidential: the team side sees them; a client user sees the
    people of their own company."""
    if is_staff(user):
        return _confidential_rows(user, queryset, "company")
    return queryset.filter(company_id=user.company_id) if user.company_id else queryset.none()


@scope(ContactLogEntry)
def visible_contact_log(user, queryset):
    if is_staff(user):
        return _confidential_rows(user, queryset, "company")
    return queryset.none()


@rule("clients.list")
def can_use_client_file(user, obj=None) -> bool:
    """The staff pages of the client file (list, search, company pages); client users
    reach their company through the portal only."""
    return is_staff(user)
