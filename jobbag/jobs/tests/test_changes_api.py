"""Change notices, plan tasks, problems and the follow-up board over the API, and who may
do what there (the cast's roles)."""

import datetime

import pytest
from django.utils import timezone

from jobbag.core.testing import Case, run_permission_matrix
from jobbag.jobs.models import ChangeNotice, FollowUpIssue, PlanTask
from jobbag.jobs.services import changes as change_services
from jobbag.jobs.services import plans as plan_services
from jobbag.jobs.tests.changes_support import dispatch, sign
from jobbag.jobs.tests.factories import JobFactory

pytestmark = pytest.mark.django_db

BASE = "/api/v1/jobs"
MON = datetime.date(2026, 11, 23)


def _payload(chain, **extra):
    payload = {
        "what": "上市日推迟",
        "why": "客户渠道调整",
        "requested_by": "孙丽",
        "requested_on": timezone.localdate().isoformat(),
        "changes": {"launch_date": "2026-12-28", "timing": "分两批到货"},
        "departments": [chain.design.pk, chain.qc.pk],
    }
    payload.update(extra)
    return payload


def test_a_change_notice_over_the_api(chain, cast, login):
    client = login(cast.ae)
    url = f"{BASE}/{chain.job.pk}/change-notices"
    refused = client.post(url, _payload(chain), content_type="application/json")
    assert refused.status_code == 400
    assert refused.json()["message"] == str(change_services.NOT_DISPATCHED)
    dispatch(chain, cast)
    bad = client.post(
        url, _payload(chain, what="", departments=[]), content_type="application/json"
    )
    assert bad.status_code == 400 and {"what", "departments"} <= set(bad.json()["fields"])
    created = client.post(url, _payload(chain), content_type="application/json")
    assert created.status_code == 201, created.json()
    body = created.json()
    assert body["number"] == 1
    assert body["changes"] == {
        "launch_date": [None, "2026-12-28"],
        "timing": ["", "分两批到货"],
    }
    one = f"{BASE}/change-notices/{body['id']}"
    stale = client.patch(one, {"version": 9, "what": "x"}, content_type="application/json")
    assert stale.status_code == 409
    patched = client.patch(
        one,
        {"version": body["version"], "changes": {"timing": "一批"}},
        content_type="application/json",
    )
    assert patched.status_code == 200 and patched.json()["changes"] == {"timing": ["", "一批"]}
    submitted = client.post(f"{one}/submit")
    assert submitted.status_code == 200
    assert submitted.json()["notice"]["signoff_status"] == "submitted"
    assert client.post(f"{one}/submit").status_code == 409
    sign(ChangeNotice.objects.get(), cast)
    listed = client.get(url).json()
    assert [a["department"]["code"] for a in listed[0]["acknowledgements"]] == ["design", "qc"]
    assert listed[0]["acknowledgements"][0]["late"] is False
    pdf = client.get(f"{one}/pdf")
    assert pdf.status_code == 200 and pdf.content[:4] == b"%PDF"


def test_plan_tasks_and_problems_over_the_api(chain, cast, login):
    dispatch(chain, cast, [chain.design])
    designer = login(cast.designer)
    url = f"{BASE}/{chain.job.pk}/plan-tasks"
    task = {
        "department": chain.design.pk,
        "title": "主画面",
        "owner": cast.designer.pk,
        "starts_on": MON.isoformat(),
        "working_days": 3,
    }
    created = designer.post(url, task, content_type="application/json")
    assert created.status_code == 201, created.json()
    body = created.json()
    assert body["due_on"] == "2026-11-25"
    one = f"{BASE}/plan-tasks/{body['id']}"
    moved = designer.patch(
        one, {"version": 1, "status": "in_progress"}, content_type="application/json"
    )
    assert moved.status_code == 200 and moved.json()["status"] == "in_progress"
    stale = designer.patch(one, {"version": 1, "title": "x"}, content_type="application/json")
    assert stale.status_code == 409
    both = designer.patch(
        one,
        {"version": 2, "working_days": 1, "status": "done"},
        content_type="application/json",
    )
    assert both.status_code == 200
    assert (both.json()["due_on"], both.json()["status"]) == ("2026-11-23", "done")
    assert designer.get(url).json()[0]["state"] == "done"

    account = login(cast.ae)
    issues = f"{BASE}/{chain.job.pk}/issues"
    raised = account.post(
        issues,
        {
            "department": chain.design.pk,
            "topic": "schedule",
            "problem": "进度?",
            "answer_by": timezone.localdate().isoformat(),
        },
        content_type="application/json",
    )
    assert raised.status_code == 201, raised.json()
    issue = raised.json()["id"]
    answered = login(cast.designer).post(
        f"{BASE}/issues/{issue}/answer", {"answer": "明天"}, content_type="application/json"
    )
    assert answered.status_code == 200 and answered.json()["status"] == "answered"
    closed = login(cast.ae).post(f"{BASE}/issues/{issue}/close")
    assert closed.status_code == 200 and closed.json()["status"] == "closed"
    assert login(cast.ae).get(f"{BASE}/follow-up").status_code == 200


def test_the_follow_up_board_over_the_api(chain, cast, login):
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    PlanTask.objects.create(
        job=chain.job,
        department=chain.design,
        title="late",
        owner=cast.designer,
        starts_on=yesterday,
        working_days=1,
        due_on=yesterday,
        created_by=cast.ae,
    )
    board = login(cast.ae).get(f"{BASE}/follow-up").json()
    assert board[0]["job"]["id"] == chain.job.pk
    assert [t["title"] for t in board[0]["overdue"]] == ["late"]
    assert login(cast.ae).get(f"{BASE}/follow-up", {"department": chain.qc.pk}).json() == []


def test_the_permission_matrix(chain, cast, clientele, login):
    dispatch(chain, cast, [chain.design])
    notice = change_services.change_notice_create(
        actor=cast.ae,
        job=chain.job,
        what="改",
        why="客户",
        requested_by="孙丽",
        requested_on=timezone.localdate(),
        changes={"effect": "醒目"},
        departments=[chain.design],
    )
    task = plan_services.plan_task_create(
        actor=cast.ae,
        job=chain.job,
        department=chain.design,
        title="设计",
        owner=cast.designer,
        starts_on=MON,
        working_days=1,
    )
    qc_task = plan_services.plan_task_create(
        actor=cast.ae,
        job=chain.job,
        department=chain.qc,
        title="验",
        owner=chain.qc_head,
        starts_on=MON,
        working_days=1,
    )
    issue = plan_services.follow_up_issue_raise(
        actor=cast.ae,
        job=chain.job,
        department=chain.design,
        topic="quality",
        problem="色差",
        answer_by=timezone.localdate(),
    )
    other_job = JobFactory(company=chain.job.company, owner=cast.ae)
    cast.other_ae = clientele.other_ae
    job = chain.job.pk
    notices = f"{BASE}/{job}/change-notices"
    one = f"{BASE}/change-notices/{notice.pk}"
    tasks = f"{BASE}/{job}/plan-tasks"
    new_task = {
        "department": chain.design.pk,
        "title": "x",
        "owner": cast.designer.pk,
        "starts_on": MON.isoformat(),
        "working_days": 1,
    }
    answer = f"{BASE}/issues/{issue.pk}/answer"
    new_issue = {
        "department": chain.design.pk,
        "topic": "quality",
        "problem": "x",
        "answer_by": timezone.localdate().isoformat(),
    }
    cases = [
        Case("anonymous", "GET", notices, 401),
        Case("client", "GET", notices, 403),
        Case("outsider", "GET", f"{BASE}/follow-up", 403),
        Case("client", "POST", answer, 403, {"answer": "x"}),
        Case("other_ae", "GET", notices, 404),
        Case("other_ae", "GET", one, 404),
        Case("other_ae", "PATCH", one, 404, {"version": 1, "what": "x"}),
        Case("other_ae", "GET", tasks, 404),
        Case("ae", "GET", notices, 200),
        Case("ad", "GET", one, 200),
        Case("gm", "GET", one, 200),
        Case("finance", "GET", one, 200),
        Case("finance", "POST", f"{one}/submit", 403),
        Case("designer", "GET", notices, 200),
        Case("designer", "GET", f"{one}/pdf", 200),
        Case("designer", "POST", notices, 403, _payload(chain)),
        Case("designer", "PATCH", one, 403, {"version": 1, "what": "x"}),
        Case("designer", "POST", f"{one}/submit", 403),
        # The designer plans design's tasks, not QC's, and sees no other job.
        Case("designer", "PATCH", f"{BASE}/plan-tasks/{qc_task.pk}", 403, {"version": 1}),
        Case("designer", "POST", tasks, 201, new_task),
        Case("designer", "POST", tasks, 403, {**new_task, "department": chain.qc.pk}),
        Case("designer", "GET", f"{BASE}/{other_job.pk}/plan-tasks", 404),
        Case("designer", "POST", f"{BASE}/{job}/issues", 403, new_issue),
        Case("designer", "POST", f"{BASE}/issues/{issue.pk}/close", 403),
        Case("finance", "POST", answer, 403, {"answer": "x"}),
        Case("designer", "POST", answer, 200, {"answer": "好"}),
        Case("ae", "PATCH", f"{BASE}/plan-tasks/{task.pk}", 200, {"version": 1, "title": "y"}),
    ]
    run_permission_matrix(cast, cases)
    notice.refresh_from_db()
    assert (notice.what, notice.signoff_status) == ("改", "draft")
    assert FollowUpIssue.objects.get().status == "answered"
    assert PlanTask.objects.get(pk=qc_task.pk).version == 1
