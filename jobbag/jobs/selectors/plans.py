"""Read queries of department plans and follow-up: a job's timeline across departments,
its problems, and Account's follow-up board across jobs.

A task that is not done is overdue once its due day has passed, and at risk when it is
due within `JobSettings.at_risk_within_days` working days from today (today included).
"""

from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db.models import QuerySet
from django.utils import timezone

from jobbag.accounts.models import Department, User
from jobbag.calendar.models import CalendarDay
from jobbag.calendar.services import add_working_days, is_worked
from jobbag.core.permissions import visible
from jobbag.jobs.models import FollowUpIssue, Job, JobSettings, PlanTask, Stage

OVERDUE, AT_RISK, ON_TRACK, DONE = "overdue", "at_risk", "on_track", "done"
# The timeline shows at most this many working-day columns.
TIMELINE_DAYS = 80
CLOSED_STAGES = [Stage.CLOSED, Stage.CANCELLED]


def risk_horizon(today: date) -> date:
    """The last due day that still counts as at risk today."""
    return add_working_days(today, JobSettings.current().at_risk_within_days)


def task_state(task: PlanTask, today: date, horizon: date) -> str:
    if task.status == PlanTask.Status.DONE:
        return DONE
    if task.due_on < today:
        return OVERDUE
    if task.due_on <= horizon:
        return AT_RISK
    return ON_TRACK


def working_days_in(first: date, last: date) -> list[date]:
    """The working days of first..last, from one query of the calendar table."""
    entries = {row.date: row for row in CalendarDay.objects.filter(date__range=(first, last))}
    days, day = [], first
    while day <= last:
        if is_worked(day, entries.get(day)):
            days.append(day)
        day += timedelta(days=1)
    return days


@dataclass
class TaskRow:
    task: PlanTask
    state: str
    cells: list[bool] = field(default_factory=list)


@dataclass
class DepartmentRows:
    department: Department
    tasks: list[TaskRow]


@dataclass
class Timeline:
    days: list[date]
    groups: list[DepartmentRows]
    truncated: bool
    today: date


def tasks_of(job: Job) -> QuerySet[PlanTask]:
    return (
        PlanTask.objects.filter(job=job)
        .select_related("department", "owner")
        .order_by("department__code", "starts_on", "pk")
    )


def timeline(job: Job, today: date | None = None) -> Timeline:
    """The job's tasks grouped by department, against the working days from the
    earliest start to the latest due day (cells filled where a task runs)."""
    today = today or timezone.localdate()
    tasks = list(tasks_of(job))
    if not tasks:
        return Timeline([], [], False, today)
    horizon = risk_horizon(today)
    first = min(t.starts_on for t in tasks)
    last = max(t.due_on for t in tasks)
    days = working_days_in(first, last)
    truncated = len(days) > TIMELINE_DAYS
    days = days[:TIMELINE_DAYS]
    groups: list[DepartmentRows] = []
    for task in tasks:
        if not groups or groups[-1].department.pk != task.department_id:
            groups.append(DepartmentRows(task.department, []))
        cells = [task.starts_on <= day <= task.due_on for day in days]
        groups[-1].tasks.append(TaskRow(task, task_state(task, today, horizon), cells))
    return Timeline(days, groups, truncated, today)


def issues_of(job: Job) -> QuerySet[FollowUpIssue]:
    return (
        FollowUpIssue.objects.filter(job=job)
        .select_related("department", "raised_by", "answered_by")
        .order_by("status", "answer_by", "pk")
    )


def task_for(user: User, pk: int) -> PlanTask | None:
    jobs = visible(user, Job.objects.all()).values("pk")
    return (
        PlanTask.objects.filter(job__in=jobs)
        .select_related("job", "department", "owner")
        .filter(pk=pk)
        .first()
    )


def issue_for(user: User, pk: int) -> FollowUpIssue | None:
    jobs = visible(user, Job.objects.all()).values("pk")
    return (
        FollowUpIssue.objects.filter(job__in=jobs)
        .select_related("job", "department", "raised_by")
        .filter(pk=pk)
        .first()
    )


@dataclass
class BoardJob:
    job: Job
    overdue: list[PlanTask] = field(default_factory=list)
    at_risk: list[PlanTask] = field(default_factory=list)
    late_issues: list[FollowUpIssue] = field(default_factory=list)


def follow_up_board(
    user: User,
    *,
    company: int | None = None,
    department: int | None = None,
    owner: int | None = None,
    today: date | None = None,
) -> list[BoardJob]:
    """Across the open jobs `user` may see: overdue and at-risk tasks, and problems still
    open past their answer date, grouped by job (the job with the earliest due first).
    Filters: the job's client, the task's or problem's department, the task's owner (a
    filter by owner leaves problems out, which have none)."""
    today = today or timezone.localdate()
    horizon = risk_horizon(today)
    jobs = visible(user, Job.objects.all()).exclude(stage__in=CLOSED_STAGES)
    if company:
        jobs = jobs.filter(company_id=company)
    job_ids = jobs.values("pk")
    tasks = (
        PlanTask.objects.filter(job__in=job_ids, due_on__lte=horizon)
        .exclude(status=PlanTask.Status.DONE)
        .select_related("job", "job__company", "job__owner", "department", "owner")
        .order_by("due_on", "pk")
    )
    issues = FollowUpIssue.objects.filter(
        job__in=job_ids, status=FollowUpIssue.Status.OPEN, answer_by__lt=today
    ).select_related("job", "job__company", "job__owner", "department", "raised_by")
    if department:
        tasks = tasks.filter(department_id=department)
        issues = issues.filter(department_id=department)
    if owner:
        tasks = tasks.filter(owner_id=owner)
        issues = issues.none()
    board: dict[int, BoardJob] = {}
    for task in tasks:
        entry = board.setdefault(task.job_id, BoardJob(task.job))
        (entry.overdue if task.due_on < today else entry.at_risk).append(task)
    for issue in issues.order_by("answer_by", "pk") if not owner else []:
        board.setdefault(issue.job_id, BoardJob(issue.job)).late_issues.append(issue)
    return list(board.values())
