"""Department plans and follow-up over the API, under /api/v1/jobs/: a job's plan tasks,
its follow-up problems, and Account's follow-up board.

A task's edit names the version it was made against: a stale one answers 409 and changes
nothing. Due days are computed in working days (see jobs.services.plans).
"""

from datetime import date, datetime

from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from ninja import Field, Query, Router, Schema, Status

from jobbag.accounts.models import Department, User
from jobbag.core.api_support import caller, errors, get_or_404
from jobbag.core.errors import DomainError, NotFound
from jobbag.core.permissions import require, visible
from jobbag.jobs.api.changes import DepartmentRef, PersonRef
from jobbag.jobs.models import FollowUpIssue, Job, PlanTask
from jobbag.jobs.selectors import plans as selectors
from jobbag.jobs.services import plans as services

router = Router(tags=["jobs"])

DEPARTMENT_UNKNOWN = _("Choose a department from the list.")
OWNER_UNKNOWN = _("Choose an owner from the task's department.")


class PlanTaskOut(Schema):
    id: int
    job_id: int
    department: DepartmentRef
    title: str
    owner: PersonRef | None
    starts_on: date
    working_days: int
    due_on: date
    status: PlanTask.Status
    done_at: datetime | None
    version: int
    state: str = Field(..., description="overdue, at_risk, on_track or done, as of today.")


class PlanTaskIn(Schema):
    department: int
    title: str = Field(..., max_length=200)
    owner: int
    starts_on: date
    working_days: int = Field(..., ge=1, le=365)


class PlanTaskPatch(Schema):
    """Fields not sent keep their value; `status` moves the task after the other edits."""

    version: int
    title: str | None = Field(None, max_length=200)
    owner: int | None = None
    starts_on: date | None = None
    working_days: int | None = Field(None, ge=1, le=365)
    status: PlanTask.Status | None = None


class IssueOut(Schema):
    id: int
    job_id: int
    department: DepartmentRef
    topic: FollowUpIssue.Topic
    problem: str
    answer_by: date
    status: FollowUpIssue.Status
    answer: str
    raised_by: PersonRef
    raised_at: datetime
    answered_by: PersonRef | None
    answered_at: datetime | None
    closed_at: datetime | None


class IssueIn(Schema):
    department: int
    topic: FollowUpIssue.Topic
    problem: str
    answer_by: date


class AnswerIn(Schema):
    answer: str


class JobRef(Schema):
    id: int
    number: str | None
    title: str
    company_id: int


class BoardTaskOut(Schema):
    id: int
    title: str
    department: DepartmentRef
    owner: PersonRef | None
    due_on: date
    status: PlanTask.Status


class BoardIssueOut(Schema):
    id: int
    department: DepartmentRef
    topic: FollowUpIssue.Topic
    problem: str
    answer_by: date


class BoardJobOut(Schema):
    job: JobRef
    overdue: list[BoardTaskOut]
    at_risk: list[BoardTaskOut]
    late_issues: list[BoardIssueOut]


class BoardFilters(Schema):
    client: int | None = Field(None, description="The client company's id.")
    department: int | None = None
    owner: int | None = Field(None, description="The task owner's user id.")


def _job(request: HttpRequest, job_id: int) -> Job:
    require(caller(request), "jobs.view")
    return get_or_404(visible(caller(request), Job.objects.all()), pk=job_id)


def _task(request: HttpRequest, task_id: int) -> PlanTask:
    require(caller(request), "jobs.view")
    task = selectors.task_for(caller(request), task_id)
    if task is None:
        raise NotFound()
    return task


def _issue(request: HttpRequest, issue_id: int) -> FollowUpIssue:
    require(caller(request), "jobs.view")
    issue = selectors.issue_for(caller(request), issue_id)
    if issue is None:
        raise NotFound()
    return issue


def _department(pk: int) -> Department:
    department = Department.objects.filter(pk=pk).first()
    if department is None:
        raise DomainError(services.INVALID, fields={"department": DEPARTMENT_UNKNOWN})
    return department


def _owner(pk: int) -> User:
    owner = User.objects.filter(pk=pk, kind=User.Kind.STAFF).first()
    if owner is None:
        raise DomainError(services.INVALID, fields={"owner": OWNER_UNKNOWN})
    return owner


def _with_states(tasks) -> list[PlanTask]:
    today = timezone.localdate()
    horizon = selectors.risk_horizon(today)
    tasks = list(tasks)
    for task in tasks:
        task.state = selectors.task_state(task, today, horizon)
    return tasks


def _task_out(pk: int) -> PlanTask:
    return _with_states(PlanTask.objects.select_related("department", "owner").filter(pk=pk))[0]


def _issue_out(pk: int) -> FollowUpIssue:
    return FollowUpIssue.objects.select_related("department", "raised_by", "answered_by").get(pk=pk)


@router.get("/{int:job_id}/plan-tasks", response={200: list[PlanTaskOut], **errors(403, 404)})
def list_plan_tasks(request: HttpRequest, job_id: int):
    """The job's tasks by department and start, each with its state today."""
    return _with_states(selectors.tasks_of(_job(request, job_id)))


@router.post("/{int:job_id}/plan-tasks", response={201: PlanTaskOut, **errors(400, 403, 404)})
def create_plan_task(request: HttpRequest, job_id: int, payload: PlanTaskIn):
    """Adds a task to a department's plan (its members or head, or the job's editors)."""
    job = _job(request, job_id)
    task = services.plan_task_create(
        actor=caller(request),
        job=job,
        department=_department(payload.department),
        title=payload.title,
        owner=_owner(payload.owner),
        starts_on=payload.starts_on,
        working_days=payload.working_days,
    )
    return Status(201, _task_out(task.pk))


@router.patch("/plan-tasks/{task_id}", response={200: PlanTaskOut, **errors(400, 403, 404, 409)})
def update_plan_task(request: HttpRequest, task_id: int, payload: PlanTaskPatch):
    """Changes the fields sent and then the status; 409 when the version is stale."""
    task = _task(request, task_id)
    require(caller(request), "jobs.plan.edit", task)
    values = payload.dict(exclude_unset=True, exclude={"version", "status"})
    values = {name: value for name, value in values.items() if value is not None}
    if "owner" in values:
        values["owner"] = _owner(values["owner"])
    version = payload.version
    if values:
        task = services.plan_task_update(
            actor=caller(request), task=task, expected_version=version, **values
        )
        version = task.version
    if payload.status is not None and (payload.status != task.status or not values):
        services.plan_task_set_status(
            actor=caller(request), task=task, expected_version=version, status=payload.status
        )
    return _task_out(task.pk)


@router.get("/{int:job_id}/issues", response={200: list[IssueOut], **errors(403, 404)})
def list_issues(request: HttpRequest, job_id: int):
    """The problems raised on the job: open first, by answer date."""
    return selectors.issues_of(_job(request, job_id))


@router.post("/{int:job_id}/issues", response={201: IssueOut, **errors(400, 403, 404)})
def raise_issue(request: HttpRequest, job_id: int, payload: IssueIn):
    """Account raises a problem to a department working on the job."""
    job = _job(request, job_id)
    issue = services.follow_up_issue_raise(
        actor=caller(request),
        job=job,
        department=_department(payload.department),
        topic=payload.topic,
        problem=payload.problem,
        answer_by=payload.answer_by,
    )
    return Status(201, _issue_out(issue.pk))


@router.post("/issues/{issue_id}/answer", response={200: IssueOut, **errors(400, 403, 404, 409)})
def answer_issue(request: HttpRequest, issue_id: int, payload: AnswerIn):
    """The department answers; 409 once the problem is closed."""
    issue = _issue(request, issue_id)
    services.follow_up_issue_answer(actor=caller(request), issue=issue, answer=payload.answer)
    return _issue_out(issue.pk)


@router.post("/issues/{issue_id}/close", response={200: IssueOut, **errors(403, 404, 409)})
def close_issue(request: HttpRequest, issue_id: int):
    """Account closes the problem; 409 when it already is closed."""
    issue = _issue(request, issue_id)
    services.follow_up_issue_close(actor=caller(request), issue=issue)
    return _issue_out(issue.pk)


@router.get("/follow-up", response={200: list[BoardJobOut], **errors(403)})
def follow_up_board(request: HttpRequest, filters: Query[BoardFilters]):
    """Account's follow-up board: overdue and at-risk tasks and problems past their
    answer date, across the open jobs you may see, grouped by job."""
    require(caller(request), "jobs.follow_up.view")
    return selectors.follow_up_board(
        caller(request),
        company=filters.client,
        department=filters.department,
        owner=filters.owner,
    )
