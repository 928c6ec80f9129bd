"""The home card: the last month's survey answers of the clients I serve, low scores
first (CSAT 1–2 or NPS 0–6 are marked), for account roles and management."""

from datetime import timedelta

from django.db.models import Case, IntegerField, Q, Value, When
from django.http import HttpRequest
from django.utils import timezone

from jobbag.core.home import HomeSection, register
from jobbag.service.models import Survey
from jobbag.service.permissions import is_service_role
from jobbag.service.surveys.selectors import visible_surveys

SHOWN = 6
DAYS = 30
LOW = Q(csat__lte=2) | Q(nps__lte=6)


def surveys_card(request: HttpRequest) -> dict | None:
    user = request.user
    if not user.is_authenticated or not is_service_role(user):
        return None
    recent = visible_surveys(user).filter(
        status=Survey.Status.ANSWERED, answered_at__gte=timezone.now() - timedelta(days=DAYS)
    )
    rows = list(
        recent.select_related("company")
        .annotate(low=Case(When(LOW, then=Value(1)), default=Value(0), output_field=IntegerField()))
        .order_by("-low", "-answered_at")[:SHOWN]
    )
    if not rows:
        return None
    return {"answers": rows, "low_count": recent.filter(LOW).count()}


register(HomeSection("service/surveys/_home.html", surveys_card, order=46))
