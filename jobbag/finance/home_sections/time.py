"""The home card of those who log time: this week's hours and where the week stands."""

from django.http import HttpRequest
from django.utils import timezone

from jobbag.core.home import HomeSection, register
from jobbag.finance.models import Timesheet
from jobbag.finance.permissions.time import is_staff
from jobbag.finance.selectors.time import monday_of
from jobbag.finance.sweeps.time import TIME_ROLES


def my_week(request: HttpRequest) -> dict | None:
    user = request.user
    if not user.is_authenticated or not is_staff(user) or user.role not in TIME_ROLES:
        return None
    week_start = monday_of(timezone.localdate())
    sheet = Timesheet.objects.filter(user=user, week_start=week_start).first()
    return {"week_start": week_start, "sheet": sheet}


register(HomeSection("finance/time/_home.html", my_week, order=34))
