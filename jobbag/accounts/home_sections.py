"""Home page cards about people: my profile, my team, the organisation at a glance,
and administration. Client users have the portal instead."""

from django.http import HttpRequest

from jobbag.accounts import selectors
from jobbag.accounts.models import ACCOUNT_LADDER, MANAGEMENT_ROLES, User
from jobbag.core.home import HomeSection, register
from jobbag.core.permissions import can


def _staff(request: HttpRequest) -> User | None:
    user = request.user
    if not user.is_authenticated or user.kind != User.Kind.STAFF:
        return None
    return user


def profile_card(request: HttpRequest) -> dict | None:
    """Where I sit in the organisation and who stands in for whom today."""
    user = _staff(request)
    if user is None:
        return None
    me = selectors.user_for_viewer(viewer=user, pk=user.pk)
    return {"me": me, **selectors.deputising_today(user=user)}


def my_team(request: HttpRequest) -> dict | None:
    """Direct reports and client groups, for the account ladder (DCS down to AE)."""
    user = _staff(request)
    if user is None or user.role not in ACCOUNT_LADDER:
        return None
    return selectors.team_of(user=user)


def organisation_glance(request: HttpRequest) -> dict | None:
    """Headcount per department, for the GM and deputy GM."""
    user = _staff(request)
    if user is None or user.role not in MANAGEMENT_ROLES:
        return None
    departments, unassigned = selectors.headcount_by_department()
    total = sum(d.headcount for d in departments) + unassigned
    return {"departments": departments, "unassigned": unassigned, "total": total}


def administration(request: HttpRequest) -> dict | None:
    if not can(request.user, "accounts.organisation.manage"):
        return None
    return {}


register(HomeSection("accounts/home/_profile_card.html", profile_card, order=10))
register(HomeSection("accounts/home/_my_team.html", my_team, order=20))
register(HomeSection("accounts/home/_organisation.html", organisation_glance, order=30))
register(HomeSection("accounts/home/_administration.html", administration, order=90))
