"""Rules of the job chain's quotes step (see jobs.permissions.jobs for who sees a job).

| action                        | who                                                      |
| ----------------------------- | -------------------------------------------------------- |
| jobs.quote.view (quote/job)   | whoever may view the job (jobs.job.view)                 |
| jobs.quote.edit (quote/job)   | whoever may edit the job (jobs.job.edit): make versions, |
|                               | change lines, submit, require a prepayment               |
| jobs.prepayment.record (job)  | Finance staff, and whoever may edit the job              |

A quote's content changes only while it is a draft; once sent for sign-off it is frozen
and a change makes the next version.
"""

from jobbag.accounts.models import Role, User
from jobbag.core.permissions import rule
from jobbag.jobs.models import Job, QuoteVersion
from jobbag.jobs.permissions.jobs import may_edit, may_view


def _job(obj) -> Job | None:
    if isinstance(obj, QuoteVersion):
        return obj.job
    return obj


@rule("jobs.quote.view")
def can_view_quote(user, obj=None) -> bool:
    job = _job(obj)
    if job is None:
        return user.kind == User.Kind.STAFF
    return may_view(user, job)


@rule("jobs.quote.edit")
def can_edit_quote(user, obj=None) -> bool:
    job = _job(obj)
    if job is None:
        return False
    return may_edit(user, job)


@rule("jobs.prepayment.record")
def can_record_prepayment(user, obj=None) -> bool:
    if user.kind != User.Kind.STAFF or not user.is_active:
        return False
    if user.role == Role.FINANCE or user.is_admin:
        return True
    return obj is not None and may_edit(user, obj)
