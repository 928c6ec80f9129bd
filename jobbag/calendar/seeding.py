"""Fills the calendar from the `chinese_calendar` package (pip: chinesecalendar).

Used by the data migration (with historical models) and by `manage.py seed_calendar`
(with the current ones), so it touches only fields that the first migration created.
Rows an administrator entered or edited (source "manual") are never overwritten.
"""

from dataclasses import dataclass
from datetime import date

import chinese_calendar
from django.db import transaction
from django.db.models import F

PACKAGE = "package"
MANUAL = "manual"
HOLIDAY = "holiday"
MAKEUP_WORKDAY = "workday"

# The package names its holidays in English; these are the names Chinese offices use
# (the package's own short forms, such as 清明, lack the 节).
CHINESE_NAMES = {
    "New Year's Day": "元旦",
    "Spring Festival": "春节",
    "Tomb-sweeping Day": "清明节",
    "Labour Day": "劳动节",
    "Dragon Boat Festival": "端午节",
    "Mid-autumn Festival": "中秋节",
    "National Day": "国庆节",
    "Anti-Fascist 70th Day": "抗战胜利70周年纪念日",
}


@dataclass(frozen=True)
class SeedResult:
    created: int
    updated: int
    deleted: int
    skipped_manual: int
    years: list[int]


def chinese_name(english: str) -> str:
    """The Chinese name of one of the package's holidays."""
    if english in CHINESE_NAMES:
        return CHINESE_NAMES[english]
    try:
        return chinese_calendar.Holiday(english).chinese
    except ValueError:
        return english


def package_days() -> dict[date, tuple[str, str]]:
    """{date: (kind, English name)} for every exception the package knows."""
    days = {day: (HOLIDAY, name) for day, name in chinese_calendar.holidays.items()}
    days.update({day: (MAKEUP_WORKDAY, name) for day, name in chinese_calendar.workdays.items()})
    return days


def package_years() -> list[int]:
    """The years the package covers: it refuses dates outside its holiday data's span."""
    first = min(chinese_calendar.holidays).year
    last = max(chinese_calendar.holidays).year
    return list(range(first, last + 1))


@transaction.atomic
def seed_from_package(day_model, year_model) -> SeedResult:
    """Brings the package's years in line with the package; idempotent."""
    wanted = package_days()
    years = package_years()
    existing = {
        row.date: row
        for row in day_model.objects.filter(date__year__gte=years[0], date__year__lte=years[-1])
    }
    created = updated = deleted = skipped = 0
    new_rows = []
    for day, (kind, english) in sorted(wanted.items()):
        values = {"kind": kind, "name_en": english, "name_zh": chinese_name(english)}
        row = existing.get(day)
        if row is None:
            new_rows.append(day_model(date=day, source=PACKAGE, **values))
        elif row.source == MANUAL:
            skipped += 1
        elif any(getattr(row, field) != value for field, value in values.items()):
            day_model.objects.filter(pk=row.pk).update(version=F("version") + 1, **values)
            updated += 1
    day_model.objects.bulk_create(new_rows)
    created = len(new_rows)
    # A package row the package no longer lists was a correction in a newer release.
    stale = [row.pk for day, row in existing.items() if row.source == PACKAGE and day not in wanted]
    if stale:
        deleted, _ = day_model.objects.filter(pk__in=stale).delete()

    known = set(year_model.objects.filter(year__in=years).values_list("year", flat=True))
    year_model.objects.bulk_create(
        year_model(year=year, known=True, source=PACKAGE) for year in years if year not in known
    )
    # A year an administrator already marked known keeps its manual source.
    year_model.objects.filter(year__in=years, known=False).update(
        known=True, source=PACKAGE, version=F("version") + 1
    )
    return SeedResult(created, updated, deleted, skipped, years)
