"""Client companies, brands and contacts over the API; mounted in jobbag/api.py at /clients.

Every staff member finds every company by name, code and industry; its `profile` (the
confidential figures) is null unless the caller may open the file. Brands and people are
confidential too: a staff member outside the team gets 403 on them. A client user sees
only their own company (404 for any other) and changes nothing here.
"""

from datetime import date
from decimal import Decimal

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from jobbag.accounts.models import ClientGroup, User
from jobbag.clients import selectors, services
from jobbag.clients.models import Brand, Company, Contact
from jobbag.clients.permissions import confidential_company_ids, is_staff
from jobbag.core.api_support import (
    FIELD_INVALID,
    INVALID_INPUT,
    PagePagination,
    caller,
    errors,
    get_or_404,
)
from jobbag.core.errors import DomainError, NotAllowed
from jobbag.core.permissions import require, visible

router = Router(tags=["clients"])

CREATE = "clients.company.create"
EDIT = "clients.company.edit"
STAFF = "clients.list"


def _open_ids(request: HttpRequest) -> set[int] | None:
    """The companies whose file the caller may open, asked once per request."""
    if not hasattr(request, "_clients_open_ids"):
        request._clients_open_ids = confidential_company_ids(caller(request))
    return request._clients_open_ids


def _file_open(request: HttpRequest, company: Company) -> bool:
    ids = _open_ids(request)
    return ids is None or company.pk in ids


class ProfileOut(Schema):
    status: str
    is_key_client: bool
    client_group_id: int | None
    currency: str
    founded_on: date | None
    registered_capital: Decimal | None
    fiscal_year_end_month: int | None
    annual_revenue: Decimal | None
    product_mix: str
    industry_position: str
    headcount: int | None
    sites: str
    plans: str
    bank: str
    address: str
    phone: str
    website: str
    notes: str


class CompanyOut(Schema):
    id: int
    code: str
    name: str
    name_en: str
    short_name: str
    industry: str
    version: int
    profile: ProfileOut | None = Field(
        None, description="Null unless the caller may open this client's file."
    )

    @staticmethod
    def resolve_profile(obj: Company, context) -> Company | None:
        return obj if _file_open(context["request"], obj) else None


class CompanyIn(Schema):
    code: str = Field(..., max_length=12)
    name: str = Field(..., max_length=200)
    name_en: str = Field("", max_length=200)
    short_name: str = Field("", max_length=50)
    status: Company.Status = Company.Status.ACTIVE
    is_key_client: bool = False
    client_group_id: int | None = None
    currency: str = Field("CNY", max_length=3)
    industry: str = Field("", max_length=100)
    founded_on: date | None = None
    registered_capital: Decimal | None = Field(None, max_digits=16, decimal_places=2)
    fiscal_year_end_month: int | None = None
    annual_revenue: Decimal | None = Field(None, max_digits=16, decimal_places=2)
    product_mix: str = ""
    industry_position: str = ""
    headcount: int | None = None
    sites: str = ""
    plans: str = ""
    bank: str = Field("", max_length=200)
    address: str = Field("", max_length=300)
    phone: str = Field("", max_length=32)
    website: str = Field("", max_length=200)
    notes: str = ""


class CompanyPatch(Schema):
    """Only the fields sent are changed; `version` is the one the edit was made against."""

    version: int
    code: str | None = Field(None, max_length=12)
    name: str | None = Field(None, max_length=200)
    name_en: str | None = Field(None, max_length=200)
    short_name: str | None = Field(None, max_length=50)
    status: Company.Status | None = None
    is_key_client: bool | None = None
    client_group_id: int | None = None
    currency: str | None = Field(None, max_length=3)
    industry: str | None = Field(None, max_length=100)
    founded_on: date | None = None
    registered_capital: Decimal | None = Field(None, max_digits=16, decimal_places=2)
    fiscal_year_end_month: int | None = None
    annual_revenue: Decimal | None = Field(None, max_digits=16, decimal_places=2)
    product_mix: str | None = None
    industry_position: str | None = None
    headcount: int | None = None
    sites: str | None = None
    plans: str | None = None
    bank: str | None = Field(None, max_length=200)
    address: str | None = Field(None, max_length=300)
    phone: str | None = Field(None, max_length=32)
    website: str | None = Field(None, max_length=200)
    notes: str | None = None


class CompanyFilters(Schema):
    q: str = Field("", max_length=100, description="Name in characters, pinyin or initials; code.")
    status: Company.Status | None = None
    mine: bool = Field(False, description="Only the clients the caller serves.")


class BrandOut(Schema):
    id: int
    company_id: int
    name: str
    name_en: str
    category: str
    client_group_id: int | None
    is_active: bool
    version: int


class BrandIn(Schema):
    name: str = Field(..., max_length=200)
    name_en: str = Field("", max_length=200)
    category: str = Field("", max_length=100)
    client_group_id: int | None = None
    is_active: bool = True


class ContactOut(Schema):
    id: int
    company_id: int
    brand_id: int | None
    name: str
    title: str
    responsibility: str
    phone: str
    mobile: str
    email: str
    address: str
    background: str
    reports_to_id: int | None
    is_decision_maker: bool
    is_active: bool
    version: int


class ContactIn(Schema):
    name: str = Field(..., max_length=100)
    title: str = Field("", max_length=100)
    responsibility: str = Field("", max_length=200)
    brand_id: int | None = None
    reports_to_id: int | None = None
    phone: str = Field("", max_length=32)
    mobile: str = Field("", max_length=32)
    email: str = Field("", max_length=254)
    address: str = Field("", max_length=300)
    background: str = ""
    is_decision_maker: bool = False
    is_active: bool = True


class ContactPatch(Schema):
    version: int
    name: str | None = Field(None, max_length=100)
    title: str | None = Field(None, max_length=100)
    responsibility: str | None = Field(None, max_length=200)
    brand_id: int | None = None
    reports_to_id: int | None = None
    phone: str | None = Field(None, max_length=32)
    mobile: str | None = Field(None, max_length=32)
    email: str | None = Field(None, max_length=254)
    address: str | None = Field(None, max_length=300)
    background: str | None = None
    is_decision_maker: bool | None = None
    is_active: bool | None = None


class SearchOut(Schema):
    companies: list[CompanyOut]
    brands: list[BrandOut]
    contacts: list[ContactOut]


class SearchIn(Schema):
    q: str = Field(..., max_length=100)


def _invalid(name: str) -> DomainError:
    return DomainError(INVALID_INPUT, fields={name: FIELD_INVALID})


def _resolve(values: dict, *, company: Company | None = None) -> dict:
    """Turns the `*_id` fields sent into the rows the services take; an id the caller may
    not choose is a field error, as an unknown one is."""
    values = dict(values)
    if "client_group_id" in values:
        pk = values.pop("client_group_id")
        values["client_group"] = None
        if pk is not None:
            values["client_group"] = ClientGroup.objects.filter(pk=pk).first()
            if values["client_group"] is None:
                raise _invalid("client_group_id")
    if "brand_id" in values:
        pk = values.pop("brand_id")
        values["brand"] = None
        if pk is not None:
            values["brand"] = Brand.objects.filter(pk=pk, company=company).first()
            if values["brand"] is None:
                raise _invalid("brand_id")
    if "reports_to_id" in values:
        pk = values.pop("reports_to_id")
        values["reports_to"] = None
        if pk is not None:
            values["reports_to"] = Contact.objects.filter(pk=pk, company=company).first()
            if values["reports_to"] is None:
                raise _invalid("reports_to_id")
    return values


def _company(request: HttpRequest, company_id: int) -> Company:
    return get_or_404(visible(caller(request), Company.objects.all()), pk=company_id)


def _require_file(request: HttpRequest, company: Company) -> None:
    """Brands and people are confidential: staff outside the team may not list them. A
    client user reaches only their own company, which _company already ensured."""
    user: User = caller(request)
    if is_staff(user) and not _file_open(request, company):
        raise NotAllowed()


@router.get("", response={200: list[CompanyOut], **errors()})
@paginate(PagePagination)
def list_companies(request: HttpRequest, filters: Query[CompanyFilters]):
    """Every client a staff member may find (a client user: their own company)."""
    return selectors.company_list(
        viewer=caller(request),
        query=filters.q,
        status=filters.status or "",
        mine=filters.mine,
    )


@router.post("", response={201: CompanyOut, **errors(400, 403)})
def create_company(request: HttpRequest, payload: CompanyIn):
    require(caller(request), CREATE)
    company = services.company_create(actor=caller(request), **_resolve(payload.dict()))
    return Status(201, company)


@router.get("/search", response={200: SearchOut, **errors(403)})
def search(request: HttpRequest, params: Query[SearchIn]):
    """Clients and brands by name (characters, pinyin, initials); people also by phone or
    e-mail, only from files the caller may open. Staff only."""
    require(caller(request), STAFF)
    return selectors.search(viewer=caller(request), query=params.q)


@router.patch("/contacts/{contact_id}", response={200: ContactOut, **errors(400, 403, 404, 409)})
def update_contact(request: HttpRequest, contact_id: int, payload: ContactPatch):
    contact = get_or_404(
        visible(caller(request), Contact.objects.select_related("company")), pk=contact_id
    )
    values = _resolve(
        payload.dict(exclude_unset=True, exclude={"version"}), company=contact.company
    )
    return services.contact_update(
        actor=caller(request), contact=contact, expected_version=payload.version, **values
    )


@router.get("/{company_id}", response={200: CompanyOut, **errors(404)})
def get_company(request: HttpRequest, company_id: int):
    return _company(request, company_id)


@router.patch("/{company_id}", response={200: CompanyOut, **errors(400, 403, 404, 409)})
def update_company(request: HttpRequest, company_id: int, payload: CompanyPatch):
    """Changes the fields sent; 409 when `version` is no longer the current one."""
    company = _company(request, company_id)
    values = _resolve(payload.dict(exclude_unset=True, exclude={"version"}))
    services.company_update(
        actor=caller(request), company=company, expected_version=payload.version, **values
    )
    return company


@router.get("/{company_id}/brands", response={200: list[BrandOut], **errors(403, 404)})
def list_brands(request: HttpRequest, company_id: int):
    company = _company(request, company_id)
    _require_file(request, company)
    return visible(caller(request), Brand.objects.filter(company=company))


@router.post("/{company_id}/brands", response={201: BrandOut, **errors(400, 403, 404)})
def create_brand(request: HttpRequest, company_id: int, payload: BrandIn):
    company = _company(request, company_id)
    values = _resolve(payload.dict())
    brand = services.brand_create(actor=caller(request), company=company, **values)
    return Status(201, brand)


@router.get("/{company_id}/contacts", response={200: list[ContactOut], **errors(403, 404)})
def list_contacts(request: HttpRequest, company_id: int):
    company = _company(request, company_id)
    _require_file(request, company)
    return visible(caller(request), Contact.objects.filter(company=company)).order_by("name", "pk")


@router.post("/{company_id}/contacts", response={201: ContactOut, **errors(400, 403, 404)})
def create_contact(request: HttpRequest, company_id: int, payload: ContactIn):
    company = _company(request, company_id)
    values = _resolve(payload.dict(), company=company)
    contact = services.contact_create(actor=caller(request), company=company, **values)
    return Status(201, contact)
