"""Companies, brands and their people: every change to them goes through here.

Each service takes the acting user first, checks permission (core.permissions), validates
all fields at once (DomainError with per-field messages), writes in a transaction with an
audit entry, and keeps the search key (names in characters, pinyin and initials) current.
Edits name the version they were made against; a stale edit is refused (Conflict).
"""

import re
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from jobbag.accounts.models import ACCOUNT_LADDER, ServiceTeamMembership
from jobbag.accounts.services.common import chain_reaches
from jobbag.clients.models import Brand, Company, Contact
from jobbag.clients.search import search_key
from jobbag.core import audit
from jobbag.core.errors import DomainError
from jobbag.core.permissions import require
from jobbag.core.phones import PHONE_INVALID, is_phone
from jobbag.core.versioning import save_versioned

INVALID = _("Please correct the errors below.")
REQUIRED = _("This field is required.")
CODE_FORMAT = _("Use 2 to 12 capital letters or digits, starting with a letter, e.g. HAIER.")
CODE_TAKEN = _("Another client already has this code.")
BRAND_TAKEN = _("This client already has a brand of that name.")
EMAIL_INVALID = _("Enter a valid e-mail address.")
NEGATIVE = _("This cannot be negative.")
MONTH_INVALID = _("Enter a month from 1 to 12.")
CURRENCY_FORMAT = _("Enter a three-letter currency code such as CNY.")
STATUS_INVALID = _("Choose one of the offered statuses.")
REPORTS_TO_OTHER_COMPANY = _("Choose someone at the same client.")
REPORTS_TO_CYCLE = _("A person cannot report to themselves or to someone who reports to them.")
BRAND_OTHER_COMPANY = _("Choose a brand of this client.")

CODE_RE = re.compile(r"^[A-Z][A-Z0-9]{1,11}$")
CURRENCY_RE = re.compile(r"^[A-Z]{3}$")

# The profile fields a company_create/company_update call may set besides its code and name.
COMPANY_FIELDS = (
    "name_en",
    "short_name",
    "status",
    "is_key_client",
    "client_group",
    "currency",
    "industry",
    "founded_on",
    "registered_capital",
    "fiscal_year_end_month",
    "annual_revenue",
    "product_mix",
    "industry_position",
    "headcount",
    "sites",
    "plans",
    "bank",
    "address",
    "phone",
    "website",
    "notes",
)
BRAND_FIELDS = ("name", "name_en", "category", "client_group", "is_active")
CONTACT_FIELDS = (
    "brand",
    "name",
    "title",
    "responsibility",
    "phone",
    "mobile",
    "email",
    "address",
    "background",
    "reports_to",
    "is_decision_maker",
    "is_active",
)


def _raise_if(errors: dict) -> None:
    if errors:
        raise DomainError(INVALID, fields=errors)


def _strip(values: dict) -> dict:
    return {k: v.strip() if isinstance(v, str) else v for k, v in values.items()}


def _check_company(errors: dict, values: dict, *, company: Company | None) -> None:
    code = values.get("code", company.code if company else "")
    if not code:
        errors["code"] = REQUIRED
    elif not CODE_RE.match(code):
        errors["code"] = CODE_FORMAT
    elif Company.objects.filter(code=code).exclude(pk=getattr(company, "pk", None)).exists():
        errors["code"] = CODE_TAKEN
    if "name" in values and not values["name"]:
        errors["name"] = REQUIRED
    for name in ("registered_capital", "annual_revenue", "headcount"):
        value = values.get(name)
        if value is not None and Decimal(value) < 0:
            errors[name] = NEGATIVE
    month = values.get("fiscal_year_end_month")
    if month is not None and not 1 <= month <= 12:
        errors["fiscal_year_end_month"] = MONTH_INVALID
    if "currency" in values and not CURRENCY_RE.match(values["currency"] or ""):
        errors["currency"] = CURRENCY_FORMAT
    if "status" in values and values["status"] not in Company.Status.values:
        errors["status"] = STATUS_INVALID
    if values.get("phone") and not is_phone(values["phone"]):
        errors["phone"] = PHONE_INVALID


def _company_search(company: Company) -> str:
    return search_key(company.name, company.name_en, company.short_name, company.code)


@transaction.atomic
def company_create(*, actor, code: str, name: str, **fields) -> Company:
    """Creates a client company. `fields` are any of COMPANY_FIELDS."""
    require(actor, "clients.company.create")
    unknown = set(fields) - set(COMPANY_FIELDS)
    if unknown:
        raise TypeError(f"Unknown company fields: {sorted(unknown)}")
    values = _strip({"code": (code or "").strip().upper(), "name": name, **fields})
    errors: dict = {}
    _check_company(errors, values, company=None)
    _raise_if(errors)
    company = Company(created_by=actor, **values)
    company.search = _company_search(company)
    company.save()
    audit.record_create(actor=actor, obj=company)
    # An account person who opens a client file serves that client from today; otherwise
    # they could not see or complete the file they have just opened.
    if actor.role in ACCOUNT_LADDER:
        membership = ServiceTeamMembership.objects.create(
            user=actor, team_role=actor.role, company=company
        )
        audit.record_create(actor=actor, obj=membership, note=str(company))
    return company


@transaction.atomic
def company_update(*, actor, company: Company, expected_version: int, **fields) -> Company:
    """Changes the given fields (code, name and any of COMPANY_FIELDS) of `company`."""
    require(actor, "clients.company.edit", company)
    unknown = set(fields) - {"code", "name", *COMPANY_FIELDS}
    if unknown:
        raise TypeError(f"Unknown company fields: {sorted(unknown)}")
    values = _strip(fields)
    if "code" in values:
        values["code"] = (values["code"] or "").upper()
    errors: dict = {}
    _check_company(errors, values, company=company)
    _raise_if(errors)
    before = audit.snapshot(company, list(values))
    for name, value in values.items():
        setattr(company, name, value)
    company.search = _company_search(company)
    save_versioned(company, expected_version=expected_version, fields=[*values, "search"])
    audit.record_change(actor=actor, obj=company, before=before)
    return company


def _check_brand(
    errors: dict, values: dict, *, company: Company | None, brand: Brand | None
) -> None:
    if "name" in values:
        if not values["name"]:
            errors["name"] = REQUIRED
        # A company not saved yet (one being imported) has no brands to clash with.
        elif company is not None and (
            Brand.objects.filter(company=company, name=values["name"])
            .exclude(pk=getattr(brand, "pk", None))
            .exists()
        ):
            errors["name"] = BRAND_TAKEN


@transaction.atomic
def brand_create(*, actor, company: Company, name: str, **fields) -> Brand:
    require(actor, "clients.company.edit", company)
    values = _strip({"name": name, **fields})
    errors: dict = {}
    _check_brand(errors, values, company=company, brand=None)
    _raise_if(errors)
    brand = Brand(company=company, **values)
    brand.search = search_key(brand.name, brand.name_en)
    brand.save()
    audit.record_create(actor=actor, obj=brand)
    return brand


@transaction.atomic
def brand_update(*, actor, brand: Brand, expected_version: int, **fields) -> Brand:
    require(actor, "clients.company.edit", brand.company)
    unknown = set(fields) - set(BRAND_FIELDS)
    if unknown:
        raise TypeError(f"Unknown brand fields: {sorted(unknown)}")
    values = _strip(fields)
    errors: dict = {}
    _check_brand(errors, values, company=brand.company, brand=brand)
    _raise_if(errors)
    before = audit.snapshot(brand, list(values))
    for name, value in values.items():
        setattr(brand, name, value)
    brand.search = search_key(brand.name, brand.name_en)
    save_versioned(brand, expected_version=expected_version, fields=[*values, "search"])
    audit.record_change(actor=actor, obj=brand, before=before)
    return brand


def _check_contact(
    errors: dict, values: dict, *, company: Company | None, contact: Contact | None
) -> None:
    if "name" in values and not values["name"]:
        errors["name"] = REQUIRED
    for name in ("phone", "mobile"):
        if values.get(name) and not is_phone(values[name]):
            errors[name] = PHONE_INVALID
    if values.get("email"):
        try:
            validate_email(values["email"])
        except ValidationError:
            errors["email"] = EMAIL_INVALID
    brand = values.get("brand")
    if brand is not None and brand.company_id != company.pk:
        errors["brand"] = BRAND_OTHER_COMPANY
    boss = values.get("reports_to")
    if boss is not None:
        if boss.company_id != company.pk:
            errors["reports_to"] = REPORTS_TO_OTHER_COMPANY
        elif contact is not None and chain_reaches(boss, contact, up="reports_to"):
            errors["reports_to"] = REPORTS_TO_CYCLE


def _contact_search(contact: Contact) -> str:
    return " ".join(
        filter(
            None, [search_key(contact.name), contact.email.lower(), contact.mobile, contact.phone]
        )
    )


@transaction.atomic
def contact_create(*, actor, company: Company, name: str, **fields) -> Contact:
    """Adds a person at the client. `fields` are any of CONTACT_FIELDS."""
    require(actor, "clients.company.edit", company)
    unknown = set(fields) - set(CONTACT_FIELDS)
    if unknown:
        raise TypeError(f"Unknown contact fields: {sorted(unknown)}")
    values = _strip({"name": name, **fields})
    errors: dict = {}
    _check_contact(errors, values, company=company, contact=None)
    _raise_if(errors)
    contact = Contact(company=company, **values)
    contact.search = _contact_search(contact)
    contact.save()
    audit.record_create(actor=actor, obj=contact)
    return contact


@transaction.atomic
def contact_update(*, actor, contact: Contact, expected_version: int, **fields) -> Contact:
    require(actor, "clients.company.edit", contact.company)
    unknown = set(fields) - set(CONTACT_FIELDS)
    if unknown:
        raise TypeError(f"Unknown contact fields: {sorted(unknown)}")
    values = _strip(fields)
    errors: dict = {}
    _check_contact(errors, values, company=contact.company, contact=contact)
    _raise_if(errors)
    before = audit.snapshot(contact, list(values))
    for name, value in values.items():
        setattr(contact, name, value)
    contact.search = _contact_search(contact)
    save_versioned(contact, expected_version=expected_version, fields=[*values, "search"])
    audit.record_change(actor=actor, obj=contact, before=before)
    return contact


# Checks without writing, for the Excel import's preview: the same rules as the services
# above, field errors returned instead of raised. `company` None is a company that the
# same import creates; relations (brand, reports_to) are resolved and checked by the import.


def company_errors(*, code: str, name: str, **fields) -> dict:
    """The field errors company_create would refuse these values with."""
    values = _strip({"code": (code or "").strip().upper(), "name": name, **fields})
    errors: dict = {}
    _check_company(errors, values, company=None)
    return errors


def brand_errors(*, company: Company | None, name: str, **fields) -> dict:
    """The field errors brand_create would refuse these values with."""
    errors: dict = {}
    _check_brand(errors, _strip({"name": name, **fields}), company=company, brand=None)
    return errors


def contact_errors(*, name: str, **fields) -> dict:
    """The field errors contact_create would refuse these values with (no brand or
    reports_to: the import resolves those itself)."""
    errors: dict = {}
    _check_contact(errors, _strip({"name": name, **fields}), company=None, contact=None)
    return errors
