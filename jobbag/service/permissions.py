"""Who may do what with complaints and return visits. Read as a table:

| action                          | who                                                   |
| ------------------------------- | ----------------------------------------------------- |
| service.complaints.list         | staff (each sees only the rows of the scope below)    |
| service.menu                    | account roles (DCS…AE, Marketing Manager), management,|
|                                 | admins: the menu entries                              |
| service.complaint.view (obj)    | whoever's scope holds it (below)                      |
| service.complaint.create (co)   | those who work on the client: account roles who see   |
|                                 | the client in full (its service team, deputies, their |
|                                 | superiors), management, admins                        |
| service.complaint.handle (obj)  | those who work on its client: assign, cancel, schedule|
|                                 | the return visit, record the client's confirmation    |
| service.complaint.work (obj)    | handlers and the assignee: answer, resolve, record    |
|                                 | the return visit                                      |
| service.complaint.portal (obj)  | a client user, for their own company's complaints:    |
|                                 | log one, confirm resolution or say it is not resolved |
| service.report.view             | account roles, management, admins (over their scope)  |
| service.visits.view             | account roles, management, admins (over their scope)  |
| service.visit.record (company)  | those who work on the client                          |
| service.plan.edit (company)     | admins and those who work on the client               |
| service.settings.manage         | admins: categories, targets, office hours             |

Rows each user may see:

| model                     | staff                                          | client users      |
| ------------------------- | ---------------------------------------------- | ----------------- |
| Complaint                 | of clients they see in full, or assigned to    | their company's   |
|                           | them (or their return visit)                   |                   |
| ReturnVisit, ReturnVisitPlan | of clients they see in full                 | none              |
| ComplaintCategory         | all                                            | all               |

Anything outside a user's rows is a 404, never a 403.
"""

from django.db.models import Q

from jobbag.accounts.models import ACCOUNT_LADDER, MANAGEMENT_ROLES, Role, User
from jobbag.clients.permissions import confidential_company_ids
from jobbag.core.permissions import rule, scope
from jobbag.service.models import Complaint, ComplaintCategory, ReturnVisit, ReturnVisitPlan

ACCOUNT_ROLES = {*ACCOUNT_LADDER, Role.MARKETING_MANAGER}


def is_staff(user) -> bool:
    return user.is_authenticated and user.is_active and user.kind == User.Kind.STAFF


def is_client_user(user) -> bool:
    return user.is_authenticated and user.is_active and user.kind == User.Kind.CLIENT


def is_manager(user) -> bool:
    return is_staff(user) and (user.is_admin or user.role in MANAGEMENT_ROLES)


def is_service_role(user) -> bool:
    return is_manager(user) or (is_staff(user) and user.role in ACCOUNT_ROLES)


def company_ids(user) -> set[int] | None:
    """Companies whose complaints and visits `user` sees in full; None means all."""
    if not is_staff(user):
        return set()
    if user.is_admin:
        return None
    return confidential_company_ids(user)


def works_on(user, company_id: int, ids: set[int] | None | bool = False) -> bool:
    """Whether `user` handles the client's complaints and visits (`ids`, when given, is
    company_ids(user) already read)."""
    if is_manager(user):
        return True
    if not (is_staff(user) and user.role in ACCOUNT_ROLES):
        return False
    ids = company_ids(user) if ids is False else ids
    return ids is None or company_id in ids


@rule("service.complaints.list")
def can_list(user, obj=None) -> bool:
    return is_staff(user)


@rule("service.menu")
def can_see_menu(user, obj=None) -> bool:
    return is_service_role(user)


@rule("service.complaint.view")
def can_view(user, obj=None) -> bool:
    if obj is None:
        return is_staff(user) or is_client_user(user)
    if is_client_user(user):
        return obj.company_id == user.company_id
    return (
        obj.assigned_to_id == user.pk
        or obj.visit_assignee_id == user.pk
        or works_on(user, obj.company_id)
        or (is_staff(user) and _sees(user, obj.company_id))
    )


def _sees(user, company_id: int) -> bool:
    ids = company_ids(user)
    return ids is None or company_id in ids


@rule("service.complaint.create")
def can_create(user, obj=None) -> bool:
    if obj is None:
        return is_service_role(user)
    return works_on(user, obj.pk)


@rule("service.complaint.handle")
def can_handle(user, obj=None) -> bool:
    if obj is None:
        return is_service_role(user)
    return works_on(user, obj.company_id)


@rule("service.complaint.work")
def can_work(user, obj=None) -> bool:
    if obj is None:
        return is_staff(user)
    return is_staff(user) and (
        obj.assigned_to_id == user.pk
        or obj.visit_assignee_id == user.pk
        or works_on(user, obj.company_id)
    )


@rule("service.complaint.portal")
def can_use_portal(user, obj=None) -> bool:
    if not is_client_user(user) or not user.company_id:
        return False
    return obj is None or obj.company_id == user.company_id


@rule("service.report.view")
def can_report(user, obj=None) -> bool:
    return is_service_role(user)


@rule("service.visits.view")
def can_view_visits(user, obj=None) -> bool:
    return is_service_role(user)


@rule("service.visit.record")
def can_record_visit(user, obj=None) -> bool:
    if obj is None:
        return is_service_role(user)
    return works_on(user, obj.pk)


@rule("service.plan.edit")
def can_edit_plan(user, obj=None) -> bool:
    if is_staff(user) and user.is_admin:
        return True
    if obj is None:
        return is_service_role(user)
    return works_on(user, obj.pk)


@rule("service.settings.manage")
def can_manage_settings(user, obj=None) -> bool:
    return is_staff(user) and user.is_admin


@scope(Complaint)
def visible_complaints(user, queryset):
    if is_client_user(user):
        return queryset.filter(company_id=user.company_id) if user.company_id else queryset.none()
    if not is_staff(user):
        return queryset.none()
    ids = company_ids(user)
    if ids is None:
        return queryset
    return queryset.filter(Q(company_id__in=ids) | Q(assigned_to=user) | Q(visit_assignee=user))


def _company_rows(user, queryset):
    if not is_staff(user):
        return queryset.none()
    ids = company_ids(user)
    return queryset if ids is None else queryset.filter(company_id__in=ids)


@scope(ReturnVisit)
def visible_visits(user, queryset):
    return _company_rows(user, queryset)


@scope(ReturnVisitPlan)
def visible_plans(user, queryset):
    return _company_rows(user, queryset)


@scope(ComplaintCategory)
def visible_categories(user, queryset):
    return queryset


# Surveys and account health keep their rules in their own modules.
from jobbag.service.health import permissions as _health  # noqa: E402, F401
from jobbag.service.surveys import permissions as _surveys  # noqa: E402, F401
