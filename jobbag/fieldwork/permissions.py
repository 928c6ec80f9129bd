"""Who may see and do what in field work. Read as a table:

| action                          | who                                                    |
| ------------------------------- | ------------------------------------------------------ |
| fieldwork.use                   | account people (DCS…AE), the Marketing Manager,        |
|                                 | management (GM, deputy GM): their own outings, daily   |
|                                 | reports and summaries                                  |
| fieldwork.team.view             | managers by position (DCS, GAD, AD, AM, Marketing      |
|                                 | Manager, department heads, Creative Director) and      |
|                                 | management; the page lists those reporting up to them  |
|                                 | (and to whoever they act for today as deputy)          |
| fieldwork.report.view (obj)     | the author, their managers up the chain, management    |
| fieldwork.report.review (obj)   | their managers up the chain and management, never the  |
|                                 | author (only a submitted report can be reviewed)       |
| fieldwork.target.set (obj=user) | the person's managers up the chain, management, admins |
| fieldwork.settings.manage       | system administrators                                  |

Rows (outings, daily reports, summaries, targets) are scoped the same way: one's own,
those of the people below one, or all for management.
"""

from jobbag.accounts.models import ACCOUNT_LADDER, MANAGEMENT_ROLES, Role, User
from jobbag.clients.selectors_contact_log import people_below
from jobbag.core.permissions import rule, scope
from jobbag.fieldwork.models import DailyReport, Outing, PeriodSummary, VisitTarget

FIELD_ROLES = {*ACCOUNT_LADDER, Role.MARKETING_MANAGER, *MANAGEMENT_ROLES}
# Positions that lead people. Decided by position, not by a query, because the menu asks
# this on every page.
MANAGER_ROLES = {
    Role.DCS,
    Role.GAD,
    Role.AD,
    Role.AM,
    Role.MARKETING_MANAGER,
    Role.DEPT_HEAD,
    Role.CREATIVE_DIRECTOR,
    *MANAGEMENT_ROLES,
}


def is_staff(user) -> bool:
    return user.kind == User.Kind.STAFF


def sees_everyone(user) -> bool:
    return is_staff(user) and user.role in MANAGEMENT_ROLES


def below_ids(user) -> set[int]:
    """The ids of everyone whose field work `user` oversees (not `user` themselves)."""
    if not is_staff(user):
        return set()
    return set(people_below(user).values_list("pk", flat=True))


def oversees(user, person_id: int) -> bool:
    """Whether `user` is above the person (or is management), the person not being them."""
    if person_id == user.pk:
        return False
    return sees_everyone(user) or person_id in below_ids(user)


@rule("fieldwork.use")
def can_use(user, obj=None) -> bool:
    return is_staff(user) and user.role in FIELD_ROLES


@rule("fieldwork.team.view")
def can_view_team(user, obj=None) -> bool:
    return is_staff(user) and user.role in MANAGER_ROLES


@rule("fieldwork.report.view")
def can_view_report(user, obj=None) -> bool:
    if obj is None:
        return can_use(user)
    return is_staff(user) and (obj.staff_id == user.pk or oversees(user, obj.staff_id))


@rule("fieldwork.report.review")
def can_review_report(user, obj=None) -> bool:
    if obj is None:
        return can_view_team(user)
    return is_staff(user) and oversees(user, obj.staff_id)


@rule("fieldwork.target.set")
def can_set_target(user, obj=None) -> bool:
    if not is_staff(user):
        return False
    if user.is_admin:
        return True
    if obj is None:
        return can_view_team(user)
    return oversees(user, obj.pk)


@rule("fieldwork.settings.manage")
def can_manage_settings(user, obj=None) -> bool:
    return user.is_admin


def _own_or_below(user, queryset):
    if not is_staff(user):
        return queryset.none()
    if sees_everyone(user):
        return queryset
    return queryset.filter(staff__in=[user.pk, *below_ids(user)])


for model in (Outing, DailyReport, PeriodSummary, VisitTarget):
    scope(model)(_own_or_below)
