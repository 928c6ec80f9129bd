"""API of time under /api/v1/finance/ (costs and profitability in api.costing, served
from here too):

- GET `/timesheets/week/{yyyy-mm-dd}`: my week (the Monday of that day's week) as the
  grid's rows; PUT the same address (`rows`, `version`) saves the whole week at once (409
  when the version is stale or the week is in sign-off or approved); POST
  `/timesheets/week/{yyyy-mm-dd}/submit` sends it to my manager.
- GET `/timesheets/{id}`: a timesheet I may see (mine, my team's; all for management and
  Finance).
- GET `/time-entries?start=&end=&job=&user=`: entries of the timesheets I may see.
"""

from datetime import date
from decimal import Decimal

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate

from jobbag.core.api_support import PagePagination, caller, errors, get_or_404
from jobbag.core.errors import DomainError
from jobbag.core.permissions import require, visible
from jobbag.finance.api import costing
from jobbag.finance.models import TimeEntry, Timesheet
from jobbag.finance.selectors import time as selectors
from jobbag.finance.services import time as services

router = Router(tags=["finance"])


class RowSchema(Schema):
    job: int
    rate_item: int | None = None
    task: str = Field("", max_length=100)
    billable: bool = True
    hours: list[Decimal | None] = Field(..., description="Monday to Sunday; null when empty.")


class WeekOut(Schema):
    id: int | None
    user: int
    week_start: date
    status: str
    locked: bool
    version: int | None
    total_hours: Decimal
    rows: list[RowSchema]


class WeekIn(Schema):
    version: int | None = Field(None, description="The version loaded; null for a new week.")
    rows: list[RowSchema]


class SubmitOut(Schema):
    timesheet: int
    approval: int
    status: str


class EntryOut(Schema):
    id: int
    timesheet: int = Field(..., alias="timesheet_id")
    user: int = Field(..., alias="user_id")
    job: int = Field(..., alias="job_id")
    rate_item: int | None = Field(None, alias="rate_item_id")
    task: str
    day: date
    hours: Decimal
    billable: bool
    hourly_cost: Decimal


class EntryFilters(Schema):
    start: date | None = None
    end: date | None = None
    job: int | None = None
    user: int | None = None


def _week_out(grid: selectors.WeekGrid) -> dict:
    sheet = grid.timesheet
    return {
        "id": sheet.pk if sheet else None,
        "user": grid.user.pk,
        "week_start": grid.week_start,
        "status": sheet.signoff_status if sheet else "new",
        "locked": bool(sheet and sheet.locked_at),
        "version": grid.version,
        "total_hours": grid.total,
        "rows": [
            {
                "job": row.job.pk,
                "rate_item": row.rate_item.pk if row.rate_item else None,
                "task": row.task,
                "billable": row.billable,
                "hours": row.hours,
            }
            for row in grid.rows
        ],
    }


def _day(value: str) -> date:
    try:
        return selectors.monday_of(date.fromisoformat(value))
    except ValueError:
        raise DomainError(services.NOT_MONDAY, fields={"week_start": services.NOT_MONDAY}) from None


@router.get("/timesheets/week/{day}", response={200: WeekOut, **errors(400, 403)})
def get_week(request: HttpRequest, day: str):
    user = caller(request)
    require(user, "finance.time.log")
    return _week_out(selectors.week_grid(user, _day(day)))


@router.put("/timesheets/week/{day}", response={200: WeekOut, **errors(400, 403, 409)})
def save_week(request: HttpRequest, day: str, payload: WeekIn):
    """Saves the whole week (all rows at once, replacing what was there)."""
    user = caller(request)
    week_start = _day(day)
    rows = [services.RowIn(**row.dict()) for row in payload.rows]
    services.timesheet_save(
        actor=user, week_start=week_start, rows=rows, expected_version=payload.version
    )
    return _week_out(selectors.week_grid(user, week_start))


@router.post(
    "/timesheets/week/{day}/submit", response={200: SubmitOut, **errors(400, 403, 404, 409)}
)
def submit_week(request: HttpRequest, day: str):
    user = caller(request)
    require(user, "finance.time.log")
    timesheet = get_or_404(Timesheet.objects.filter(user=user), week_start=_day(day))
    approval = services.timesheet_submit(actor=user, timesheet=timesheet)
    timesheet.refresh_from_db()
    return {"timesheet": timesheet.pk, "approval": approval.pk, "status": timesheet.signoff_status}


@router.get("/timesheets/{int:timesheet_id}", response={200: WeekOut, **errors(404)})
def get_timesheet(request: HttpRequest, timesheet_id: int):
    user = caller(request)
    sheet = get_or_404(visible(user, Timesheet.objects.select_related("user")), pk=timesheet_id)
    return _week_out(selectors.week_grid(sheet.user, sheet.week_start))


@router.get("/time-entries", response={200: list[EntryOut], **errors(403)})
@paginate(PagePagination)
def list_entries(request: HttpRequest, filters: Query[EntryFilters]):
    user = caller(request)
    require(user, "finance.time.log")
    sheets = visible(user, Timesheet.objects.all()).values("pk")
    rows = TimeEntry.objects.filter(timesheet__in=sheets)
    if filters.start:
        rows = rows.filter(day__gte=filters.start)
    if filters.end:
        rows = rows.filter(day__lte=filters.end)
    if filters.job:
        rows = rows.filter(job_id=filters.job)
    if filters.user:
        rows = rows.filter(user_id=filters.user)
    return rows.order_by("day", "pk")


router.add_router("", costing.router)
