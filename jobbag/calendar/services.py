"""Working-day arithmetic and the admin edits of the calendar.

A day is a working day when it is Monday–Friday and not a public holiday in the table,
or when it is a make-up working day (调休) in the table. Each computation loads the table
rows for the dates it needs in one query (plus one for the years), never one per day.

A year whose data is not known (no package data and not marked known by an admin) is
counted as plain Monday–Friday, with whatever rows the table already has for it. The
first time such a year is used, a warning is logged and active administrators are
notified, once per year; the computation never fails for want of data.
"""

import logging
from datetime import date, timedelta

from django.contrib.auth import get_user_model
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from jobbag.calendar.models import FIRST_YEAR, LAST_YEAR, CalendarDay, CalendarYear, Source
from jobbag.core import audit
from jobbag.core.errors import Conflict, DomainError, NotFound
from jobbag.core.models import AuditEntry
from jobbag.core.notifications import notify
from jobbag.core.permissions import require
from jobbag.core.versioning import save_versioned

logger = logging.getLogger(__name__)

DATE_OUT_OF_RANGE = _("Dates must fall between 1990 and 2100.")
MAKEUP_DAY_NOT_WEEKEND = _("A make-up working day must be a Saturday or a Sunday.")
HOLIDAY_NAME_REQUIRED = _("A public holiday needs a name.")
DAY_EXISTS = _("This date already has an entry; edit that entry instead.")
UNKNOWN_KIND = _("Choose a public holiday or a make-up working day.")
YEAR_OUT_OF_RANGE = _("Years must fall between 1990 and 2100.")


class _Exceptions:
    """The table rows for a span of dates, loaded in one query, extendable forwards or
    backwards when a walk runs past the loaded span."""

    def __init__(self, first: date, last: date) -> None:
        self.first = first
        self.last = last
        self.days: dict[date, bool] = {}
        self._load(first, last)

    def _load(self, first: date, last: date) -> None:
        rows = CalendarDay.objects.filter(date__range=(first, last)).values_list("date", "kind")
        self.days.update((day, kind == CalendarDay.Kind.MAKEUP_WORKDAY) for day, kind in rows)
        _warn_unknown_years(first.year, last.year)

    def cover(self, day: date, chunk: timedelta) -> None:
        """Makes sure `day` is loaded, loading `chunk` more beyond it in its direction."""
        if day > self.last:
            new_last = max(day, self.last + chunk)
            self._load(self.last + timedelta(days=1), new_last)
            self.last = new_last
        elif day < self.first:
            new_first = min(day, self.first - chunk)
            self._load(new_first, self.first - timedelta(days=1))
            self.first = new_first

    def is_working(self, day: date) -> bool:
        if day in self.days:
            return self.days[day]
        return day.weekday() < 5


def _warn_unknown_years(first: int, last: int) -> None:
    """Warns admins, once per year, about years in first..last whose data is unknown."""
    first, last = max(first, FIRST_YEAR), min(last, LAST_YEAR)
    if first > last:
        return
    settled = set(
        CalendarYear.objects.filter(year__range=(first, last))
        .exclude(known=False, warned_at__isnull=True)
        .values_list("year", flat=True)
    )
    for year in range(first, last + 1):
        if year not in settled:
            _warn_year_once(year)


def _warn_year_once(year: int) -> None:
    CalendarYear.objects.get_or_create(year=year)
    # The conditional UPDATE lets exactly one of two racing callers send the warning.
    claimed = CalendarYear.objects.filter(year=year, known=False, warned_at__isnull=True).update(
        warned_at=timezone.now()
    )
    if not claimed:
        return
    logger.warning(
        "No holiday data for %s: counting Monday to Friday until an administrator enters it.",
        year,
    )
    admins = get_user_model().objects.filter(is_active=True, is_superuser=True)
    link = reverse("calendar:year", args=[year])
    for admin in admins:
        # Each admin reads the warning in their own language.
        with translation.override(admin.language):
            message = gettext(
                "The working-day calendar has no holiday data for %(year)s: deadlines in "
                "%(year)s count Monday to Friday. Enter the year's holidays and make-up "
                "working days, then mark the year as known."
            ) % {"year": year}
        notify(recipients=[admin], message=message, link=link)


def is_worked(day: date, entry: CalendarDay | None) -> bool:
    """Whether `day` is worked, given its table row (None when it has none)."""
    if entry is None:
        return day.weekday() < 5
    return entry.kind == CalendarDay.Kind.MAKEUP_WORKDAY


def is_working_day(day: date) -> bool:
    return _Exceptions(day, day).is_working(day)


def add_working_days(day: date, n: int) -> date:
    """The n-th working day after `day` for n > 0, the n-th working day before it for
    n < 0, and `day` itself for n == 0 (even when `day` is not a working day).

    So add_working_days(Friday, 1) is the next Monday (or a make-up Saturday), and
    add_working_days(a, working_days_between(a, b)) == b when a and b are working days
    (and for any a when b is a working day after it).
    """
    if n == 0:
        return day
    step = timedelta(days=1 if n > 0 else -1)
    # Five working days take about seven calendar days; the margin covers a long holiday.
    chunk = timedelta(days=abs(n) * 7 // 5 + 30)
    if n > 0:
        exceptions = _Exceptions(day + step, day + chunk)
    else:
        exceptions = _Exceptions(day - chunk, day + step)
    remaining = abs(n)
    current = day
    while remaining:
        current += step
        exceptions.cover(current, chunk)
        if exceptions.is_working(current):
            remaining -= 1
    return current


def working_days_between(start: date, end: date) -> int:
    """The number of working days in the half-open span (start, end]: `start` itself is
    not counted, `end` is. When end < start the answer is negative and mirrors the other
    direction exactly: working_days_between(a, b) == -working_days_between(b, a), i.e.
    minus the working days in (end, start].

    Examples (2025 National Day): from Tuesday 2025-09-30 to Thursday 2025-10-09 is 1 (only
    the 9th works); from Friday 2025-09-26 to Sunday 2025-09-28 (a make-up day) is 1; the
    same day to itself is 0.
    """
    if end < start:
        return -working_days_between(end, start)
    if end == start:
        return 0
    first = start + timedelta(days=1)
    exceptions = _Exceptions(first, end)
    count = _weekdays_in(first, end)
    for day, working in exceptions.days.items():
        if working and day.weekday() >= 5:
            count += 1
        elif not working and day.weekday() < 5:
            count -= 1
    return count


def _weekdays_in(first: date, last: date) -> int:
    """Monday–Friday dates in first..last inclusive, without walking the span."""
    total = (last - first).days + 1
    weeks, rest = divmod(total, 7)
    count = weeks * 5
    for offset in range(rest):
        if (first.weekday() + offset) % 7 < 5:
            count += 1
    return count


def next_working_day(day: date) -> date:
    """The first working day strictly after `day`."""
    return add_working_days(day, 1)


def _check_date(day: date) -> None:
    if not FIRST_YEAR <= day.year <= LAST_YEAR:
        raise DomainError(DATE_OUT_OF_RANGE, fields={"date": DATE_OUT_OF_RANGE})


def _clean_day(*, day: date, kind: str, name_zh: str, name_en: str) -> tuple[str, str]:
    _check_date(day)
    if kind not in CalendarDay.Kind.values:
        raise DomainError(UNKNOWN_KIND, fields={"kind": UNKNOWN_KIND})
    if kind == CalendarDay.Kind.MAKEUP_WORKDAY and day.weekday() < 5:
        raise DomainError(MAKEUP_DAY_NOT_WEEKEND, fields={"date": MAKEUP_DAY_NOT_WEEKEND})
    name_zh, name_en = name_zh.strip(), name_en.strip()
    if kind == CalendarDay.Kind.HOLIDAY and not (name_zh or name_en):
        raise DomainError(HOLIDAY_NAME_REQUIRED, fields={"name_zh": HOLIDAY_NAME_REQUIRED})
    return name_zh, name_en


@transaction.atomic
def calendar_day_set(
    *,
    actor,
    day: date,
    kind: str,
    name_zh: str = "",
    name_en: str = "",
    version: int | None = None,
) -> CalendarDay:
    """Adds the entry for `day` (version None) or edits it (version = the version the
    admin loaded). An edited package row becomes manual, so re-seeding leaves it alone."""
    require(actor, "calendar.manage")
    name_zh, name_en = _clean_day(day=day, kind=kind, name_zh=name_zh, name_en=name_en)
    if version is None:
        if CalendarDay.objects.filter(date=day).exists():
            raise DomainError(DAY_EXISTS, fields={"date": DAY_EXISTS})
        entry = CalendarDay.objects.create(
            date=day, kind=kind, name_zh=name_zh, name_en=name_en, source=Source.MANUAL
        )
        audit.record_create(actor=actor, obj=entry)
        return entry
    entry = CalendarDay.objects.select_for_update().filter(date=day).first()
    if entry is None:
        raise Conflict()
    before = audit.snapshot(entry)
    entry.kind, entry.name_zh, entry.name_en = kind, name_zh, name_en
    entry.source = Source.MANUAL
    entry.updated_at = timezone.now()
    save_versioned(
        entry,
        expected_version=version,
        fields=["kind", "name_zh", "name_en", "source", "updated_at"],
    )
    audit.record_change(actor=actor, obj=entry, before=before)
    return entry


@transaction.atomic
def calendar_day_remove(*, actor, day: date, version: int) -> None:
    """Removes the entry for `day`, which then counts as an ordinary day of its week."""
    require(actor, "calendar.manage")
    entry = CalendarDay.objects.select_for_update().filter(date=day).first()
    if entry is None:
        raise NotFound()
    if entry.version != version:
        raise Conflict()
    audit.record(
        actor=actor,
        obj=entry,
        action=AuditEntry.Action.DELETE,
        changes={k: [v, None] for k, v in audit.snapshot(entry).items() if v not in (None, "")},
    )
    entry.delete()


@transaction.atomic
def calendar_year_mark_known(*, actor, year: int, known: bool = True) -> CalendarYear:
    """Records that an admin has entered all of `year`'s holidays and make-up days (or,
    with known=False, takes that back so that the year warns again)."""
    require(actor, "calendar.manage")
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise DomainError(YEAR_OUT_OF_RANGE, fields={"year": YEAR_OUT_OF_RANGE})
    record, created = CalendarYear.objects.select_for_update().get_or_create(year=year)
    if record.known == known and not created:
        return record
    before = audit.snapshot(record, ["known", "source", "known_by"])
    if known:
        record.known, record.source = True, Source.MANUAL
        record.known_at, record.known_by = timezone.now(), actor
    else:
        record.known, record.source, record.known_at, record.known_by = False, "", None, None
        # Unmarking means data is missing again: the next use warns admins again.
        record.warned_at = None
    save_versioned(
        record,
        expected_version=record.version,
        fields=["known", "source", "known_at", "known_by", "warned_at"],
    )
    if created:
        audit.record_create(actor=actor, obj=record)
    else:
        audit.record_change(actor=actor, obj=record, before=before)
    return record
