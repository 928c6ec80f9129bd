"""Pages of what jobs cost: a job's costing (quote against actuals, its expenses and a
form to record one), voiding an expense, the close-out card (结卡), every expense the
user may see (filtered, with its .xlsx) and profitability per job, client or month (with
its .xlsx). Anything outside the user's scope is a 404."""

import functools

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from jobbag.core.forms import act, export_url, submit
from jobbag.core.memo import remembered
from jobbag.core.permissions import can, visible
from jobbag.core.xlsx import xlsx_response
from jobbag.finance.forms.time import ExpenseFilter, ExpenseForm, ProfitFilter, VoidForm
from jobbag.finance.models import Expense
from jobbag.finance.selectors import costing as selectors
from jobbag.finance.services import costing as services
from jobbag.jobs.models import Job, Stage

PAGE_SIZE = 50


def remembering(view):
    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        with remembered(request.user):
            return view(request, *args, **kwargs)

    return wrapper


def _require(request, rule: str, obj=None) -> None:
    if not can(request.user, rule, obj):
        raise PermissionDenied


def _money_job(request, pk: int) -> Job:
    """The job, if the user sees it and its money (else 404)."""
    job = visible(request.user, Job.objects.select_related("company")).filter(pk=pk).first()
    if job is None or not can(request.user, "finance.costs.view", job):
        raise Http404
    return job


def _paged(request, queryset):
    page = Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))
    params = request.GET.copy()
    params.pop("page", None)
    encoded = params.urlencode()
    return {"page_obj": page, "querystring_without_page": f"{encoded}&" if encoded else ""}


@login_required
@remembering
def job_costing(request, pk: int):
    """The job's costing and its expenses; a form to record one (POST)."""
    job = _money_job(request, pk)
    form = ExpenseForm(request.POST or None, request.FILES or None)

    def call(values, _version):
        return services.expense_create(actor=request.user, job=job, **values)

    if request.method == "POST":
        _require(request, "finance.expense.record", job)
        if submit(request, form, call, _("The expense is recorded.")):
            return redirect("finance:job_costing", pk=job.pk)
    expenses = list(
        Expense.objects.filter(job=job).select_related("created_by").order_by("-incurred_on", "-pk")
    )
    context = {
        "job": job,
        "costing": selectors.job_costing(job),
        "card": selectors.close_out_for(job),
        "expenses": expenses,
        "form": form,
        "void_form": VoidForm(),
        "can_record": can(request.user, "finance.expense.record", job),
        "can_make_card": job.stage == Stage.CLOSED
        and can(request.user, "finance.close_out.make", job),
    }
    status = 400 if request.method == "POST" else 200
    return render(request, "finance/costing/job.html", context, status=status)


@login_required
@require_POST
@remembering
def expense_void(request, pk: int):
    expense = selectors.expense_for(request.user, pk)
    if expense is None:
        raise Http404
    form = VoidForm(request.POST)
    reason = request.POST.get("reason", "")
    version = form.data.get("version")
    act(
        request,
        lambda: services.expense_void(
            actor=request.user,
            expense=expense,
            reason=reason,
            expected_version=int(version) if str(version or "").isdigit() else None,
        ),
        _("The expense is void."),
    )
    return redirect("finance:job_costing", pk=expense.job_id)


@login_required
@remembering
def expense_receipt(request, pk: int):
    expense = selectors.expense_for(request.user, pk)
    if expense is None or not expense.receipt:
        raise Http404
    return FileResponse(expense.receipt.open("rb"), as_attachment=False)


@login_required
@remembering
def close_out(request, pk: int):
    """The job's close-out card (GET); made from the live figures (POST) once closed."""
    job = _money_job(request, pk)
    if request.method == "POST":
        _require(request, "finance.close_out.make", job)
        act(
            request,
            lambda: services.close_out_create(actor=request.user, job=job),
            _("The close-out card is made."),
        )
        return redirect("finance:close_out", pk=job.pk)
    card = selectors.close_out_for(job)
    if card is None:
        raise Http404
    return render(request, "finance/costing/close_out.html", {"job": job, "card": card})


def _expense_export(rows):
    headers = [
        _("Date"),
        _("Client"),
        _("Job"),
        _("Category"),
        _("Description"),
        _("Supplier"),
        _("Amount"),
        _("Currency"),
        _("Billable"),
        _("Recorded by"),
        _("Void"),
    ]
    data = (
        [
            e.incurred_on,
            e.job.company.code,
            e.job.number or e.job.title,
            e.get_category_display(),
            e.description,
            e.supplier,
            e.amount,
            e.currency,
            _("yes") if e.billable else _("no"),
            str(e.created_by),
            e.void_reason if e.voided_at else "",
        ]
        for e in rows.iterator()
    )
    return xlsx_response(filename="expenses.xlsx", sheet=_("Expenses"), headers=headers, rows=data)


@login_required
@remembering
def expense_list(request):
    """Every expense of the jobs whose money the user sees, filtered; or its .xlsx."""
    _require(request, "finance.expense.list")
    form = ExpenseFilter(request.GET or None, companies=selectors.expense_companies(request.user))
    rows = selectors.expenses_for(request.user, **form.filters())
    if request.GET.get("export") == "xlsx":
        return _expense_export(rows)
    context = {"form": form, "export_url": export_url(request), **_paged(request, rows)}
    return render(request, "finance/costing/expenses.html", context)


def _profit_export(rows, group: str, year: int):
    first = {"job": _("Job"), "client": _("Client"), "month": _("Month")}[group]
    headers = [
        first,
        _("Client"),
        _("Revenue"),
        _("Hours"),
        _("Time at cost"),
        _("Expenses"),
        _("External costs"),
        _("Cost"),
        _("Margin"),
        _("Margin %"),
    ]
    data = (
        [
            row.label,
            row.company.code if row.company else "",
            row.revenue,
            row.hours,
            row.time_cost,
            row.expenses,
            row.external_costs,
            row.cost,
            row.margin,
            row.margin_percent,
        ]
        for row in rows
    )
    return xlsx_response(
        filename=f"profitability-{group}-{year}.xlsx",
        sheet=_("Profitability"),
        headers=headers,
        rows=data,
    )


@login_required
@remembering
def profitability(request):
    """Revenue, cost and margin per job, client or month of a year (the rule is stated
    on the page); or its .xlsx."""
    _require(request, "finance.profitability.view")
    form = ProfitFilter(request.GET or None, companies=selectors.profit_companies(request.user))
    filters = form.filters()
    rows = selectors.profitability(request.user, **filters)
    if request.GET.get("export") == "xlsx":
        return _profit_export(rows, filters["group"], filters["year"])
    context = {
        "form": form,
        "rows": rows,
        "total": selectors.totals(rows),
        "group": filters["group"],
        "year": filters["year"],
        "export_url": export_url(request),
        "today": timezone.localdate(),
    }
    return render(request, "finance/costing/profitability.html", context)


urlpatterns = [
    path("jobs/<int:pk>/costing/", job_costing, name="job_costing"),
    path("jobs/<int:pk>/close-out/", close_out, name="close_out"),
    path("expenses/", expense_list, name="expenses"),
    path("expenses/<int:pk>/void/", expense_void, name="expense_void"),
    path("expenses/<int:pk>/receipt/", expense_receipt, name="expense_receipt"),
    path("profitability/", profitability, name="profitability"),
]
