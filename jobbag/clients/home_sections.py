"""The home page card for account people: the clients they serve."""

from django.http import HttpRequest

from jobbag.accounts.models import ACCOUNT_LADDER, User
from jobbag.clients import selectors
from jobbag.core.home import HomeSection, register


def my_clients(request: HttpRequest) -> dict | None:
    user = request.user
    if not user.is_authenticated or user.kind != User.Kind.STAFF:
        return None
    if user.role not in ACCOUNT_LADDER:
        return None
    companies, total = selectors.my_clients(user=user)
    return {"companies": companies, "total": total, "more": total - len(companies)}


register(HomeSection("clients/companies/_home_my_clients.html", my_clients, order=25))
