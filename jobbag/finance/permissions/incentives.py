"""Who sees and manages commissions, targets and bonuses. Read as a table:

| action                           | who                                                   |
| -------------------------------- | ----------------------------------------------------- |
| finance.commission.mine          | every staff member: their own commissions only        |
| finance.commission.view_all      | Finance, GM, deputy GM, administrators                |
| finance.commission.pay           | Finance (marks payable commissions paid out)          |
| finance.commission.rules         | Finance and administrators edit the rules; those who  |
|                                  | view all commissions read them                        |
| finance.commission.credit (job)  | those who may edit the job (its owner, the client's   |
|                                  | account team, their superiors, management): who was   |
|                                  | copywriter, designer, CD on it                        |
| finance.target.mine              | every staff member: their own targets and bonus       |
| finance.target.view_all          | Finance, GM, deputy GM, DCS, Marketing Manager,       |
|                                  | administrators: the table per person and per team     |
| finance.target.edit              | Finance and the GM: targets and bonus tiers           |

Rows: `commission_scope(user)` — everyone sees their own commissions, those who view
all see every one; anything else is a 404. Client users see none of it.
"""

from django.db.models import QuerySet

from jobbag.accounts.models import Role, User
from jobbag.core.permissions import can, rule, scope
from jobbag.finance.models import Commission

ALL_COMMISSIONS_ROLES = {Role.FINANCE, Role.GM, Role.DEPUTY_GM}
ALL_TARGETS_ROLES = {Role.FINANCE, Role.GM, Role.DEPUTY_GM, Role.DCS, Role.MARKETING_MANAGER}
TARGET_EDIT_ROLES = {Role.FINANCE, Role.GM}


def is_staff(user) -> bool:
    return user.is_authenticated and user.is_active and user.kind == User.Kind.STAFF


def sees_all_commissions(user) -> bool:
    return is_staff(user) and (user.is_admin or user.role in ALL_COMMISSIONS_ROLES)


@scope(Commission)
def visible_commissions(user, queryset: QuerySet) -> QuerySet:
    if not is_staff(user):
        return queryset.none()
    if sees_all_commissions(user):
        return queryset
    return queryset.filter(user=user)


@rule("finance.commission.mine")
def can_see_own_commissions(user, obj=None) -> bool:
    return is_staff(user)


@rule("finance.commission.view_all")
def can_view_all_commissions(user, obj=None) -> bool:
    return sees_all_commissions(user)


@rule("finance.commission.pay")
def can_pay_commissions(user, obj=None) -> bool:
    return is_staff(user) and user.role == Role.FINANCE


@rule("finance.commission.rules")
def can_edit_commission_rules(user, obj=None) -> bool:
    return is_staff(user) and (user.is_admin or user.role == Role.FINANCE)


@rule("finance.commission.credit")
def can_credit_job(user, obj=None) -> bool:
    if not is_staff(user):
        return False
    if obj is None:
        return can(user, "jobs.job.edit")
    return can(user, "jobs.job.edit", obj)


@rule("finance.target.mine")
def can_see_own_targets(user, obj=None) -> bool:
    return is_staff(user)


@rule("finance.target.view_all")
def can_view_all_targets(user, obj=None) -> bool:
    return is_staff(user) and (user.is_admin or user.role in ALL_TARGETS_ROLES)


@rule("finance.target.edit")
def can_edit_targets(user, obj=None) -> bool:
    return is_staff(user) and user.role in TARGET_EDIT_ROLES
