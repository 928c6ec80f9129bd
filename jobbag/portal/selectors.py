"""Reads the portal pages and API share. Client users see only what is listed here."""

from dataclasses import dataclass, field

from django.db.models import Q
from django.http import Http404
from django.utils import timezone

from jobbag.accounts.models import ACCOUNT_LADDER, Role, User
from jobbag.clients.models import Brand, Company, Contact
from jobbag.clients.permissions import current_memberships
from jobbag.core.permissions import visible
from jobbag.portal.models import PortalInvitation

# The company's own data a client user sees: its name and public particulars. Never the
# figures and notes the agency keeps about them (revenue, capital, plans, bank, notes,
# status, key-client flag, client group, code).
COMPANY_FIELDS = ("name", "name_en", "short_name", "industry", "address", "phone", "website")


def portal_company(*, user: User) -> dict | None:
    """The client user's company as whitelisted fields plus its active brands' names."""
    if user.kind != User.Kind.CLIENT or not user.company_id:
        return None
    company = Company.objects.filter(pk=user.company_id).values(*COMPANY_FIELDS).first()
    if company is None:
        return None
    company["brands"] = list(
        Brand.objects.filter(company_id=user.company_id, is_active=True)
        .order_by("name")
        .values_list("name", flat=True)
    )
    return company


@dataclass
class TeamMember:
    """One person of the agency team as a client sees them."""

    name: str
    role: str
    role_label: str
    email: str
    phone: str
    mobile: str
    # Serves the whole company (directly or through a client group), or only these brands.
    company_wide: bool = False
    brands: list[str] = field(default_factory=list)


def portal_team(*, user: User) -> list[TeamMember]:
    """The current service team of the user's company and its brands, one row per person
    (their highest role on the account ladder), senior first; one query."""
    if user.kind != User.Kind.CLIENT or not user.company_id:
        return []
    company_id = user.company_id
    memberships = (
        current_memberships()
        .filter(
            Q(company_id=company_id)
            | Q(brand__company_id=company_id)
            | Q(client_group__companies=company_id)
            | Q(client_group__brands__company_id=company_id)
        )
        .filter(user__is_active=True, user__kind=User.Kind.STAFF)
        .select_related("user", "brand")
        .distinct()
    )
    members: dict[int, TeamMember] = {}
    ranks: dict[int, int] = {}
    for membership in memberships:
        person = membership.user
        rank = ACCOUNT_LADDER.index(membership.team_role)
        member = members.get(person.pk)
        if member is None:
            member = members[person.pk] = TeamMember(
                name=str(person),
                role=membership.team_role,
                role_label=str(Role(membership.team_role).label),
                email=person.email,
                phone=person.phone,
                mobile=person.mobile,
            )
            ranks[person.pk] = rank
        elif rank < ranks[person.pk]:
            ranks[person.pk] = rank
            member.role = membership.team_role
            member.role_label = str(Role(membership.team_role).label)
        if membership.brand_id and membership.brand.company_id == company_id:
            if str(membership.brand) not in member.brands:
                member.brands.append(str(membership.brand))
        else:
            member.company_wide = True
    for member in members.values():
        member.brands.sort()
    ordered = sorted(members, key=lambda pk: (ranks[pk], members[pk].name))
    return [members[pk] for pk in ordered]


def contact_for_staff(*, viewer: User, pk: int) -> Contact:
    """A contact whose portal access `viewer` may see, with its company; else 404."""
    contact = (
        visible(viewer, Contact.objects.all()).filter(pk=pk).select_related("company").first()
        if viewer.kind == User.Kind.STAFF
        else None
    )
    if contact is None:
        raise Http404
    return contact


@dataclass
class AccessStatus:
    """A contact's portal status: none, invited, expired (link unused), active or
    deactivated; with the user and the newest invitation behind it."""

    state: str
    user: User | None
    invitation: PortalInvitation | None

    @property
    def can_invite(self) -> bool:
        return self.state != "active"

    @property
    def can_revoke(self) -> bool:
        return self.state in {"active", "invited", "expired"}


def access_status(contact: Contact) -> AccessStatus:
    """Two queries: the portal user and the newest invitation."""
    user = User.objects.filter(contact=contact).first()
    invitation = PortalInvitation.objects.filter(contact=contact).first()
    now = timezone.now()
    is_open = (
        invitation is not None and invitation.accepted_at is None and invitation.revoked_at is None
    )
    if user is not None and user.is_active:
        state = "active"
    elif is_open and invitation.expires_at > now:
        state = "invited"
    elif user is not None:
        state = "deactivated"
    elif is_open:
        state = "expired"
    else:
        state = "none"
    return AccessStatus(state=state, user=user, invitation=invitation)


def invitation_history(contact: Contact, *, limit: int = 20) -> list[PortalInvitation]:
    return list(
        PortalInvitation.objects.filter(contact=contact).select_related("invited_by")[:limit]
    )
