"""The benchmark's "week grid" and "profitability per client" on a tiny data set, so
they cannot rot: their data, requests and raw SQL floors all run (timings are not under
test)."""

import pytest

from jobbag.bench.data import data_load
from jobbag.bench.ops_time import (
    ACTOR_ROWS,
    PROFITABILITY,
    WEEK_GRID,
    entries_count,
    profit_floor,
    time_load,
    week_grid_floor,
)
from jobbag.bench.runner import run_operations
from jobbag.finance.models import Expense, TimeEntry, Timesheet

pytestmark = pytest.mark.django_db


@pytest.fixture
def fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def test_it_times_the_week_grid_and_profitability_beside_their_floors(fast_passwords):
    data = data_load(scale=0)
    visit = WEEK_GRID.setup(data)
    total = TimeEntry.objects.count()
    assert total >= entries_count(0)
    assert Expense.objects.exists()
    mine = Timesheet.objects.get(user=visit.user)
    assert mine.entries.count() == ACTOR_ROWS * 5

    response = WEEK_GRID.request(visit)
    assert response.status_code == 200
    assert len(response.context["rows"]) >= 1
    week_grid_floor(visit)

    report = PROFITABILITY.setup(data)
    response = PROFITABILITY.request(report)
    assert response.status_code == 200 and response.context["rows"]
    profit_floor(report)

    time_load(data)
    assert TimeEntry.objects.count() == total
    results = run_operations(data, requests=1, warmup=0, operations=[WEEK_GRID, PROFITABILITY])
    assert all(r.note == "" and r.queries > 0 and r.floor_p50_ms > 0 for r in results)
