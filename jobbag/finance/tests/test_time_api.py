"""The time and costing API under /api/v1/finance/: read, save and submit a week,
time entries, expenses, a job's costing and profitability."""

from datetime import date
from decimal import Decimal

from jobbag.approvals.models import SignoffStatus
from jobbag.finance.models import Expense, Timesheet
from jobbag.finance.tests.conftest_time import WEEK, timeworld_fixture  # noqa: F401

BASE = "/api/v1/finance"
WEEK_URL = f"{BASE}/timesheets/week/{WEEK.isoformat()}"


def week_body(world, version=None):
    return {
        "version": version,
        "rows": [
            {
                "job": world.job.pk,
                "rate_item": world.artwork.pk,
                "task": "KV",
                "billable": True,
                "hours": ["4", "3.5", None, None, None, None, None],
            },
            {"job": world.pitch.pk, "billable": False, "hours": [None, "2", 0, 0, 0, 0, 0]},
        ],
    }


def test_a_week_is_read_saved_and_submitted(cast, timeworld, login):
    client = login(cast.designer)
    empty = client.get(f"{BASE}/timesheets/week/2026-11-11").json()
    assert empty["week_start"] == "2026-11-09" and empty["status"] == "new"
    assert empty["rows"] == [] and empty["version"] is None
    saved = client.put(WEEK_URL, week_body(timeworld), content_type="application/json")
    assert saved.status_code == 200, saved.content
    body = saved.json()
    assert Decimal(body["total_hours"]) == Decimal("9.5") and len(body["rows"]) == 2
    stale = client.put(WEEK_URL, week_body(timeworld), content_type="application/json")
    assert stale.status_code == 409
    submitted = client.post(f"{WEEK_URL}/submit")
    assert submitted.status_code == 200 and submitted.json()["status"] == "submitted"
    assert client.post(f"{WEEK_URL}/submit").status_code == 409
    again = week_body(timeworld, version=body["version"] + 1)
    assert client.put(WEEK_URL, again, content_type="application/json").status_code == 409
    assert Timesheet.objects.get().signoff_status == SignoffStatus.SUBMITTED


def test_malformed_weeks_are_400_and_change_nothing(cast, timeworld, login):
    client = login(cast.designer)
    bad = week_body(timeworld)
    bad["rows"][0]["hours"] = ["25", None, None, None, None, None, None]
    response = client.put(WEEK_URL, bad, content_type="application/json")
    assert response.status_code == 400 and "row-0" in response.json().get("fields", {})
    assert client.put(WEEK_URL, {"rows": "x"}, content_type="application/json").status_code in {
        400,
        422,
    }
    assert client.get(f"{BASE}/timesheets/week/not-a-day").status_code == 400
    assert not Timesheet.objects.exists()


def test_entries_and_timesheets_are_scoped(cast, clientele, timeworld, login):
    login(cast.designer).put(WEEK_URL, week_body(timeworld), content_type="application/json")
    sheet = Timesheet.objects.get()
    entries = login(cast.designer).get(f"{BASE}/time-entries").json()
    assert len(entries["items"]) == 3
    assert login(timeworld.design_head).get(f"{BASE}/timesheets/{sheet.pk}").status_code == 200
    assert login(cast.ae).get(f"{BASE}/timesheets/{sheet.pk}").status_code == 404
    assert login(cast.ae).get(f"{BASE}/time-entries").json()["items"] == []
    assert (
        login(cast.finance).get(f"{BASE}/time-entries?job={timeworld.job.pk}").json()["count"] == 2
    )


def test_expenses_costing_and_profitability(cast, clientele, timeworld, login):
    client = login(cast.ae)
    data = {
        "job": timeworld.job.pk,
        "category": "supplier",
        "incurred_on": "2026-11-10",
        "description": "海报印刷",
        "supplier": "雅昌印刷",
        "amount": "3000.00",
    }
    created = client.post(f"{BASE}/expenses", data, content_type="application/json")
    assert created.status_code == 201, created.content
    expense_id = created.json()["id"]
    costing = client.get(f"{BASE}/jobs/{timeworld.job.pk}/costing").json()
    assert Decimal(costing["external_costs"]) == Decimal("3000.00")
    assert Decimal(costing["margin"]) == Decimal("7000.00")
    report = login(cast.finance).get(f"{BASE}/profitability?group=client&year=2026")
    assert report.status_code == 200 and report.json()[0]["label"] == "HAIER"
    assert Decimal(report.json()[0]["external_costs"]) == Decimal("3000.00")
    client = login(cast.ae)
    listed = client.get(f"{BASE}/expenses?category=supplier").json()
    assert [row["id"] for row in listed["items"]] == [expense_id]
    bad = client.post(f"{BASE}/expenses", {**data, "amount": "-1"}, content_type="application/json")
    assert bad.status_code == 400
    voided = client.post(
        f"{BASE}/expenses/{expense_id}/void", {"reason": "重复"}, content_type="application/json"
    )
    assert voided.status_code == 200 and voided.json()["voided"]
    again = client.post(
        f"{BASE}/expenses/{expense_id}/void", {"reason": "重复"}, content_type="application/json"
    )
    assert again.status_code == 409
    # Those who do not see the job's money get 404 (not even that it exists).
    designer = login(cast.designer)
    assert designer.get(f"{BASE}/jobs/{timeworld.job.pk}/costing").status_code == 404
    assert (
        designer.post(f"{BASE}/expenses", data, content_type="application/json").status_code == 404
    )
    assert login(clientele.other_ae).get(f"{BASE}/expenses?voided=all").json()["items"] == []
    assert login(cast.ae).get(f"{BASE}/profitability?group=client&year=2026").status_code == 403
    assert Expense.objects.get().incurred_on == date(2026, 11, 10)
