"""Accounting periods (SPEC §7): the month closes on the configured day (the 25th by
default), so the period "2026-11" runs from 26 October to 25 November. Finance closes a
period explicitly; nothing dated in a closed period (or before it) is then issued,
credited, paid or allocated.

Closing a period also closes everything before it: the books are closed in order.
"""

from datetime import date, timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jobbag.accounts.models import User
from jobbag.core import audit
from jobbag.core.errors import Conflict, DomainError
from jobbag.core.permissions import require
from jobbag.core.versioning import save_versioned
from jobbag.finance.models import ClosedPeriod, FinanceSettings

PERIOD_CLOSED = _("The period %(period)s is closed: nothing dated %(day)s can be recorded.")
PERIOD_INVALID = _("Give the period as YYYY-MM.")
PERIOD_NOT_ENDED = _("The period %(period)s ends on %(end)s: it cannot be closed before then.")
PERIOD_ALREADY = _("The period %(period)s is already closed.")
CLOSE_DAY_RANGE = _("The month closes on a day from 1 to 28.")
TERMS_RANGE = _("Payment terms are from 0 to 365 days.")
SETTINGS_INVALID = _("Please correct the errors below.")

SETTINGS_FIELDS = [
    "close_day",
    "payment_terms_days",
    "notice_owner_days",
    "notice_marketing_manager_days",
    "notice_gm_days",
    "credit_hold_days",
]


def _shift(year: int, month: int, by: int) -> tuple[int, int]:
    index = year * 12 + (month - 1) + by
    return index // 12, index % 12 + 1


def period_of(day: date, close_day: int | None = None) -> str:
    """The period ("YYYY-MM") a day belongs to: up to the close day it is that month's,
    after it the next month's."""
    if close_day is None:
        close_day = FinanceSettings.current().close_day
    year, month = day.year, day.month
    if day.day > close_day:
        year, month = _shift(year, month, 1)
    return f"{year:04d}-{month:02d}"


def parse_period(value: str) -> tuple[int, int]:
    try:
        year_text, month_text = (value or "").split("-")
        year, month = int(year_text), int(month_text)
    except ValueError:
        raise DomainError(PERIOD_INVALID, fields={"period": PERIOD_INVALID}) from None
    if not (1900 <= year <= 9999 and 1 <= month <= 12) or len(value) != 7:
        raise DomainError(PERIOD_INVALID, fields={"period": PERIOD_INVALID})
    return year, month


def period_bounds(period: str, close_day: int | None = None) -> tuple[date, date]:
    """The first and last day of a period."""
    if close_day is None:
        close_day = FinanceSettings.current().close_day
    year, month = parse_period(period)
    before_year, before_month = _shift(year, month, -1)
    return date(before_year, before_month, close_day) + timedelta(days=1), date(
        year, month, close_day
    )


def last_closed() -> str | None:
    return ClosedPeriod.objects.order_by("-period").values_list("period", flat=True).first()


def is_closed(day: date) -> bool:
    """Whether `day` lies in a closed period (or before the last closed one)."""
    latest = last_closed()
    return latest is not None and period_of(day) <= latest


def require_open(day: date, field: str = "__all__") -> None:
    """Refuses a day in a closed period, naming the period and the field."""
    if is_closed(day):
        message = PERIOD_CLOSED % {"period": period_of(day), "day": day.isoformat()}
        raise DomainError(message, fields={field: message}, code="period_closed")


@transaction.atomic
def period_close(*, actor: User, period: str) -> ClosedPeriod:
    """Closes a period that has ended (Finance)."""
    require(actor, "finance.period.close")
    _start, end = period_bounds(period)
    if end >= timezone.localdate():
        message = PERIOD_NOT_ENDED % {"period": period, "end": end.isoformat()}
        raise DomainError(message, fields={"period": message})
    latest = last_closed()
    if latest is not None and period <= latest:
        raise Conflict(PERIOD_ALREADY % {"period": period})
    try:
        with transaction.atomic():
            closed = ClosedPeriod.objects.create(period=period, closed_by=actor)
    except IntegrityError:
        raise Conflict(PERIOD_ALREADY % {"period": period}) from None
    audit.record_create(actor=actor, obj=closed)
    return closed


@transaction.atomic
def finance_settings_update(*, actor: User, expected_version: int, **values) -> FinanceSettings:
    """Changes the close day, payment terms and credit-control thresholds."""
    require(actor, "finance.settings.edit")
    row = FinanceSettings.current()
    row = FinanceSettings.objects.select_for_update().get(pk=row.pk)
    if row.version != expected_version:
        raise Conflict()
    errors = {}
    close_day = values.get("close_day", row.close_day)
    if not isinstance(close_day, int) or not 1 <= close_day <= 28:
        errors["close_day"] = CLOSE_DAY_RANGE
    terms = values.get("payment_terms_days", row.payment_terms_days)
    if not isinstance(terms, int) or not 0 <= terms <= 365:
        errors["payment_terms_days"] = TERMS_RANGE
    if errors:
        raise DomainError(SETTINGS_INVALID, fields=errors)
    before = audit.snapshot(row, SETTINGS_FIELDS)
    for name in SETTINGS_FIELDS:
        if name in values and values[name] is not None:
            setattr(row, name, values[name])
    save_versioned(row, expected_version=expected_version, fields=SETTINGS_FIELDS)
    audit.record_change(actor=actor, obj=row, before=before)
    return row
