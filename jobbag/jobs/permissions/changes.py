"""Rules of the job chain's change notices (变更). Read as a table:

| action                     | who                                                       |
| -------------------------- | --------------------------------------------------------- |
| jobs.change.manage (job)   | those who edit the job (jobs.job.edit): write, edit and    |
|                            | send a change notice for sign-off                         |
| jobs.change.view (notice)  | whoever sees the job (jobs.job.view): its departments too  |

Departments acknowledge a signed notice through the acknowledgements of the work-order
step (jobs.services.acknowledgements.may_acknowledge).
"""

from jobbag.core.permissions import rule
from jobbag.jobs.permissions.jobs import is_staff, may_edit, may_view


@rule("jobs.change.manage")
def can_manage_changes(user, obj=None) -> bool:
    if obj is None:
        return False
    job = getattr(obj, "job", obj)
    return is_staff(user) and may_edit(user, job)


@rule("jobs.change.view")
def can_view_change(user, obj=None) -> bool:
    if obj is None:
        return is_staff(user)
    job = getattr(obj, "job", obj)
    return is_staff(user) and may_view(user, job)
