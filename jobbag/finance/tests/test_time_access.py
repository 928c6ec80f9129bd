"""Who may do what with time and costs, over pages and API at once (see
permissions.time): a designer logs her own time and sees nobody else's timesheets or any
costs; her department head sees and approves her week; account people see their jobs'
money; Finance, the GM and admins see all; client users never see any of it."""

import pytest
from django.test import Client
from django.urls import reverse

from jobbag.core.testing import Case, run_permission_matrix
from jobbag.finance.models import Expense
from jobbag.finance.services import time as time_services
from jobbag.finance.services.time import RowIn
from jobbag.finance.tests.conftest_time import WEEK, hours, timeworld_fixture  # noqa: F401

API = "/api/v1/finance"


@pytest.fixture
def roles(cast, clientele, timeworld):
    """The cast plus the design head and NIKE's AE, as permission-matrix roles."""
    cast.design_head = timeworld.design_head
    cast.other_ae = clientele.other_ae
    return cast


def test_the_permission_matrix(roles, timeworld):
    cast = roles
    sheet = time_services.timesheet_save(
        actor=cast.designer,
        week_start=WEEK,
        rows=[RowIn(job=timeworld.job, hours=hours(8))],
        expected_version=None,
    )
    expense = Expense.objects.create(
        job=timeworld.job,
        category="travel",
        incurred_on=WEEK,
        description="出差",
        amount=100,
        created_by=cast.ae,
    )
    job = timeworld.job.pk
    pages = {
        "week": reverse("finance:time_week"),
        "team": reverse("finance:time_team"),
        "sheet": reverse("finance:timesheet_detail", args=[sheet.pk]),
        "rates": reverse("finance:cost_rates"),
        "costing": reverse("finance:job_costing", args=[job]),
        "expenses": reverse("finance:expenses"),
        "profit": reverse("finance:profitability"),
        "card": reverse("finance:close_out", args=[job]),
        "receipt": reverse("finance:expense_receipt", args=[expense.pk]),
    }
    apis = {
        "api_week": f"{API}/timesheets/week/{WEEK.isoformat()}",
        "api_sheet": f"{API}/timesheets/{sheet.pk}",
        "api_entries": f"{API}/time-entries",
        "api_costing": f"{API}/jobs/{job}/costing",
        "api_expenses": f"{API}/expenses",
        "api_profit": f"{API}/profitability?year=2026",
    }
    expected = {
        # role: week team sheet rates costing expenses profit card receipt
        "designer": (200, 403, 200, 403, 404, 403, 403, 404, 404),
        "design_head": (200, 200, 200, 403, 404, 403, 403, 404, 404),
        "ae": (200, 403, 404, 403, 200, 200, 403, 404, 404),
        "ad": (200, 200, 404, 403, 200, 200, 200, 404, 404),
        "other_ae": (200, 403, 404, 403, 404, 200, 403, 404, 404),
        "finance": (200, 200, 200, 200, 200, 200, 200, 404, 404),
        "gm": (200, 200, 200, 403, 200, 200, 200, 404, 404),
        "admin": (200, 200, 200, 200, 200, 200, 200, 404, 404),
        "client": (404, 404, 404, 404, 404, 404, 404, 404, 404),
        "outsider": (404, 404, 404, 404, 404, 404, 404, 404, 404),
    }
    expected_api = {
        # role: week sheet entries costing expenses profit
        "designer": (200, 200, 200, 404, 403, 403),
        "design_head": (200, 200, 200, 404, 403, 403),
        "ae": (200, 404, 200, 200, 200, 403),
        "ad": (200, 404, 200, 200, 200, 200),
        "other_ae": (200, 404, 200, 404, 200, 403),
        "finance": (200, 200, 200, 200, 200, 200),
        "gm": (200, 200, 200, 200, 200, 200),
        "admin": (200, 200, 200, 200, 200, 200),
        "client": (403, 404, 403, 404, 403, 403),
        "outsider": (403, 404, 403, 404, 403, 403),
    }
    cases = []
    for role, statuses in expected.items():
        for (_name, url), status in zip(pages.items(), statuses, strict=True):
            cases.append(Case(role, "GET", url, status))
    for role, statuses in expected_api.items():
        for (_name, url), status in zip(apis.items(), statuses, strict=True):
            cases.append(Case(role, "GET", url, status))
    for url in list(pages.values())[:3] + list(apis.values())[:2]:
        cases.append(Case("anonymous", "GET", url, 302 if not url.startswith("/api/") else 401))
    run_permission_matrix(cast, cases)


def test_writes_refused_to_the_wrong_people(roles, timeworld):
    cast = roles
    job = timeworld.job.pk
    expense = {
        "category": "travel",
        "incurred_on": "2026-11-10",
        "description": "x",
        "amount": "10",
        "currency": "CNY",
    }
    rate = {"user": cast.ae.pk, "hourly_cost": "100", "valid_from": "2026-01-01"}
    cases = [
        Case("designer", "POST", reverse("finance:job_costing", args=[job]), 404, expense),
        Case("other_ae", "POST", reverse("finance:job_costing", args=[job]), 404, expense),
        Case("designer", "POST", reverse("finance:cost_rates"), 403, rate),
        Case("ae", "POST", reverse("finance:cost_rates"), 403, rate),
        Case("gm", "POST", reverse("finance:cost_rates"), 403, rate),
        Case("client", "POST", reverse("finance:time_week"), 404, {"action": "save"}),
        Case("designer", "POST", f"{API}/expenses", 404, {**expense, "job": job}),
        Case("client", "POST", f"{API}/expenses", 404, {**expense, "job": job}),
        Case("client", "PUT", f"{API}/timesheets/week/{WEEK}", 403, {"rows": []}),
    ]
    run_permission_matrix(cast, [c for c in cases if c.method != "PUT"])
    client = Client()
    client.force_login(cast.client)
    put = client.put(f"{API}/timesheets/week/{WEEK}", {"rows": []}, content_type="application/json")
    assert put.status_code == 403
    assert not Expense.objects.exists()
