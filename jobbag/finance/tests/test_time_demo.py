"""The demo time and costs (`time_build`, which `seed_demo` runs): rates for everyone,
four weeks of time (two approved and locked, one waiting, one draft), expenses; once."""

from io import StringIO

import pytest
from django.core.management import call_command

from jobbag.accounts.models import User
from jobbag.approvals.models import SignoffStatus
from jobbag.finance.demo_time import time_build
from jobbag.finance.models import CostRate, Expense, TimeEntry, Timesheet


@pytest.mark.django_db
def test_time_build_loads_time_and_costs_once():
    call_command("seed_demo", stdout=StringIO())
    assert CostRate.objects.count() == User.objects.filter(kind="staff").count()
    assert Timesheet.objects.count() >= 8 and Expense.objects.count() > 0
    designer = User.objects.get(username="yuanyuan")
    weeks = list(Timesheet.objects.filter(user=designer).order_by("week_start"))
    assert [w.signoff_status for w in weeks] == [
        SignoffStatus.APPROVED,
        SignoffStatus.APPROVED,
        SignoffStatus.SUBMITTED,
        SignoffStatus.DRAFT,
    ]
    assert all(w.locked_at for w in weeks[:2])
    assert TimeEntry.objects.filter(user=designer, hourly_cost=180).exists()
    assert time_build() == {"rates": 0, "timesheets": 0, "expenses": 0}
    assert Timesheet.objects.filter(user=designer).count() == 4
