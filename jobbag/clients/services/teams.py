"""Service teams of one client: who serves the company or one of its brands, and as what
(AD, AM or AE). Client-group teams are managed with the organisation (accounts)."""

from datetime import date

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jobbag.accounts.models import ACCOUNT_LADDER, ServiceTeamMembership, User
from jobbag.clients.models import Brand, Company
from jobbag.core import audit
from jobbag.core.errors import Conflict, DomainError, NotAllowed
from jobbag.core.permissions import require

INVALID = _("Please correct the errors below.")
NOT_ACTIVE_STAFF = _("Choose an active staff member.")
NOT_ACCOUNT_PERSON = _("Choose someone holding an account position (DCS, GAD, AD, AM or AE).")
TEAM_ROLE_INVALID = _("Choose AD, AM or AE (a role on the account ladder).")
TEAM_DUPLICATE = _("This person is already on this team.")
TEAM_ENDED = _("This membership has already ended.")
DATES_ORDER = _("The end date cannot be before the start date.")
ONE_TARGET = _("Choose either the client or one of its brands.")

EDIT = "clients.company.edit"


def _served_company(membership: ServiceTeamMembership) -> Company | None:
    if membership.company_id:
        return membership.company
    if membership.brand_id:
        return membership.brand.company
    return None


@transaction.atomic
def team_member_add(
    *,
    actor: User,
    company: Company | None = None,
    brand: Brand | None = None,
    user: User | None,
    team_role: str,
    starts_on: date | None = None,
) -> ServiceTeamMembership:
    """Puts `user` on the team serving `company` or `brand` (exactly one) from `starts_on`
    (today by default)."""
    if (company is None) == (brand is None):
        raise DomainError(ONE_TARGET)
    require(actor, EDIT, company or brand.company)
    starts_on = starts_on or timezone.localdate()
    errors: dict = {}
    if user is None or not user.is_active or user.kind != User.Kind.STAFF:
        errors["user"] = NOT_ACTIVE_STAFF
    elif user.role not in ACCOUNT_LADDER:
        errors["user"] = NOT_ACCOUNT_PERSON
    elif (
        ServiceTeamMembership.objects.filter(user=user, company=company, brand=brand)
        .filter(Q(ends_on__isnull=True) | Q(ends_on__gte=starts_on))
        .exists()
    ):
        errors["user"] = TEAM_DUPLICATE
    if team_role not in ACCOUNT_LADDER:
        errors["team_role"] = TEAM_ROLE_INVALID
    if errors:
        raise DomainError(INVALID, fields=errors)
    membership = ServiceTeamMembership.objects.create(
        user=user, team_role=team_role, company=company, brand=brand, starts_on=starts_on
    )
    audit.record_create(actor=actor, obj=membership, note=str(company or brand))
    return membership


@transaction.atomic
def team_member_end(
    *, actor: User, membership: ServiceTeamMembership, ends_on: date | None = None
) -> ServiceTeamMembership:
    """Takes someone off a client's or brand's team from `ends_on` (today by default);
    the row stays, so the team's history stays."""
    # Only the membership row is locked (of=self): PostgreSQL cannot lock the nullable
    # side of the outer joins to the company and brand.
    membership = (
        ServiceTeamMembership.objects.select_for_update(of=("self",))
        .select_related("company", "brand__company")
        .get(pk=membership.pk)
    )
    company = _served_company(membership)
    if company is None:
        # Client-group teams belong to the organisation pages, not to one client.
        raise NotAllowed()
    require(actor, EDIT, company)
    ends_on = ends_on or timezone.localdate()
    if membership.ends_on is not None:
        raise Conflict(TEAM_ENDED)
    if ends_on < membership.starts_on:
        raise DomainError(INVALID, fields={"ends_on": DATES_ORDER})
    before = audit.snapshot(membership, ["ends_on"])
    membership.ends_on = ends_on
    membership.save(update_fields=["ends_on"])
    audit.record_change(actor=actor, obj=membership, before=before, note=str(company))
    return membership
