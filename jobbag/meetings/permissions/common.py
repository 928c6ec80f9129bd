"""What the meetings rules share: who works on a client's account and who sees it.

| who                                                  | sees the client's … | works on it |
| ---------------------------------------------------- | ------------------- | ----------- |
| management (GM, deputy GM), admins, the Director of | everything          | yes         |
|   Client Service and the Marketing Manager, who run  |                     |             |
|   the account department                             |                     |             |
| the client's service team, deputies acting for them, | everything          | account     |
|   their superiors (clients.company.view_confidential)|                     | roles only  |
| any other staff member                               | only rows they take | no          |
|                                                      | part in (attendee,  |             |
|                                                      | action owner, …)    |             |
| a client user                                        | their own company's | no          |
|                                                      | rows once sent or   |             |
|                                                      | shared with them    |             |

"Account roles" are the account ladder (DCS…AE) and the Marketing Manager.
"""

from django.db.models import Q, QuerySet

from jobbag.accounts.models import MANAGEMENT_ROLES, Role, User
from jobbag.clients.permissions import confidential_company_ids
from jobbag.core.memo import recall
from jobbag.jobs.permissions.jobs import ACCOUNT_ROLES

# Besides management, those who run the account department see and work on every client.
OVERSEER_ROLES = {*MANAGEMENT_ROLES, Role.DCS, Role.MARKETING_MANAGER}


def is_staff(user) -> bool:
    return user.is_authenticated and user.is_active and user.kind == User.Kind.STAFF


def is_client_user(user) -> bool:
    return user.is_authenticated and user.is_active and user.kind == User.Kind.CLIENT


def is_manager(user) -> bool:
    return is_staff(user) and (user.is_admin or user.role in OVERSEER_ROLES)


def company_ids(user) -> set[int] | None:
    """Companies whose meetings and reports `user` sees in full; None means all."""
    if not is_staff(user):
        return set()
    if user.is_admin or user.role in OVERSEER_ROLES:
        return None
    return recall(user, "meetings.company_ids", lambda: confidential_company_ids(user))


def sees_company(user, company_id: int) -> bool:
    ids = company_ids(user)
    return ids is None or company_id in ids


def works_on(user, company_id: int) -> bool:
    """Whether `user` writes meetings, reports and actions for the client."""
    if is_manager(user):
        return True
    return is_staff(user) and user.role in ACCOUNT_ROLES and sees_company(user, company_id)


def company_filter(user, field: str = "company") -> Q | None:
    """A filter for the rows of companies `user` sees in full; None means no filter."""
    ids = company_ids(user)
    return None if ids is None else Q(**{f"{field}__in": ids})


def staff_rows(user, queryset: QuerySet, *, involved: Q) -> QuerySet:
    """Staff rows: the companies they see in full, or those `involved` names them in."""
    if not is_staff(user):
        return queryset.none()
    allowed = company_filter(user)
    return queryset if allowed is None else queryset.filter(allowed | involved)
