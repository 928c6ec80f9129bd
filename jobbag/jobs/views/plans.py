"""Pages of department plans and follow-up (跟单): tasks and their status, problems raised
to departments and their answers, and Account's follow-up board. Also the job page's
"plans" panel (the timeline across departments) and the menu entry of the board."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from jobbag.accounts.models import Department
from jobbag.core.errors import Conflict, DomainError, NotAllowed
from jobbag.core.forms import show_refusal
from jobbag.core.navigation import MenuItem
from jobbag.core.navigation import register as register_menu
from jobbag.core.permissions import can
from jobbag.jobs.forms.plans import AnswerForm, BoardFilterForm, IssueForm, PlanTaskForm, StatusForm
from jobbag.jobs.models import FollowUpIssue, Job, PlanTask
from jobbag.jobs.panels import JobPanel, register
from jobbag.jobs.permissions.jobs import may_edit
from jobbag.jobs.permissions.plans import works_in
from jobbag.jobs.selectors import plans as selectors
from jobbag.jobs.selectors.changes import job_for
from jobbag.jobs.services import plans as services


def _job(request, job_id: int) -> Job:
    if not can(request.user, "jobs.view"):
        raise PermissionDenied
    job = job_for(request.user, job_id)
    if job is None:
        raise Http404
    return job


def _task(request, pk: int) -> PlanTask:
    if not can(request.user, "jobs.view"):
        raise PermissionDenied
    task = selectors.task_for(request.user, pk)
    if task is None:
        raise Http404
    return task


def _issue(request, pk: int) -> FollowUpIssue:
    if not can(request.user, "jobs.view"):
        raise PermissionDenied
    issue = selectors.issue_for(request.user, pk)
    if issue is None:
        raise Http404
    return issue


def _status(error: DomainError) -> int:
    return 409 if isinstance(error, Conflict) else 400


def _back(job_id: int) -> str:
    return reverse("jobs:detail", args=[job_id]) + "#plans"


def plannable_departments(user, job: Job):
    """The departments whose tasks `user` may add on `job`: any for those who edit the
    job, else those they work in."""
    departments = Department.objects.filter(is_active=True).order_by("code")
    if may_edit(user, job):
        return departments
    return departments.filter(pk__in=[d.pk for d in departments if works_in(user, d)])


def panel_context(request, job: Job) -> dict | None:
    """The job page's plans panel: the timeline across departments and the problems."""
    user = request.user
    timeline = selectors.timeline(job)
    issues = list(selectors.issues_of(job))
    editor = may_edit(user, job)
    in_department: dict[int, bool] = {}

    def plans(department) -> bool:
        if department.pk not in in_department:
            in_department[department.pk] = editor or works_in(user, department)
        return in_department[department.pk]

    for group in timeline.groups:
        group.can_plan = plans(group.department)
    for issue in issues:
        issue.can_answer = issue.status != FollowUpIssue.Status.CLOSED and works_in(
            user, issue.department
        )
        issue.can_close = editor and issue.status != FollowUpIssue.Status.CLOSED
    return {
        "job": job,
        "timeline": timeline,
        "issues": issues,
        "can_add_task": editor or user.department_id is not None,
        "can_raise": editor,
        "status_choices": PlanTask.Status.choices,
    }


register(
    JobPanel(
        key="plans",
        title=gettext_lazy("Plans and follow-up"),
        template="jobs/_plans_panel.html",
        context=panel_context,
        order=60,
    )
)


def _run(request, form, call, *, success: str):
    """Runs `call()` and answers its result; a refusal goes onto the form and is answered
    as the DomainError itself."""
    try:
        result = call()
    except NotAllowed as error:
        raise PermissionDenied from error
    except DomainError as error:
        show_refusal(form, error)
        return error
    messages.success(request, success)
    return result


def _form(request, template: str, context: dict, status: int = 200):
    return render(request, template, context, status=status)


@login_required
def plan_task_create(request, job_id: int):
    job = _job(request, job_id)
    departments = plannable_departments(request.user, job)
    if not departments.exists():
        raise PermissionDenied
    form = PlanTaskForm(request.POST or None, creating=True, departments=departments)
    context = {"job": job, "form": form, "title": _("New task")}
    if request.method != "POST":
        return _form(request, "jobs/plans_form.html", context)
    if not form.is_valid():
        return _form(request, "jobs/plans_form.html", context, 400)
    values = form.cleaned_data
    result = _run(
        request,
        form,
        lambda: services.plan_task_create(
            actor=request.user,
            job=job,
            department=values["department"],
            title=values["title"],
            owner=values["owner"],
            starts_on=values["starts_on"],
            working_days=values["working_days"],
        ),
        success=_("Task added."),
    )
    if isinstance(result, DomainError):
        return _form(request, "jobs/plans_form.html", context, _status(result))
    return redirect(_back(job.pk))


@login_required
def plan_task_edit(request, pk: int):
    task = _task(request, pk)
    if not can(request.user, "jobs.plan.edit", task):
        raise PermissionDenied
    if request.method == "POST":
        form = PlanTaskForm(request.POST, creating=False)
    else:
        initial = {
            "title": task.title,
            "owner": task.owner_id,
            "starts_on": task.starts_on,
            "working_days": task.working_days,
            "version": task.version,
        }
        form = PlanTaskForm(initial=initial, creating=False)
    context = {"job": task.job, "form": form, "task": task, "title": _("Edit task")}
    if request.method != "POST":
        return _form(request, "jobs/plans_form.html", context)
    if not form.is_valid():
        return _form(request, "jobs/plans_form.html", context, 400)
    values = dict(form.cleaned_data)
    version = values.pop("version") or 0
    result = _run(
        request,
        form,
        lambda: services.plan_task_update(
            actor=request.user, task=task, expected_version=version, **values
        ),
        success=_("Task saved."),
    )
    if isinstance(result, DomainError):
        return _form(request, "jobs/plans_form.html", context, _status(result))
    return redirect(_back(task.job_id))


@login_required
@require_POST
def plan_task_status(request, pk: int):
    task = _task(request, pk)
    if not can(request.user, "jobs.plan.edit", task):
        raise PermissionDenied
    form = StatusForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Reload the page and try again."))
        return redirect(_back(task.job_id))
    try:
        services.plan_task_set_status(
            actor=request.user,
            task=task,
            expected_version=form.cleaned_data["version"],
            status=form.cleaned_data["status"],
        )
    except NotAllowed as error:
        raise PermissionDenied from error
    except DomainError as error:
        messages.error(request, str(error.message))
    else:
        messages.success(request, _("Task status changed."))
    return redirect(_back(task.job_id))


@login_required
def issue_raise(request, job_id: int):
    job = _job(request, job_id)
    if not can(request.user, "jobs.issue.raise", job):
        raise PermissionDenied
    form = IssueForm(request.POST or None)
    context = {"job": job, "form": form, "title": _("Raise a problem")}
    if request.method != "POST":
        return _form(request, "jobs/plans_form.html", context)
    if not form.is_valid():
        return _form(request, "jobs/plans_form.html", context, 400)
    result = _run(
        request,
        form,
        lambda: services.follow_up_issue_raise(actor=request.user, job=job, **form.cleaned_data),
        success=_("Problem raised to the department."),
    )
    if isinstance(result, DomainError):
        return _form(request, "jobs/plans_form.html", context, _status(result))
    return redirect(_back(job.pk))


@login_required
def issue_answer(request, pk: int):
    issue = _issue(request, pk)
    if not can(request.user, "jobs.issue.answer", issue):
        raise PermissionDenied
    form = AnswerForm(request.POST or None, initial={"answer": issue.answer})
    context = {"job": issue.job, "form": form, "issue": issue, "title": _("Answer the problem")}
    if request.method != "POST":
        return _form(request, "jobs/plans_form.html", context)
    if not form.is_valid():
        return _form(request, "jobs/plans_form.html", context, 400)
    result = _run(
        request,
        form,
        lambda: services.follow_up_issue_answer(
            actor=request.user, issue=issue, answer=form.cleaned_data["answer"]
        ),
        success=_("Answer sent."),
    )
    if isinstance(result, DomainError):
        return _form(request, "jobs/plans_form.html", context, _status(result))
    return redirect(_back(issue.job_id))


@login_required
@require_POST
def issue_close(request, pk: int):
    issue = _issue(request, pk)
    if not can(request.user, "jobs.issue.close", issue):
        raise PermissionDenied
    try:
        services.follow_up_issue_close(actor=request.user, issue=issue)
    except NotAllowed as error:
        raise PermissionDenied from error
    except DomainError as error:
        messages.error(request, str(error.message))
    else:
        messages.success(request, _("Problem closed."))
    return redirect(_back(issue.job_id))


@login_required
def follow_up(request):
    """Account's follow-up board: overdue and at-risk tasks, problems past their answer
    date, across the jobs the user may see, grouped by job."""
    if not can(request.user, "jobs.follow_up.view"):
        raise PermissionDenied
    form = BoardFilterForm(request.GET or None)
    values = form.cleaned_data if form.is_valid() else {}
    board = selectors.follow_up_board(
        request.user,
        company=values["client"].pk if values.get("client") else None,
        department=values["department"].pk if values.get("department") else None,
        owner=values["owner"].pk if values.get("owner") else None,
    )
    return render(request, "jobs/follow_up.html", {"form": form, "board": board})


urlpatterns = [
    path("follow-up/", follow_up, name="follow_up"),
    path("<int:job_id>/plans/new/", plan_task_create, name="plan_task_create"),
    path("plans/<int:pk>/edit/", plan_task_edit, name="plan_task_edit"),
    path("plans/<int:pk>/status/", plan_task_status, name="plan_task_status"),
    path("<int:job_id>/issues/new/", issue_raise, name="issue_raise"),
    path("issues/<int:pk>/answer/", issue_answer, name="issue_answer"),
    path("issues/<int:pk>/close/", issue_close, name="issue_close"),
]

register_menu(
    MenuItem(gettext_lazy("Follow-up"), "jobs:follow_up", "jobs.follow_up.view"), order=46
)
