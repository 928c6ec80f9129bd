import logging
from datetime import date, timedelta

import chinese_calendar
import pytest

from jobbag.calendar.models import CalendarDay, CalendarYear, Source
from jobbag.calendar.services import (
    add_working_days,
    is_working_day,
    next_working_day,
    working_days_between,
)
from jobbag.core.models import Notification

# The 2025 National Day holiday as the State Council announced it: 1–8 October off,
# Sunday 28 September and Saturday 11 October worked instead.
NATIONAL_DAY_2025 = [date(2025, 10, day) for day in range(1, 9)]
MAKEUP_2025 = [date(2025, 9, 28), date(2025, 10, 11)]
UNKNOWN_YEAR = 2031


def test_it_agrees_with_the_package_on_the_2025_national_day():
    for day in NATIONAL_DAY_2025:
        assert not chinese_calendar.is_workday(day)
    for day in MAKEUP_2025:
        assert chinese_calendar.is_workday(day)
        assert day.weekday() >= 5
    assert chinese_calendar.is_workday(date(2025, 10, 9))
    assert max(chinese_calendar.holidays).year < UNKNOWN_YEAR


@pytest.mark.django_db
def test_it_seeds_every_package_day_with_both_names():
    assert CalendarDay.objects.count() == len(chinese_calendar.holidays) + len(
        chinese_calendar.workdays
    )
    national_day = CalendarDay.objects.get(date=date(2025, 10, 1))
    assert national_day.kind == CalendarDay.Kind.HOLIDAY
    assert (national_day.name_zh, national_day.name_en) == ("国庆节", "National Day")
    assert CalendarDay.objects.get(date=date(2025, 1, 28)).name_zh == "春节"
    makeup = CalendarDay.objects.get(date=date(2025, 9, 28))
    assert makeup.kind == CalendarDay.Kind.MAKEUP_WORKDAY
    assert makeup.source == Source.PACKAGE
    years = CalendarYear.objects.filter(known=True, source=Source.PACKAGE)
    assert set(years.values_list("year", flat=True)) == {
        day.year for day in chinese_calendar.holidays
    }


@pytest.mark.django_db
def test_it_matches_the_package_on_every_day_it_knows():
    first, last = min(chinese_calendar.holidays), max(chinese_calendar.holidays)
    day = date(first.year, 1, 1)
    end = date(last.year, 12, 31)
    expected = 0
    while day < end:
        day += timedelta(days=1)
        expected += chinese_calendar.is_workday(day)
    assert working_days_between(date(first.year, 1, 1), end) == expected


@pytest.mark.django_db
def test_it_knows_the_national_day_holiday():
    for day in NATIONAL_DAY_2025:
        assert not is_working_day(day)
    for day in MAKEUP_2025:
        assert is_working_day(day)
    assert is_working_day(date(2025, 9, 30))
    assert is_working_day(date(2025, 10, 9))
    assert not is_working_day(date(2025, 10, 12))  # an ordinary Sunday


@pytest.mark.django_db
def test_it_adds_working_days_across_the_holiday():
    assert add_working_days(date(2025, 9, 30), 1) == date(2025, 10, 9)
    assert add_working_days(date(2025, 9, 26), 1) == date(2025, 9, 28)
    assert add_working_days(date(2025, 9, 26), 2) == date(2025, 9, 29)
    assert add_working_days(date(2025, 9, 30), 3) == date(2025, 10, 11)
    assert add_working_days(date(2025, 9, 30), 4) == date(2025, 10, 13)
    assert next_working_day(date(2025, 10, 1)) == date(2025, 10, 9)
    assert next_working_day(date(2025, 9, 27)) == date(2025, 9, 28)


@pytest.mark.django_db
def test_it_counts_backwards_for_negative_n():
    assert add_working_days(date(2025, 10, 9), -1) == date(2025, 9, 30)
    assert add_working_days(date(2025, 9, 29), -1) == date(2025, 9, 28)
    assert add_working_days(date(2025, 9, 29), -2) == date(2025, 9, 26)
    assert add_working_days(date(2025, 10, 13), -1) == date(2025, 10, 11)
    assert add_working_days(date(2025, 10, 13), -3) == date(2025, 10, 9)


@pytest.mark.django_db
def test_it_returns_the_day_itself_for_zero():
    assert add_working_days(date(2025, 10, 3), 0) == date(2025, 10, 3)
    assert add_working_days(date(2025, 9, 30), 0) == date(2025, 9, 30)


@pytest.mark.django_db
def test_it_counts_working_days_between_in_a_half_open_span():
    assert working_days_between(date(2025, 9, 30), date(2025, 10, 9)) == 1
    assert working_days_between(date(2025, 9, 26), date(2025, 9, 28)) == 1
    # 28, 29, 30 Sep; 9, 10, 11 Oct.
    assert working_days_between(date(2025, 9, 27), date(2025, 10, 11)) == 6
    assert working_days_between(date(2025, 10, 11), date(2025, 9, 27)) == -6
    assert working_days_between(date(2025, 10, 3), date(2025, 10, 3)) == 0
    assert working_days_between(date(2025, 10, 1), date(2025, 10, 8)) == 0


@pytest.mark.django_db
def test_it_inverts_add_with_between_around_the_holiday():
    start = date(2025, 9, 29)
    for n in range(-15, 16):
        due = add_working_days(start, n)
        assert working_days_between(start, due) == n
        assert working_days_between(due, start) == -n


@pytest.mark.django_db
def test_it_counts_from_a_day_off_the_same_both_ways():
    holiday = date(2025, 10, 3)
    assert working_days_between(holiday, date(2025, 10, 13)) == 4
    assert working_days_between(date(2025, 10, 13), holiday) == -4
    assert add_working_days(holiday, 4) == date(2025, 10, 13)


@pytest.mark.django_db
def test_it_counts_monday_to_friday_for_an_unknown_year_and_warns_admins_once(cast, caplog):
    monday = date(UNKNOWN_YEAR, 3, 3)
    assert monday.weekday() == 0
    with caplog.at_level(logging.WARNING, logger="jobbag.calendar.services"):
        assert is_working_day(monday)
        assert not is_working_day(monday + timedelta(days=5))
        assert add_working_days(monday, 5) == monday + timedelta(days=7)
        assert working_days_between(date(UNKNOWN_YEAR, 1, 1), date(UNKNOWN_YEAR, 1, 31)) == 22
    record = CalendarYear.objects.get(year=UNKNOWN_YEAR)
    assert not record.known
    assert record.warned_at is not None
    warnings = Notification.objects.filter(recipient=cast.admin)
    assert warnings.count() == 1
    assert str(UNKNOWN_YEAR) in warnings.get().message
    assert warnings.get().link == f"/calendar/{UNKNOWN_YEAR}/"
    assert not Notification.objects.exclude(recipient=cast.admin).exists()
    assert [r for r in caplog.records if str(UNKNOWN_YEAR) in r.getMessage()] != []
    assert len([r for r in caplog.records if r.levelno == logging.WARNING]) == 1


@pytest.mark.django_db
def test_it_never_warns_about_known_years(cast):
    add_working_days(date(2025, 1, 2), 300)
    assert not Notification.objects.exists()


@pytest.mark.django_db
def test_it_applies_manual_rows_of_a_later_year(cast):
    # Suppose 2031's National Day runs 1–7 Oct (Wed–Tue) with Sat 11 Oct worked.
    for offset in range(7):
        CalendarDay.objects.create(
            date=date(2031, 10, 1) + timedelta(days=offset),
            kind=CalendarDay.Kind.HOLIDAY,
            name_zh="国庆节",
            source=Source.MANUAL,
        )
    CalendarDay.objects.create(
        date=date(2031, 10, 11), kind=CalendarDay.Kind.MAKEUP_WORKDAY, source=Source.MANUAL
    )
    assert add_working_days(date(2031, 9, 30), 1) == date(2031, 10, 8)
    assert add_working_days(date(2031, 10, 10), 1) == date(2031, 10, 11)
    assert not is_working_day(date(2031, 10, 6))
    assert working_days_between(date(2031, 9, 30), date(2031, 10, 13)) == 5


@pytest.mark.django_db
def test_it_adds_250_working_days_in_a_handful_of_queries(django_assert_max_num_queries):
    with django_assert_max_num_queries(4):
        due = add_working_days(date(2025, 1, 2), 250)
    assert working_days_between(date(2025, 1, 2), due) == 250
    with django_assert_max_num_queries(4):
        assert add_working_days(due, -250) == date(2025, 1, 2)
    with django_assert_max_num_queries(2):
        working_days_between(date(2004, 1, 1), date(2026, 12, 31))


@pytest.mark.django_db
def test_it_walks_past_a_loaded_chunk_without_a_query_per_day(cast, django_assert_max_num_queries):
    # Ten years ahead crosses unknown years: one warning each, then bounded loads.
    add_working_days(date(2026, 6, 1), 2500)
    with django_assert_max_num_queries(6):
        due = add_working_days(date(2026, 6, 1), 2500)
    assert due.year >= 2035
