"""The daily reminder to log yesterday's time: working days only, only those who log
time, once."""

from datetime import date

from django.utils import translation

from jobbag.core.models import Notification
from jobbag.finance.services import time as time_services
from jobbag.finance.services.time import RowIn
from jobbag.finance.sweeps.time import remind_missing_time
from jobbag.finance.tests.conftest_time import WEEK, hours, timeworld_fixture  # noqa: F401

TUESDAY = date(2026, 11, 10)


def test_those_who_logged_nothing_yesterday_are_reminded_once(cast, timeworld):
    with translation.override("en"):
        reminded = remind_missing_time(TUESDAY)
    # The designer and the account people log time; Finance, the GM, admins do not.
    assert {p.username for p in reminded} == {"designer", "ae", "ad", "other_ae"}
    note = Notification.objects.get(recipient=cast.designer)
    assert "2026-11-09" in note.message and note.link.endswith("?day=2026-11-09")
    assert remind_missing_time(TUESDAY) == []
    assert Notification.objects.filter(recipient=cast.designer).count() == 1


def test_time_logged_for_the_day_means_no_reminder(cast, timeworld):
    time_services.timesheet_save(
        actor=cast.designer,
        week_start=WEEK,
        rows=[RowIn(job=timeworld.job, hours=hours(8))],
        expected_version=None,
    )
    assert cast.designer not in remind_missing_time(TUESDAY)


def test_weekends_and_mondays_look_at_the_right_day(cast, timeworld):
    assert remind_missing_time(date(2026, 11, 14)) == []  # a Saturday: nobody works
    reminded = remind_missing_time(date(2026, 11, 16))  # Monday: Friday the 13th is asked
    assert cast.designer in reminded
    assert Notification.objects.get(recipient=cast.designer).link.endswith("day=2026-11-13")
