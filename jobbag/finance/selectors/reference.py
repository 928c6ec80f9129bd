"""Read queries of the finance reference data that pages, API and the quote services share."""

from django.db.models import Q, QuerySet

from jobbag.finance.models import RateItem, TaxProfile


def rate_items(*, company_id: int | None = None, active_only: bool = False) -> QuerySet[RateItem]:
    """The rate card: the general items and, when a company is named, that client's own
    prices (every client's when `company_id` is None)."""
    items = RateItem.objects.select_related("company")
    if company_id is not None:
        items = items.filter(Q(company__isnull=True) | Q(company_id=company_id))
    if active_only:
        items = items.filter(is_active=True)
    return items.order_by("code", "company__code", "pk")


def rate_card_for(company_id: int | None, currency: str = "CNY") -> list[RateItem]:
    """The active rate card as one client sees it: per code, the client's own price when
    it has one, else the general item."""
    chosen: dict[str, RateItem] = {}
    items = rate_items(company_id=company_id, active_only=True).filter(currency=currency)
    for item in items:
        if item.code not in chosen or item.company_id is not None:
            chosen[item.code] = item
    return sorted(chosen.values(), key=lambda item: item.code)


def rate_for(item: RateItem, company_id: int | None) -> RateItem:
    """The item whose price applies for a client: the client's own active price for the
    same code and currency, else the general item (or `item` itself)."""
    if company_id is None:
        return item
    own = (
        RateItem.objects.filter(
            code=item.code, currency=item.currency, company_id=company_id, is_active=True
        )
        .order_by("pk")
        .first()
    )
    return own or item


def tax_profiles(*, active_only: bool = False) -> QuerySet[TaxProfile]:
    profiles = TaxProfile.objects.prefetch_related("components")
    if active_only:
        profiles = profiles.filter(is_active=True)
    return profiles.order_by("-is_default", "code")


def default_tax_profile() -> TaxProfile | None:
    return TaxProfile.objects.filter(is_default=True, is_active=True).order_by("pk").first()
