"""The plan and follow-up pages: adding and editing tasks (a stale edit is a conflict),
their status, problems raised, answered and closed, and the job-page timeline panel."""

import datetime

import pytest
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.urls import reverse

from jobbag.core.navigation import menu_for
from jobbag.jobs.models import FollowUpIssue, PlanTask
from jobbag.jobs.services import plans as services
from jobbag.jobs.tests.changes_support import dispatch
from jobbag.jobs.views.plans import panel_context

pytestmark = pytest.mark.django_db

MON = datetime.date(2026, 11, 23)


def _task(chain, cast, **extra):
    values = {
        "actor": cast.ae,
        "job": chain.job,
        "department": chain.design,
        "title": "出设计稿",
        "owner": cast.designer,
        "starts_on": MON,
        "working_days": 3,
    }
    values.update(extra)
    return services.plan_task_create(**values)


def test_a_designer_adds_and_edits_designs_tasks(chain, cast, login):
    dispatch(chain, cast, [chain.design])
    client = login(cast.designer)
    url = reverse("jobs:plan_task_create", args=[chain.job.pk])
    page = client.get(url)
    assert page.status_code == 200
    # Only design is offered to the designer.
    assert list(page.context["form"].fields["department"].queryset) == [chain.design]
    data = {
        "department": chain.design.pk,
        "title": "主画面",
        "owner": cast.designer.pk,
        "starts_on": "2026-11-21",  # A Saturday: starts Monday.
        "working_days": 2,
    }
    response = client.post(url, data)
    assert response.status_code == 302
    task = PlanTask.objects.get()
    assert (task.starts_on, task.due_on) == (MON, MON + datetime.timedelta(days=1))
    edit = reverse("jobs:plan_task_edit", args=[task.pk])
    changed = {"title": "主画面定稿", "owner": cast.designer.pk, "starts_on": "2026-11-23"}
    assert client.post(edit, {**changed, "working_days": 1, "version": 1}).status_code == 302
    stale = client.post(edit, {**changed, "working_days": 5, "version": 1})
    assert stale.status_code == 409
    task.refresh_from_db()
    assert (task.title, task.working_days, task.version) == ("主画面定稿", 1, 2)
    status = reverse("jobs:plan_task_status", args=[task.pk])
    client.post(status, {"status": "done", "version": 2})
    task.refresh_from_db()
    assert task.status == "done" and task.done_at is not None
    # Purchasing's head sees no job sent to purchasing: 404.
    assert login(chain.purchasing_head).get(edit).status_code == 404


def test_a_problem_goes_through_the_pages(chain, cast, login):
    dispatch(chain, cast, [chain.design])
    account = login(cast.ae)
    url = reverse("jobs:issue_raise", args=[chain.job.pk])
    response = account.post(
        url,
        {
            "department": chain.design.pk,
            "topic": "quality",
            "problem": "色差明显",
            "answer_by": datetime.date.today().isoformat(),
        },
    )
    assert response.status_code == 302
    issue = FollowUpIssue.objects.get()
    designer = login(cast.designer)
    assert designer.get(url).status_code == 403
    answer = reverse("jobs:issue_answer", args=[issue.pk])
    assert designer.post(answer, {"answer": ""}).status_code == 400
    assert designer.post(answer, {"answer": "已重新打样"}).status_code == 302
    close = reverse("jobs:issue_close", args=[issue.pk])
    assert designer.post(close).status_code == 403
    assert login(cast.ae).post(close).status_code == 302
    issue.refresh_from_db()
    assert (issue.status, issue.answer, issue.answered_by) == (
        "closed",
        "已重新打样",
        cast.designer,
    )


def test_the_panel_draws_the_timeline_across_departments(chain, cast):
    cast.ae.language = "en"
    cast.ae.save(update_fields=["language"])
    _task(chain, cast)
    _task(chain, cast, department=chain.qc, owner=chain.qc_head, title="验收", working_days=1)
    request = RequestFactory().get("/")
    request.user = cast.ae
    context = panel_context(request, chain.job)
    timeline = context["timeline"]
    assert [g.department for g in timeline.groups] == sorted(
        [chain.design, chain.qc], key=lambda d: d.code
    )
    html = render_to_string("jobs/_plans_panel.html", context, request=request)
    assert html.count('data-testid="task-row"') == 2
    assert html.count('class="cell filled"') == 4  # 3 days of design, 1 of QC.


def test_the_menu_offers_the_follow_up_board_to_staff(chain, cast):
    labels = [item.url_name for item in menu_for(cast.ae)]
    assert "jobs:follow_up" in labels
    assert "jobs:follow_up" not in [item.url_name for item in menu_for(cast.client)]
