"""Time (SPEC §7, 时间日报表): each person's cost rate, and their weekly timesheet saved
all at once from the week grid, sent to their manager for sign-off and locked once
approved.

Rules: a person logs only their own week; hours per cell are more than 0 and at most
24, and a day's hours add up to at most 24; billable time only on a job whose quote the
client has signed back (the job chain's gate); non-billable time (a pitch) on any job the
person works on. A week in sign-off or approved is read-only; a returned (or rejected)
week reopens as the next revision. Each entry keeps the cost per hour of its day.

The approver is the head of the person's department — for a department head, the head of
the nearest department above with another head — through the sign-off engine's
"timesheet" policy: one department-head step. The first submit makes that policy when no
"timesheet" policy exists at all (so a new installation, the demo and tests need no set-up);
administrators may then change or deactivate it like any policy.
"""

from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jobbag.accounts.models import Department, User
from jobbag.approvals.models import (
    Approval,
    MemberKind,
    Policy,
    PolicyStep,
    SignoffStatus,
    StepKind,
    StepMember,
)
from jobbag.approvals.services import approval_submit
from jobbag.core import audit
from jobbag.core.errors import Conflict, DomainError, NotAllowed
from jobbag.core.models import AuditEntry
from jobbag.core.permissions import require
from jobbag.core.versioning import save_versioned
from jobbag.finance.models import CostRate, RateItem, TimeEntry, Timesheet
from jobbag.finance.selectors.time import (
    DAYS,
    loggable_jobs,
    monday_of,
    rates_by_day,
    week_days,
)
from jobbag.jobs.services.gates import signed_quote

MAX_ROWS = 40
MAX_DAY = Decimal("24")
MAX_RATE = Decimal("100000")
CENT = Decimal("0.01")

WEEK_INVALID = _("The week could not be saved: correct the marked rows.")
WEEK_READ_ONLY = _(
    "This week is in sign-off or approved and can no longer be changed; nothing was saved."
)
NOT_MONDAY = _("A week starts on a Monday.")
TOO_MANY_ROWS = _("Log at most %(max)s rows in a week.")
JOB_NOT_LOGGABLE = _("Choose one of the open jobs you work on.")
SERVICE_INVALID = _("Choose one of the rate card's hourly services.")
HOURS_INVALID = _("Hours are a number more than 0 and at most 24, e.g. 1.5.")
DAY_OVER = _("%(day)s adds up to %(hours)s hours: a day has at most 24.")
NOT_BILLABLE_YET = _(
    "%(job)s: the client has not signed the quote back, so its time cannot be billable yet. "
    "Untick “billable” for work such as a pitch."
)
DUPLICATE_ROW = _("The same job, service and task appear twice: put the hours in one row.")
TASK_TOO_LONG = _("Describe the task in at most 100 characters.")
NOTE_TOO_LONG = _("Write at most 200 characters.")
NOTHING_TO_SUBMIT = _("Log some time before sending the week for approval.")
NO_APPROVER = _(
    "Nobody can approve your timesheet: your department has no head. Ask an administrator."
)
RATE_INVALID = _("Give the cost per hour as an amount of 0 or more.")
RATE_PERSON = _("Choose an active staff member.")
RATE_DATE = _("Give the day the rate applies from.")

SUBMITTED = _("Sent for approval: week of %(week)s")


@dataclass(frozen=True)
class RowIn:
    """One row of the grid as sent: the job (a Job or its id), the service (a RateItem,
    its id or None), the task, billable or not, and 7 cells Monday to Sunday (text,
    number or None for an empty cell)."""

    job: object
    hours: list
    rate_item: object = None
    task: str = ""
    billable: bool = True
    note: str = ""


def pk_of(value) -> int | None:
    if value in (None, ""):
        return None
    if hasattr(value, "pk"):
        return value.pk
    try:
        return int(value)
    except (TypeError, ValueError):
        return -1


def _hours(value) -> Decimal | None:
    """A cell: None when empty, else Decimal hours; raises ValueError when not valid."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    try:
        hours = Decimal(str(value).strip().replace(",", "."))
    except (InvalidOperation, ValueError):
        raise ValueError from None
    if not hours.is_finite():
        raise ValueError
    if hours == 0:
        return None
    if hours < 0 or hours > MAX_DAY or hours != hours.quantize(CENT):
        raise ValueError
    return hours


def approver_department(user: User) -> Department | None:
    """The department whose head signs `user`'s weeks: their own, or for its head the
    nearest department above with another active head."""
    department = user.department
    seen = set()
    while department is not None and department.pk not in seen:
        seen.add(department.pk)
        head = department.head
        if head is not None and head.pk != user.pk and head.is_active:
            return department
        department = department.parent
    return None


def approver_of(user: User) -> User | None:
    department = approver_department(user)
    return department.head if department else None


def _locked_week(user: User, week_start: date) -> Timesheet | None:
    return (
        Timesheet.objects.select_for_update(of=("self",))
        .filter(user=user, week_start=week_start)
        .first()
    )


def _clean_rows(actor: User, week_start: date, rows: list[RowIn]) -> list[dict]:
    if len(rows) > MAX_ROWS:
        message = TOO_MANY_ROWS % {"max": MAX_ROWS}
        raise DomainError(message, fields={"rows": message})
    errors: dict[str, str] = {}
    job_ids = {pk_of(row.job) for row in rows} - {None, -1}
    jobs = {job.pk: job for job in loggable_jobs(actor).filter(pk__in=job_ids)}
    item_ids = {pk_of(row.rate_item) for row in rows} - {None, -1}
    items = {
        item.pk: item
        for item in RateItem.objects.filter(
            pk__in=item_ids, is_active=True, unit=RateItem.Unit.HOUR
        )
    }
    signed: dict[int, bool] = {}
    cleaned, seen = [], set()
    for index, row in enumerate(rows):
        name = f"row-{index}"
        job = jobs.get(pk_of(row.job))
        if job is None:
            errors[name] = JOB_NOT_LOGGABLE
            continue
        item_pk = pk_of(row.rate_item)
        item = items.get(item_pk) if item_pk is not None else None
        if item_pk is not None and (
            item is None or (item.company_id and item.company_id != job.company_id)
        ):
            errors[name] = SERVICE_INVALID
            continue
        task = (row.task or "").strip()
        if len(task) > 100:
            errors[name] = TASK_TOO_LONG
            continue
        note = (row.note or "").strip()
        if len(note) > 200:
            errors[name] = NOTE_TOO_LONG
            continue
        cells = list(row.hours or [])
        if len(cells) != DAYS:
            errors[name] = HOURS_INVALID
            continue
        try:
            hours = [_hours(cell) for cell in cells]
        except ValueError:
            errors[name] = HOURS_INVALID
            continue
        billable = bool(row.billable)
        if billable and any(hours):
            if job.pk not in signed:
                signed[job.pk] = signed_quote(job) is not None
            if not signed[job.pk]:
                errors[name] = NOT_BILLABLE_YET % {"job": job.number or job.title}
                continue
        key = (job.pk, item.pk if item else None, task, billable)
        if key in seen:
            errors[name] = DUPLICATE_ROW
            continue
        seen.add(key)
        cleaned.append(
            {
                "job": job,
                "rate_item": item,
                "task": task,
                "billable": billable,
                "note": note,
                "hours": hours,
            }
        )
    if not errors:
        days = week_days(week_start)
        for n, day in enumerate(days):
            total = sum((row["hours"][n] or Decimal(0) for row in cleaned), Decimal(0))
            if total > MAX_DAY:
                errors[f"day-{n}"] = DAY_OVER % {"day": day.isoformat(), "hours": total}
    if errors:
        first = next(iter(errors.values()))
        raise DomainError(first if len(errors) == 1 else WEEK_INVALID, fields=errors)
    return cleaned


@transaction.atomic
def timesheet_save(
    *, actor: User, week_start: date, rows: list[RowIn], expected_version: int | None
) -> Timesheet:
    """Saves `actor`'s whole week at once from the grid, replacing what was there.
    `expected_version` is the version the grid was loaded at (None: the week had no
    timesheet yet); a stale one is a Conflict and nothing is written."""
    require(actor, "finance.time.log")
    if not isinstance(week_start, date) or week_start != monday_of(week_start):
        raise DomainError(NOT_MONDAY, fields={"week_start": NOT_MONDAY})
    cleaned = _clean_rows(actor, week_start, rows)
    timesheet = _locked_week(actor, week_start)
    if timesheet is None:
        if expected_version is not None:
            raise Conflict()
        try:
            with transaction.atomic():
                timesheet = Timesheet.objects.create(user=actor, week_start=week_start)
        except IntegrityError:
            # Someone (another tab) made the week meanwhile: this grid is stale.
            raise Conflict() from None
        audit.record_create(actor=actor, obj=timesheet)
        expected_version = timesheet.version
    elif expected_version != timesheet.version:
        raise Conflict()
    if not timesheet.is_editable or timesheet.locked_at is not None:
        raise Conflict(WEEK_READ_ONLY)
    days = week_days(week_start)
    rates = rates_by_day(actor.pk, days)
    before = {"total_hours": str(timesheet.total_hours), "rows": timesheet.entries.count()}
    timesheet.entries.all().delete()
    entries = [
        TimeEntry(
            timesheet=timesheet,
            user=actor,
            job=row["job"],
            rate_item=row["rate_item"],
            task=row["task"],
            billable=row["billable"],
            note=row["note"],
            day=day,
            hours=row["hours"][n],
            hourly_cost=rates[day],
        )
        for row in cleaned
        for n, day in enumerate(days)
        if row["hours"][n]
    ]
    TimeEntry.objects.bulk_create(entries)
    timesheet.total_hours = sum((e.hours for e in entries), Decimal(0))
    save_versioned(timesheet, expected_version=expected_version, fields=["total_hours"])
    after = {"total_hours": str(timesheet.total_hours), "rows": len(entries)}
    if before != after:
        audit.record(
            actor=actor,
            obj=timesheet,
            action=AuditEntry.Action.CHANGE,
            changes={k: [before[k], after[k]] for k in before if before[k] != after[k]},
        )
    return timesheet


@transaction.atomic
def timesheet_submit(*, actor: User, timesheet: Timesheet, expected_version: int | None = None):
    """Sends the week to the person's manager (the sign-off engine's "timesheet"
    policy). A second submit is a Conflict; an empty week is refused."""
    timesheet = Timesheet.objects.select_for_update(of=("self",)).get(pk=timesheet.pk)
    if timesheet.user_id != actor.pk:
        raise NotAllowed()
    require(actor, "finance.time.log")
    if expected_version is not None and expected_version != timesheet.version:
        raise Conflict()
    if timesheet.signoff_status == SignoffStatus.SUBMITTED:
        raise Conflict(_("This week is already waiting for approval."))
    if not timesheet.is_editable:
        raise Conflict(WEEK_READ_ONLY)
    if timesheet.total_hours <= 0:
        raise DomainError(NOTHING_TO_SUBMIT)
    if approver_of(actor) is None:
        raise DomainError(NO_APPROVER)
    default_policy()
    return approval_submit(actor=actor, document=timesheet)


def default_policy() -> Policy | None:
    """Makes the default "timesheet" policy (the department head signs) when there is
    none at all, active or not; returns it when made."""
    if Policy.objects.filter(document_type="timesheet").exists():
        return None
    policy = Policy.objects.create(document_type="timesheet", name="工时表 · 部门经理审批")
    step = PolicyStep.objects.create(
        policy=policy, order=1, kind=StepKind.ONE, label="部门经理审批"
    )
    StepMember.objects.create(step=step, kind=MemberKind.DEPARTMENT_HEAD)
    audit.record_create(actor=None, obj=policy, note="default timesheet policy")
    return policy


def timesheet_closed(timesheet: Timesheet, approval: Approval, actor) -> None:
    """The engine closed the week's sign-off: approved locks it; returned or rejected
    reopens it as the next revision (time is still to be told truly); withdrawn leaves
    it a draft."""
    if approval.status == Approval.Status.APPROVED:
        timesheet.locked_at = timezone.now()
        Timesheet.objects.filter(pk=timesheet.pk).update(
            locked_at=timesheet.locked_at, version=F("version") + 1
        )
    elif approval.status in {Approval.Status.RETURNED, Approval.Status.REJECTED}:
        Timesheet.objects.filter(pk=timesheet.pk).update(
            signoff_status=SignoffStatus.RETURNED,
            revision=F("revision") + 1,
            version=F("version") + 1,
        )
        timesheet.signoff_status = SignoffStatus.RETURNED
        timesheet.revision += 1
    else:
        Timesheet.objects.filter(pk=timesheet.pk).update(version=F("version") + 1)


# Cost rates -------------------------------------------------------------------------------


@transaction.atomic
def cost_rate_set(*, actor: User, user: User, hourly_cost, valid_from: date) -> CostRate:
    """Sets what an hour of `user` costs from `valid_from` on (replacing a rate set for
    that same day). Time already logged keeps the cost it was logged at."""
    require(actor, "finance.cost_rate.manage")
    errors = {}
    if not isinstance(user, User) or user.kind != User.Kind.STAFF or not user.is_active:
        errors["user"] = RATE_PERSON
    try:
        cost = Decimal(str(hourly_cost))
        if not cost.is_finite() or cost < 0 or cost > MAX_RATE:
            raise InvalidOperation
        cost = cost.quantize(CENT, rounding=ROUND_HALF_UP)
    except (InvalidOperation, ValueError, TypeError):
        errors["hourly_cost"] = RATE_INVALID
    if not isinstance(valid_from, date):
        errors["valid_from"] = RATE_DATE
    if errors:
        raise DomainError(next(iter(errors.values())), fields=errors)
    rate = (
        CostRate.objects.select_for_update(of=("self",))
        .filter(user=user, valid_from=valid_from)
        .first()
    )
    if rate is None:
        rate = CostRate.objects.create(user=user, valid_from=valid_from, hourly_cost=cost)
        audit.record_create(actor=actor, obj=rate)
        return rate
    before = audit.snapshot(rate, ["hourly_cost"])
    rate.hourly_cost = cost
    rate.save(update_fields=["hourly_cost"])
    audit.record_change(actor=actor, obj=rate, before=before)
    return rate
