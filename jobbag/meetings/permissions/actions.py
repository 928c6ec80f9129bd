"""Rules of the action register (see permissions.common for who sees and works on a
client).

| action                        | who                                                      |
| ----------------------------- | -------------------------------------------------------- |
| meetings.action.list          | staff: "my actions" and the register (rows in scope)     |
| meetings.action.view (obj)    | staff who see the client in full, the action's owner;    |
|                               | client users: their own company's actions once the       |
|                               | contact report is sent (never a draft's)                 |
| meetings.action.create (obj)  | those who work on the client (obj: the company)          |
| meetings.action.edit (obj)    | those who work on the client; open actions only          |
| meetings.action.close (obj)   | ours: its owner and those who work on the client;        |
|                               | the client's: those who work on the client and the       |
|                               | client's own users (in the portal)                       |
| meetings.action.cancel (obj)  | those who work on the client                             |
| meetings.action.portal        | client users (the portal's "Our actions")                |

Rows: `@scope(Action)` — staff see the actions of companies they see in full plus those
they own; client users see their company's actions that are not drafts. Anything outside
the scope is a 404. A designer who owns no action of a client sees none of its others.
Whether the action is still open is the services' check (a clear refusal, not a 403).
"""

from django.db.models import Q

from jobbag.core.permissions import rule, scope
from jobbag.jobs.permissions.jobs import ACCOUNT_ROLES, served_company_ids
from jobbag.meetings.models import Action, Side
from jobbag.meetings.permissions.common import is_client_user, is_manager, is_staff


def seen_company_ids(user) -> set[int] | None:
    """The clients whose actions `user` sees in full (None: all), as
    permissions.common.company_ids, but read once per request inside
    jobs.permissions.jobs.remembered (the pages ask several rules about one action)."""
    if not is_staff(user):
        return set()
    if user.is_admin:
        return None
    return served_company_ids(user)


def works_on(user, company_id: int) -> bool:
    """permissions.common.works_on, with the clients read once per request."""
    if is_manager(user):
        return True
    if not is_staff(user) or user.role not in ACCOUNT_ROLES:
        return False
    ids = seen_company_ids(user)
    return ids is None or company_id in ids


@scope(Action)
def visible_actions(user, queryset):
    if is_client_user(user):
        if not user.company_id:
            return queryset.none()
        return queryset.filter(company_id=user.company_id).exclude(status=Action.Status.DRAFT)
    if not is_staff(user):
        return queryset.none()
    ids = seen_company_ids(user)
    return queryset if ids is None else queryset.filter(Q(company__in=ids) | Q(owner=user))


@rule("meetings.action.list")
def can_list_actions(user, obj=None) -> bool:
    return is_staff(user)


@rule("meetings.action.view")
def can_view_action(user, obj=None) -> bool:
    if obj is None:
        return is_staff(user) or is_client_user(user)
    return visible_actions(user, Action.objects.filter(pk=obj.pk)).exists()


@rule("meetings.action.create")
def can_create_action(user, obj=None) -> bool:
    if obj is None:
        return is_manager(user) or (is_staff(user) and user.role in ACCOUNT_ROLES)
    return works_on(user, obj.pk)


@rule("meetings.action.edit")
def can_edit_action(user, obj=None) -> bool:
    if obj is None:
        return can_create_action(user)
    return works_on(user, obj.company_id)


@rule("meetings.action.close")
def can_close_action(user, obj=None) -> bool:
    if obj is None:
        return is_staff(user) or is_client_user(user)
    if is_client_user(user):
        return (
            obj.side == Side.CLIENT
            and obj.company_id == user.company_id
            and obj.status != Action.Status.DRAFT
        )
    if obj.side == Side.AGENCY and is_staff(user) and obj.owner_id == user.pk:
        return True
    return works_on(user, obj.company_id)


@rule("meetings.action.cancel")
def can_cancel_action(user, obj=None) -> bool:
    if obj is None:
        return can_create_action(user)
    return works_on(user, obj.company_id)


@rule("meetings.action.portal")
def can_use_portal_actions(user, obj=None) -> bool:
    return is_client_user(user) and bool(user.company_id)
