"""Who logs, sees and approves time, and who sees what jobs cost. Read as a table:

| action                              | who                                                  |
| ----------------------------------- | ---------------------------------------------------- |
| finance.time.log                    | every active staff member (their own week only)      |
| finance.timesheet.view (timesheet)  | its owner; their managers (the people they report to |
|                                     | up the line, the heads of their department and of   |
|                                     | the departments above it); GM, deputy GM, Finance,   |
|                                     | administrators                                       |
| finance.timesheet.team              | those whose role manages people (department heads,   |
|                                     | the Creative Director, the account ladder above AE,  |
|                                     | the Marketing Manager), GM, deputy GM, Finance,      |
|                                     | administrators; the page lists only their team       |
| finance.cost_rate.manage            | Finance and administrators                           |
| finance.costs.view (job)            | those who see the job's money: the account people   |
|                                     | (DCS…AE, Marketing Manager) who work the job or its  |
|                                     | client, GM, deputy GM, Finance, administrators       |
| finance.expense.list                | account people, GM, deputy GM, Finance, admins       |
|                                     | (the list shows only jobs whose money they see)      |
| finance.expense.record (job)        | those who see the job's money                        |
| finance.expense.void (expense)      | Finance and administrators; the person who recorded  |
|                                     | it while they still see the job's money              |
| finance.close_out.make (job)        | those who see the job's money                        |
| finance.profitability.view          | GM, deputy GM, DCS, Marketing Manager, Finance,      |
|                                     | administrators (every client); GAD, AD, AM (their    |
|                                     | own clients)                                         |

Rows: `@scope(Timesheet)` — the owner's, their team's for managers, all for management,
Finance and admins. `@scope(Expense)` — expenses of jobs whose money the user sees.
Client users never see any of it (the portal has no time or cost pages). Anything
outside the scope is a 404.
"""

from django.db.models import Q, QuerySet

from jobbag.accounts.models import MANAGEMENT_ROLES, Department, Role, User
from jobbag.core.memo import recall
from jobbag.core.permissions import rule, scope
from jobbag.finance.models import Expense, Timesheet
from jobbag.jobs.models import Job
from jobbag.jobs.permissions.jobs import ACCOUNT_ROLES, may_edit, served_company_ids
from jobbag.pipeline.permissions import people_behind

# Those who see every timesheet and every job's money.
MONEY_ROLES = {*MANAGEMENT_ROLES, Role.FINANCE}
# Those who see every client's profitability; AD-level account people see their own.
PROFIT_ALL_ROLES = {*MONEY_ROLES, Role.DCS, Role.MARKETING_MANAGER}
PROFIT_OWN_ROLES = {Role.GAD, Role.AD, Role.AM}
# Roles that manage people: they see their team's weeks.
MANAGER_ROLES = {
    Role.DEPT_HEAD,
    Role.CREATIVE_DIRECTOR,
    Role.DCS,
    Role.GAD,
    Role.AD,
    Role.AM,
    Role.MARKETING_MANAGER,
}


def is_staff(user) -> bool:
    return user.is_authenticated and user.is_active and user.kind == User.Kind.STAFF


def sees_all_money(user) -> bool:
    return is_staff(user) and (user.is_admin or user.role in MONEY_ROLES)


def is_finance(user) -> bool:
    return is_staff(user) and (user.is_admin or user.role == Role.FINANCE)


def headed_departments(user) -> set[int]:
    """The departments `user` heads, with every department below them."""
    found = set(Department.objects.filter(head=user).values_list("pk", flat=True))
    frontier = set(found)
    while frontier:
        below = set(Department.objects.filter(parent__in=frontier).values_list("pk", flat=True))
        frontier = below - found
        found |= frontier
    return found


def team_ids(user) -> set[int]:
    """The people whose time `user` manages: everyone reporting up to them, and the
    members of the departments they head (themselves excluded). Read once per request
    inside core.memo.remembered."""

    def compute() -> set[int]:
        # The same memo key as jobs.permissions.jobs uses for the user's team.
        people = set(recall(user, ("jobs", "team"), lambda: people_behind(user)))
        departments = headed_departments(user)
        if departments:
            people |= set(
                User.objects.filter(department__in=departments, kind=User.Kind.STAFF).values_list(
                    "pk", flat=True
                )
            )
        people.discard(user.pk)
        return people

    return recall(user, ("finance", "team"), compute)


def sees_job_money(user, job: Job) -> bool:
    """Whether `user` sees what `job` costs and earns."""
    if not is_staff(user):
        return False
    if sees_all_money(user):
        return True
    return user.role in ACCOUNT_ROLES and may_edit(user, job)


def money_job_filter(user, field: str = "job") -> Q | None:
    """A filter for rows of the jobs whose money `user` sees; None: no filter."""
    if sees_all_money(user):
        return None
    if not is_staff(user) or user.role not in ACCOUNT_ROLES:
        return Q(pk__in=[])
    prefix = f"{field}__" if field else ""
    # The same memo key as jobs.permissions.jobs uses for the user's team.
    team = recall(user, ("jobs", "team"), lambda: people_behind(user))
    condition = Q(**{f"{prefix}owner__in": team})
    ids = served_company_ids(user)
    if ids is None:
        return None
    return condition | Q(**{f"{prefix}company__in": ids}) if ids else condition


def profit_company_ids(user) -> set[int] | None:
    """The clients whose profitability `user` sees (None: all)."""
    if not is_staff(user):
        return set()
    if user.is_admin or user.role in PROFIT_ALL_ROLES:
        return None
    if user.role in PROFIT_OWN_ROLES:
        return served_company_ids(user)
    return set()


@scope(Timesheet)
def visible_timesheets(user, queryset: QuerySet) -> QuerySet:
    if not is_staff(user):
        return queryset.none()
    if sees_all_money(user):
        return queryset
    return queryset.filter(Q(user=user) | Q(user__in=team_ids(user)))


@scope(Expense)
def visible_expenses(user, queryset: QuerySet) -> QuerySet:
    if not is_staff(user):
        return queryset.none()
    allowed = money_job_filter(user)
    return queryset if allowed is None else queryset.filter(allowed)


@rule("finance.time.log")
def can_log_time(user, obj=None) -> bool:
    return is_staff(user)


@rule("finance.timesheet.view")
def can_view_timesheet(user, obj=None) -> bool:
    if obj is None:
        return is_staff(user)
    if not is_staff(user):
        return False
    return obj.user_id == user.pk or sees_all_money(user) or obj.user_id in team_ids(user)


@rule("finance.timesheet.team")
def can_see_team_time(user, obj=None) -> bool:
    # By role, so that the menu asks the database nothing; the page shows the team.
    return is_staff(user) and (sees_all_money(user) or user.role in MANAGER_ROLES)


@rule("finance.cost_rate.manage")
def can_manage_cost_rates(user, obj=None) -> bool:
    return is_finance(user)


@rule("finance.costs.view")
def can_view_costs(user, obj=None) -> bool:
    if obj is None:
        return sees_all_money(user) or (is_staff(user) and user.role in ACCOUNT_ROLES)
    return sees_job_money(user, obj)


@rule("finance.expense.list")
def can_list_expenses(user, obj=None) -> bool:
    return can_view_costs(user)


@rule("finance.expense.record")
def can_record_expense(user, obj=None) -> bool:
    if obj is None:
        return can_view_costs(user)
    return sees_job_money(user, obj)


@rule("finance.expense.void")
def can_void_expense(user, obj=None) -> bool:
    if obj is None:
        return can_view_costs(user)
    if is_finance(user):
        return True
    return obj.created_by_id == user.pk and sees_job_money(user, obj.job)


@rule("finance.close_out.make")
def can_make_close_out(user, obj=None) -> bool:
    if obj is None:
        return can_view_costs(user)
    return sees_job_money(user, obj)


@rule("finance.profitability.view")
def can_view_profitability(user, obj=None) -> bool:
    return is_staff(user) and (user.is_admin or user.role in PROFIT_ALL_ROLES | PROFIT_OWN_ROLES)
