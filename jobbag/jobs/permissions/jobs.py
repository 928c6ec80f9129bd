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
| jobs.settings.edit     | administrators: job number format, thresholds, kinds of order|

Client users never reach the staff job pages (portal isolation); they see their own
company's documents that wait for their sign-off in the portal.
"""

from django.db.models import Q, QuerySet

from jobbag.accounts.models import ACCOUNT_LADDER, MANAGEMENT_ROLES, Role, User
from jobbag.clients.permissions import confidential_company_ids
from jobbag.core.memo import recall
from jobbag.core.permissions import rule, scope
from jobbag.jobs.models import Acknowledgement, Job, PlanTask
from jobbag.pipeline.permissions import people_behind

ACCOUNT_ROLES = {*ACCOUNT_LADDER, Role.MARKETING_MANAGER}
CREATOR_ROLES = {*ACCOUNT_ROLES, *MANAGEMENT_ROLES}
# Roles that see every job: management, and those who oversee every account's money.
SEE_ALL_ROLES = {*MANAGEMENT_ROLES, Role.DCS, Role.MARKETING_MANAGER, Role.FINANCE}


def is_staff(user) -> bool:
    return user.kind == User.Kind.STAFF


def sees_every_job(user) -> bool:
    return is_staff(user) and (user.is_admin or user.role in SEE_ALL_ROLES)


def _memo(user, key, compute):
    """The user's team and the clients they serve, read once per request inside
    `remembered` (core.memo), however many jobs and panels ask about them."""
    return recall(user, ("jobs", key), compute)


def _team(user) -> set[int]:
    return _memo(user, "team", lambda: people_behind(user))


def _served(user) -> set[int] | None:
    """The clients whose confidential file `user` sees (None: all), for account people;
    nobody else works a job because of its client."""
    if user.role not in ACCOUNT_ROLES:
        return set()
    return served_company_ids(user)


def served_company_ids(user) -> set[int] | None:
    """The clients whose confidential file `user` sees (None: all), read once per
    request inside `remembered`."""
    return _memo(user, "confidential", lambda: confidential_company_ids(user))


def _edit_filter(user) -> Q:
    """The jobs `user` works as the account side: owned by their team, or of a client
    whose confidential file they see, when they are account people."""
    condition = Q(owner__in=_team(user))
    ids = _served(user)
    if ids is None:
        return Q(pk__isnull=False)
    return condition | Q(company__in=ids) if ids else condition


def _receiving_filter(user) -> Q:
    """The jobs sent to the user's department, and those where they own a plan task.
    Each reason is a subquery of job ids, so a long job list joins nothing row by row."""
    tasks = PlanTask.objects.filter(owner=user)
    if user.department_id:
        tasks = PlanTask.objects.filter(Q(owner=user) | Q(department=user.department_id))
    condition = Q(pk__in=tasks.values("job_id"))
    if user.department_id:
        sent = Acknowledgement.objects.filter(department=user.department_id)
        condition |= Q(pk__in=sent.values("job_id"))
    return condition


def may_edit(user, job: Job) -> bool:
    if not is_staff(user) or not user.is_active:
        return False
    if user.is_admin or user.role in MANAGEMENT_ROLES:
        return True
    if job.owner_id in _team(user):
        return True
    ids = _served(user)
    return ids is None or job.company_id in ids


def may_view(user, job: Job) -> bool:
    if not is_staff(user) or not user.is_active:
        return False
    if sees_every_job(user) or may_edit(user, job):
        return True
    return _memo(
        user,
        ("receives", job.pk),
        lambda: Job.objects.filter(_receiving_filter(user), pk=job.pk).exists(),
    )


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


@rule("jobs.settings.edit")
def can_edit_job_settings(user, obj=None) -> bool:
    return is_staff(user) and user.is_admin


@scope(Job)
def visible_jobs(user, queryset: QuerySet) -> QuerySet:
    if not is_staff(user):
        return queryset.none()
    if sees_every_job(user):
        return queryset
    return queryset.filter(_edit_filter(user) | _receiving_filter(user))
