"""Department plans: tasks in working days, who plans them, stale edits, and what counts
as overdue and at risk; follow-up problems raised, answered and closed."""

import datetime

import pytest

from jobbag.core.errors import Conflict, DomainError, NotAllowed
from jobbag.core.models import AuditEntry, Notification
from jobbag.jobs.models import FollowUpIssue, JobSettings
from jobbag.jobs.selectors import plans as selectors
from jobbag.jobs.services import plans as services
from jobbag.jobs.tests.changes_support import dispatch
from jobbag.jobs.tests.factories import JobFactory

pytestmark = pytest.mark.django_db

THU = datetime.date(2026, 11, 19)
FRI = datetime.date(2026, 11, 20)
SAT = datetime.date(2026, 11, 21)
MON = datetime.date(2026, 11, 23)
TUE = datetime.date(2026, 11, 24)
WED = datetime.date(2026, 11, 25)


def _task(chain, actor, *, department=None, owner=None, starts_on=THU, days=1, title="出设计稿"):
    return services.plan_task_create(
        actor=actor,
        job=chain.job,
        department=department or chain.design,
        title=title,
        owner=owner or actor,
        starts_on=starts_on,
        working_days=days,
    )


def test_dates_count_working_days_over_the_weekend():
    assert services.task_dates(THU, 1) == (THU, THU)
    assert services.task_dates(THU, 3) == (THU, MON)
    # A start on a Saturday moves to Monday; one day there is due that Monday.
    assert services.task_dates(SAT, 1) == (MON, MON)


def test_a_designer_plans_designs_tasks_on_a_job_sent_to_design(chain, cast):
    dispatch(chain, cast, [chain.design])
    task = _task(chain, cast.designer, days=3)
    assert (task.starts_on, task.due_on, task.owner) == (THU, MON, cast.designer)
    assert AuditEntry.objects.filter(object_id=str(task.pk), action="create").exists()
    # Not purchasing's tasks, and the owner must work in the task's department.
    with pytest.raises(NotAllowed):
        _task(chain, cast.designer, department=chain.purchasing, owner=chain.purchasing_head)
    with pytest.raises(DomainError) as refused:
        _task(chain, cast.ae, owner=chain.qc_head)
    assert refused.value.fields == {"owner": services.OWNER_NOT_IN_DEPARTMENT}


def test_a_designer_plans_nothing_on_a_job_not_sent_to_design(chain, cast):
    with pytest.raises(NotAllowed):
        _task(chain, cast.designer)
    other = JobFactory(company=chain.job.company, owner=cast.ae)
    with pytest.raises(NotAllowed):
        services.plan_task_create(
            actor=cast.designer,
            job=other,
            department=chain.design,
            title="x",
            owner=cast.designer,
            starts_on=THU,
            working_days=1,
        )


def test_the_job_editor_plans_any_department_and_validates(chain, cast):
    task = _task(chain, cast.ae, department=chain.qc, owner=chain.qc_head, days=2)
    assert task.due_on == FRI
    with pytest.raises(DomainError) as refused:
        services.plan_task_create(
            actor=cast.ae,
            job=chain.job,
            department=chain.qc,
            title=" ",
            owner=None,
            starts_on=None,
            working_days=0,
        )
    assert set(refused.value.fields) == {"title", "owner", "starts_on", "working_days"}


def test_a_stale_edit_is_a_conflict_and_changes_nothing(chain, cast):
    task = _task(chain, cast.ae, department=chain.design, owner=cast.designer)
    services.plan_task_update(
        actor=cast.ae, task=task, expected_version=task.version, working_days=2
    )
    with pytest.raises(Conflict):
        services.plan_task_update(
            actor=cast.ae, task=task, expected_version=task.version, title="别的"
        )
    with pytest.raises(Conflict):
        services.plan_task_set_status(
            actor=cast.ae, task=task, expected_version=task.version, status="done"
        )
    task.refresh_from_db()
    assert (task.title, task.due_on, task.version, task.status) == ("出设计稿", FRI, 2, "todo")


def test_status_moves_record_when_done(chain, cast):
    task = _task(chain, cast.ae, department=chain.design, owner=cast.designer)
    done = services.plan_task_set_status(
        actor=cast.ae, task=task, expected_version=1, status="done"
    )
    assert done.done_at is not None
    back = services.plan_task_set_status(
        actor=cast.ae, task=done, expected_version=2, status="in_progress"
    )
    assert back.done_at is None
    with pytest.raises(DomainError):
        services.plan_task_set_status(
            actor=cast.ae, task=back, expected_version=3, status="finished"
        )


def test_overdue_and_at_risk_count_working_days_over_the_weekend(chain, cast):
    # Friday, at risk within 2 working days: due by Tuesday (over the weekend).
    assert JobSettings.current().at_risk_within_days == 2
    horizon = selectors.risk_horizon(FRI)
    assert horizon == TUE
    due = {}
    for title, start, days in [("late", THU, 1), ("tue", TUE, 1), ("wed", WED, 1)]:
        due[title] = _task(
            chain, cast.ae, title=title, owner=cast.designer, starts_on=start, days=days
        )
    finished = _task(chain, cast.ae, title="done", owner=cast.designer, starts_on=THU)
    services.plan_task_set_status(actor=cast.ae, task=finished, expected_version=1, status="done")
    states = {
        row.task.title: row.state
        for group in selectors.timeline(chain.job, today=FRI).groups
        for row in group.tasks
    }
    assert states == {"late": "overdue", "tue": "at_risk", "wed": "on_track", "done": "done"}
    timeline = selectors.timeline(chain.job, today=FRI)
    # Columns are the working days Thursday..Wednesday: no weekend.
    assert timeline.days == [THU, FRI, MON, TUE, WED]
    board = selectors.follow_up_board(cast.ae, today=FRI)
    assert len(board) == 1
    assert [t.title for t in board[0].overdue] == ["late"]
    assert [t.title for t in board[0].at_risk] == ["tue"]


def test_a_problem_is_raised_answered_and_closed(chain, cast):
    dispatch(chain, cast, [chain.design])
    today = datetime.date.today()
    issue = services.follow_up_issue_raise(
        actor=cast.ae,
        job=chain.job,
        department=chain.design,
        topic="schedule",
        problem="初稿进度落后",
        answer_by=today,
    )
    assert Notification.objects.filter(recipient=cast.designer).exists()
    with pytest.raises(NotAllowed):
        services.follow_up_issue_raise(
            actor=cast.designer,
            job=chain.job,
            department=chain.design,
            topic="schedule",
            problem="x",
            answer_by=today,
        )
    with pytest.raises(DomainError) as refused:
        services.follow_up_issue_raise(
            actor=cast.ae,
            job=chain.job,
            department=chain.purchasing,
            topic="purchasing",
            problem="x",
            answer_by=today,
        )
    assert refused.value.fields == {"department": services.DEPARTMENT_NOT_ON_JOB}
    with pytest.raises(NotAllowed):
        services.follow_up_issue_answer(actor=chain.qc_head, issue=issue, answer="?")
    answered = services.follow_up_issue_answer(
        actor=cast.designer, issue=issue, answer="周五前补上"
    )
    assert answered.status == FollowUpIssue.Status.ANSWERED
    assert Notification.objects.filter(recipient=cast.ae).exists()
    with pytest.raises(NotAllowed):
        services.follow_up_issue_close(actor=cast.designer, issue=issue)
    closed = services.follow_up_issue_close(actor=cast.ae, issue=issue)
    assert closed.status == FollowUpIssue.Status.CLOSED
    with pytest.raises(Conflict):
        services.follow_up_issue_close(actor=cast.ae, issue=issue)


def test_the_board_lists_problems_past_their_answer_date(chain, cast, clientele):
    dispatch(chain, cast, [chain.design])
    issue = FollowUpIssue.objects.create(
        job=chain.job,
        department=chain.design,
        topic="quality",
        problem="色差",
        answer_by=THU,
        raised_by=cast.ae,
    )
    board = selectors.follow_up_board(cast.ae, today=FRI)
    assert [i.pk for i in board[0].late_issues] == [issue.pk]
    assert selectors.follow_up_board(cast.ae, today=THU) == []
    # The DCS sees every job; an AE serving only NIKE sees nothing of HAIER's.
    assert selectors.follow_up_board(chain.dcs, today=FRI) != []
    assert selectors.follow_up_board(clientele.other_ae, today=FRI) == []
    assert selectors.follow_up_board(cast.ae, department=chain.qc.pk, today=FRI) == []
