"""Rules of the job chain's reviews step (see jobs.permissions.jobs for who sees a job).

| action                    | who                                                       |
| ------------------------- | --------------------------------------------------------- |
| jobs.review.view (job)    | whoever may see the job                                   |
| jobs.review.edit (job)    | whoever may edit the job (its owner, their superiors, the |
|                           | client's service team, management); they also submit and  |
|                           | revise the minutes                                        |

Signing the minutes is the sign-off engine's own check (the client's AD in the demo
policy).
"""

from jobbag.core.permissions import rule
from jobbag.jobs.permissions.jobs import is_staff, may_edit, may_view


@rule("jobs.review.view")
def can_view_reviews(user, obj=None) -> bool:
    if obj is None:
        return is_staff(user)
    return may_view(user, obj)


@rule("jobs.review.edit")
def can_edit_reviews(user, obj=None) -> bool:
    if obj is None:
        return is_staff(user)
    return may_edit(user, obj)
