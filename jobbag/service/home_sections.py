"""The home card: complaints assigned to me, and the late ones of the clients I serve."""

from django.http import HttpRequest
from django.utils import timezone

from jobbag.core.home import HomeSection, register
from jobbag.service import selectors
from jobbag.service.permissions import is_service_role, is_staff

SHOWN = 8


def complaints_card(request: HttpRequest) -> dict | None:
    user = request.user
    if not user.is_authenticated or not is_staff(user):
        return None
    now = timezone.now()
    mine, mine_total = selectors.my_complaints(user, now=now, shown=SHOWN)
    late, late_total = [], 0
    if is_service_role(user):
        late, late_total = selectors.late_complaints(user, now=now, shown=SHOWN)
    elif not mine:
        return None
    return {"mine": mine, "mine_total": mine_total, "late": late, "late_total": late_total}


register(HomeSection("service/_complaints_home.html", complaints_card, order=45))

from jobbag.service.health import home_sections as _health  # noqa: E402, F401
from jobbag.service.surveys import home_sections as _surveys  # noqa: E402, F401
