"""Scene-setting for the weekly status report tests (no tests here): HAIER's open work for
the week ending Friday 2026-11-27 — jobs (one closed), sign-offs waiting on each side,
actions on both sides (one done, one overdue), department tasks due in the window — and
NIKE's, which must never show in HAIER's report. Each test module makes its `scene`
fixture from `scene_build`."""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.utils import timezone

from jobbag.accounts.models import Department
from jobbag.approvals.models import Approval
from jobbag.bench.ops_status_reports import approvals_pending_make
from jobbag.jobs.models import Job, PlanTask, Stage
from jobbag.jobs.tests.factories import JobFactory
from jobbag.meetings.models import Action, Side
from jobbag.meetings.tests.factories import ActionFactory

# Friday; the Monday after; the last day of the 10 working days after the Friday.
WEEK = date(2026, 11, 27)
MONDAY = date(2026, 11, 30)
WINDOW_UNTIL = date(2026, 12, 11)


def local(day: date, hour: int, minute: int = 0) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour, minute)))


@dataclass
class Scene:
    job: Job
    launching: Job
    closed: Job
    ours: Approval
    theirs: Approval
    action_ours: Action
    action_theirs: Action
    action_done: Action
    task: PlanTask
    task_done: PlanTask
    task_later: PlanTask
    other_job: Job
    other_action: Action
    other_approval: Approval


def department() -> Department:
    return Department.objects.get_or_create(
        code="weekly-design", defaults={"name_zh": "设计部", "name_en": "Design", "kind": "design"}
    )[0]


def task(job: Job, owner, *, due_on: date, status: str = PlanTask.Status.TODO) -> PlanTask:
    return PlanTask.objects.create(
        job=job,
        department=department(),
        title=f"设计稿 {due_on:%m%d}",
        owner=owner,
        starts_on=WEEK,
        working_days=2,
        due_on=due_on,
        status=status,
        done_at=timezone.now() if status == PlanTask.Status.DONE else None,
        created_by=owner,
    )


def scene_build(cast, clientele, loop) -> Scene:
    company = clientele.company
    launching = JobFactory(
        company=company,
        owner=cast.ae,
        number="HAIER-2026-0002",
        title="冰箱新品发布会",
        stage=Stage.PRODUCTION,
        launch_date=date(2026, 12, 8),
    )
    closed = JobFactory(
        company=company,
        owner=cast.ae,
        number="HAIER-2026-0003",
        title="已结案项目",
        stage=Stage.CLOSED,
    )
    ours, theirs = approvals_pending_make(
        jobs=[loop.job, launching], client_side=[False, True], submitted_by=cast.ae
    )
    action_ours = ActionFactory(
        company=company, owner=cast.ae, text="提交修改稿", due_on=WEEK - timedelta(days=2)
    )
    action_theirs = ActionFactory(
        company=company,
        side=Side.CLIENT,
        owner_contact=clientele.contact,
        created_by=cast.ae,
        text="确认预算",
        due_on=date(2026, 12, 2),
        job=launching,
    )
    action_done = ActionFactory(
        company=company,
        owner=cast.ae,
        text="已完成的事项",
        status=Action.Status.DONE,
        closed_at=timezone.now(),
        closed_by=cast.ae,
    )
    other_job = JobFactory(
        company=clientele.other_company,
        owner=clientele.other_ae,
        number="NIKE-2026-0001",
        title="耐克跑鞋项目",
    )
    other_action = ActionFactory(
        company=clientele.other_company,
        owner=clientele.other_ae,
        text="耐克的事项",
        due_on=date(2026, 12, 1),
    )
    (other_approval,) = approvals_pending_make(
        jobs=[other_job], client_side=[True], submitted_by=clientele.other_ae
    )
    return Scene(
        job=loop.job,
        launching=launching,
        closed=closed,
        ours=ours,
        theirs=theirs,
        action_ours=action_ours,
        action_theirs=action_theirs,
        action_done=action_done,
        task=task(launching, cast.ae, due_on=date(2026, 12, 3)),
        task_done=task(launching, cast.ae, due_on=date(2026, 12, 4), status=PlanTask.Status.DONE),
        task_later=task(launching, cast.ae, due_on=date(2026, 12, 31)),
        other_job=other_job,
        other_action=other_action,
        other_approval=other_approval,
    )
