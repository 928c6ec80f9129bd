"""The home page card of account people: today's visits against the daily target and
the state of today's work report."""

from django.http import HttpRequest
from django.utils import timezone

from jobbag.accounts.models import ACCOUNT_LADDER, User
from jobbag.core.home import HomeSection, register
from jobbag.fieldwork import selectors
from jobbag.fieldwork.models import DailyReport, FieldworkSettings


def my_field_day(request: HttpRequest) -> dict | None:
    user = request.user
    if not user.is_authenticated or user.kind != User.Kind.STAFF:
        return None
    if user.role not in ACCOUNT_LADDER:
        return None
    today = timezone.localdate()
    return {
        "visits": selectors.visits_between([user.pk], today, today).get(user.pk, 0),
        "visits_per_day": FieldworkSettings.current().visits_per_day,
        "report": DailyReport.objects.filter(staff=user, day=today).first(),
    }


register(HomeSection("fieldwork/_home_my_day.html", my_field_day, order=40))
