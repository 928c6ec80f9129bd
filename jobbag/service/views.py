"""Staff pages of client service quality: complaints (list, export, one complaint with
its moves, logging one, the report) and return visits (due and overdue, recording one,
each client's plan)."""

from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from jobbag.clients.models import Company
from jobbag.core.audit import history_for
from jobbag.core.errors import Conflict, DomainError, NotAllowed
from jobbag.core.forms import export_url, show_refusal
from jobbag.core.permissions import can, visible
from jobbag.core.xlsx import xlsx_response
from jobbag.service import forms, selectors, services
from jobbag.service import visits as visit_services
from jobbag.service.models import Complaint, ReturnVisitPlan
from jobbag.service.permissions import company_ids

PAGE_SIZE = 30


def _staff(request, rule: str = "service.complaints.list") -> None:
    if not can(request.user, rule):
        raise Http404


def _complaint(request, pk: int) -> Complaint:
    complaint = selectors.complaint_for(request.user, pk)
    if complaint is None:
        raise Http404
    return complaint


def run(request, form, call, success: str) -> tuple[object, int]:
    """Runs `call(values, version)` for a valid form: (result, 200), or (None, status)
    with the refusal on the form (400; 409 for a stale version)."""
    if not form.is_valid():
        return None, 400
    values = dict(form.cleaned_data)
    version = values.pop("version", None)
    try:
        result = call(values, version)
    except NotAllowed as error:
        raise PermissionDenied from error
    except Conflict as error:
        show_refusal(form, error)
        return None, 409
    except DomainError as error:
        show_refusal(form, error)
        return None, 400
    messages.success(request, success)
    return result, 200


@login_required
@require_safe
def complaint_list(request):
    _staff(request)
    user = request.user
    ids = company_ids(user)
    form = forms.ComplaintFilterForm(request.GET or None, company_ids=ids, user=user)
    filters = form.cleaned_data if form.is_valid() else {}
    now = timezone.now()
    queryset = selectors.filtered(selectors.complaints_for(user), filters, now=now)
    if request.GET.get("export") == "xlsx":
        return _export(queryset, now)
    page = Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))
    for complaint in page:
        complaint.late = complaint.is_open and (
            complaint.answer_late(now) or complaint.resolve_late(now)
        )
    params = request.GET.copy()
    params.pop("page", None)
    context = {
        "form": form,
        "page_obj": page,
        "querystring": params.urlencode(),
        "export_url": export_url(request),
        "can_create": can(user, "service.complaint.create"),
        "can_report": can(user, "service.report.view"),
    }
    return render(request, "service/complaint_list.html", context)


def _export(queryset, now):
    rows = (
        (
            c.number,
            c.logged_at,
            c.company.code,
            str(c.company),
            str(c.category),
            c.get_severity_display(),
            c.get_channel_display(),
            c.subject,
            c.get_status_display(),
            str(c.assigned_to or ""),
            c.answer_due_at,
            c.first_answered_at,
            c.resolve_due_at,
            c.resolved_at,
            c.hours_to_resolve,
            _("yes") if c.is_open and (c.answer_late(now) or c.resolve_late(now)) else "",
        )
        for c in queryset.iterator(chunk_size=2000)
    )
    headers = [
        _("Number"),
        _("Logged at"),
        _("Client code"),
        _("Client"),
        _("Category"),
        _("Severity"),
        _("Channel"),
        _("Subject"),
        _("Status"),
        _("Assigned to"),
        _("First answer promised by"),
        _("First answered at"),
        _("Resolution promised by"),
        _("Resolved at"),
        _("Working hours to resolve"),
        _("Late"),
    ]
    return xlsx_response(
        filename="complaints.xlsx", sheet=_("Complaints"), headers=headers, rows=rows
    )


@login_required
def complaint_create(request):
    _staff(request, "service.menu")
    user = request.user
    ids = company_ids(user)
    companies = Company.objects.order_by("code")
    if ids is not None:
        companies = companies.filter(pk__in=ids)
    company = None
    company_id = request.GET.get("company") or request.POST.get("company")
    if company_id and str(company_id).isdigit():
        company = companies.filter(pk=company_id).first()
        if company is None:
            raise Http404
        if not can(user, "service.complaint.create", company):
            raise PermissionDenied
    if company is None:
        return render(request, "service/complaint_form.html", {"companies": companies})
    form = forms.ComplaintForm(request.POST or None, company=company)
    status = 200
    if request.method == "POST":
        complaint, status = run(
            request,
            form,
            lambda values, _version: services.complaint_create(
                actor=user, company=company, **values
            ),
            _("The complaint was logged."),
        )
        if complaint is not None:
            return redirect("service:complaint_detail", complaint.pk)
    return render(
        request, "service/complaint_form.html", {"form": form, "company": company}, status=status
    )


def _detail(request, complaint: Complaint, *, bound=None, status: int = 200):
    now = timezone.now()
    allowed = services.may_act(request.user, complaint)
    initial = {"version": complaint.version}
    company_id = complaint.company_id
    builders = {
        "assign": lambda data: forms.AssignForm(
            data, initial={**initial, "assignee": complaint.assigned_to_id}
        ),
        "answer": lambda data: forms.AnswerForm(data, initial=initial),
        "resolve": lambda data: forms.ResolveForm(data, initial=initial),
        "schedule_visit": lambda data: forms.ScheduleVisitForm(
            data,
            initial={
                **initial,
                "due_on": timezone.localdate(),
                "visitor": complaint.assigned_to_id,
            },
        ),
        "record_visit": lambda data: forms.RecordVisitForm(
            data,
            company_id=company_id,
            initial={
                **initial,
                "visited_on": timezone.localdate(),
                "contact": complaint.contact_id,
            },
        ),
        "confirm": lambda data: forms.ConfirmForm(
            data,
            company_id=company_id,
            initial={**initial, "contact": complaint.contact_id, "channel": "phone"},
        ),
        "reopen": lambda data: forms.ReasonForm(data, initial=initial, prefix="reopen"),
        "cancel": lambda data: forms.ReasonForm(data, initial=initial, prefix="cancel"),
    }
    move_forms = {}
    for move, allowed_here in allowed.items():
        if bound and move == bound[0]:
            move_forms[move] = bound[1]
        elif allowed_here:
            move_forms[move] = builders[move](None)
    context = {
        "complaint": complaint,
        "forms": move_forms,
        "answer_late": complaint.answer_late(now),
        "resolve_late": complaint.resolve_late(now),
        "escalations": list(complaint.escalations.all()),
        "visits": list(complaint.visits.all()),
        "history": history_for(complaint)[:50],
    }
    return render(request, "service/complaint_detail.html", context, status=status)


@login_required
@require_safe
def complaint_detail(request, pk: int):
    return _detail(request, _complaint(request, pk))


def _form_for(move: str, data, complaint: Complaint):
    if move == "assign":
        return forms.AssignForm(data)
    if move == "answer":
        return forms.AnswerForm(data)
    if move == "resolve":
        return forms.ResolveForm(data)
    if move == "schedule_visit":
        return forms.ScheduleVisitForm(data)
    if move == "record_visit":
        return forms.RecordVisitForm(data, company_id=complaint.company_id)
    if move == "confirm":
        return forms.ConfirmForm(data, company_id=complaint.company_id)
    return forms.ReasonForm(data, prefix=move)


def _call(move: str, actor, complaint: Complaint, values: dict, version):
    common = {"actor": actor, "complaint": complaint, "expected_version": version}
    if move == "assign":
        return services.complaint_assign(assignee=values["assignee"], **common)
    if move == "answer":
        return services.complaint_answer(answer=values["answer"], **common)
    if move == "resolve":
        return services.complaint_resolve(resolution=values["resolution"], **common)
    if move == "schedule_visit":
        return services.complaint_schedule_visit(
            due_on=values["due_on"], visitor=values["visitor"], **common
        )
    if move == "record_visit":
        return services.complaint_record_visit(**values, **common)
    if move == "confirm":
        return services.complaint_confirm(**values, **common)
    if move == "reopen":
        return services.complaint_reopen(reason=values["reason"], **common)
    return services.complaint_cancel(reason=values["reason"], **common)


MOVES = {
    "assign",
    "answer",
    "resolve",
    "schedule_visit",
    "record_visit",
    "confirm",
    "reopen",
    "cancel",
}


def _success(move: str) -> str:
    return {
        "assign": _("The complaint was assigned."),
        "answer": _("The first answer was recorded."),
        "resolve": _("The complaint was resolved."),
        "schedule_visit": _("The return visit was scheduled."),
        "record_visit": _("The return visit was recorded."),
        "confirm": _("The client's confirmation was recorded; the complaint is closed."),
        "reopen": _("The complaint was reopened."),
        "cancel": _("The complaint was cancelled."),
    }[move]


@login_required
@require_POST
def complaint_move(request, pk: int, move: str):
    if move not in MOVES:
        raise Http404
    complaint = _complaint(request, pk)
    form = _form_for(move, request.POST, complaint)
    result, status = run(
        request,
        form,
        lambda values, version: _call(move, request.user, complaint, values, version),
        _success(move),
    )
    if status == 200:
        return redirect(reverse("service:complaint_detail", args=[pk]))
    return _detail(request, _complaint(request, pk), bound=(move, form), status=status)


@login_required
@require_safe
def complaint_report(request):
    _staff(request, "service.report.view")
    today = timezone.localdate()
    try:
        start = date.fromisoformat(request.GET.get("start", ""))
    except ValueError:
        start = date(today.year, 1, 1)
    try:
        end = date.fromisoformat(request.GET.get("end", ""))
    except ValueError:
        end = today
    if end < start:
        messages.error(request, _("The end date is before the start date."))
        start, end = end, start
    result = selectors.report(request.user, start=start, end=end)
    return render(
        request, "service/complaint_report.html", {"report": result, "start": start, "end": end}
    )


# Return visits ----------------------------------------------------------------------


def _visit_companies(user):
    ids = company_ids(user)
    companies = Company.objects.order_by("code")
    return companies if ids is None else companies.filter(pk__in=ids)


@login_required
def visits(request):
    _staff(request, "service.visits.view")
    user = request.user
    today = timezone.localdate()
    overdue_only = request.GET.get("overdue") == "on"
    form = forms.RoutineVisitForm(
        request.POST or None,
        companies=_visit_companies(user),
        initial={"visited_on": today},
    )
    status = 200
    if request.method == "POST":
        visit, status = run(
            request,
            form,
            lambda values, _version: visit_services.visit_record(actor=user, **values),
            _("The return visit was recorded."),
        )
        if visit is not None:
            return redirect("service:visits")
    due = selectors.visits_due(user, today=today, overdue_only=overdue_only)
    plans = list(visible(user, ReturnVisitPlan.objects.all()).select_related("company"))
    context = {
        "due": due,
        "today": today,
        "overdue_only": overdue_only,
        "form": form,
        "recent": selectors.recent_visits(user),
        "plans": plans,
        "plan_form": forms.PlanForm(),
        "can_plan": can(user, "service.plan.edit"),
    }
    return render(request, "service/visits.html", context, status=status)


@login_required
@require_POST
def plan_set(request):
    _staff(request, "service.visits.view")
    company_pk = request.POST.get("company", "")
    company = None
    if company_pk.isdigit():
        company = _visit_companies(request.user).filter(pk=company_pk).first()
    if company is None:
        raise Http404
    form = forms.PlanForm(request.POST)
    _result, status = run(
        request,
        form,
        lambda values, version: visit_services.plan_set(
            actor=request.user,
            company=company,
            every_days=values["every_days"],
            expected_version=version,
        ),
        _("The return visit plan was saved."),
    )
    if status != 200:
        for error in form.errors.values():
            messages.error(request, " ".join(error))
    return redirect("service:visits")


urlpatterns = [
    path("complaints/", complaint_list, name="complaint_list"),
    path("complaints/new/", complaint_create, name="complaint_create"),
    path("complaints/report/", complaint_report, name="complaint_report"),
    path("complaints/<int:pk>/", complaint_detail, name="complaint_detail"),
    path("complaints/<int:pk>/<slug:move>/", complaint_move, name="complaint_move"),
    path("visits/", visits, name="visits"),
    path("visits/plans/", plan_set, name="plan_set"),
]
