"""Read queries of the calendar that pages, the API and the home card share."""

from datetime import date, timedelta

from jobbag.calendar.models import CalendarDay, CalendarYear


def year_days(year: int) -> list[CalendarDay]:
    """The year's holidays and make-up days, in date order (one query)."""
    return list(CalendarDay.objects.filter(date__year=year).order_by("date"))


def year_record(year: int) -> CalendarYear | None:
    return CalendarYear.objects.filter(year=year).select_related("known_by").first()


def unknown_years(first: int, last: int) -> list[int]:
    """The years in first..last whose holidays are not known (counted Monday–Friday)."""
    known = set(
        CalendarYear.objects.filter(year__range=(first, last), known=True).values_list(
            "year", flat=True
        )
    )
    return [year for year in range(first, last + 1) if year not in known]


def day_entry(day: date) -> CalendarDay | None:
    return CalendarDay.objects.filter(date=day).first()


def days_ahead(day: date, *, days: int = 400) -> list[CalendarDay]:
    """The table rows from `day` through `days` days later, in date order (one query)."""
    return list(CalendarDay.objects.filter(date__range=(day, day + timedelta(days=days))))


def next_holiday(day: date, rows: list[CalendarDay]) -> CalendarDay | None:
    """The first day of the next public holiday that begins after `day`, among `rows`
    (the table rows from `day` on, in date order, as `days_ahead` gives them).

    A holiday runs over several consecutive days (国庆节 2025: 1–8 October); when `day`
    falls inside one, the rest of that run is skipped, so the answer is the next one.
    """
    previous = None
    for entry in rows:
        if entry.kind != CalendarDay.Kind.HOLIDAY:
            continue
        if previous is None and entry.date == day:
            previous = entry.date
            continue
        if previous is not None and entry.date == previous + timedelta(days=1):
            previous = entry.date
            continue
        return entry
    return None
