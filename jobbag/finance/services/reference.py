"""Every change to the rate card and the tax profiles (SPEC §7). Prices already quoted
are copied onto the quote lines, so changing the card never changes a sent quote."""

import re
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.db.models import F
from django.utils.translation import gettext_lazy as _

from jobbag.accounts.models import User
from jobbag.core import audit
from jobbag.core.errors import DomainError
from jobbag.core.models import AuditEntry
from jobbag.core.permissions import require
from jobbag.core.versioning import save_versioned
from jobbag.finance.models import RateItem, TaxComponent, TaxProfile

MANAGE = "finance.reference.manage"

INVALID = _("Please correct the errors below.")
REQUIRED = _("This field is required.")
NOT_A_NUMBER = _("Enter a number.")
NEGATIVE = _("The price cannot be negative.")
RATE_RANGE = _("Enter a rate from 0 to 100.")
CODE_FORMAT = _("Use letters, digits, hyphens or underscores for the code.")
CURRENCY_FORMAT = _("Enter a three-letter currency code such as CNY.")
UNIT_INVALID = _("Choose per hour or per piece.")
CODE_TAKEN = _("The rate card already has this code in this currency.")
CLIENT_CODE_TAKEN = _("This client already has its own price for this code.")
PROFILE_CODE_TAKEN = _("A tax profile with this code exists already.")

CODE_RE = re.compile(r"^[-a-zA-Z0-9_]+$")
CURRENCY_RE = re.compile(r"^[A-Z]{3}$")
RATE_ITEM_FIELDS = (
    "code",
    "name_zh",
    "name_en",
    "unit",
    "price",
    "currency",
    "company",
    "is_active",
)
PROFILE_FIELDS = ("code", "name", "is_default", "is_active")


def _decimal(value, errors: dict, field: str, message=NOT_A_NUMBER) -> Decimal | None:
    try:
        number = Decimal(str(value))
    except (InvalidOperation, ValueError, TypeError):
        errors[field] = message
        return None
    if not number.is_finite():
        errors[field] = message
        return None
    return number.quantize(Decimal("0.01"))


def _clean_rate_item(values: dict, errors: dict, *, pk: int | None) -> dict:
    values = {k: v.strip() if isinstance(v, str) else v for k, v in values.items()}
    for name in ("code", "name_zh"):
        if name in values and not values[name]:
            errors[name] = REQUIRED
    if values.get("code") and not CODE_RE.match(values["code"]):
        errors["code"] = CODE_FORMAT
    if "currency" in values:
        values["currency"] = (values["currency"] or "").upper()
        if not CURRENCY_RE.match(values["currency"]):
            errors["currency"] = CURRENCY_FORMAT
    if "unit" in values and values["unit"] not in RateItem.Unit.values:
        errors["unit"] = UNIT_INVALID
    if "price" in values:
        if values["price"] in (None, ""):
            errors["price"] = REQUIRED
        else:
            price = _decimal(values["price"], errors, "price")
            if price is not None and price < 0:
                errors["price"] = NEGATIVE
            values["price"] = price
    if "name_en" in values and values["name_en"] is None:
        values["name_en"] = ""
    return values


def _check_unique(item: RateItem, errors: dict) -> None:
    clash = RateItem.objects.filter(
        code=item.code, currency=item.currency, company_id=item.company_id
    ).exclude(pk=item.pk)
    if clash.exists():
        errors["code"] = CLIENT_CODE_TAKEN if item.company_id else CODE_TAKEN


@transaction.atomic
def rate_item_create(*, actor: User, **fields) -> RateItem:
    """Adds a general rate card line, or a client's own price when `company` is given."""
    require(actor, MANAGE)
    unknown = set(fields) - set(RATE_ITEM_FIELDS)
    if unknown:
        raise TypeError(f"Unknown rate item fields: {sorted(unknown)}")
    fields = {"currency": "CNY", "name_en": "", **fields}
    errors: dict = {}
    for name in ("code", "name_zh", "unit", "price"):
        fields.setdefault(name, "")
    values = _clean_rate_item(fields, errors, pk=None)
    if errors:
        raise DomainError(INVALID, fields=errors)
    item = RateItem(**values)
    _check_unique(item, errors)
    if errors:
        raise DomainError(INVALID, fields=errors)
    item.save()
    audit.record_create(actor=actor, obj=item)
    return item


@transaction.atomic
def rate_item_update(*, actor: User, item: RateItem, expected_version: int, **fields) -> RateItem:
    require(actor, MANAGE)
    unknown = set(fields) - set(RATE_ITEM_FIELDS)
    if unknown:
        raise TypeError(f"Unknown rate item fields: {sorted(unknown)}")
    errors: dict = {}
    values = _clean_rate_item(fields, errors, pk=item.pk)
    if errors:
        raise DomainError(INVALID, fields=errors)
    before = audit.snapshot(item, list(values))
    for name, value in values.items():
        setattr(item, name, value)
    _check_unique(item, errors)
    if errors:
        raise DomainError(INVALID, fields=errors)
    save_versioned(item, expected_version=expected_version, fields=list(values))
    audit.record_change(actor=actor, obj=item, before=before)
    return item


def _clean_profile(values: dict, errors: dict) -> dict:
    values = {k: v.strip() if isinstance(v, str) else v for k, v in values.items()}
    for name in ("code", "name"):
        if name in values and not values[name]:
            errors[name] = REQUIRED
    if values.get("code") and not CODE_RE.match(values["code"]):
        errors["code"] = CODE_FORMAT
    return values


def _one_default(profile: TaxProfile) -> None:
    """Only one profile is the default: making one the default unmarks the others."""
    if profile.is_default:
        TaxProfile.objects.filter(is_default=True).exclude(pk=profile.pk).update(is_default=False)


@transaction.atomic
def tax_profile_create(*, actor: User, code: str, name: str, **fields) -> TaxProfile:
    require(actor, MANAGE)
    errors: dict = {}
    values = _clean_profile({"code": code, "name": name, **fields}, errors)
    if not errors and TaxProfile.objects.filter(code=values["code"]).exists():
        errors["code"] = PROFILE_CODE_TAKEN
    if errors:
        raise DomainError(INVALID, fields=errors)
    profile = TaxProfile.objects.create(**values)
    _one_default(profile)
    audit.record_create(actor=actor, obj=profile)
    return profile


@transaction.atomic
def tax_profile_update(
    *, actor: User, profile: TaxProfile, expected_version: int, **fields
) -> TaxProfile:
    require(actor, MANAGE)
    unknown = set(fields) - set(PROFILE_FIELDS)
    if unknown:
        raise TypeError(f"Unknown tax profile fields: {sorted(unknown)}")
    errors: dict = {}
    values = _clean_profile(fields, errors)
    if (
        values.get("code")
        and TaxProfile.objects.filter(code=values["code"]).exclude(pk=profile.pk).exists()
    ):
        errors["code"] = PROFILE_CODE_TAKEN
    if errors:
        raise DomainError(INVALID, fields=errors)
    before = audit.snapshot(profile, list(values))
    for name, value in values.items():
        setattr(profile, name, value)
    save_versioned(profile, expected_version=expected_version, fields=list(values))
    _one_default(profile)
    audit.record_change(actor=actor, obj=profile, before=before)
    return profile


def _touch(profile: TaxProfile) -> None:
    """A component change is a change of its profile: editors holding an older version
    are told so."""
    TaxProfile.objects.filter(pk=profile.pk).update(version=F("version") + 1)
    profile.refresh_from_db(fields=["version"])


@transaction.atomic
def tax_component_add(
    *, actor: User, profile: TaxProfile, name: str, rate, charged: bool = True, order: int = 0
) -> TaxComponent:
    """Adds a tax to a profile: `charged` taxes (VAT) are added to the client's price; the
    others (the culture-construction fee) are shown for costing only."""
    require(actor, MANAGE)
    errors: dict = {}
    name = (name or "").strip()
    if not name:
        errors["name"] = REQUIRED
    value = None
    if rate in (None, ""):
        errors["rate"] = REQUIRED
    else:
        value = _decimal(rate, errors, "rate", RATE_RANGE)
        if value is not None and not Decimal(0) <= value <= Decimal(100):
            errors["rate"] = RATE_RANGE
    if errors:
        raise DomainError(INVALID, fields=errors)
    component = TaxComponent.objects.create(
        profile=profile, name=name, rate=value, charged=bool(charged), order=order or 0
    )
    _touch(profile)
    audit.record(
        actor=actor,
        obj=profile,
        action=AuditEntry.Action.CHANGE,
        changes={"components": [None, str(component)]},
    )
    return component


@transaction.atomic
def tax_component_remove(*, actor: User, component: TaxComponent) -> None:
    require(actor, MANAGE)
    profile = component.profile
    label = str(component)
    component.delete()
    _touch(profile)
    audit.record(
        actor=actor,
        obj=profile,
        action=AuditEntry.Action.CHANGE,
        changes={"components": [label, None]},
    )
