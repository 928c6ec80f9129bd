"""The client portal over the API: my company and my agency team (client users only).

Mounted by jobbag/api.py as `api.add_router("/portal/", router)`.
"""

from django.http import HttpRequest
from ninja import Router, Schema

from jobbag.core.api_support import caller, errors
from jobbag.core.errors import NotFound
from jobbag.core.permissions import require
from jobbag.portal import selectors

router = Router(tags=["portal"])

VIEW = "portal.view"


class CompanyOut(Schema):
    """The whitelisted fields of the caller's own company (selectors.COMPANY_FIELDS)."""

    name: str
    name_en: str
    short_name: str
    industry: str
    address: str
    phone: str
    website: str
    brands: list[str]


class TeamMemberOut(Schema):
    name: str
    role: str
    role_label: str
    email: str
    phone: str
    mobile: str
    company_wide: bool
    brands: list[str]


@router.get("/company", response={200: CompanyOut, **errors(403, 404)})
def get_company(request: HttpRequest):
    """My company as the portal shows it; 403 for staff, 404 if I have no company."""
    require(caller(request), VIEW)
    company = selectors.portal_company(user=caller(request))
    if company is None:
        raise NotFound()
    return company


@router.get("/team", response={200: list[TeamMemberOut], **errors(403)})
def list_team(request: HttpRequest):
    """The agency people serving my company and its brands, senior first."""
    require(caller(request), VIEW)
    return selectors.portal_team(user=caller(request))
