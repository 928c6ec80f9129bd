"""The working-day calendar over the API, mounted in jobbag/api.py at /calendar/.

Read-only: any staff member may compute with it; admins edit days in the pages.
"""

from datetime import date

from django.http import HttpRequest
from ninja import Query, Router, Schema
from pydantic import Field

from jobbag.calendar import selectors, services
from jobbag.calendar.forms import MAX_OFFSET
from jobbag.calendar.models import FIRST_YEAR, LAST_YEAR
from jobbag.core.api_support import caller, errors
from jobbag.core.permissions import require

router = Router(tags=["calendar"])

FIRST_DAY = date(FIRST_YEAR, 1, 1)
LAST_DAY = date(LAST_YEAR, 12, 31)


class WorkingDaysAddIn(Schema):
    start: date = Field(ge=FIRST_DAY, le=LAST_DAY)
    n: int = Field(ge=-MAX_OFFSET, le=MAX_OFFSET)


class WorkingDaysAddOut(Schema):
    start: date
    n: int
    date: date
    unknown_years: list[int]


class WorkingDaysBetweenIn(Schema):
    start: date = Field(ge=FIRST_DAY, le=LAST_DAY)
    end: date = Field(ge=FIRST_DAY, le=LAST_DAY)


class WorkingDaysBetweenOut(Schema):
    start: date
    end: date
    working_days: int
    unknown_years: list[int]


class CalendarDaysIn(Schema):
    year: int = Field(ge=FIRST_YEAR, le=LAST_YEAR)


class CalendarDayOut(Schema):
    date: date
    kind: str
    name_zh: str
    name_en: str
    source: str
    version: int


class CalendarYearOut(Schema):
    year: int
    known: bool
    source: str
    days: list[CalendarDayOut]


@router.get("/working-days/add", response={200: WorkingDaysAddOut, **errors(403)})
def working_days_add(request: HttpRequest, params: Query[WorkingDaysAddIn]):
    """The n-th working day after `start` (before it for negative n; `start` for 0)."""
    require(caller(request), "calendar.view")
    due = services.add_working_days(params.start, params.n)
    first, last = sorted([params.start, due])
    return {
        "start": params.start,
        "n": params.n,
        "date": due,
        "unknown_years": selectors.unknown_years(first.year, last.year),
    }


@router.get("/working-days/between", response={200: WorkingDaysBetweenOut, **errors(403)})
def working_days_between(request: HttpRequest, params: Query[WorkingDaysBetweenIn]):
    """Working days in (start, end]: `start` is not counted, `end` is; negative when
    end is before start."""
    require(caller(request), "calendar.view")
    first, last = sorted([params.start, params.end])
    return {
        "start": params.start,
        "end": params.end,
        "working_days": services.working_days_between(params.start, params.end),
        "unknown_years": selectors.unknown_years(first.year, last.year),
    }


@router.get("/days", response={200: CalendarYearOut, **errors(403)})
def days(request: HttpRequest, params: Query[CalendarDaysIn]):
    """A year's holidays and make-up working days, and whether the year is known."""
    require(caller(request), "calendar.view")
    record = selectors.year_record(params.year)
    return {
        "year": params.year,
        "known": bool(record and record.known),
        "source": record.source if record else "",
        "days": selectors.year_days(params.year),
    }
