"""Time services: saving a week all at once, its rules, sending it to the manager,
approval locking it, return reopening it, and cost rates."""

from datetime import date
from decimal import Decimal

import pytest

from jobbag.accounts.models import Department
from jobbag.approvals.models import Approval, Policy, SignoffStatus
from jobbag.approvals.services import approval_decide
from jobbag.core.errors import Conflict, DomainError, NotAllowed
from jobbag.core.models import AuditEntry, Notification
from jobbag.finance.models import CostRate, TimeEntry, Timesheet
from jobbag.finance.services import time as services
from jobbag.finance.services.time import RowIn
from jobbag.finance.tests.conftest_time import WEEK, hours, timeworld_fixture  # noqa: F401


def save(user, rows, version=None, week=WEEK):
    return services.timesheet_save(actor=user, week_start=week, rows=rows, expected_version=version)


def two_jobs(world):
    return [
        RowIn(job=world.job, rate_item=world.artwork, task="KV", hours=hours(4, 3.5, "2")),
        RowIn(job=world.pitch.pk, billable=False, task="比稿", hours=hours(2, None, 1)),
    ]


def test_a_designer_saves_a_week_on_two_jobs_at_her_cost_rate(cast, timeworld):
    sheet = save(cast.designer, two_jobs(timeworld))
    assert sheet.total_hours == Decimal("12.5")
    assert sheet.signoff_status == SignoffStatus.DRAFT
    entries = TimeEntry.objects.filter(timesheet=sheet).order_by("day", "job_id")
    assert entries.count() == 5
    assert {e.hourly_cost for e in entries} == {Decimal("250.00")}
    billable = entries.filter(job=timeworld.job)
    assert sum(e.hours for e in billable) == Decimal("9.5")
    assert all(e.rate_item_id == timeworld.artwork.pk and e.billable for e in billable)
    assert not entries.filter(job=timeworld.pitch, billable=True).exists()
    assert AuditEntry.objects.filter(object_id=str(sheet.pk), action="create").exists()


def test_saving_again_replaces_the_week_and_needs_the_version(cast, timeworld):
    sheet = save(cast.designer, two_jobs(timeworld))
    again = save(cast.designer, [RowIn(job=timeworld.job, hours=hours(8))], version=sheet.version)
    assert again.pk == sheet.pk and again.total_hours == Decimal("8")
    assert TimeEntry.objects.filter(timesheet=sheet).count() == 1
    with pytest.raises(Conflict):
        save(cast.designer, two_jobs(timeworld), version=sheet.version)
    # A second tab that loaded the week before it existed is stale too.
    with pytest.raises(Conflict):
        save(cast.designer, two_jobs(timeworld), version=None)
    assert Timesheet.objects.get(pk=sheet.pk).total_hours == Decimal("8")


def test_the_cost_rate_of_each_day_is_frozen_on_the_entry(cast, timeworld):
    week = date(2026, 6, 29)  # Monday 29 June; the new rate applies from Wednesday 1 July.
    save(cast.designer, [RowIn(job=timeworld.job, hours=hours(1, 1, 1))], week=week)
    costs = list(
        TimeEntry.objects.filter(user=cast.designer)
        .order_by("day")
        .values_list("hourly_cost", flat=True)
    )
    assert costs == [Decimal("200.00"), Decimal("200.00"), Decimal("250.00")]
    services.cost_rate_set(
        actor=cast.finance, user=cast.designer, hourly_cost="300", valid_from=date(2026, 7, 1)
    )
    assert TimeEntry.objects.filter(hourly_cost=Decimal("300")).count() == 0


@pytest.mark.parametrize(
    ("rows", "field"),
    [
        ([RowIn(job=None, hours=hours(1))], "row-0"),
        ([RowIn(job="abc", hours=hours(1))], "row-0"),
        ([RowIn(job=1, hours=hours("x"))], "row-0"),
        ([RowIn(job=1, hours=hours(-1))], "row-0"),
        ([RowIn(job=1, hours=hours(25))], "row-0"),
        ([RowIn(job=1, hours=hours("1.001"))], "row-0"),
        ([RowIn(job=1, hours=hours("NaN"))], "row-0"),
        ([RowIn(job=1, hours=[1, 2])], "row-0"),
        ([RowIn(job=1, task="x" * 101, hours=hours(1))], "row-0"),
    ],
)
def test_malformed_rows_are_refused_and_nothing_is_saved(cast, timeworld, rows, field):
    rows = [
        RowIn(**{**row.__dict__, "job": timeworld.job.pk}) if row.job == 1 else row for row in rows
    ]
    with pytest.raises(DomainError) as refused:
        save(cast.designer, rows)
    assert field in refused.value.fields
    assert not Timesheet.objects.exists() and not TimeEntry.objects.exists()


def test_a_day_holds_at_most_24_hours(cast, timeworld):
    rows = [
        RowIn(job=timeworld.job, hours=hours(16)),
        RowIn(job=timeworld.pitch, billable=False, hours=hours(8.5)),
    ]
    with pytest.raises(DomainError) as refused:
        save(cast.designer, rows)
    assert "day-0" in refused.value.fields
    assert not TimeEntry.objects.exists()


def test_billable_time_needs_the_signed_quote_but_pitch_time_does_not(cast, timeworld):
    with pytest.raises(DomainError) as refused:
        save(cast.designer, [RowIn(job=timeworld.pitch, billable=True, hours=hours(2))])
    assert "HAIER-2026-0002" in str(refused.value.fields["row-0"])
    sheet = save(cast.designer, [RowIn(job=timeworld.pitch, billable=False, hours=hours(2))])
    assert sheet.total_hours == 2


def test_only_jobs_the_person_works_on(cast, timeworld):
    with pytest.raises(DomainError) as refused:
        save(cast.designer, [RowIn(job=timeworld.nike_job, billable=False, hours=hours(1))])
    assert refused.value.fields == {"row-0": services.JOB_NOT_LOGGABLE}


def test_the_same_row_twice_is_refused(cast, timeworld):
    rows = [RowIn(job=timeworld.job, hours=hours(1)), RowIn(job=timeworld.job, hours=hours(2))]
    with pytest.raises(DomainError) as refused:
        save(cast.designer, rows)
    assert refused.value.fields["row-1"] == services.DUPLICATE_ROW


def test_a_week_starts_on_monday_and_client_users_log_nothing(cast, timeworld):
    with pytest.raises(DomainError):
        save(cast.designer, [RowIn(job=timeworld.job, hours=hours(1))], week=date(2026, 11, 10))
    with pytest.raises(NotAllowed):
        save(cast.client, [RowIn(job=timeworld.job, hours=hours(1))])


def test_submit_goes_to_the_department_head_who_approves_and_it_locks(cast, timeworld):
    sheet = save(cast.designer, two_jobs(timeworld))
    approval = services.timesheet_submit(actor=cast.designer, timesheet=sheet)
    assert Policy.objects.filter(document_type="timesheet").count() == 1
    sheet.refresh_from_db()
    assert sheet.signoff_status == SignoffStatus.SUBMITTED
    seat = approval.steps.get().seats.get()
    assert list(seat.candidates.all()) == [timeworld.design_head]
    assert Notification.objects.filter(recipient=timeworld.design_head).exists()
    with pytest.raises(Conflict):
        services.timesheet_submit(actor=cast.designer, timesheet=sheet)
    with pytest.raises(Conflict):
        save(cast.designer, two_jobs(timeworld), version=sheet.version)
    # Nobody else may sign it: not the designer, not the AE.
    with pytest.raises(NotAllowed):
        approval_decide(actor=cast.ae, approval=approval, outcome="approve")
    approval_decide(actor=timeworld.design_head, approval=approval, outcome="approve")
    sheet.refresh_from_db()
    assert sheet.signoff_status == SignoffStatus.APPROVED and sheet.locked_at is not None
    with pytest.raises(Conflict):
        save(cast.designer, two_jobs(timeworld), version=sheet.version)
    assert TimeEntry.objects.filter(timesheet=sheet).count() == 5
    # A double click on approve is told it is decided.
    with pytest.raises(Conflict):
        approval_decide(actor=timeworld.design_head, approval=approval, outcome="approve")


def test_a_returned_week_reopens_as_the_next_revision(cast, timeworld):
    sheet = save(cast.designer, two_jobs(timeworld))
    approval = services.timesheet_submit(actor=cast.designer, timesheet=sheet)
    approval_decide(
        actor=timeworld.design_head, approval=approval, outcome="return", reason="周三少了"
    )
    sheet.refresh_from_db()
    assert sheet.signoff_status == SignoffStatus.RETURNED and sheet.revision == 2
    assert sheet.locked_at is None
    sheet = save(cast.designer, [RowIn(job=timeworld.job, hours=hours(8, 8, 8))], sheet.version)
    again = services.timesheet_submit(actor=cast.designer, timesheet=sheet)
    assert again.revision == 2 and again.status == Approval.Status.PENDING


def test_an_empty_week_or_someone_elses_is_not_submitted(cast, timeworld):
    sheet = save(cast.designer, [RowIn(job=timeworld.job, hours=hours(1))])
    with pytest.raises(NotAllowed):
        services.timesheet_submit(actor=cast.ae, timesheet=sheet)
    sheet = save(cast.designer, [], version=sheet.version)
    with pytest.raises(DomainError) as refused:
        services.timesheet_submit(actor=cast.designer, timesheet=sheet)
    assert refused.value.message == services.NOTHING_TO_SUBMIT


def test_a_department_head_is_approved_by_the_head_above(cast, timeworld):
    management = cast.gm.department
    Department.objects.filter(pk=management.pk).update(head=cast.gm)
    Department.objects.filter(pk=cast.designer.department_id).update(parent=management)
    head = timeworld.design_head
    head.refresh_from_db()
    assert services.approver_of(head) == cast.gm
    assert services.approver_of(cast.designer) == head
    # Without anyone above, nobody can approve: a clear refusal.
    Department.objects.filter(pk=cast.designer.department_id).update(parent=None)
    head.refresh_from_db()
    sheet = save(head, [RowIn(job=timeworld.job, billable=False, hours=hours(1))])
    with pytest.raises(DomainError) as refused:
        services.timesheet_submit(actor=head, timesheet=sheet)
    assert refused.value.message == services.NO_APPROVER


def test_finance_sets_cost_rates_and_others_may_not(cast, timeworld):
    rate = services.cost_rate_set(
        actor=cast.finance, user=cast.ae, hourly_cost="180.5", valid_from=date(2026, 1, 1)
    )
    assert rate.hourly_cost == Decimal("180.50")
    same_day = services.cost_rate_set(
        actor=cast.admin, user=cast.ae, hourly_cost="190", valid_from=date(2026, 1, 1)
    )
    assert same_day.pk == rate.pk and CostRate.objects.filter(user=cast.ae).count() == 1
    for bad in ("-1", "abc", "Infinity"):
        with pytest.raises(DomainError):
            services.cost_rate_set(
                actor=cast.finance, user=cast.ae, hourly_cost=bad, valid_from=date(2026, 2, 1)
            )
    with pytest.raises(DomainError):
        services.cost_rate_set(
            actor=cast.finance, user=cast.client, hourly_cost="1", valid_from=date(2026, 2, 1)
        )
    for who in (cast.ae, cast.designer, cast.gm, cast.client):
        with pytest.raises(NotAllowed):
            services.cost_rate_set(
                actor=who, user=cast.ae, hourly_cost="1", valid_from=date(2026, 3, 1)
            )
