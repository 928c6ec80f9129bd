"""Gathering a client's weekly report: what each section lists, what it leaves out, and
a fixed number of queries whatever the row counts."""

import json
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from jobbag.bench.ops_status_reports import open_work_build
from jobbag.calendar.services import add_working_days
from jobbag.jobs.models import Job
from jobbag.jobs.services.gates import work_blockers
from jobbag.meetings.selectors.status_reports import (
    content_view,
    last_friday,
    status_report_gather,
)
from jobbag.meetings.tests.test_status_reports_support import (
    MONDAY,
    WEEK,
    WINDOW_UNTIL,
    Scene,
    scene_build,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def scene(cast, clientele, loop) -> Scene:
    return scene_build(cast, clientele, loop)


def test_it_takes_the_last_friday_before_the_day():
    assert last_friday(MONDAY) == WEEK
    assert last_friday(WEEK) == WEEK.replace(day=20)
    assert last_friday(WEEK.replace(day=28)) == WEEK


def test_it_lists_the_open_jobs_with_stage_owner_launch_and_holds(scene, clientele):
    content = status_report_gather(clientele.company, WEEK)
    json.dumps(content)  # JSON-safe as stored.
    numbers = [row["number"] for row in content["jobs"]]
    # Neither the closed job nor NIKE's.
    assert numbers == ["HAIER-2026-0001", "HAIER-2026-0002"]
    launching = next(row for row in content["jobs"] if row["number"] == "HAIER-2026-0002")
    assert launching["stage"] == "production"
    assert launching["owner"] == "王小明"
    assert launching["launch_date"] == "2026-12-08"
    assert content["week_ending"] == "2026-11-27"
    assert content["window_until"] == WINDOW_UNTIL.isoformat()


def test_its_holds_are_the_work_gates_reasons(scene, clientele):
    Job.objects.filter(pk=scene.launching.pk).update(
        prepayment_required=Decimal("5000"), estimated_amount=Decimal("500000")
    )
    content = status_report_gather(clientele.company, WEEK)
    with translation.override("zh-hans"):
        view = content_view(content)
        for row in view["jobs"]:
            assert row["held_texts"] == work_blockers(Job.objects.get(pk=row["id"]))
    launching = next(row for row in content["jobs"] if row["id"] == scene.launching.pk)
    assert [held["code"] for held in launching["held"]] == [
        "quote_not_signed",
        "prepayment_missing",
        "review_missing",
    ]


def test_it_splits_the_signoffs_waiting_on_us_and_on_the_client(scene, clientele):
    content = status_report_gather(clientele.company, WEEK)
    assert [row["id"] for row in content["signoffs"]["agency"]] == [scene.ours.pk]
    assert [row["id"] for row in content["signoffs"]["client"]] == [scene.theirs.pk]
    assert content["signoffs"]["client"][0]["step"] == "客户签字"
    assert content["signoffs"]["client"][0]["document_type"] == "quote"


def test_it_lists_open_actions_by_side_with_owner_due_and_overdue(scene, clientele):
    content = status_report_gather(clientele.company, WEEK)
    ours = content["actions"]["agency"]
    theirs = content["actions"]["client"]
    assert [row["text"] for row in ours] == ["提交修改稿"]  # the done one is not listed
    assert ours[0]["owner"] == "王小明" and ours[0]["overdue"] is True
    assert [row["text"] for row in theirs] == ["确认预算"]
    assert theirs[0]["owner"] == "孙丽" and theirs[0]["overdue"] is False
    assert theirs[0]["job"] == "HAIER-2026-0002"
    assert content["counts"]["overdue"] == 1
    texts = [row["text"] for side in content["actions"].values() for row in side]
    assert "耐克的事项" not in texts


def test_it_lists_the_deadlines_in_the_window(scene, clientele):
    content = status_report_gather(clientele.company, WEEK)
    deadlines = [(row["date"], row["kind"]) for row in content["deadlines"]]
    assert deadlines == [
        ("2026-12-02", "action"),
        ("2026-12-03", "task"),
        ("2026-12-08", "launch"),
    ]
    # The done task, the task after the window and the overdue action are not deadlines.
    with translation.override("en"):
        view = content_view(content)
    assert view["deadlines"][1]["department"] == "Design"
    assert view["deadlines"][2]["kind_label"] == "Launch date"


def test_another_clients_items_never_appear(scene, clientele):
    content = json.dumps(status_report_gather(clientele.company, WEEK), ensure_ascii=False)
    for text in ("NIKE", "耐克"):
        assert text not in content
    other = status_report_gather(clientele.other_company, WEEK)
    assert [row["number"] for row in other["jobs"]] == ["NIKE-2026-0001"]
    assert other["signoffs"]["client"][0]["id"] == scene.other_approval.pk
    assert other["signoffs"]["agency"] == []


def _queries(company) -> int:
    # Warm: the first reading of a calendar year may warn the admins once.
    status_report_gather(company, WEEK)
    with CaptureQueriesContext(connection) as captured:
        status_report_gather(company, WEEK)
    return len(captured.captured_queries)


GATHER_QUERIES = 8


def test_it_gathers_in_a_fixed_number_of_queries(cast, clientele, loop):
    add_working_days(WEEK, 10)
    few = _queries(clientele.company)
    open_work_build(
        company=clientele.company,
        owner=cast.ae,
        contact=clientele.contact,
        week_ending=WEEK,
        jobs=30,
        actions=30,
        signoffs=10,
        tasks=10,
    )
    content = status_report_gather(clientele.company, WEEK)
    assert content["counts"]["jobs"] == 31 and content["counts"]["deadlines"] > 10
    assert few == _queries(clientele.company) == GATHER_QUERIES
