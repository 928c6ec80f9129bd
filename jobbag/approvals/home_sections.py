"""The home card for signers: how many documents wait for their sign-off."""

from django.http import HttpRequest

from jobbag.approvals import selectors
from jobbag.core.home import HomeSection, register
from jobbag.core.permissions import can


def waiting_for_me(request: HttpRequest) -> dict | None:
    user = request.user
    if not user.is_authenticated or not can(user, "approvals.inbox"):
        return None
    count = selectors.inbox(user).count()
    return {"count": count} if count else None


register(HomeSection("approvals/_home_inbox.html", waiting_for_me, order=5))
