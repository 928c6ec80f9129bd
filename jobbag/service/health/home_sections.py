"""The home card of account people: the clients they serve that are flagged."""

from django.http import HttpRequest

from jobbag.core.home import HomeSection, register
from jobbag.core.memo import remembered
from jobbag.service.health.selectors import overview
from jobbag.service.permissions import ACCOUNT_ROLES, is_staff

SHOWN = 8


def flagged_clients(request: HttpRequest) -> dict | None:
    user = request.user
    # Management reads the overview; the card is for the account people.
    if not (user.is_authenticated and is_staff(user) and user.role in ACCOUNT_ROLES):
        return None
    with remembered(user):
        rows = overview(user)
    if not rows:
        return None
    return {"rows": rows[:SHOWN], "total": len(rows)}


register(HomeSection("service/health/_home.html", flagged_clients, order=46))
