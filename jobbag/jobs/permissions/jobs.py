"""Who sees and works a job. Read as a table:

| action                 | who                                                          |
| ---------------------- | ------------------------------------------------------------ |
| jobs.view              | staff (the job list shows only the jobs they may see)        |
| jobs.job.create        | the account ladder (DCS…AE), Marketing Manager, GM, deputy   |
|                        | GM, administrators                                           |
| jobs.job.edit (job)    | the project owner and whoever deputises for them today,      |
|                        | the owner's superiors, the client's service team (those who  |
|                        | see the client's confidential file) if on the account ladder |
|                        | or Marketing Manager; GM, deputy GM, administrators          |
| jobs.job.view (job)    | those who may edit it; departments it was dispatched to (their|
|                        | members, for the job's work orders and changes); the owners |
|                        | of its plan tasks; DCS, Marketing Manager, Finance, all      |
|                        | management and administrators see every job                  |

Client users never reach the staff job pages (portal isolation); they see their own
company's documents that wait for their sign-off in the portal.
"""

from django.db.models import Q, QuerySet

from jobbag.accounts.models import ACCOUNT_LADDER, MANAGEMENT_ROLES, Role, User
from jobbag.clients.permissions import confidential_company_ids
from jobbag.core.permissions import rule, scope
from jobbag.jobs.models import Job
from jobbag.pipeline.permissions import people_behind

ACCOUNT_ROLES = {*ACCOUNT_LADDER, Role.MARKETING_MANAGER}
CREATOR_ROLES = {*ACCOUNT_ROLES, *MANAGEMENT_ROLES}
# Roles that see every job: management, and those who oversee every account's money.
SEE_ALL_ROLES = {*MANAGEMENT_ROLES, Role.DCS, Role.MARKETING_MANAGER, Role.FINANCE}


def is_staff(user) -> bool:
    return user.kind == User.Kind.STAFF


def sees_every_job(user) -> bool:
    return is_staff(user) and (user.is_admin or user.role in SEE_ALL_ROLES)


def _edit_filter(user) -> Q:
    """The jobs `user` works as the account side: owned by their team, or of a client
    whose confidential file they see, when they are account people."""
    condition = Q(owner__in=people_behind(user))
    if user.role in ACCOUNT_ROLES:
        ids = confidential_company_ids(user)
        condition |= Q(company__in=ids) if ids is not None else Q()
    return condition


def _receiving_filter(user) -> Q:
    """The jobs sent to the user's department, and those where they own a plan task."""
    condition = Q(plan_tasks__owner=user)
    if user.department_id:
        condition |= Q(acknowledgements__department=user.department_id)
        condition |= Q(plan_tasks__department=user.department_id)
    return condition


def may_edit(user, job: Job) -> bool:
    if not is_staff(user) or not user.is_active:
        return False
    if user.is_admin or user.role in MANAGEMENT_ROLES:
        return True
    if user.role not in CREATOR_ROLES and job.owner_id != user.pk:
        return job.owner_id in people_behind(user)
    return Job.objects.filter(_edit_filter(user), pk=job.pk).exists()


def may_view(user, job: Job) -> bool:
    if not is_staff(user) or not user.is_active:
        return False
    if sees_every_job(user) or may_edit(user, job):
        return True
    return Job.objects.filter(_receiving_filter(user), pk=job.pk).exists()


@rule("jobs.view")
def can_use_jobs(user, obj=None) -> bool:
    return is_staff(user)


@rule("jobs.job.create")
def can_create_job(user, obj=None) -> bool:
    return is_staff(user) and (user.is_admin or user.role in CREATOR_ROLES)


@rule("jobs.job.edit")
def can_edit_job(user, obj=None) -> bool:
    if obj is None:
        return can_create_job(user)
    return may_edit(user, obj)


@rule("jobs.job.view")
def can_view_job(user, obj=None) -> bool:
    if obj is None:
        return is_staff(user)
    return may_view(user, obj)


@scope(Job)
def visible_jobs(user, queryset: QuerySet) -> QuerySet:
    if not is_staff(user):
        return queryset.none()
    if sees_every_job(user):
        return queryset
    return queryset.filter(
        pk__in=Job.objects.filter(_edit_filter(user) | _receiving_filter(user)).values("pk")
    )
