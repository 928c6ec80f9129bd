"""Working hours: office hours on working days of the calendar (holidays off, make-up
working days on), for promises such as "a first answer within 2 working hours".

Times are counted in the local time zone. A moment outside office hours counts from the
next opening: 2 working hours from Friday 17:30 is Monday 10:30 (or the make-up Saturday).
Each computation reads the calendar's rows for the span it walks in one query (plus one
more per further 60 days walked), never one per day.
"""

from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.utils import timezone

from jobbag.calendar.models import CalendarDay
from jobbag.calendar.services import is_worked

CHUNK = timedelta(days=60)


class WorkingCalendar:
    """Whether each day is worked, from the calendar table, loaded in spans."""

    def __init__(self, first: date, last: date | None = None) -> None:
        self.first = first
        self.last = first - timedelta(days=1)
        self.rows: dict[date, CalendarDay] = {}
        self._extend(last or first + CHUNK)

    def _extend(self, last: date) -> None:
        rows = CalendarDay.objects.filter(date__range=(self.last + timedelta(days=1), last))
        self.rows.update((row.date, row) for row in rows)
        self.last = last

    def is_working(self, day: date) -> bool:
        if day > self.last:
            self._extend(max(day, self.last + CHUNK))
        return is_worked(day, self.rows.get(day))


def _local(moment: datetime) -> datetime:
    return timezone.localtime(moment) if timezone.is_aware(moment) else moment


def _at(day: date, clock: time, tz) -> datetime:
    return datetime.combine(day, clock, tzinfo=tz)


def add_working_hours(
    start: datetime,
    hours: float | int | Decimal,
    *,
    opens: time,
    closes: time,
    calendar: WorkingCalendar | None = None,
) -> datetime:
    """The moment `hours` working hours after `start` (hours >= 0)."""
    if hours < 0:
        raise ValueError("hours must not be negative")
    local = _local(start)
    tz = local.tzinfo
    remaining = timedelta(hours=float(hours))
    if calendar is None:
        # Five working days take about seven calendar days; the margin covers a long holiday.
        day_hours = (_at(local.date(), closes, tz) - _at(local.date(), opens, tz)).seconds / 3600
        span = timedelta(days=int(float(hours) / max(day_hours, 1) * 7 / 5) + 30)
        calendar = WorkingCalendar(local.date(), local.date() + span)
    day, current = local.date(), local
    while True:
        if calendar.is_working(day):
            window_start = max(_at(day, opens, tz), current)
            window_end = _at(day, closes, tz)
            if window_start < window_end:
                available = window_end - window_start
                if remaining <= available:
                    return window_start + remaining
                remaining -= available
        day += timedelta(days=1)
        current = _at(day, opens, tz)
        if not remaining and calendar.is_working(day):
            return current


def add_working_days(
    start: datetime,
    days: int,
    *,
    opens: time,
    closes: time,
    calendar: WorkingCalendar | None = None,
) -> datetime:
    """`days` full working days after `start`: the same time of day `days` working days
    later (counted from the next opening when `start` is outside office hours)."""
    day_hours = (
        datetime.combine(date.min, closes) - datetime.combine(date.min, opens)
    ).total_seconds() / 3600
    return add_working_hours(start, days * day_hours, opens=opens, closes=closes, calendar=calendar)


def working_hours_between(
    start: datetime,
    end: datetime,
    *,
    opens: time,
    closes: time,
    calendar: WorkingCalendar | None = None,
) -> Decimal:
    """Working hours from `start` to `end` (0 when end <= start), to the hundredth."""
    start, end = _local(start), _local(end)
    if end <= start:
        return Decimal("0.00")
    tz = start.tzinfo
    calendar = calendar or WorkingCalendar(start.date(), end.date())
    total = timedelta()
    day = start.date()
    while day <= end.date():
        if calendar.is_working(day):
            begin = max(_at(day, opens, tz), start)
            finish = min(_at(day, closes, tz), end)
            if finish > begin:
                total += finish - begin
        day += timedelta(days=1)
    return (Decimal(total.total_seconds()) / Decimal(3600)).quantize(Decimal("0.01"))
