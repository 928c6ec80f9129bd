"""Who works the new-business pipeline. Read as a table:

| action                        | who                                                     |
| ----------------------------- | ------------------------------------------------------- |
| pipeline.view                 | business-development and account people: the account    |
|                               | ladder (DCS…AE), Marketing Manager, GM, deputy GM;      |
|                               | system administrators                                   |
| pipeline.prospect.create      | the same people                                         |
| pipeline.prospect.edit (obj)  | the owner, whoever deputises for the owner today, the   |
|                               | owner's superiors up the reporting line; GM, deputy GM  |
|                               | and administrators for every prospect                   |
| pipeline.prospect.win (obj)   | those who may edit it and may create client companies   |

Designers, finance and other staff do not see the pipeline (403); client users never.
Rows: a pipeline person sees the prospects they may edit; GM, deputy GM and
administrators see all.
"""

from collections.abc import Callable

from django.utils import timezone

from jobbag.accounts.models import ACCOUNT_LADDER, MANAGEMENT_ROLES, Role, User
from jobbag.accounts.services import principals_on
from jobbag.core.permissions import can, rule, scope
from jobbag.pipeline.models import Prospect

PIPELINE_ROLES = {*ACCOUNT_LADDER, Role.MARKETING_MANAGER, *MANAGEMENT_ROLES}


def works_pipeline(user) -> bool:
    return user.kind == User.Kind.STAFF and (user.is_admin or user.role in PIPELINE_ROLES)


def sees_every_prospect(user) -> bool:
    return works_pipeline(user) and (user.is_admin or user.role in MANAGEMENT_ROLES)


def people_behind(user) -> set[int]:
    """The user, whoever they deputise for today, and everyone reporting up to any of
    them: a superior works the prospects of the people below them."""
    people = {
        user.pk,
        *principals_on(timezone.localdate(), deputy=user).values_list("pk", flat=True),
    }
    frontier = set(people)
    while frontier:
        below = set(
            User.objects.filter(reports_to__in=frontier, is_active=True).values_list(
                "pk", flat=True
            )
        )
        frontier = below - people
        people |= frontier
    return people


def edit_check(user) -> Callable[[Prospect], bool]:
    """can_edit_prospect for many prospects, with the user's team read once (the board)."""
    if not works_pipeline(user):
        return lambda prospect: False
    if sees_every_prospect(user):
        return lambda prospect: True
    team = people_behind(user)
    return lambda prospect: prospect.owner_id in team


@rule("pipeline.view")
def can_view_pipeline(user, obj=None) -> bool:
    return works_pipeline(user)


@rule("pipeline.prospect.create")
def can_create_prospect(user, obj=None) -> bool:
    return works_pipeline(user)


@rule("pipeline.prospect.edit")
def can_edit_prospect(user, obj=None) -> bool:
    if not works_pipeline(user):
        return False
    if obj is None or sees_every_prospect(user):
        return True
    return obj.owner_id in people_behind(user)


@rule("pipeline.prospect.win")
def can_win_prospect(user, obj=None) -> bool:
    return can_edit_prospect(user, obj) and can(user, "clients.company.create")


@scope(Prospect)
def visible_prospects(user, queryset):
    if not works_pipeline(user):
        return queryset.none()
    if sees_every_prospect(user):
        return queryset
    return queryset.filter(owner__in=people_behind(user))
