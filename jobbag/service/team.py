"""Who serves a client, and who hears of an escalation."""

from django.db.models import Q
from django.urls import reverse

from jobbag.accounts.models import Role, User
from jobbag.clients.models import Company
from jobbag.clients.permissions import current_memberships


def team(company: Company, *, roles=None) -> list[User]:
    """The client's current service team (of the company, its brands or its group)."""
    serves = Q(company=company) | Q(brand__company=company)
    if company.client_group_id:
        serves |= Q(client_group_id=company.client_group_id)
    memberships = current_memberships().filter(serves, user__is_active=True)
    if roles:
        memberships = memberships.filter(team_role__in=roles)
    return list(User.objects.filter(pk__in=memberships.values("user")).order_by("pk"))


def account_directors(company: Company) -> list[User]:
    return team(company, roles=[Role.AD])


def leadership() -> list[User]:
    """Who hears of the second escalation: the DCS and the GM."""
    return list(
        User.objects.filter(
            kind=User.Kind.STAFF, is_active=True, position__role__in=[Role.DCS, Role.GM]
        ).order_by("pk")
    )


def staff_link(complaint) -> str:
    return reverse("service:complaint_detail", args=[complaint.pk])
