"""Forecasts (SPEC §6, §7): the ad spend and agency revenue expected from a client each
month, entered by the account manager (and up) one month at a time or as a year's grid.

Amounts are Decimal in the client's currency with at most two decimal places, never
negative; a month is its first day. Every save names the version the user saw (none or 0
for a month not forecast yet), so two people entering the same client at once cannot
overwrite each other: the second gets Conflict (409) and nothing of theirs is written.
Saving figures that are already saved changes nothing and is not refused, so a double
submit is harmless.
"""

from datetime import date
from decimal import Decimal, InvalidOperation

from django.db import IntegrityError, transaction
from django.utils.translation import gettext_lazy as _

from jobbag.accounts.models import User
from jobbag.clients.models import Company
from jobbag.core import audit
from jobbag.core.errors import Conflict, DomainError
from jobbag.core.permissions import require
from jobbag.core.versioning import save_versioned
from jobbag.meetings.models import Forecast

INVALID = _("The forecast is not valid: correct the fields marked.")
YEAR_INVALID = _("The year grid is not valid: correct the months marked. Nothing was saved.")
MONTH_NOT_FIRST = _("A forecast is for a whole month: give the first day of the month.")
MONTH_REQUIRED = _("Give the month forecast.")
YEAR_OUT_OF_RANGE = _("Enter a year from %(low)s to %(high)s.")
AMOUNT_REQUIRED = _("Enter an amount.")
AMOUNT_NOT_A_NUMBER = _("Enter an amount as a number, such as 120000.00.")
AMOUNT_NEGATIVE = _("An amount cannot be negative.")
AMOUNT_TOO_PRECISE = _("An amount has at most two decimal places.")
AMOUNT_TOO_LARGE = _("An amount has at most 12 digits before the decimal point.")
NOTE_TOO_LONG = _("A note has at most 300 characters.")
MONTHS_INVALID = _("Give the months of the year as numbers from 1 to 12.")

FIELDS = ["ad_spend", "revenue", "note"]
YEARS = (2000, 2100)
CENT = Decimal("0.01")
LIMIT = Decimal("1000000000000")  # 10^12: max_digits 14 with 2 decimal places.


def month_start(value) -> date:
    """The month `value` names, if it is the first day of a month; else a DomainError."""
    if not isinstance(value, date):
        raise DomainError(INVALID, fields={"month": MONTH_REQUIRED})
    if value.day != 1:
        raise DomainError(INVALID, fields={"month": MONTH_NOT_FIRST})
    if not YEARS[0] <= value.year <= YEARS[1]:
        raise DomainError(
            INVALID, fields={"month": YEAR_OUT_OF_RANGE % {"low": YEARS[0], "high": YEARS[1]}}
        )
    return date(value.year, value.month, 1)


def clean_amount(value) -> Decimal:
    """An amount as an exact Decimal; a float is refused rather than rounded into cents.
    Raises ValueError with the message to show."""
    if value is None or value == "":
        raise ValueError(AMOUNT_REQUIRED)
    if isinstance(value, (bool, float)):
        raise ValueError(AMOUNT_NOT_A_NUMBER)
    try:
        amount = Decimal(value.strip() if isinstance(value, str) else value)
    except (InvalidOperation, TypeError, ValueError):
        raise ValueError(AMOUNT_NOT_A_NUMBER) from None
    if not amount.is_finite():
        raise ValueError(AMOUNT_NOT_A_NUMBER)
    if amount < 0:
        raise ValueError(AMOUNT_NEGATIVE)
    if amount != amount.quantize(CENT):
        raise ValueError(AMOUNT_TOO_PRECISE)
    if amount >= LIMIT:
        raise ValueError(AMOUNT_TOO_LARGE)
    return amount.quantize(CENT)


def _clean(values: dict) -> tuple[dict, dict]:
    """The month's amounts and note, cleaned; and a field error for each problem."""
    cleaned, errors = {}, {}
    for name in ("ad_spend", "revenue"):
        try:
            cleaned[name] = clean_amount(values.get(name))
        except ValueError as error:
            errors[name] = error.args[0]
    note = (values.get("note") or "").strip()
    if len(note) > 300:
        errors["note"] = NOTE_TOO_LONG
    cleaned["note"] = note
    return cleaned, errors


def _write(*, actor: User, company: Company, month: date, values: dict, expected_version):
    """Creates or updates one month's forecast; refuses a stale version with Conflict."""
    row = (
        Forecast.objects.select_for_update(of=("self",))
        .filter(company=company, month=month)
        .first()
    )
    if row is None:
        if expected_version:
            # The user saw a forecast for this month that is no longer there.
            raise Conflict()
        try:
            # A savepoint: if someone else created the month meanwhile, the unique
            # constraint refuses this insert and the transaction can still be rolled back.
            with transaction.atomic():
                row = Forecast.objects.create(
                    company=company,
                    month=month,
                    currency=company.currency or "CNY",
                    updated_by=actor,
                    **values,
                )
        except IntegrityError:
            raise Conflict() from None
        audit.record_create(actor=actor, obj=row)
        return row
    if all(getattr(row, name) == value for name, value in values.items()):
        # Nothing to write: a double submit, or someone else entered the same figures.
        return row
    if expected_version is None or row.version != expected_version:
        raise Conflict()
    before = audit.snapshot(row, FIELDS)
    for name, value in values.items():
        setattr(row, name, value)
    row.updated_by = actor
    save_versioned(row, expected_version=expected_version, fields=[*FIELDS, "updated_by"])
    audit.record_change(actor=actor, obj=row, before=before)
    return row


@transaction.atomic
def forecast_set(
    *,
    actor: User,
    company: Company,
    month: date,
    ad_spend,
    revenue,
    note: str = "",
    expected_version: int | None = None,
) -> Forecast:
    """Enters one month's ad spend and revenue for the client, or changes them.

    `expected_version` is the version of the month's forecast the user saw: None (or 0)
    when there was none. A stale one is refused with Conflict and changes nothing.
    """
    require(actor, "meetings.forecasts.edit", company)
    month = month_start(month)
    values, errors = _clean({"ad_spend": ad_spend, "revenue": revenue, "note": note})
    if errors:
        raise DomainError(INVALID, fields=errors)
    return _write(
        actor=actor, company=company, month=month, values=values, expected_version=expected_version
    )


def grid_field(name: str, month: int) -> str:
    """The name of one cell of the year grid: `ad_spend_3` is March's ad spend."""
    return f"{name}_{month}"


@transaction.atomic
def forecast_year_set(
    *, actor: User, company: Company, year: int, months: dict[int, dict]
) -> list[Forecast]:
    """Saves a year's grid for one client at once: all months or none.

    `months` maps a month number (1–12) to `{"ad_spend", "revenue", "note", "version"}`;
    `version` is the one the user saw (None or 0 for a month not forecast yet). A month
    left blank (no amounts, no note) that has no forecast yet stays without one; a blank
    amount of a month that has one is zero. Any error — a bad amount in one month, or a
    month someone else changed meanwhile — refuses the whole grid.
    """
    require(actor, "meetings.forecasts.edit", company)
    if isinstance(year, bool) or not isinstance(year, int) or not YEARS[0] <= year <= YEARS[1]:
        raise DomainError(
            YEAR_INVALID, fields={"year": YEAR_OUT_OF_RANGE % {"low": YEARS[0], "high": YEARS[1]}}
        )
    if not set(months) <= set(range(1, 13)):
        raise DomainError(YEAR_INVALID, fields={"months": MONTHS_INVALID})
    existing = {
        row.month.month: row
        for row in Forecast.objects.select_for_update(of=("self",)).filter(
            company=company, month__year=year
        )
    }
    planned, errors = [], {}
    for number in sorted(months):
        entry = months[number]
        blank = all(entry.get(name) in (None, "") for name in FIELDS)
        if blank and number not in existing:
            continue
        values = {
            "ad_spend": Decimal(0) if entry.get("ad_spend") in (None, "") else entry["ad_spend"],
            "revenue": Decimal(0) if entry.get("revenue") in (None, "") else entry["revenue"],
            "note": entry.get("note") or "",
        }
        cleaned, month_errors = _clean(values)
        errors.update({grid_field(name, number): error for name, error in month_errors.items()})
        planned.append((number, cleaned, entry.get("version")))
    if errors:
        raise DomainError(YEAR_INVALID, fields=errors)
    return [
        _write(
            actor=actor,
            company=company,
            month=date(year, number, 1),
            values=values,
            expected_version=version,
        )
        for number, values, version in planned
    ]
