"""Rules of the job chain's work_orders step (see jobs.permissions.jobs for who sees a job).

| action                               | who                                              |
| ------------------------------------ | ------------------------------------------------ |
| jobs.work_order.view (job)           | whoever may see the job (the departments it was  |
|                                      | dispatched to see it through their receipts)     |
| jobs.work_order.edit (job)           | whoever may edit the job: they write, submit,    |
|                                      | revise and dispatch its work orders              |
| jobs.acknowledgements.view           | staff who belong to or head a department         |
| jobs.acknowledgement.confirm (ack)   | members of the receiving department (or of a     |
|                                      | team within it) and its head                     |

Signing a work order is the sign-off engine's own check (the client's AD, then the head
of Account, both within their authority).
"""

from jobbag.accounts.models import Department
from jobbag.core.permissions import rule
from jobbag.jobs.permissions.jobs import is_staff, may_edit, may_view
from jobbag.jobs.services.acknowledgements import may_acknowledge


@rule("jobs.work_order.view")
def can_view_work_orders(user, obj=None) -> bool:
    if obj is None:
        return is_staff(user)
    return may_view(user, obj)


@rule("jobs.work_order.edit")
def can_edit_work_orders(user, obj=None) -> bool:
    if obj is None:
        return is_staff(user)
    return may_edit(user, obj)


@rule("jobs.acknowledgements.view")
def can_view_acknowledgements(user, obj=None) -> bool:
    if not is_staff(user) or not user.is_active:
        return False
    return user.department_id is not None or Department.objects.filter(head=user).exists()


@rule("jobs.acknowledgement.confirm")
def can_confirm_acknowledgement(user, obj=None) -> bool:
    if obj is None:
        return can_view_acknowledgements(user)
    return may_acknowledge(user, obj)
