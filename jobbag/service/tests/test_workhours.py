"""The working-hours helper: office hours 09:00–18:00 on the calendar's working days
(2026 National Day: 1–7 October off, Sunday 20 September and Saturday 10 October worked;
Mid-Autumn Festival: 25–27 September off)."""

from datetime import time
from decimal import Decimal

import pytest

from jobbag.calendar.models import CalendarDay
from jobbag.service.tests.conftest import at
from jobbag.service.workhours import add_working_days, add_working_hours, working_hours_between

pytestmark = pytest.mark.django_db

HOURS = {"opens": time(9), "closes": time(18)}


def test_it_has_the_national_day_data_it_counts_on():
    assert CalendarDay.objects.get(date="2026-10-01").kind == CalendarDay.Kind.HOLIDAY
    assert CalendarDay.objects.get(date="2026-10-10").kind == CalendarDay.Kind.MAKEUP_WORKDAY
    assert CalendarDay.objects.get(date="2026-09-20").kind == CalendarDay.Kind.MAKEUP_WORKDAY


@pytest.mark.parametrize(
    ("start", "hours", "expected"),
    [
        ("2026-09-28 10:00", 2, "2026-09-28 12:00"),  # within the day
        ("2026-09-28 17:00", 2, "2026-09-29 10:00"),  # over the night
        ("2026-09-28 20:00", 1, "2026-09-29 10:00"),  # logged at night: counts from opening
        ("2026-09-28 07:00", 1, "2026-09-28 10:00"),  # before opening
        ("2026-09-28 10:00", 8, "2026-09-28 18:00"),  # exactly to closing
        ("2026-10-16 17:00", 2, "2026-10-19 10:00"),  # Friday → Monday over a weekend
        ("2026-10-17 11:00", 1, "2026-10-19 10:00"),  # logged on a Saturday
        ("2026-09-30 17:00", 2, "2026-10-08 10:00"),  # over the National Day holiday
        ("2026-10-09 17:30", 2, "2026-10-10 10:30"),  # into the make-up Saturday
        ("2026-09-18 17:00", 3, "2026-09-20 11:00"),  # into the make-up Sunday
        ("2026-09-24 17:00", 8, "2026-09-28 16:00"),  # over the Mid-Autumn Festival
        ("2026-10-09 20:00", 0, "2026-10-10 09:00"),  # nothing to add at night: next opening
    ],
)
def test_it_adds_working_hours(start, hours, expected):
    assert add_working_hours(at(start), hours, **HOURS) == at(expected)


def test_it_adds_working_days_as_full_office_days():
    assert add_working_days(at("2026-09-30 10:00"), 1, **HOURS) == at("2026-10-08 10:00")
    assert add_working_days(at("2026-09-28 10:00"), 5, **HOURS) == at("2026-10-10 10:00")


@pytest.mark.parametrize(
    ("start", "end", "expected"),
    [
        ("2026-09-28 10:00", "2026-09-28 12:30", "2.50"),
        ("2026-09-28 17:00", "2026-09-29 10:00", "2.00"),
        ("2026-09-30 10:00", "2026-10-08 10:00", "9.00"),
        ("2026-10-09 17:00", "2026-10-12 09:30", "10.50"),  # the make-up Saturday counts
        ("2026-10-17 10:00", "2026-10-18 17:00", "0.00"),  # a weekend only
        ("2026-09-29 10:00", "2026-09-28 10:00", "0.00"),  # backwards
    ],
)
def test_it_counts_working_hours_between(start, end, expected):
    assert working_hours_between(at(start), at(end), **HOURS) == Decimal(expected)


def test_it_is_the_inverse_of_adding():
    start = at("2026-09-29 15:20")
    end = add_working_hours(start, 23, **HOURS)
    assert working_hours_between(start, end, **HOURS) == Decimal("23.00")


def test_it_reads_the_calendar_in_few_queries(django_assert_max_num_queries):
    with django_assert_max_num_queries(1):
        add_working_hours(at("2026-01-05 10:00"), 9 * 200, **HOURS)
    with django_assert_max_num_queries(1):
        working_hours_between(at("2026-01-05 10:00"), at("2026-12-31 10:00"), **HOURS)


def test_it_refuses_negative_hours():
    with pytest.raises(ValueError):
        add_working_hours(at("2026-09-28 10:00"), -1, **HOURS)
