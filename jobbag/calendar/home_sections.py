"""The home page card: is today a working day, and when is the next holiday."""

from datetime import timedelta

from django.http import HttpRequest
from django.utils import timezone

from jobbag.calendar import selectors, services
from jobbag.core.home import HomeSection, register
from jobbag.core.permissions import can


def today_context(request: HttpRequest) -> dict | None:
    if not can(request.user, "calendar.view"):
        return None
    today = timezone.localdate()
    # One query serves the whole card: the table rows for the coming year.
    rows = selectors.days_ahead(today)
    entries = {entry.date: entry for entry in rows}
    next_working_day = today + timedelta(days=1)
    while not services.is_worked(next_working_day, entries.get(next_working_day)):
        next_working_day += timedelta(days=1)
    return {
        "today": today,
        "today_entry": entries.get(today),
        "is_working_day": services.is_worked(today, entries.get(today)),
        "next_working_day": next_working_day,
        "next_holiday": selectors.next_holiday(today, rows),
    }


register(HomeSection("calendar/_home_today.html", today_context, order=80))
