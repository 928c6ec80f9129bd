"""The finance reference data over the API, mounted at /finance: the rate card and the
tax profiles, read-only (they are managed on the finance pages)."""

from decimal import Decimal

from django.http import HttpRequest
from ninja import Router, Schema

from jobbag.core.api_support import caller, errors, get_or_404
from jobbag.core.permissions import require
from jobbag.finance.models import RateItem
from jobbag.finance.selectors import reference as selectors

router = Router(tags=["finance"])

VIEW = "finance.reference.view"


class RateItemOut(Schema):
    id: int
    code: str
    name: str
    name_zh: str
    name_en: str
    unit: RateItem.Unit
    price: Decimal
    currency: str
    company_id: int | None
    is_active: bool
    version: int


class TaxComponentOut(Schema):
    id: int
    name: str
    rate: Decimal
    charged: bool
    order: int


class TaxProfileOut(Schema):
    id: int
    code: str
    name: str
    is_default: bool
    is_active: bool
    components: list[TaxComponentOut]
    version: int

    @staticmethod
    def resolve_components(profile) -> list:
        return list(profile.components.all())


@router.get("/rates", response={200: list[RateItemOut], **errors(403)})
def rate_list(request: HttpRequest, company: int | None = None, effective: bool = False):
    """The rate card. `company` adds that client's own prices to the general items;
    `effective=true` (with `company`) answers one active item per code, the client's own
    price winning."""
    require(caller(request), VIEW)
    if effective:
        return selectors.rate_card_for(company)
    return list(selectors.rate_items(company_id=company))


@router.get("/rates/{item_id}", response={200: RateItemOut, **errors(403, 404)})
def rate_get(request: HttpRequest, item_id: int):
    require(caller(request), VIEW)
    return get_or_404(selectors.rate_items(), pk=item_id)


@router.get("/tax-profiles", response={200: list[TaxProfileOut], **errors(403)})
def tax_profile_list(request: HttpRequest):
    require(caller(request), VIEW)
    return list(selectors.tax_profiles())


@router.get("/tax-profiles/{profile_id}", response={200: TaxProfileOut, **errors(403, 404)})
def tax_profile_get(request: HttpRequest, profile_id: int):
    require(caller(request), VIEW)
    return get_or_404(selectors.tax_profiles(), pk=profile_id)
