"""Rules of contact reports (客户会议报告).

| action                              | who                                                 |
| ----------------------------------- | --------------------------------------------------- |
| meetings.report.view                | staff (the list shows only the rows they see);      |
|                                     | client users in the portal (their company's sent    |
|                                     | reports only)                                       |
| meetings.report.write (company or   | account roles who work on the client, management,   |
|   report)                           | admins (permissions.common.works_on): they write,   |
|                                     | edit drafts, send and add addenda                   |
| meetings.report.acknowledge (report)| a client user of the report's company, once sent    |

Row scope of ContactReport: management and admins see every report; the client's
service team (and their superiors, deputies) see the client's reports; any other staff
member sees the reports they wrote, are listed in or were sent; a client user sees their
own company's sent reports; everyone else nothing (a 404, never a 403).
"""

from django.db.models import Q

from jobbag.core.permissions import rule, scope
from jobbag.jobs.permissions.jobs import ACCOUNT_ROLES
from jobbag.meetings.models import ContactReport
from jobbag.meetings.permissions.common import (
    company_ids,
    is_client_user,
    is_manager,
    is_staff,
    staff_rows,
    works_on,
)


def _company_id(obj) -> int | None:
    if obj is None:
        return None
    if isinstance(obj, ContactReport):
        return obj.company_id
    return obj.pk


@rule("meetings.report.view")
def can_view_reports(user, obj=None) -> bool:
    if obj is None:
        return is_staff(user)
    if is_client_user(user):
        return obj.company_id == user.company_id and obj.is_sent
    return visible_reports(user, ContactReport.objects.filter(pk=obj.pk)).exists()


@rule("meetings.report.write")
def can_write_reports(user, obj=None) -> bool:
    """Writing reports at all (obj None) or for the client (a Company or a report)."""
    company_id = _company_id(obj)
    if company_id is None:
        return works_on_any(user)
    return works_on(user, company_id)


@rule("meetings.report.acknowledge")
def can_acknowledge_report(user, obj=None) -> bool:
    if not is_client_user(user) or user.company_id is None:
        return False
    if obj is None:
        return True
    return obj.company_id == user.company_id and obj.is_sent


def works_on_any(user) -> bool:
    """Whether the user writes reports for some client (shows the "new report" button)."""
    if is_manager(user):
        return True
    if not is_staff(user) or user.role not in ACCOUNT_ROLES:
        return False
    ids = company_ids(user)
    return ids is None or bool(ids)


@scope(ContactReport)
def visible_reports(user, queryset):
    if is_client_user(user):
        if user.company_id is None:
            return queryset.none()
        return queryset.filter(company_id=user.company_id, status=ContactReport.Status.SENT)
    involved = (
        Q(created_by=user)
        | Q(pk__in=ContactReport.staff.through.objects.filter(user=user).values("contactreport"))
        | Q(
            pk__in=ContactReport.staff_recipients.through.objects.filter(user=user).values(
                "contactreport"
            )
        )
    )
    return staff_rows(user, queryset, involved=involved)
