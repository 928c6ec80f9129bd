"""Reads of time: the week grid, the jobs a person may log on, the team's weeks and the
people's cost rates. Pages and API share them."""

from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from django.db.models import OuterRef, QuerySet, Subquery

from jobbag.accounts.models import User
from jobbag.core.permissions import visible
from jobbag.finance.models import CostRate, RateItem, TimeEntry, Timesheet
from jobbag.finance.permissions.time import team_ids
from jobbag.jobs.models import Job
from jobbag.jobs.models.jobs import OPEN_STAGES

DAYS = 7
ZERO = Decimal("0")


def monday_of(day: date) -> date:
    return day - timedelta(days=day.weekday())


def week_days(week_start: date) -> list[date]:
    return [week_start + timedelta(days=n) for n in range(DAYS)]


def loggable_jobs(user) -> QuerySet[Job]:
    """The open jobs `user` may log time on: those they work on as the jobs app sees it
    (the owner and their superiors, the client's service team, the departments a work
    order or a plan task was sent to, the owners of plan tasks); management and Finance,
    who see every job, may log on any open job."""
    return (
        visible(user, Job.objects.filter(stage__in=OPEN_STAGES))
        .select_related("company")
        .order_by("company__code", "number", "pk")
    )


def hourly_services() -> list[RateItem]:
    """The rate card's active general hourly services, for the grid's service column."""
    rows = RateItem.objects.filter(is_active=True, unit=RateItem.Unit.HOUR, company__isnull=True)
    return list(rows.order_by("code"))


@dataclass
class GridRow:
    job: Job
    rate_item: RateItem | None
    task: str
    billable: bool
    note: str = ""
    hours: list[Decimal | None] = field(default_factory=lambda: [None] * DAYS)

    @property
    def total(self) -> Decimal:
        # Rows posted back with an error may hold text that is not a number.
        return sum((h for h in self.hours if isinstance(h, Decimal)), ZERO)

    @property
    def key(self) -> tuple:
        return (
            self.job.pk,
            self.rate_item.pk if self.rate_item else None,
            self.task,
            self.billable,
        )


@dataclass
class WeekGrid:
    user: User
    week_start: date
    timesheet: Timesheet | None
    rows: list[GridRow]

    @property
    def days(self) -> list[date]:
        return week_days(self.week_start)

    @property
    def day_totals(self) -> list[Decimal]:
        return [sum((row.hours[n] or ZERO for row in self.rows), ZERO) for n in range(DAYS)]

    @property
    def total(self) -> Decimal:
        return sum(self.day_totals, ZERO)

    @property
    def is_editable(self) -> bool:
        return self.timesheet is None or (
            self.timesheet.is_editable and self.timesheet.locked_at is None
        )

    @property
    def version(self) -> int | None:
        return self.timesheet.version if self.timesheet else None


def _rows(entries) -> list[GridRow]:
    rows: dict[tuple, GridRow] = {}
    for entry in entries:
        key = (entry.job_id, entry.rate_item_id, entry.task, entry.billable)
        row = rows.get(key)
        if row is None:
            row = rows[key] = GridRow(
                job=entry.job,
                rate_item=entry.rate_item,
                task=entry.task,
                billable=entry.billable,
                note=entry.note,
            )
        index = (entry.day - monday_of(entry.day)).days
        row.hours[index] = (row.hours[index] or ZERO) + entry.hours
    return list(rows.values())


def _entries(timesheet_id: int) -> QuerySet[TimeEntry]:
    return (
        TimeEntry.objects.filter(timesheet_id=timesheet_id)
        .select_related("job__company", "rate_item")
        .order_by("pk")
    )


def week_grid(user: User, week_start: date) -> WeekGrid:
    """`user`'s week from the Monday `week_start`: its timesheet (None before the first
    save) and one row per job, service, task and billable flag. Two queries."""
    week_start = monday_of(week_start)
    timesheet = (
        Timesheet.objects.filter(user=user, week_start=week_start).select_related("user").first()
    )
    rows = _rows(_entries(timesheet.pk)) if timesheet else []
    return WeekGrid(user=user, week_start=week_start, timesheet=timesheet, rows=rows)


def previous_rows(user: User, week_start: date) -> list[GridRow]:
    """The rows (without hours) of `user`'s last week with time before `week_start`, to
    copy into this one."""
    earlier = (
        Timesheet.objects.filter(user=user, week_start__lt=week_start, total_hours__gt=0)
        .order_by("-week_start")
        .values_list("pk", flat=True)
        .first()
    )
    if earlier is None:
        return []
    rows = _rows(_entries(earlier))
    for row in rows:
        row.hours = [None] * DAYS
    return rows


def timesheet_for(user: User, pk: int) -> Timesheet | None:
    """The timesheet `pk` if `user` may see it (else None: a 404)."""
    return (
        visible(user, Timesheet.objects.all())
        .select_related("user__department")
        .filter(pk=pk)
        .first()
    )


def team_weeks(manager: User, week_start: date) -> list[tuple[User, Timesheet | None]]:
    """The manager's team and their timesheet of the week (None: nothing logged yet),
    for the team page: submitted, approved, draft or missing. Two queries."""
    people = team_ids(manager)
    staff = list(
        User.objects.filter(pk__in=people, is_active=True, kind=User.Kind.STAFF)
        .select_related("department")
        .order_by("department__code", "full_name", "username")
    )
    sheets = {
        sheet.user_id: sheet
        for sheet in Timesheet.objects.filter(user__in=[p.pk for p in staff], week_start=week_start)
    }
    return [(person, sheets.get(person.pk)) for person in staff]


def everyone_weeks(week_start: date) -> list[tuple[User, Timesheet | None]]:
    """As team_weeks, for those who see everyone's time (management, Finance)."""
    staff = list(
        User.objects.filter(is_active=True, kind=User.Kind.STAFF)
        .select_related("department")
        .order_by("department__code", "full_name", "username")
    )
    sheets = {sheet.user_id: sheet for sheet in Timesheet.objects.filter(week_start=week_start)}
    return [(person, sheets.get(person.pk)) for person in staff]


def cost_rate_on(user_id: int, day: date) -> Decimal:
    """The person's cost per hour on `day` (0 when none is set)."""
    rate = (
        CostRate.objects.filter(user_id=user_id, valid_from__lte=day)
        .order_by("-valid_from")
        .values_list("hourly_cost", flat=True)
        .first()
    )
    return rate if rate is not None else ZERO


def rates_by_day(user_id: int, days: list[date]) -> dict[date, Decimal]:
    """The cost per hour on each of `days`, in one query."""
    rates = list(
        CostRate.objects.filter(user_id=user_id, valid_from__lte=max(days))
        .order_by("valid_from")
        .values_list("valid_from", "hourly_cost")
    )
    out = {}
    for day in days:
        current = ZERO
        for valid_from, cost in rates:
            if valid_from <= day:
                current = cost
        out[day] = current
    return out


def people_with_rates(today: date) -> QuerySet[User]:
    """Active staff with their current cost per hour and since when (one query)."""
    current = CostRate.objects.filter(user=OuterRef("pk"), valid_from__lte=today).order_by(
        "-valid_from"
    )
    return (
        User.objects.filter(is_active=True, kind=User.Kind.STAFF)
        .select_related("department", "position")
        .annotate(
            current_cost=Subquery(current.values("hourly_cost")[:1]),
            current_since=Subquery(current.values("valid_from")[:1]),
        )
        .order_by("department__code", "full_name", "username")
    )
