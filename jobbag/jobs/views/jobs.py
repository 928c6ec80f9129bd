"""Pages of intake: the job list, taking and editing a job, the job's page that hosts
every step's panel, issuing the number, cancelling, and the settings admins keep.
Views are thin: forms parse, services decide, selectors read."""

import functools

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from jobbag.accounts.models import User
from jobbag.clients.models import Company
from jobbag.core.audit import history_for
from jobbag.core.errors import Conflict, DomainError, NotAllowed
from jobbag.core.forms import show_refusal
from jobbag.core.memo import remembered
from jobbag.core.permissions import can
from jobbag.core.xlsx import xlsx_response
from jobbag.jobs.forms.jobs import (
    BriefReviewForm,
    CancelForm,
    FilterForm,
    JobForm,
    OrderKindForm,
    SettingsForm,
)
from jobbag.jobs.models import REQUIREMENT_FIELDS, Job, JobSettings, OrderKind, Stage
from jobbag.jobs.panels import JobPanel, panels_for, register
from jobbag.jobs.permissions.jobs import CREATOR_ROLES, sees_every_job, served_company_ids
from jobbag.jobs.selectors import jobs as selectors
from jobbag.jobs.services import gates
from jobbag.jobs.services import jobs as services

VIEW = "jobs.view"
PAGE_SIZE = 30


def remembering(view):
    """Reads the user's team and served clients once for the whole request, however many
    jobs and panels ask (see jobs.permissions.jobs.remembered)."""

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        with remembered(request.user):
            return view(request, *args, **kwargs)

    return wrapper


def _require(request, action: str, obj=None) -> None:
    if not can(request.user, action, obj):
        raise PermissionDenied


def _job(request, pk: int) -> Job:
    """The job if the user may see it; 404 for anything outside their scope."""
    _require(request, VIEW)
    # The job scope (visible) holds exactly the jobs that jobs.job.view allows.
    job = selectors.job_for(request.user, pk)
    if job is None:
        raise Http404
    return job


def may_edit(request, job: Job) -> bool:
    """jobs.job.edit for this request's user, asked once per request and job (the page
    and its panels all want it)."""
    cache = request.__dict__.setdefault("_jobs_may_edit", {})
    if job.pk not in cache:
        cache[job.pk] = can(request.user, "jobs.job.edit", job)
    return cache[job.pk]


def _status(error: DomainError) -> int:
    return 409 if isinstance(error, Conflict) else 400


def _companies(user: User, *, listing: bool = False) -> QuerySet[Company]:
    """The clients `user` may take jobs for: those whose file they may open. The list's
    filter offers every client to those who see every job."""
    companies = Company.objects.order_by("code")
    if services.sees_every_company(user) or (listing and sees_every_job(user)):
        return companies
    ids = served_company_ids(user)
    return companies if ids is None else companies.filter(pk__in=ids)


def _owners() -> QuerySet[User]:
    """The people a job may be given to: active account people and management."""
    return User.objects.filter(
        kind=User.Kind.STAFF, is_active=True, position__role__in=CREATOR_ROLES
    ).order_by("username")


# List ------------------------------------------------------------------------------------


def _filtered(request):
    form = FilterForm(
        request.GET or None, companies=_companies(request.user, listing=True), owners=_owners()
    )
    return form, selectors.jobs_for(request.user, **form.filters())


@login_required
@remembering
def job_list(request):
    """Every job the user may see, filtered and paged, newest first; or its .xlsx."""
    _require(request, VIEW)
    form, jobs = _filtered(request)
    if request.GET.get("export") == "xlsx":
        return _export(jobs)
    page = Paginator(jobs, PAGE_SIZE).get_page(request.GET.get("page"))
    params = request.GET.copy()
    params.pop("page", None)
    encoded = params.urlencode()
    context = {
        "form": form,
        "page_obj": page,
        "querystring_without_page": f"{encoded}&" if encoded else "",
        "querystring": encoded,
        "can_create": can(request.user, "jobs.job.create"),
        "can_configure": can(request.user, "jobs.settings.edit"),
    }
    return render(request, "jobs/job_list.html", context)


def _export(jobs):
    headers = [
        _("Job number"),
        _("Job name"),
        _("Client"),
        _("Brand"),
        _("Kind of order"),
        _("Project owner"),
        _("Stage"),
        _("Received on"),
        _("Estimated size"),
        _("Currency"),
        _("Important"),
        _("Launch date"),
    ]
    rows = (
        [
            job.number or "",
            job.title,
            f"{job.company.code} {job.company.name}",
            str(job.brand) if job.brand_id else "",
            str(job.order_kind),
            str(job.owner),
            job.get_stage_display(),
            job.received_on,
            job.estimated_amount,
            job.currency,
            _("Yes") if job.is_important else "",
            job.launch_date,
        ]
        for job in jobs.iterator(chunk_size=500)
    )
    return xlsx_response(filename="jobs.xlsx", sheet=_("Jobs"), headers=headers, rows=rows)


# Taking and editing a job ------------------------------------------------------------------


@login_required
@remembering
def job_create(request):
    _require(request, "jobs.job.create")
    companies = _companies(request.user)
    if request.method == "POST":
        form = JobForm(request.POST, companies=companies, owners=_owners())
        status = 400
        if form.is_valid():
            try:
                job = services.job_create(actor=request.user, **form.values())
            except NotAllowed as error:
                raise PermissionDenied from error
            except DomainError as error:
                show_refusal(form, error)
            else:
                messages.success(request, _("Job taken: %(job)s.") % {"job": job})
                return redirect("jobs:detail", pk=job.pk)
    else:
        initial = {"owner": request.user.pk, "currency": "CNY"}
        if request.GET.get("company", "").isdigit():
            initial["company"] = int(request.GET["company"])
        form = JobForm(companies=companies, owners=_owners(), initial=initial)
        status = 200
    context = {"form": form, "title": _("New job"), "back_url": reverse("jobs:list")}
    return render(request, "jobs/job_form.html", context, status=status)


@login_required
@remembering
def client_choices(request):
    """The brand and contact fields for the client chosen on the job form (htmx)."""
    _require(request, "jobs.view")
    form = JobForm(
        initial={"company": request.GET.get("company", "")},
        companies=_companies(request.user),
        owners=User.objects.none(),
    )
    return render(request, "jobs/_jobs_client_choices.html", {"form": form})


@login_required
@remembering
def job_edit(request, pk: int):
    job = _job(request, pk)
    _require(request, "jobs.job.edit", job)
    if job.stage in {Stage.CLOSED, Stage.CANCELLED}:
        messages.warning(request, str(services.JOB_CLOSED))
        return redirect("jobs:detail", pk=job.pk)
    locked = services.is_dispatched(job)
    kwargs = {
        # Whoever may edit the job works its client, even without its whole file.
        "companies": _companies(request.user) | Company.objects.filter(pk=job.company_id),
        "owners": _owners(),
        "requirements_locked": locked,
    }
    if request.method == "POST":
        form = JobForm(request.POST, **kwargs)
        status = 400
        if form.is_valid():
            values = form.values()
            version = form.cleaned_data["version"] or 0
            try:
                services.job_update(actor=request.user, job=job, expected_version=version, **values)
            except NotAllowed as error:
                raise PermissionDenied from error
            except DomainError as error:
                show_refusal(form, error)
                status = _status(error)
            else:
                messages.success(request, _("Saved: %(job)s.") % {"job": job})
                return redirect("jobs:detail", pk=job.pk)
    else:
        initial = {name: getattr(job, name) for name in services.JOB_FIELDS}
        for name in ("company", "brand", "client_contact", "order_kind", "owner"):
            initial[name] = getattr(job, f"{name}_id")
        initial["version"] = job.version
        form = JobForm(initial=initial, **kwargs)
        status = 200
    context = {
        "form": form,
        "job": job,
        "requirements_locked": locked,
        "title": _("Edit %(job)s") % {"job": job},
        "back_url": reverse("jobs:detail", args=[job.pk]),
    }
    return render(request, "jobs/job_form.html", context, status=status)


# The job's page --------------------------------------------------------------------------


@login_required
@remembering
def job_detail(request, pk: int):
    job = _job(request, pk)
    is_open = job.stage not in {Stage.CLOSED, Stage.CANCELLED}
    context = {
        "job": job,
        "can_edit": may_edit(request, job) and is_open,
        "chain": selectors.chain_steps(job),
        "blockers": gates.work_blockers(job) if is_open else [],
        "panels": panels_for(request, job),
    }
    return render(request, "jobs/job_detail.html", context)


def requirements_panel(request, job: Job) -> dict:
    can_edit = may_edit(request, job)
    open_job = job.stage not in {Stage.CLOSED, Stage.CANCELLED}
    return {
        "requirements": [
            (Job._meta.get_field(name), getattr(job, name)) for name in REQUIREMENT_FIELDS
        ],
        "can_edit": can_edit and open_job,
        "can_review_brief": can_edit and open_job and not job.number,
        "brief_form": BriefReviewForm(initial={"version": job.version}),
    }


def history_panel(request, job: Job) -> dict:
    return {"history": selectors.job_history(job)}


register(
    JobPanel(
        "requirements",
        gettext_lazy("Requirements"),
        "jobs/_jobs_requirements_panel.html",
        requirements_panel,
        order=10,
    )
)
register(
    JobPanel(
        "history", gettext_lazy("History"), "jobs/_jobs_history_panel.html", history_panel, order=90
    )
)


@login_required
@require_POST
@remembering
def job_brief_review(request, pk: int):
    """The project lead confirms the brief is reviewed: the job gets its number."""
    job = _job(request, pk)
    _require(request, "jobs.job.edit", job)
    form = BriefReviewForm(request.POST)
    version = form.cleaned_data["version"] if form.is_valid() else None
    try:
        job = services.job_brief_review(actor=request.user, job=job, expected_version=version)
    except NotAllowed as error:
        raise PermissionDenied from error
    except DomainError as error:
        messages.error(request, str(error.message))
    else:
        messages.success(
            request, _("Brief reviewed: job number %(number)s issued.") % {"number": job.number}
        )
    return redirect("jobs:detail", pk=job.pk)


@login_required
@remembering
def job_cancel(request, pk: int):
    job = _job(request, pk)
    _require(request, "jobs.job.edit", job)
    if request.method == "POST":
        form = CancelForm(request.POST)
        status = 400
        if form.is_valid():
            try:
                services.job_cancel(
                    actor=request.user,
                    job=job,
                    reason=form.cleaned_data["reason"],
                    expected_version=form.cleaned_data["version"],
                )
            except NotAllowed as error:
                raise PermissionDenied from error
            except DomainError as error:
                show_refusal(form, error)
                status = _status(error)
            else:
                messages.warning(request, _("The job %(job)s is cancelled.") % {"job": job})
                return redirect("jobs:detail", pk=job.pk)
    else:
        form = CancelForm(initial={"version": job.version})
        status = 200
    return render(request, "jobs/job_cancel.html", {"job": job, "form": form}, status=status)


# Settings and kinds of order -----------------------------------------------------------------


@login_required
@remembering
def job_settings(request):
    _require(request, "jobs.settings.edit")
    current = JobSettings.current()
    if request.method == "POST":
        form = SettingsForm(request.POST)
        status = 400
        if form.is_valid():
            values = dict(form.cleaned_data)
            version = values.pop("version")
            try:
                services.job_settings_update(actor=request.user, expected_version=version, **values)
            except NotAllowed as error:
                raise PermissionDenied from error
            except DomainError as error:
                show_refusal(form, error)
                status = _status(error)
            else:
                messages.success(request, _("Job settings saved."))
                return redirect("jobs:settings")
    else:
        initial = {name: getattr(current, name) for name in services.SETTINGS_FIELDS}
        initial["version"] = current.version
        form = SettingsForm(initial=initial)
        status = 200
    context = {
        "form": form,
        "order_kinds": OrderKind.objects.all(),
        "history": history_for(current)[:20],
    }
    return render(request, "jobs/job_settings.html", context, status=status)


@login_required
@remembering
def order_kind_edit(request, pk: int | None = None):
    _require(request, "jobs.settings.edit")
    kind = get_object_or_404(OrderKind, pk=pk) if pk else None
    if request.method == "POST":
        form = OrderKindForm(request.POST)
        status = 400
        if form.is_valid():
            try:
                if kind is None:
                    services.order_kind_create(actor=request.user, **form.cleaned_data)
                else:
                    services.order_kind_update(actor=request.user, kind=kind, **form.cleaned_data)
            except NotAllowed as error:
                raise PermissionDenied from error
            except DomainError as error:
                show_refusal(form, error)
            else:
                messages.success(request, _("Kind of order saved."))
                return redirect("jobs:settings")
    else:
        initial = {name: getattr(kind, name) for name in services.ORDER_KIND_FIELDS} if kind else {}
        form = OrderKindForm(initial=initial or None)
        status = 200
    title = _("Edit kind of order") if kind else _("New kind of order")
    context = {"form": form, "title": title, "back_url": reverse("jobs:settings")}
    return render(request, "jobs/job_order_kind_form.html", context, status=status)


urlpatterns = [
    path("", job_list, name="list"),
    path("new/", job_create, name="create"),
    path("new/client-choices/", client_choices, name="client_choices"),
    path("settings/", job_settings, name="settings"),
    path("order-kinds/new/", order_kind_edit, name="order_kind_create"),
    path("order-kinds/<int:pk>/", order_kind_edit, name="order_kind_edit"),
    path("<int:pk>/", job_detail, name="detail"),
    path("<int:pk>/edit/", job_edit, name="edit"),
    path("<int:pk>/brief-reviewed/", job_brief_review, name="brief_review"),
    path("<int:pk>/cancel/", job_cancel, name="cancel"),
]
