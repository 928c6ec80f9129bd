"""Pages of time: my week grid (save all at once, copy last week, send for approval),
one timesheet read-only with its approval (the manager approves or returns it here or in
the sign-off inbox), the team's weeks for managers, and the people's cost rates for
Finance. The costing pages live in views.costing and are served from here too."""

import functools
from datetime import timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from jobbag.approvals.models import Approval, Decision
from jobbag.approvals.services import approval_decide, standing
from jobbag.core.errors import DomainError, NotAllowed
from jobbag.core.forms import act, submit
from jobbag.core.memo import remembered
from jobbag.core.permissions import can
from jobbag.finance.forms.time import CostRateForm, grid_rows, parse_week, version_of
from jobbag.finance.models import Timesheet
from jobbag.finance.permissions.time import sees_all_money
from jobbag.finance.selectors import time as selectors
from jobbag.finance.services import time as services
from jobbag.finance.views import costing

BLANK_ROWS = 3


def remembering(view):
    """Reads the user's team and served clients once for the whole request."""

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        with remembered(request.user):
            return view(request, *args, **kwargs)

    return wrapper


def _require(request, rule: str, obj=None) -> None:
    if not can(request.user, rule, obj):
        raise PermissionDenied


def _week_url(week_start) -> str:
    return reverse("finance:time_week_of", args=[week_start.isoformat()])


def _posted_rows(rows_in, jobs: dict, items: dict) -> list[selectors.GridRow]:
    """The posted rows back as grid rows (to show them again with their errors)."""
    rows = []
    for row in rows_in:
        job = jobs.get(services.pk_of(row.job))
        rows.append(
            selectors.GridRow(
                job=job,
                rate_item=items.get(services.pk_of(row.rate_item)),
                task=row.task,
                billable=row.billable,
                hours=list(row.hours),
            )
        )
    return rows


def _grid_page(request, grid, *, rows=None, errors=None, blanks=BLANK_ROWS, status=200):
    user = request.user
    editable = grid.is_editable and grid.user.pk == user.pk
    rows = grid.rows if rows is None else rows
    jobs = list(selectors.loggable_jobs(user)) if editable else []
    items = selectors.hourly_services() if editable else []
    errors = errors or {}
    approval = _pending_approval(grid.timesheet) if grid.timesheet else None
    context = {
        "grid": grid,
        "rows": rows,
        "row_errors": {int(k.split("-")[1]): v for k, v in errors.items() if k.startswith("row-")},
        "day_errors": {int(k.split("-")[1]): v for k, v in errors.items() if k.startswith("day-")},
        "blank_rows": range(len(rows), len(rows) + (blanks if editable else 0)),
        "editable": editable,
        "jobs": jobs,
        "services": items,
        "previous_week": grid.week_start - timedelta(days=7),
        "next_week": grid.week_start + timedelta(days=7),
        "this_week": selectors.monday_of(timezone.localdate()),
        "approval": approval,
        "approver": services.approver_of(user) if editable else None,
        "can_submit": bool(
            grid.timesheet
            and grid.timesheet.is_editable
            and grid.timesheet.total_hours > 0
            and grid.user.pk == user.pk
        ),
        "can_see_team": can(user, "finance.timesheet.team"),
    }
    return render(request, "finance/time/week.html", context, status=status)


def _pending_approval(timesheet: Timesheet | None) -> Approval | None:
    if timesheet is None:
        return None
    return (
        Approval.objects.filter(
            content_type=ContentType.objects.get_for_model(Timesheet),
            object_id=timesheet.pk,
        )
        .order_by("-submitted_at", "-pk")
        .first()
    )


@login_required
@remembering
def week(request, week: str | None = None):
    """My week: the grid (GET), saved all at once (POST action=save), with more blank
    rows (action=more), last week's rows copied in (action=copy) or sent for approval
    (action=submit, after saving)."""
    _require(request, "finance.time.log")
    if week is None:
        week_start = selectors.monday_of(timezone.localdate())
    else:
        week_start = parse_week(week)
        if week_start is None:
            raise Http404
        if week_start != selectors.monday_of(week_start):
            return redirect(_week_url(selectors.monday_of(week_start)))
    grid = selectors.week_grid(request.user, week_start)
    if request.method != "POST":
        return _grid_page(request, grid)
    action = request.POST.get("action", "save")
    rows_in = grid_rows(request.POST)
    if action in {"more", "copy"}:
        jobs = {job.pk: job for job in selectors.loggable_jobs(request.user)}
        items = {item.pk: item for item in selectors.hourly_services()}
        rows = _posted_rows(rows_in, jobs, items)
        if action == "copy":
            present = {row.key for row in rows if row.job}
            rows += [
                row
                for row in selectors.previous_rows(request.user, grid.week_start)
                if row.key not in present and row.job.pk in jobs
            ]
        extra = BLANK_ROWS * 2 if action == "more" else BLANK_ROWS
        return _grid_page(request, grid, rows=rows, blanks=extra)
    try:
        timesheet = services.timesheet_save(
            actor=request.user,
            week_start=grid.week_start,
            rows=rows_in,
            expected_version=version_of(request.POST),
        )
        if action == "submit":
            services.timesheet_submit(actor=request.user, timesheet=timesheet)
    except NotAllowed as error:
        raise PermissionDenied from error
    except DomainError as error:
        messages.error(request, str(error.message))
        jobs = {job.pk: job for job in selectors.loggable_jobs(request.user)}
        items = {item.pk: item for item in selectors.hourly_services()}
        grid = selectors.week_grid(request.user, grid.week_start)
        if error.status == 409:
            return _grid_page(request, grid, status=409)
        rows = _posted_rows(rows_in, jobs, items)
        return _grid_page(request, grid, rows=rows, errors=error.fields, status=400)
    if action == "submit":
        messages.success(request, _("The week is saved and sent for approval."))
    else:
        messages.success(request, _("The week is saved."))
    return redirect(_week_url(grid.week_start))


@login_required
@remembering
def timesheet_detail(request, pk: int):
    """One timesheet, read-only, with its approval: its signer approves or returns it."""
    timesheet = selectors.timesheet_for(request.user, pk)
    if timesheet is None:
        raise Http404
    grid = selectors.week_grid(timesheet.user, timesheet.week_start)
    approval = _pending_approval(timesheet)
    signer = None
    if approval is not None and approval.status == Approval.Status.PENDING:
        step = approval.steps.filter(order=approval.current_step).first()
        signer = standing(request.user, step) if step else None
    context = {
        "grid": grid,
        "timesheet": timesheet,
        "approval": approval,
        "may_decide": signer is not None,
        "mine": timesheet.user_id == request.user.pk,
    }
    return render(request, "finance/time/detail.html", context)


@login_required
@require_POST
@remembering
def timesheet_decide(request, pk: int):
    """The manager approves the week (it locks) or returns it with a reason."""
    timesheet = selectors.timesheet_for(request.user, pk)
    if timesheet is None:
        raise Http404
    approval = _pending_approval(timesheet)
    if approval is None or approval.status != Approval.Status.PENDING:
        messages.error(request, _("This week is not waiting for approval."))
        return redirect("finance:timesheet_detail", pk=pk)
    outcome = request.POST.get("outcome")
    if outcome not in {Decision.Outcome.APPROVE, Decision.Outcome.RETURN}:
        outcome = ""
    act(
        request,
        lambda: approval_decide(
            actor=request.user,
            approval=approval,
            outcome=outcome,
            reason=request.POST.get("reason", ""),
            revision=version_of({"version": request.POST.get("revision")}),
        ),
        _("Your decision is recorded."),
    )
    return redirect("finance:timesheet_detail", pk=pk)


@login_required
@remembering
def team(request):
    """The team's weeks (people who report to me, or in the departments I head; all
    staff for management and Finance): submitted, approved, draft or missing."""
    _require(request, "finance.timesheet.team")
    week_start = parse_week(request.GET.get("week", "")) or timezone.localdate()
    week_start = selectors.monday_of(week_start)
    if sees_all_money(request.user):
        people = selectors.everyone_weeks(week_start)
    else:
        people = selectors.team_weeks(request.user, week_start)
    context = {
        "week_start": week_start,
        "people": people,
        "previous_week": week_start - timedelta(days=7),
        "next_week": week_start + timedelta(days=7),
    }
    return render(request, "finance/time/team.html", context)


@login_required
def cost_rates(request):
    """Each person's current cost per hour; Finance sets a new one from a day on."""
    _require(request, "finance.cost_rate.manage")
    form = CostRateForm(request.POST or None)

    def call(values, _version):
        return services.cost_rate_set(actor=request.user, **values)

    if submit(request, form, call, _("The cost rate is set.")):
        return redirect("finance:cost_rates")
    today = timezone.localdate()
    context = {"people": selectors.people_with_rates(today), "form": form, "today": today}
    status = 400 if request.method == "POST" else 200
    return render(request, "finance/time/cost_rates.html", context, status=status)


urlpatterns = [
    path("time/", week, name="time_week"),
    path("time/team/", team, name="time_team"),
    path("time/<str:week>/", week, name="time_week_of"),
    path("timesheets/<int:pk>/", timesheet_detail, name="timesheet_detail"),
    path("timesheets/<int:pk>/decide/", timesheet_decide, name="timesheet_decide"),
    path("cost-rates/", cost_rates, name="cost_rates"),
    *costing.urlpatterns,
]
