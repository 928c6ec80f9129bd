"""Rules of meetings (see permissions.common for who sees and works on a client).

| action                            | who                                                 |
| --------------------------------- | --------------------------------------------------- |
| meetings.meeting.view             | staff who see the client in full, and any member of |
|                                   | staff who attends or organised the meeting; client  |
|                                   | users: their own company's meetings with the client |
|                                   | once the agenda was sent or their topics were asked |
|                                   | for                                                 |
| meetings.meeting.edit             | management and admins, and the account roles who    |
|                                   | work on the client (works_on): schedule, edit, send |
|                                   | the agenda, ask for topics, tick the checklist,     |
|                                   | mark held, cancel                                   |
| meetings.meeting.propose_topic    | a client user of the meeting's company, on a        |
|                                   | meeting they see                                    |

Without an object, `view` holds for staff (the menu) and `edit` for those who may work
on some client (the "New meeting" button).
"""

from django.db.models import Q, QuerySet

from jobbag.clients.models import Company
from jobbag.core.permissions import rule, scope
from jobbag.jobs.permissions.jobs import ACCOUNT_ROLES
from jobbag.meetings.models import Attendee, Meeting
from jobbag.meetings.permissions.common import (
    company_ids,
    is_client_user,
    is_manager,
    is_staff,
)


def full_company_ids(user) -> set[int] | None:
    """permissions.common.company_ids, read once inside core.memo.remembered."""
    return company_ids(user)


def _company_id(obj) -> int:
    """The client of a meeting, or the client itself."""
    return obj.pk if isinstance(obj, Company) else obj.company_id


def may_work_on(user, company_id: int) -> bool:
    """permissions.common.works_on, with the clients read once per request."""
    if is_manager(user):
        return True
    if not is_staff(user) or user.role not in ACCOUNT_ROLES:
        return False
    ids = full_company_ids(user)
    return ids is None or company_id in ids


def client_shown() -> Q:
    """The meetings a client user sees: with the client, agenda sent or topics asked for."""
    return Q(kind=Meeting.Kind.CLIENT) & (
        Q(agenda_sent_at__isnull=False) | Q(topics_requested_at__isnull=False)
    )


@scope(Meeting)
def visible_meetings(user, queryset: QuerySet) -> QuerySet:
    if is_client_user(user):
        if not user.company_id:
            return queryset.none()
        return queryset.filter(client_shown(), company_id=user.company_id)
    if not is_staff(user):
        return queryset.none()
    ids = full_company_ids(user)
    if ids is None:
        return queryset
    attending = Attendee.objects.filter(user=user).values("meeting")
    return queryset.filter(Q(company_id__in=ids) | Q(organizer=user) | Q(pk__in=attending))


@rule("meetings.meeting.view")
def can_view_meeting(user, obj=None) -> bool:
    if obj is None:
        return is_staff(user)
    return visible_meetings(user, Meeting.objects.filter(pk=obj.pk)).exists()


@rule("meetings.meeting.edit")
def can_edit_meeting(user, obj=None) -> bool:
    if obj is None:
        return is_manager(user) or (is_staff(user) and user.role in ACCOUNT_ROLES)
    return may_work_on(user, _company_id(obj))


@rule("meetings.meeting.propose_topic")
def can_propose_topic(user, obj=None) -> bool:
    if not is_client_user(user) or not user.company_id:
        return False
    if obj is None:
        return True
    return obj.company_id == user.company_id and can_view_meeting(user, obj)
