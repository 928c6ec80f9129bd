"""The benchmark's weekly report operation on a tiny data set, so that it cannot rot:
it runs, answers 200, counts its queries and times its floor."""

import pytest

from jobbag.bench import ops_status_reports
from jobbag.bench.operations import OPERATIONS, BenchData
from jobbag.bench.runner import run_operations
from jobbag.meetings.models import StatusReport

pytestmark = pytest.mark.django_db


def test_it_times_the_weekly_report_build(cast, monkeypatch, password):
    for name, count in (("OPEN_JOBS", 4), ("OPEN_ACTIONS", 4), ("PENDING_SIGNOFFS", 2)):
        monkeypatch.setattr(ops_status_reports, name, count)
    monkeypatch.setattr(ops_status_reports, "TASKS_DUE", 2)
    operation = next(op for op in OPERATIONS if op.name == "weekly report build")
    data = BenchData(scale=0, staff_count=1, username=cast.ae.username, password=password)
    (result,) = run_operations(data, requests=2, warmup=0, operations=[operation])
    assert result.note == "", result.note
    assert result.queries > 0 and result.p50_ms > 0 and result.floor_p50_ms > 0
    report = StatusReport.objects.get(company__code=ops_status_reports.BENCH_CLIENT)
    counts = report.content["counts"]
    assert counts["jobs"] == 4 and counts["signoffs_agency"] + counts["signoffs_client"] == 2
    assert counts["actions_agency"] + counts["actions_client"] == 4
    # Every request gathered again.
    assert report.version > 2


def test_the_operation_is_registered_once():
    names = [op.name for op in OPERATIONS]
    assert names.count("weekly report build") == 1
