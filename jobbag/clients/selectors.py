"""Read queries on companies, brands, contacts and service teams, shared by pages and API.

Lists load their related rows up front, and the confidential parts are decided with one
call to confidential_company_ids per page, so a page costs the same number of queries
whatever the number of rows.
"""

import re
from dataclasses import dataclass, field

from django.db.models import Count, Q, QuerySet

from jobbag.accounts.models import ACCOUNT_LADDER, ClientGroup, ServiceTeamMembership, User
from jobbag.clients.models import Brand, Company, Contact
from jobbag.clients.permissions import current_memberships
from jobbag.core.permissions import visible

SEARCH_LIMIT = 10
PHONE_QUERY = re.compile(r"^[\d\s()+-]{4,}$")


def _terms(query: str) -> list[str]:
    return (query or "").strip().lower().split()


def _matching(queryset: QuerySet, query: str) -> QuerySet:
    """Rows whose search key holds every term of `query` (characters, pinyin, initials)."""
    for term in _terms(query):
        queryset = queryset.filter(search__contains=term)
    return queryset


def served_by(user: User) -> Q:
    """Companies `user` serves today: directly, through one of their brands, or through a
    client group they are on (as team member or group member)."""
    memberships = current_memberships().filter(user=user)
    groups = ClientGroup.objects.filter(
        Q(pk__in=memberships.values("client_group")) | Q(members=user)
    ).values("pk")
    return (
        Q(pk__in=memberships.values("company"))
        | Q(pk__in=Brand.objects.filter(pk__in=memberships.values("brand")).values("company"))
        | Q(client_group__in=groups)
        | Q(pk__in=Brand.objects.filter(client_group__in=groups).values("company"))
    )


def company_list(
    *,
    viewer: User,
    query: str = "",
    status: str = "",
    industry: str = "",
    client_group_id: int | None = None,
    key_only: bool = False,
    mine: bool = False,
) -> QuerySet[Company]:
    """The companies `viewer` may find, by name (characters, pinyin, initials) or code."""
    companies = visible(viewer, Company.objects.all()).select_related("client_group")
    companies = _matching(companies, query)
    if status:
        companies = companies.filter(status=status)
    if industry:
        companies = companies.filter(industry=industry)
    if client_group_id:
        companies = companies.filter(client_group_id=client_group_id)
    if key_only:
        companies = companies.filter(is_key_client=True)
    if mine:
        companies = companies.filter(served_by(viewer))
    return companies.order_by("code")


def industries() -> list[str]:
    return list(
        Company.objects.exclude(industry="")
        .order_by("industry")
        .values_list("industry", flat=True)
        .distinct()
    )


def company_for_viewer(*, viewer: User, pk: int) -> Company | None:
    return (
        visible(viewer, Company.objects.all())
        .select_related("client_group", "created_by")
        .filter(pk=pk)
        .first()
    )


@dataclass
class OrgNode:
    contact: Contact
    children: list["OrgNode"] = field(default_factory=list)


def org_chart(contacts: list[Contact]) -> list[OrgNode]:
    """The client's org chart as trees: each person under whom they report to; people
    without a superior among `contacts` are roots. A loop (which the services refuse,
    but old data might hold) is broken by putting its first person at the root."""
    nodes = {contact.pk: OrgNode(contact) for contact in contacts}
    roots = []
    for contact in contacts:
        boss = nodes.get(contact.reports_to_id)
        if boss is None:
            roots.append(nodes[contact.pk])
        else:
            boss.children.append(nodes[contact.pk])
    reached: set[int] = set()
    stack = list(roots)
    while stack:
        node = stack.pop()
        reached.add(node.contact.pk)
        stack.extend(node.children)
    for contact in contacts:
        if contact.pk not in reached:
            node = nodes[contact.pk]
            boss = nodes[contact.reports_to_id]
            boss.children.remove(node)
            roots.append(node)
            stack = [node]
            while stack:
                current = stack.pop()
                reached.add(current.contact.pk)
                stack.extend(current.children)
    return roots


def team_of(*, company: Company, on=None) -> list[ServiceTeamMembership]:
    """Today's service team of `company`: on the company, on its brands, and on its
    client group, the highest rank first."""
    served = Q(company=company) | Q(brand__company=company)
    if company.client_group_id:
        served |= Q(client_group_id=company.client_group_id)
    rank = {role: index for index, role in enumerate(ACCOUNT_LADDER)}
    memberships = list(
        current_memberships(on)
        .filter(served)
        .select_related("user__position", "brand", "client_group")
        .order_by("starts_on", "pk")
    )
    return sorted(memberships, key=lambda m: rank.get(m.team_role, 9))


def company_contacts(*, company: Company) -> list[Contact]:
    """Every person of `company` (active first) with their brand, in one query."""
    return list(
        Contact.objects.filter(company=company)
        .select_related("brand")
        .order_by("-is_active", "name", "pk")
    )


def company_brands(*, company: Company) -> list[Brand]:
    return list(Brand.objects.filter(company=company).select_related("client_group"))


def brand_for_viewer(*, viewer: User, pk: int) -> Brand | None:
    return (
        visible(viewer, Brand.objects.all())
        .select_related("company", "client_group")
        .filter(pk=pk)
        .first()
    )


def contact_for_viewer(*, viewer: User, pk: int) -> Contact | None:
    """The person `pk` if `viewer` may see them (their company's file is open to them)."""
    return (
        visible(viewer, Contact.objects.all())
        .select_related("company", "brand", "reports_to")
        .filter(pk=pk)
        .first()
    )


@dataclass
class SearchResults:
    query: str
    companies: list[Company]
    brands: list[Brand]
    contacts: list[Contact]

    @property
    def empty(self) -> bool:
        return not (self.companies or self.brands or self.contacts)


def search(*, viewer: User, query: str, limit: int = SEARCH_LIMIT) -> SearchResults:
    """Companies and brands by name (characters, pinyin or initials) and code; people by
    name, phone or e-mail, only from the companies whose file `viewer` may open."""
    query = (query or "").strip()[:100]
    if not _terms(query):
        return SearchResults(query, [], [], [])
    companies = _matching(visible(viewer, Company.objects.all()), query).select_related(
        "client_group"
    )
    brands = _matching(visible(viewer, Brand.objects.all()), query).select_related("company")
    contacts = visible(viewer, Contact.objects.all()).select_related("company", "brand")
    if PHONE_QUERY.match(query):
        # A phone number is found whether typed with spaces and hyphens or without.
        digits = re.sub(r"\D", "", query)
        contacts = contacts.filter(
            Q(search__contains=digits)
            | Q(phone__contains=query)
            | Q(phone__contains=digits)
            | Q(mobile__contains=digits)
        )
    else:
        contacts = _matching(contacts, query)
    return SearchResults(
        query,
        list(companies.order_by("code")[:limit]),
        list(brands.order_by("name")[:limit]),
        list(contacts.order_by("name", "pk")[:limit]),
    )


def my_clients(*, user: User, limit: int = 10) -> tuple[list[Company], int]:
    """The first `limit` companies `user` serves (key clients first), each with its count
    of key contacts (active decision makers), and how many they serve in all."""
    served = Company.objects.filter(served_by(user))
    key = Q(contacts__is_active=True, contacts__is_decision_maker=True)
    first = list(
        Company.objects.filter(
            pk__in=served.order_by("-is_key_client", "code").values("pk")[:limit]
        )
        .annotate(key_contacts=Count("contacts", filter=key))
        .order_by("-is_key_client", "code")
    )
    total = len(first) if len(first) < limit else served.count()
    return first, total
