"""Rules of the closing steps, acceptance (验收) and the job summary (小结). Who sees a
job decides who sees them (.jobs); read as a table:

| action                          | who                                                  |
| ------------------------------- | ---------------------------------------------------- |
| jobs.acceptance.create (job)    | those who may edit the job                           |
| jobs.acceptance.view (acc.)     | those who see the job; QC staff (they check every    |
|                                 | delivery)                                            |
| jobs.acceptance.check (acc.)    | QC staff (a department of kind QC, or a QC inspector)|
|                                 | and those who may edit the job                       |
| jobs.acceptance.submit (acc.)   | those who may edit the job                           |
| jobs.summary.view (summary)     | those who see the job                                |
| jobs.summary.edit (summary)     | the project owner and those who may edit the job     |
| jobs.summary.require (job)      | those who may edit the job                           |
| jobs.summaries.view             | staff (the list shows only the jobs they may see)    |
"""

from django.db.models import QuerySet

from jobbag.accounts.models import Department, Role
from jobbag.core.permissions import rule, scope
from jobbag.jobs.models import Acceptance, Job, JobSummary
from jobbag.jobs.permissions.jobs import is_staff, may_edit, may_view, visible_jobs


def is_qc(user) -> bool:
    """QC staff: members of a quality-control department, or QC inspectors."""
    if not is_staff(user) or not user.is_active:
        return False
    if user.role == Role.QC:
        return True
    department = user.department if user.department_id else None
    return department is not None and department.kind == Department.Kind.QC


@rule("jobs.acceptance.create")
def can_create_acceptance(user, obj: Job | None = None) -> bool:
    if obj is None:
        return is_staff(user)
    return may_edit(user, obj)


@rule("jobs.acceptance.view")
def can_view_acceptance(user, obj: Acceptance | None = None) -> bool:
    if obj is None:
        return is_staff(user)
    return is_qc(user) or may_view(user, obj.job)


@rule("jobs.acceptance.check")
def can_check_acceptance(user, obj: Acceptance | None = None) -> bool:
    if obj is None:
        return is_qc(user) or is_staff(user)
    return is_qc(user) or may_edit(user, obj.job)


@rule("jobs.acceptance.submit")
def can_submit_acceptance(user, obj: Acceptance | None = None) -> bool:
    if obj is None:
        return is_staff(user)
    return may_edit(user, obj.job)


@rule("jobs.summary.view")
def can_view_summary(user, obj: JobSummary | None = None) -> bool:
    if obj is None:
        return is_staff(user)
    return may_view(user, obj.job)


@rule("jobs.summary.edit")
def can_edit_summary(user, obj: JobSummary | None = None) -> bool:
    if obj is None:
        return is_staff(user)
    if is_staff(user) and user.is_active and obj.job.owner_id == user.pk:
        return True
    return may_edit(user, obj.job)


@rule("jobs.summary.require")
def can_require_summary(user, obj: Job | None = None) -> bool:
    if obj is None:
        return is_staff(user)
    return may_edit(user, obj)


@rule("jobs.summaries.view")
def can_view_summaries(user, obj=None) -> bool:
    return is_staff(user)


@scope(Acceptance)
def visible_acceptances(user, queryset: QuerySet) -> QuerySet:
    if not is_staff(user):
        return queryset.none()
    if is_qc(user):
        return queryset
    return queryset.filter(job__in=visible_jobs(user, Job.objects.all()).values("pk"))


@scope(JobSummary)
def visible_summaries(user, queryset: QuerySet) -> QuerySet:
    if not is_staff(user):
        return queryset.none()
    return queryset.filter(job__in=visible_jobs(user, Job.objects.all()).values("pk"))
