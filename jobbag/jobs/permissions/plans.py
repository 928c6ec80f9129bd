"""Rules of department plans and follow-up (跟单). Read as a table:

| action                         | who                                                   |
| ------------------------------ | ----------------------------------------------------- |
| jobs.plan.edit (task)          | members and the head of the task's department who see |
|                                | the job; those who edit the job (jobs.job.edit)        |
| jobs.issue.raise (job)         | those who edit the job (Account)                      |
| jobs.issue.answer (issue)      | members and the head of the issue's department         |
| jobs.issue.close (issue)       | those who edit the job (Account)                      |
| jobs.follow_up.view            | staff: the board shows only the jobs they may see      |

A designer, say, plans design's tasks on a job sent to design and sees no other job.
"""

from jobbag.accounts.models import Department, User
from jobbag.core.permissions import rule
from jobbag.jobs.permissions.jobs import is_staff, may_edit, may_view


def works_in(user: User, department: Department) -> bool:
    """The head of `department`, or a member of it or of a team within it."""
    if not is_staff(user) or not user.is_active or department is None:
        return False
    if department.head_id == user.pk:
        return True
    mine = user.department
    while mine is not None:
        if mine.pk == department.pk:
            return True
        mine = mine.parent
    return False


def may_plan(user: User, job, department: Department) -> bool:
    """Whether `user` may add and change `department`'s tasks on `job`."""
    if not is_staff(user) or not user.is_active:
        return False
    if may_edit(user, job):
        return True
    return works_in(user, department) and may_view(user, job)


@rule("jobs.plan.edit")
def can_edit_task(user, obj=None) -> bool:
    if obj is None:
        return is_staff(user)
    return may_plan(user, obj.job, obj.department)


@rule("jobs.issue.raise")
def can_raise_issue(user, obj=None) -> bool:
    return obj is not None and is_staff(user) and may_edit(user, obj)


@rule("jobs.issue.answer")
def can_answer_issue(user, obj=None) -> bool:
    return obj is not None and works_in(user, obj.department)


@rule("jobs.issue.close")
def can_close_issue(user, obj=None) -> bool:
    return obj is not None and is_staff(user) and may_edit(user, obj.job)


@rule("jobs.follow_up.view")
def can_view_follow_up(user, obj=None) -> bool:
    return is_staff(user)
