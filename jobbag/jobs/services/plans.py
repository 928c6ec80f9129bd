"""Department plans and follow-up (跟单): each department's tasks for a job, and the
problems Account raises to a department until they are answered and closed.

Dates of a task, in working days (calendar):
- a task starts on a working day: a start given on a weekend or holiday moves to the
  next working day;
- a task of n working days is due on the n-th working day counted from its start, the
  start itself being the first: a 1-day task is due the day it starts, a 3-day task
  starting on a Thursday is due the next Monday.
"""

from datetime import date

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.utils.translation import gettext_lazy as _

from jobbag.accounts.models import Department, User
from jobbag.calendar.services import add_working_days, is_working_day, next_working_day
from jobbag.core import audit
from jobbag.core.errors import Conflict, DomainError, NotAllowed
from jobbag.core.notifications import notify
from jobbag.core.permissions import can, require
from jobbag.jobs.models import Acknowledgement, FollowUpIssue, Job, PlanTask, Stage
from jobbag.jobs.permissions.plans import may_plan, works_in
from jobbag.jobs.services.acknowledgements import department_people

INVALID = _("Please correct the errors below.")
REQUIRED = _("This field is required.")
DATE_INVALID = _("Enter a valid date.")
DAYS_RANGE = _("Enter a number of working days from 1 to 365.")
OWNER_NOT_IN_DEPARTMENT = _("Choose an owner from the task's department.")
DEPARTMENT_INACTIVE = _("Choose an active department.")
STATUS_UNKNOWN = _("Choose one of the offered statuses.")
STATUS_SAME = _("The task already has this status.")
JOB_CLOSED = _("The job is closed or cancelled: its plan no longer changes.")
TOPIC_UNKNOWN = _("Choose one of the offered topics.")
ANSWER_BY_PAST = _("The answer date cannot be in the past.")
DEPARTMENT_NOT_ON_JOB = _(
    "This department has not received the job (no work order, change notice or task): "
    "raise the problem to a department working on it."
)
ISSUE_CLOSED = _("This problem is closed.")

TASK_FIELDS = ("title", "owner", "starts_on", "working_days")
MAX_WORKING_DAYS = 365


def task_dates(starts_on: date, working_days: int) -> tuple[date, date]:
    """(start, due) of a task as stored: see the module's rule."""
    start = starts_on if is_working_day(starts_on) else next_working_day(starts_on)
    return start, add_working_days(start, working_days - 1)


def _open_job(job: Job) -> None:
    if job.stage in {Stage.CLOSED, Stage.CANCELLED}:
        raise DomainError(JOB_CLOSED)


def _clean_task(values: dict, department: Department, errors: dict) -> dict:
    cleaned = {}
    if "title" in values:
        cleaned["title"] = (values["title"] or "").strip()
        if not cleaned["title"]:
            errors["title"] = REQUIRED
        elif len(cleaned["title"]) > 200:
            errors["title"] = INVALID
    if "owner" in values:
        owner = values["owner"]
        if owner is None:
            errors["owner"] = REQUIRED
        elif not owner.is_active or not works_in(owner, department):
            errors["owner"] = OWNER_NOT_IN_DEPARTMENT
        cleaned["owner"] = owner
    if "starts_on" in values:
        starts_on = values["starts_on"]
        if isinstance(starts_on, str):
            starts_on = parse_date(starts_on)
        if not isinstance(starts_on, date):
            errors["starts_on"] = REQUIRED if not values["starts_on"] else DATE_INVALID
        cleaned["starts_on"] = starts_on
    if "working_days" in values:
        days = values["working_days"]
        if not isinstance(days, int) or isinstance(days, bool) or not 1 <= days <= MAX_WORKING_DAYS:
            errors["working_days"] = DAYS_RANGE
        cleaned["working_days"] = days
    return cleaned


def _raise_if(errors: dict) -> None:
    if errors:
        raise DomainError(INVALID, fields=errors)


@transaction.atomic
def plan_task_create(
    *,
    actor: User,
    job: Job,
    department: Department,
    title: str,
    owner: User | None,
    starts_on,
    working_days: int,
) -> PlanTask:
    """Adds a task to `department`'s plan for `job` (members or head of the department,
    or those who edit the job)."""
    if department is None:
        raise DomainError(INVALID, fields={"department": REQUIRED})
    if not may_plan(actor, job, department):
        raise NotAllowed()
    _open_job(job)
    errors: dict = {}
    if not department.is_active:
        errors["department"] = DEPARTMENT_INACTIVE
    values = _clean_task(
        {"title": title, "owner": owner, "starts_on": starts_on, "working_days": working_days},
        department,
        errors,
    )
    _raise_if(errors)
    start, due = task_dates(values["starts_on"], values["working_days"])
    values["starts_on"] = start
    task = PlanTask.objects.create(
        job=job, department=department, due_on=due, created_by=actor, **values
    )
    audit.record_create(actor=actor, obj=task)
    return task


def _lock_task(task: PlanTask, expected_version: int) -> PlanTask:
    locked = (
        PlanTask.objects.select_for_update(of=("self",))
        .select_related("job", "department", "owner")
        .get(pk=task.pk)
    )
    if locked.version != expected_version:
        raise Conflict()
    return locked


def _save(task: PlanTask, fields: list[str]) -> None:
    task.version += 1
    task.save(update_fields=[*fields, "version"])


@transaction.atomic
def plan_task_update(*, actor: User, task: PlanTask, expected_version: int, **fields) -> PlanTask:
    """Changes a task's title, owner, start or length (any of TASK_FIELDS); the due date
    follows. 409 when someone changed the task since `expected_version`."""
    unknown = set(fields) - set(TASK_FIELDS)
    if unknown:
        raise TypeError(f"Unknown task fields: {sorted(unknown)}")
    require(actor, "jobs.plan.edit", task)
    locked = _lock_task(task, expected_version)
    _open_job(locked.job)
    errors: dict = {}
    values = _clean_task(fields, locked.department, errors)
    _raise_if(errors)
    before = audit.snapshot(locked, [*TASK_FIELDS, "due_on"])
    for name, value in values.items():
        setattr(locked, name, value)
    locked.starts_on, locked.due_on = task_dates(locked.starts_on, locked.working_days)
    _save(locked, [*values, "starts_on", "due_on"])
    audit.record_change(actor=actor, obj=locked, before=before)
    return locked


@transaction.atomic
def plan_task_set_status(
    *, actor: User, task: PlanTask, expected_version: int, status: str
) -> PlanTask:
    """Moves a task between to do, in progress, blocked and done; done records when."""
    require(actor, "jobs.plan.edit", task)
    if status not in PlanTask.Status.values:
        raise DomainError(STATUS_UNKNOWN, fields={"status": STATUS_UNKNOWN})
    locked = _lock_task(task, expected_version)
    _open_job(locked.job)
    old = locked.status
    if old == status:
        raise DomainError(STATUS_SAME, fields={"status": STATUS_SAME})
    locked.status = status
    locked.done_at = timezone.now() if status == PlanTask.Status.DONE else None
    _save(locked, ["status", "done_at"])
    audit.record_transition(actor=actor, obj=locked, old=old, new=status)
    return locked


# Follow-up issues --------------------------------------------------------------------------


def _department_on_job(job: Job, department: Department) -> bool:
    return (
        Acknowledgement.objects.filter(job=job, department=department).exists()
        or PlanTask.objects.filter(job=job, department=department).exists()
    )


def _job_link(job: Job) -> str:
    return reverse("jobs:detail", args=[job.pk]) + "#plans"


@transaction.atomic
def follow_up_issue_raise(
    *, actor: User, job: Job, department: Department, topic: str, problem: str, answer_by
) -> FollowUpIssue:
    """Account raises a problem (schedule, quality, staffing, …) to a department working
    on the job, to be answered by a date; the department hears of it."""
    require(actor, "jobs.issue.raise", job)
    _open_job(job)
    errors: dict = {}
    problem = (problem or "").strip()
    if not problem:
        errors["problem"] = REQUIRED
    if topic not in FollowUpIssue.Topic.values:
        errors["topic"] = TOPIC_UNKNOWN
    if isinstance(answer_by, str):
        answer_by = parse_date(answer_by)
    if not isinstance(answer_by, date):
        errors["answer_by"] = DATE_INVALID
    elif answer_by < timezone.localdate():
        errors["answer_by"] = ANSWER_BY_PAST
    if department is None:
        errors["department"] = REQUIRED
    elif not _department_on_job(job, department):
        errors["department"] = DEPARTMENT_NOT_ON_JOB
    _raise_if(errors)
    issue = FollowUpIssue.objects.create(
        job=job,
        department=department,
        topic=topic,
        problem=problem,
        answer_by=answer_by,
        raised_by=actor,
    )
    audit.record_create(actor=actor, obj=issue)
    notify(
        recipients=department_people(department),
        message=lambda: (
            _("%(job)s: a problem for your department (%(topic)s), answer by %(day)s")
            % {
                "job": job,
                "topic": FollowUpIssue.Topic(topic).label,
                "day": answer_by.isoformat(),
            }
        ),
        link=_job_link(job),
        email=True,
    )
    return issue


def _lock_issue(issue: FollowUpIssue) -> FollowUpIssue:
    return (
        FollowUpIssue.objects.select_for_update(of=("self",))
        .select_related("job", "department", "raised_by")
        .get(pk=issue.pk)
    )


@transaction.atomic
def follow_up_issue_answer(*, actor: User, issue: FollowUpIssue, answer: str) -> FollowUpIssue:
    """The department answers (or answers again, while the problem is not closed); the
    person who raised it hears of the answer."""
    require(actor, "jobs.issue.answer", issue)
    locked = _lock_issue(issue)
    if locked.status == FollowUpIssue.Status.CLOSED:
        raise Conflict(ISSUE_CLOSED)
    answer = (answer or "").strip()
    if not answer:
        raise DomainError(INVALID, fields={"answer": REQUIRED})
    old = locked.status
    locked.answer = answer
    locked.answered_by = actor
    locked.answered_at = timezone.now()
    locked.status = FollowUpIssue.Status.ANSWERED
    locked.version += 1
    locked.save(update_fields=["answer", "answered_by", "answered_at", "status", "version"])
    audit.record_transition(actor=actor, obj=locked, old=old, new=locked.status, note=answer)
    notify(
        recipients=[locked.raised_by],
        message=lambda: (
            _("%(department)s answered your problem on %(job)s")
            % {"department": locked.department, "job": locked.job}
        ),
        link=_job_link(locked.job),
        email=True,
    )
    return locked


@transaction.atomic
def follow_up_issue_close(*, actor: User, issue: FollowUpIssue) -> FollowUpIssue:
    """Account closes a problem once it is fixed (usually after the department's answer)."""
    require(actor, "jobs.issue.close", issue)
    locked = _lock_issue(issue)
    if locked.status == FollowUpIssue.Status.CLOSED:
        raise Conflict(ISSUE_CLOSED)
    old = locked.status
    locked.status = FollowUpIssue.Status.CLOSED
    locked.closed_at = timezone.now()
    locked.version += 1
    locked.save(update_fields=["status", "closed_at", "version"])
    audit.record_transition(actor=actor, obj=locked, old=old, new=locked.status)
    return locked


def may_answer(user: User, issue: FollowUpIssue) -> bool:
    return can(user, "jobs.issue.answer", issue) and issue.status != FollowUpIssue.Status.CLOSED
