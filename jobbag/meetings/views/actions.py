"""Pages of the action register: "my actions" (with a quick close), the register of every
action the user may see (with its .xlsx), a new standalone action, one action with its
history, and editing, closing and cancelling it. Anything outside the user's scope is a
404; a refusal (closed already, in a draft report) is a message and changes nothing."""

import functools

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from jobbag.clients.models import Company
from jobbag.core.audit import history_for
from jobbag.core.errors import DomainError, NotAllowed
from jobbag.core.forms import act, export_url, submit
from jobbag.core.memo import remembered
from jobbag.core.permissions import can
from jobbag.core.xlsx import xlsx_response
from jobbag.meetings.forms.actions import (
    ActionForm,
    CancelForm,
    CloseForm,
    CompanyPickForm,
    MyActionsFilter,
    RegisterFilter,
)
from jobbag.meetings.models import Action
from jobbag.meetings.permissions.actions import seen_company_ids
from jobbag.meetings.permissions.common import is_manager
from jobbag.meetings.selectors import actions as selectors
from jobbag.meetings.services import actions as services

PAGE_SIZE = 30
HISTORY_SHOWN = 50


def remembering(view):
    """Reads the user's team and served clients once for the whole request, however many
    rules ask (jobs.permissions.jobs.remembered)."""

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        with remembered(request.user):
            return view(request, *args, **kwargs)

    return wrapper


def _require(request, rule: str, obj=None) -> None:
    if not can(request.user, rule, obj):
        raise PermissionDenied


def _action(request, pk: int) -> Action:
    action = selectors.action_for(request.user, pk)
    if action is None:
        raise Http404
    return action


def _seen_companies(user):
    """The clients whose actions `user` sees in full (the register's filter)."""
    companies = Company.objects.order_by("code")
    ids = seen_company_ids(user)
    return companies if ids is None else companies.filter(pk__in=ids)


def _worked_companies(user):
    """The clients `user` may give actions for."""
    if is_manager(user):
        return Company.objects.order_by("code")
    if not can(user, "meetings.action.create"):
        return Company.objects.none()
    return _seen_companies(user)


def _paged(request, queryset):
    page = Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))
    params = request.GET.copy()
    params.pop("page", None)
    encoded = params.urlencode()
    return {
        "page_obj": page,
        "querystring_without_page": f"{encoded}&" if encoded else "",
        "querystring": encoded,
    }


def _next(request, default: str) -> str:
    target = request.POST.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return default


# Lists ----------------------------------------------------------------------------------


@login_required
@remembering
def my_actions(request):
    """The actions I own: open first (overdue marked), then the closed ones."""
    _require(request, "meetings.action.list")
    form = MyActionsFilter(request.GET or None, companies=selectors.my_companies(request.user))
    today = timezone.localdate()
    rows = selectors.my_actions(request.user, today=today, **form.filters())
    context = {
        "form": form,
        "today": today,
        "next": request.get_full_path(),
        **_paged(request, rows),
    }
    return render(request, "meetings/actions/mine.html", context)


@login_required
@remembering
def action_list(request):
    """The register: every action the user may see, filtered; or its .xlsx."""
    _require(request, "meetings.action.list")
    form = RegisterFilter(request.GET or None, companies=_seen_companies(request.user))
    today = timezone.localdate()
    rows = selectors.actions_for(request.user, today=today, **form.filters())
    if request.GET.get("export") == "xlsx":
        return _export(rows, today)
    context = {
        "form": form,
        "today": today,
        "export_url": export_url(request),
        "can_create": can(request.user, "meetings.action.create"),
        **_paged(request, rows),
    }
    return render(request, "meetings/actions/list.html", context)


def _export(rows, today):
    headers = [
        _("Client"),
        _("Job"),
        _("Contact report"),
        _("Action"),
        _("Side"),
        _("Owner"),
        _("Due"),
        _("Status"),
        _("Overdue"),
        _("Closed"),
        _("Closed by"),
        _("Closing note"),
    ]
    data = (
        [
            f"{a.company.code} {a.company.name}",
            (a.job.number or a.job.title) if a.job_id else "",
            a.report.subject if a.report_id else "",
            a.text,
            a.get_side_display(),
            a.owner_name,
            a.due_on,
            a.get_status_display(),
            _("Yes") if a.status == Action.Status.OPEN and a.due_on < today else "",
            a.closed_at,
            str(a.closed_by) if a.closed_by_id else "",
            a.closing_note,
        ]
        for a in rows.iterator(chunk_size=500)
    )
    return xlsx_response(filename="actions.xlsx", sheet=_("Actions"), headers=headers, rows=data)


# One action -----------------------------------------------------------------------------


@login_required
@remembering
def action_create(request):
    """A standalone action: first the client, then the action itself."""
    _require(request, "meetings.action.create")
    companies = _worked_companies(request.user)
    pick = CompanyPickForm(request.GET or None, companies=companies)
    if not pick.is_bound or not pick.is_valid():
        context = {"pick": pick, "title": _("New action")}
        return render(request, "meetings/actions/pick.html", context)
    company = pick.cleaned_data["company"]
    _require(request, "meetings.action.create", company)
    form = ActionForm(
        request.POST or None,
        company=company,
        initial={"side": "agency", "owner": request.user.pk, "job": request.GET.get("job")},
    )
    action = submit(
        request,
        form,
        lambda values, _version: services.action_create(
            actor=request.user, company=company, **values
        ),
        _("The action was added."),
    )
    if action is not None:
        return redirect("meetings:action_detail", action.pk)
    context = {
        "form": form,
        "company": company,
        "title": _("New action"),
        "back": reverse("meetings:action_list"),
    }
    status = 400 if form.errors else 200
    return render(request, "meetings/actions/form.html", context, status=status)


@login_required
@remembering
def action_edit(request, pk: int):
    action = _action(request, pk)
    _require(request, "meetings.action.edit", action)
    if action.status != Action.Status.OPEN:
        messages.error(
            request,
            str(
                services.IN_DRAFT_REPORT
                if action.status == Action.Status.DRAFT
                else services.NOT_OPEN
            ),
        )
        return redirect("meetings:action_detail", action.pk)
    initial = {name: getattr(action, name) for name in [*services.FIELDS, "job"]}
    initial["version"] = action.version
    form = ActionForm(request.POST or None, company=action.company, initial=initial)
    saved = submit(
        request,
        form,
        lambda values, version: services.action_update(
            actor=request.user, action=action, expected_version=version or 0, **values
        ),
        _("The action was saved."),
    )
    if saved is not None:
        return redirect("meetings:action_detail", action.pk)
    context = {
        "form": form,
        "company": action.company,
        "action": action,
        "title": _("Edit action"),
        "back": reverse("meetings:action_detail", args=[action.pk]),
    }
    status = 400 if form.errors else 200
    return render(request, "meetings/actions/form.html", context, status=status)


@login_required
@remembering
def action_detail(request, pk: int):
    action = _action(request, pk)
    is_open = action.status == Action.Status.OPEN
    context = {
        "action": action,
        "today": timezone.localdate(),
        "responsible": services.responsible(action),
        "can_edit": is_open and can(request.user, "meetings.action.edit", action),
        "can_close": is_open and can(request.user, "meetings.action.close", action),
        "can_cancel": is_open and can(request.user, "meetings.action.cancel", action),
        "close_form": CloseForm(),
        "cancel_form": CancelForm(),
        "history": history_for(action)[:HISTORY_SHOWN],
    }
    return render(request, "meetings/actions/detail.html", context)


def _row(request, action: Action, *, error: str = "", status: int = 200):
    """One row of "my actions", for htmx to swap in after a quick close."""
    context = {"action": action, "today": timezone.localdate(), "error": error, "next": ""}
    return render(request, "meetings/actions/_row.html", context, status=status)


@login_required
@require_POST
@remembering
def action_close(request, pk: int):
    action = _action(request, pk)
    form = CloseForm(request.POST)
    note = form.cleaned_data["note"] if form.is_valid() else request.POST.get("note", "")
    call = lambda: services.action_close(actor=request.user, action=action, note=note)  # noqa: E731
    if request.headers.get("HX-Request"):
        try:
            call()
        except NotAllowed as error:
            raise PermissionDenied from error
        except DomainError as error:
            return _row(request, _action(request, pk), error=str(error.message))
        return _row(request, _action(request, pk))
    act(request, call, _("The action was closed."))
    return redirect(_next(request, reverse("meetings:action_detail", args=[action.pk])))


@login_required
@require_POST
@remembering
def action_cancel(request, pk: int):
    action = _action(request, pk)
    reason = request.POST.get("reason", "")
    act(
        request,
        lambda: services.action_cancel(actor=request.user, action=action, reason=reason),
        _("The action was cancelled."),
    )
    return redirect("meetings:action_detail", action.pk)


urlpatterns = [
    path("actions/", action_list, name="action_list"),
    path("actions/mine/", my_actions, name="my_actions"),
    path("actions/new/", action_create, name="action_create"),
    path("actions/<int:pk>/", action_detail, name="action_detail"),
    path("actions/<int:pk>/edit/", action_edit, name="action_edit"),
    path("actions/<int:pk>/close/", action_close, name="action_close"),
    path("actions/<int:pk>/cancel/", action_cancel, name="action_cancel"),
]
