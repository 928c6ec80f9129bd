"""The time pages: my week grid (save, errors, copy last week, submit, read-only once
sent), one timesheet with the manager's approval, the team's weeks and cost rates."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import translation

from jobbag.accounts.models import Role
from jobbag.accounts.tests.factories import staff
from jobbag.approvals.models import SignoffStatus
from jobbag.finance.models import CostRate, TimeEntry, Timesheet
from jobbag.finance.services import time as services
from jobbag.finance.services.time import RowIn
from jobbag.finance.tests.conftest_time import (  # noqa: F401
    WEEK,
    hours,
    send_to,
    timeworld_fixture,
)
from jobbag.jobs.tests.factories import JobFactory

WEEK_URL = reverse("finance:time_week_of", args=[WEEK.isoformat()])


def grid_post(rows, version="", action="save"):
    data = {"version": version, "action": action}
    for n, row in enumerate(rows):
        data[f"rows-{n}-job"] = row.get("job", "")
        data[f"rows-{n}-rate_item"] = row.get("rate_item", "")
        data[f"rows-{n}-task"] = row.get("task", "")
        if row.get("billable", True):
            data[f"rows-{n}-billable"] = "on"
        for day, value in enumerate(row.get("hours", [])):
            data[f"rows-{n}-d{day}"] = value
    return data


def test_the_designer_fills_and_saves_her_week(cast, timeworld, login):
    client = login(cast.designer)
    page = client.get(WEEK_URL)
    assert page.status_code == 200
    body = page.content.decode()
    assert "HAIER-2026-0001" in body and "HAIER-2026-0002" in body
    assert "NIKE-2026-0001" not in body
    rows = [
        {"job": timeworld.job.pk, "rate_item": timeworld.artwork.pk, "hours": ["4", "3.5"]},
        {"job": timeworld.pitch.pk, "billable": False, "task": "比稿", "hours": ["", "", "2"]},
        {"job": "", "hours": []},
    ]
    response = client.post(WEEK_URL, grid_post(rows))
    assert response.status_code == 302
    sheet = Timesheet.objects.get(user=cast.designer)
    assert sheet.total_hours == Decimal("9.5") and sheet.week_start == WEEK
    page = client.get(WEEK_URL).content.decode()
    assert 'data-testid="week-total">9.5' in page


def test_a_refused_week_shows_the_reason_on_its_row_and_saves_nothing(cast, timeworld, login):
    client = login(cast.designer)
    rows = [{"job": timeworld.pitch.pk, "billable": True, "hours": ["2"]}]
    with translation.override("en"):
        response = client.post(WEEK_URL, grid_post(rows), HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400
    assert b'data-testid="row-error"' in response.content
    assert not Timesheet.objects.exists()
    bad = [
        {"job": timeworld.job.pk, "hours": ["20"]},
        {"job": timeworld.pitch.pk, "billable": False, "hours": ["5"]},
    ]
    response = client.post(WEEK_URL, grid_post(bad))
    assert response.status_code == 400 and not TimeEntry.objects.exists()


def test_a_stale_grid_is_a_409(cast, timeworld, login):
    client = login(cast.designer)
    rows = [{"job": timeworld.job.pk, "hours": ["1"]}]
    assert client.post(WEEK_URL, grid_post(rows)).status_code == 302
    assert client.post(WEEK_URL, grid_post(rows, version="")).status_code == 409
    sheet = Timesheet.objects.get()
    assert client.post(WEEK_URL, grid_post(rows, version=sheet.version)).status_code == 302


def test_copy_last_week_brings_its_rows_without_hours(cast, timeworld, login):
    before = WEEK - timedelta(days=7)
    services.timesheet_save(
        actor=cast.designer,
        week_start=before,
        rows=[RowIn(job=timeworld.job, task="KV", hours=hours(8))],
        expected_version=None,
    )
    client = login(cast.designer)
    page = client.post(WEEK_URL, grid_post([], action="copy"))
    assert page.status_code == 200
    body = page.content.decode()
    assert 'value="KV"' in body and body.count('data-testid="week-row"') == 1
    assert not Timesheet.objects.filter(week_start=WEEK).exists()


def test_submit_then_the_manager_approves_on_the_timesheet_and_it_locks(cast, timeworld, login):
    client = login(cast.designer)
    rows = [{"job": timeworld.job.pk, "hours": ["8", "8"]}]
    assert client.post(WEEK_URL, grid_post(rows, action="submit")).status_code == 302
    sheet = Timesheet.objects.get()
    assert sheet.signoff_status == SignoffStatus.SUBMITTED
    page = client.get(WEEK_URL).content.decode()
    assert 'data-testid="week-read-only"' in page and 'name="rows-0-d0"' not in page
    # The designer cannot approve her own week.
    detail = reverse("finance:timesheet_detail", args=[sheet.pk])
    assert b"timesheet-approve" not in client.get(detail).content
    manager = login(timeworld.design_head)
    team = manager.get(reverse("finance:time_team") + f"?week={WEEK}")
    assert team.status_code == 200 and detail.encode() in team.content
    assert b"timesheet-approve" in manager.get(detail).content
    decide = reverse("finance:timesheet_decide", args=[sheet.pk])
    assert manager.post(decide, {"outcome": "approve"}).status_code == 302
    sheet.refresh_from_db()
    assert sheet.locked_at is not None and sheet.signoff_status == SignoffStatus.APPROVED
    client = login(cast.designer)
    page = client.get(WEEK_URL).content.decode()
    assert 'data-testid="week-locked"' in page
    assert client.post(WEEK_URL, grid_post(rows, version=sheet.version)).status_code == 409


def test_the_manager_returns_a_week_with_a_reason(cast, timeworld, login):
    sheet = services.timesheet_save(
        actor=cast.designer,
        week_start=WEEK,
        rows=[RowIn(job=timeworld.job, hours=hours(8))],
        expected_version=None,
    )
    services.timesheet_submit(actor=cast.designer, timesheet=sheet)
    manager = login(timeworld.design_head)
    decide = reverse("finance:timesheet_decide", args=[sheet.pk])
    manager.post(decide, {"outcome": "return", "reason": ""})
    sheet.refresh_from_db()
    assert sheet.signoff_status == SignoffStatus.SUBMITTED
    manager.post(decide, {"outcome": "return", "reason": "请补周二"})
    sheet.refresh_from_db()
    assert sheet.signoff_status == SignoffStatus.RETURNED


def test_other_peoples_timesheets_are_404(cast, clientele, timeworld, login):
    sheet = services.timesheet_save(
        actor=cast.designer,
        week_start=WEEK,
        rows=[RowIn(job=timeworld.job, hours=hours(8))],
        expected_version=None,
    )
    detail = reverse("finance:timesheet_detail", args=[sheet.pk])
    for who in (cast.ae, cast.ad, clientele.other_ae):
        assert login(who).get(detail).status_code == 404
    for who in (cast.designer, timeworld.design_head, cast.finance, cast.gm, cast.admin):
        assert login(who).get(detail).status_code == 200
    assert login(cast.client).get(detail).status_code in {403, 404}


def _fill(cast, timeworld, count: int) -> None:
    jobs = [timeworld.job]
    for n in range(count - 1):
        job = JobFactory(company=timeworld.job.company, owner=cast.ae, number=f"HAIER-X-{n}")
        send_to(job, cast.designer.department)
        jobs.append(job)
    services.timesheet_save(
        actor=cast.designer,
        week_start=WEEK,
        rows=[RowIn(job=job, billable=False, hours=hours(0.5, 0.5)) for job in jobs],
        expected_version=None,
    )


@pytest.mark.parametrize("count", [2, 20])
def test_the_week_grid_reads_a_fixed_number_of_queries(
    cast, timeworld, login, django_assert_num_queries, count
):
    _fill(cast, timeworld, count)
    client = login(cast.designer)
    with django_assert_num_queries(19):
        assert client.get(WEEK_URL).status_code == 200


@pytest.mark.parametrize("count", [2, 20])
def test_the_team_page_reads_a_fixed_number_of_queries(
    cast, timeworld, login, django_assert_num_queries, count
):
    for n in range(count):
        staff(f"designer{n}", Role.DESIGNER, department="design")
    client = login(timeworld.design_head)
    with django_assert_num_queries(18):
        page = client.get(reverse("finance:time_team") + f"?week={WEEK}")
    assert page.content.decode().count('data-testid="team-row"') == count + 1


@pytest.mark.parametrize("count", [2, 20])
def test_the_timesheet_page_reads_a_fixed_number_of_queries(
    cast, timeworld, login, django_assert_num_queries, count
):
    _fill(cast, timeworld, count)
    sheet = Timesheet.objects.get()
    client = login(timeworld.design_head)
    with django_assert_num_queries(20):
        assert client.get(reverse("finance:timesheet_detail", args=[sheet.pk])).status_code == 200


def test_finance_sets_a_cost_rate_on_its_page(cast, timeworld, login):
    client = login(cast.finance)
    url = reverse("finance:cost_rates")
    page = client.get(url)
    assert page.status_code == 200 and "250.00" in page.content.decode()
    response = client.post(
        url, {"user": cast.ae.pk, "hourly_cost": "180", "valid_from": "2026-01-01"}
    )
    assert response.status_code == 302
    assert CostRate.objects.get(user=cast.ae).hourly_cost == Decimal("180.00")
    assert client.post(url, {"user": cast.ae.pk, "hourly_cost": "-1"}).status_code == 400
    assert login(cast.designer).get(url).status_code == 403


@pytest.mark.parametrize("count", [2, 20])
def test_the_cost_rates_page_reads_a_fixed_number_of_queries(
    cast, timeworld, login, django_assert_num_queries, count
):
    for n in range(count):
        person = staff(f"person{n}", Role.DESIGNER, department="design")
        CostRate.objects.create(user=person, hourly_cost=100 + n, valid_from=WEEK)
    client = login(cast.finance)
    with django_assert_num_queries(13):
        assert client.get(reverse("finance:cost_rates")).status_code == 200
