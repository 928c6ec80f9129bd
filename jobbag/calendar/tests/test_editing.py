from datetime import date
from io import StringIO

import chinese_calendar
import pytest
from django.core.management import call_command

from jobbag.calendar.models import CalendarDay, CalendarYear, Source
from jobbag.calendar.seeding import seed_from_package
from jobbag.calendar.services import (
    calendar_day_remove,
    calendar_day_set,
    calendar_year_mark_known,
    is_working_day,
)
from jobbag.core.audit import history_for
from jobbag.core.errors import Conflict, DomainError, NotAllowed
from jobbag.core.models import AuditEntry, Notification

pytestmark = pytest.mark.django_db


def test_it_adds_a_manual_holiday_with_an_audit_entry(cast):
    day = calendar_day_set(
        actor=cast.admin,
        day=date(2027, 10, 1),
        kind=CalendarDay.Kind.HOLIDAY,
        name_zh=" 国庆节 ",
        name_en="National Day",
    )
    assert (day.source, day.name_zh, day.version) == (Source.MANUAL, "国庆节", 1)
    assert not is_working_day(date(2027, 10, 1))
    entry = history_for(day).get()
    assert entry.action == AuditEntry.Action.CREATE
    assert entry.actor == cast.admin
    assert entry.changes["kind"] == [None, "holiday"]


@pytest.mark.parametrize(
    ("day", "kind", "name_zh", "field"),
    [
        (date(2027, 10, 4), CalendarDay.Kind.MAKEUP_WORKDAY, "", "date"),  # a Monday
        (date(2027, 10, 1), CalendarDay.Kind.HOLIDAY, "  ", "name_zh"),
        (date(1989, 10, 1), CalendarDay.Kind.HOLIDAY, "国庆节", "date"),
        (date(2101, 1, 1), CalendarDay.Kind.HOLIDAY, "元旦", "date"),
        (date(2027, 10, 1), "party", "国庆节", "kind"),
        (date(2025, 10, 1), CalendarDay.Kind.HOLIDAY, "国庆节", "date"),  # already seeded
    ],
)
def test_it_refuses_bad_days_and_writes_nothing(cast, day, kind, name_zh, field):
    days, audits = CalendarDay.objects.count(), AuditEntry.objects.count()
    with pytest.raises(DomainError) as refused:
        calendar_day_set(actor=cast.admin, day=day, kind=kind, name_zh=name_zh)
    assert field in refused.value.fields
    assert CalendarDay.objects.count() == days
    assert AuditEntry.objects.count() == audits


def test_it_lets_only_admins_edit(cast):
    for user in (cast.gm, cast.ae, cast.client):
        with pytest.raises(NotAllowed):
            calendar_day_set(
                actor=user, day=date(2027, 10, 1), kind=CalendarDay.Kind.HOLIDAY, name_zh="国庆节"
            )
        with pytest.raises(NotAllowed):
            calendar_year_mark_known(actor=user, year=2027)
        with pytest.raises(NotAllowed):
            calendar_day_remove(actor=user, day=date(2025, 10, 1), version=1)
    assert not CalendarDay.objects.filter(date=date(2027, 10, 1)).exists()
    assert CalendarDay.objects.filter(date=date(2025, 10, 1)).exists()


def test_it_edits_a_package_day_into_a_manual_one_and_refuses_a_stale_version(cast):
    seeded = CalendarDay.objects.get(date=date(2025, 10, 6))
    edited = calendar_day_set(
        actor=cast.admin,
        day=seeded.date,
        kind=CalendarDay.Kind.HOLIDAY,
        name_zh="中秋节、国庆节",
        name_en=seeded.name_en,
        version=seeded.version,
    )
    edited.refresh_from_db()
    assert (edited.source, edited.name_zh, edited.version) == (
        Source.MANUAL,
        "中秋节、国庆节",
        seeded.version + 1,
    )
    change = history_for(edited).get()
    assert change.changes["name_zh"] == ["中秋节", "中秋节、国庆节"]
    assert change.changes["source"] == ["package", "manual"]
    with pytest.raises(Conflict):
        calendar_day_set(
            actor=cast.admin,
            day=seeded.date,
            kind=CalendarDay.Kind.HOLIDAY,
            name_zh="stale",
            version=seeded.version,
        )
    edited.refresh_from_db()
    assert edited.name_zh == "中秋节、国庆节"


def test_it_removes_a_day_with_an_audit_entry(cast):
    day = CalendarDay.objects.get(date=date(2025, 10, 11))
    with pytest.raises(Conflict):
        calendar_day_remove(actor=cast.admin, day=day.date, version=day.version + 1)
    calendar_day_remove(actor=cast.admin, day=day.date, version=day.version)
    assert not CalendarDay.objects.filter(date=day.date).exists()
    assert not is_working_day(date(2025, 10, 11))
    entry = AuditEntry.objects.get(action=AuditEntry.Action.DELETE)
    assert entry.object_id == str(day.pk)
    assert entry.changes["kind"] == ["workday", None]


def test_it_marks_a_year_known_so_that_it_no_longer_warns(cast):
    record = calendar_year_mark_known(actor=cast.admin, year=2031)
    assert (record.known, record.source, record.known_by) == (True, Source.MANUAL, cast.admin)
    assert history_for(record).get().action == AuditEntry.Action.CREATE
    is_working_day(date(2031, 5, 5))
    assert not Notification.objects.exists()

    calendar_year_mark_known(actor=cast.admin, year=2031, known=False)
    record.refresh_from_db()
    assert (record.known, record.source) == (False, "")
    assert history_for(record).first().changes["known"] == [True, False]
    is_working_day(date(2031, 5, 5))
    assert Notification.objects.filter(recipient=cast.admin).count() == 1


def test_it_refuses_a_year_outside_the_range(cast):
    with pytest.raises(DomainError):
        calendar_year_mark_known(actor=cast.admin, year=2200)
    assert not CalendarYear.objects.filter(year=2200).exists()


def test_it_reseeds_idempotently_and_keeps_manual_rows(cast):
    calendar_day_set(
        actor=cast.admin,
        day=date(2025, 10, 1),
        kind=CalendarDay.Kind.HOLIDAY,
        name_zh="国庆节（本司）",
        version=1,
    )
    CalendarDay.objects.filter(date=date(2025, 10, 2)).delete()
    CalendarDay.objects.filter(date=date(2025, 10, 3)).update(name_zh="wrong")
    CalendarDay.objects.create(
        date=date(2025, 11, 3), kind=CalendarDay.Kind.HOLIDAY, name_zh="x", source=Source.PACKAGE
    )

    result = seed_from_package(CalendarDay, CalendarYear)
    assert (result.created, result.updated, result.deleted, result.skipped_manual) == (1, 1, 1, 1)
    assert CalendarDay.objects.get(date=date(2025, 10, 1)).name_zh == "国庆节（本司）"
    assert CalendarDay.objects.get(date=date(2025, 10, 3)).name_zh == "国庆节"
    assert CalendarDay.objects.filter(date=date(2025, 10, 2)).exists()
    assert not CalendarDay.objects.filter(date=date(2025, 11, 3)).exists()
    total = len(chinese_calendar.holidays) + len(chinese_calendar.workdays)
    assert CalendarDay.objects.count() == total

    out = StringIO()
    call_command("seed_calendar", stdout=out)
    assert "0 added, 0 updated, 0 removed, 1 manual days kept" in out.getvalue()
    assert CalendarDay.objects.count() == total
