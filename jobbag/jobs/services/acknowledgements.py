"""Departments' receipts (签收) of dispatched work orders and of change notices."""

from datetime import datetime

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jobbag.accounts.models import Department, User
from jobbag.calendar.services import add_working_days
from jobbag.core import audit
from jobbag.core.errors import Conflict, NotAllowed
from jobbag.core.notifications import notify
from jobbag.jobs.models import Acknowledgement, ChangeNotice, Job, JobSettings, WorkOrder

ALREADY_ACKNOWLEDGED = _("Your department has already acknowledged this.")
NOT_YOUR_DEPARTMENT = _("Only a member of %(department)s can acknowledge for it.")
PLEASE_ACKNOWLEDGE = _("Please acknowledge %(document)s by %(due)s")


def may_acknowledge(user: User, acknowledgement: Acknowledgement) -> bool:
    """Members of the receiving department (or of a team within it) and its head."""
    if user.kind != User.Kind.STAFF or not user.is_active:
        return False
    department = acknowledgement.department
    if department.head_id == user.pk:
        return True
    mine = user.department
    while mine is not None:
        if mine.pk == department.pk:
            return True
        mine = mine.parent
    return False


def department_people(department: Department) -> list[User]:
    """Who hears of something sent to a department: its head and its active members."""
    people = set(
        User.objects.filter(
            department__in=[department.pk, *department.teams.values_list("pk", flat=True)],
            is_active=True,
        )
    )
    if department.head_id:
        people.add(department.head)
    return list(people)


def acknowledgements_send(
    *,
    job: Job,
    departments,
    work_order: WorkOrder | None = None,
    change_notice: ChangeNotice | None = None,
    sent_at: datetime | None = None,
) -> list[Acknowledgement]:
    """Asks each department to acknowledge the document within the configured working
    days; notifies its people. Called inside the dispatching service's transaction."""
    sent_at = sent_at or timezone.now()
    due_on = add_working_days(
        timezone.localdate(sent_at), JobSettings.current().acknowledge_within_days
    )
    rows = [
        Acknowledgement.objects.create(
            job=job,
            work_order=work_order,
            change_notice=change_notice,
            department=department,
            sent_at=sent_at,
            due_on=due_on,
        )
        for department in departments
    ]
    document = work_order or change_notice
    link = reverse("jobs:acknowledgements")
    for row in rows:
        notify(
            recipients=department_people(row.department),
            # Built per recipient, in their own language.
            message=lambda: PLEASE_ACKNOWLEDGE % {"document": document, "due": due_on.isoformat()},
            link=link,
            email=True,
        )
    return rows


@transaction.atomic
def acknowledgement_confirm(
    *, actor: User, acknowledgement: Acknowledgement, note: str = ""
) -> Acknowledgement:
    """The receiving department signs for the document. Once only: a second click or a
    colleague acknowledging at the same moment is told it is already done."""
    row = (
        Acknowledgement.objects.select_for_update(of=("self",))
        .select_related("department")
        .get(pk=acknowledgement.pk)
    )
    if not may_acknowledge(actor, row):
        raise NotAllowed(NOT_YOUR_DEPARTMENT % {"department": row.department})
    if row.acknowledged_at is not None:
        raise Conflict(ALREADY_ACKNOWLEDGED)
    row.acknowledged_at = timezone.now()
    row.acknowledged_by = actor
    row.note = (note or "").strip()[:300]
    row.save(update_fields=["acknowledged_at", "acknowledged_by", "note"])
    audit.record(
        actor=actor,
        obj=row.work_order or row.change_notice,
        action="transition",
        changes={"acknowledged": [None, str(row.department)]},
        note=row.note,
    )
    return row


def is_late(acknowledgement: Acknowledgement, today=None) -> bool:
    """Acknowledged after its day, or still not acknowledged once its day has passed."""
    if acknowledgement.acknowledged_at is not None:
        return timezone.localdate(acknowledgement.acknowledged_at) > acknowledgement.due_on
    return (today or timezone.localdate()) > acknowledgement.due_on
