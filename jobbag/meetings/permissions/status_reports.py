"""Rules of weekly status reports (see permissions.common for who works on a client).

| action                               | who                                                |
| ------------------------------------ | -------------------------------------------------- |
| meetings.status_report.view          | staff who see the client in full (its service      |
|   (report)                           | team, their superiors, management, admins); the    |
|                                      | client's own users once the report is sent         |
| meetings.status_report.view (none)   | staff (the list shows only their clients' reports) |
|                                      | and client users (the portal's list)               |
| meetings.status_report.draft         | whoever works on the client: account roles who see |
|   (company)                          | it in full, management, admins                     |
| meetings.status_report.draft (none)  | account roles, management, admins (the menu entry) |
| meetings.status_report.edit (report) | whoever works on the client: refresh the draft,    |
|                                      | write the note                                     |
| meetings.status_report.send (report) | whoever works on the client                        |

A sent report is frozen: the services refuse refresh, note and send whoever asks.

Rows each user may see:

| model        | staff                                  | client users                      |
| ------------ | -------------------------------------- | --------------------------------- |
| StatusReport | of the clients they see in full        | their company's, once sent        |
"""

from django.db.models import Q

from jobbag.core.permissions import rule, scope
from jobbag.jobs.permissions.jobs import ACCOUNT_ROLES
from jobbag.meetings.models import StatusReport
from jobbag.meetings.permissions.common import (
    is_client_user,
    is_manager,
    is_staff,
    sees_company,
    staff_rows,
    works_on,
)


def _company_id(obj) -> int:
    return obj.company_id if isinstance(obj, StatusReport) else obj.pk


@rule("meetings.status_report.view")
def can_view_status_report(user, obj=None) -> bool:
    if obj is None:
        return is_staff(user) or (is_client_user(user) and user.company_id is not None)
    if is_client_user(user):
        return obj.company_id == user.company_id and obj.is_sent
    return is_staff(user) and sees_company(user, obj.company_id)


@rule("meetings.status_report.draft")
def can_draft_status_report(user, obj=None) -> bool:
    if obj is None:
        return is_manager(user) or (is_staff(user) and user.role in ACCOUNT_ROLES)
    return works_on(user, _company_id(obj))


@rule("meetings.status_report.edit")
def can_edit_status_report(user, obj=None) -> bool:
    if obj is None:
        return can_draft_status_report(user)
    return works_on(user, obj.company_id)


@rule("meetings.status_report.send")
def can_send_status_report(user, obj=None) -> bool:
    if obj is None:
        return can_draft_status_report(user)
    return works_on(user, obj.company_id)


@scope(StatusReport)
def visible_status_reports(user, queryset):
    if is_client_user(user):
        if user.company_id is None:
            return queryset.none()
        return queryset.filter(company_id=user.company_id, status=StatusReport.Status.SENT)
    # Staff see a report only with its client's file: no one takes part in one apart.
    return staff_rows(user, queryset, involved=Q(pk__in=[]))
