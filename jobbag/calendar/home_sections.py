"""The home page card: is today a working day, and when is the next holiday."""

from django.http import HttpRequest
from django.utils import timezone

from jobbag.calendar import selectors, services
from jobbag.core.home import HomeSection, register
from jobbag.core.permissions import can


def today_context(request: HttpRequest) -> dict | None:
    if not can(request.user, "calendar.view"):
        return None
    today = timezone.localdate()
    return {
        "today": today,
        "today_entry": selectors.day_entry(today),
        "is_working_day": services.is_working_day(today),
        "next_working_day": services.next_working_day(today),
        "next_holiday": selectors.next_holiday(today),
    }


register(HomeSection("calendar/_home_today.html", today_context, order=80))
