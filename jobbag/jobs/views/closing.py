"""Pages of the closing steps: a job's acceptances (验收) with their items checked in
place, the printable acceptance record, the job summary (小结) and the list of summaries
due and late. The job page shows both as panels (registered at the bottom)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from jobbag.core.audit import history_for
from jobbag.core.errors import Conflict, DomainError, NotAllowed
from jobbag.core.forms import show_refusal
from jobbag.core.navigation import MenuItem
from jobbag.core.navigation import register as menu_register
from jobbag.core.pdf import pdf_response, render_pdf
from jobbag.core.permissions import can, visible
from jobbag.jobs.forms.closing import AcceptanceForm, CheckForm, SummaryForm
from jobbag.jobs.models import Acceptance, Job, JobSummary, Stage
from jobbag.jobs.panels import JobPanel
from jobbag.jobs.panels import register as panel_register
from jobbag.jobs.permissions.closing import is_qc
from jobbag.jobs.selectors import closing as selectors
from jobbag.jobs.services import closing as services


def _status(error: DomainError) -> int:
    return 409 if isinstance(error, Conflict) else 400


def _job(request, job_id: int) -> Job:
    """The job if the user may see it; 404 for anything outside their scope."""
    job = (
        visible(request.user, Job.objects.all())
        .select_related("company", "brand", "owner")
        .filter(pk=job_id)
        .first()
    )
    if job is None:
        raise Http404
    return job


def _acceptance(request, pk: int) -> Acceptance:
    acceptance = selectors.acceptance_for(request.user, pk)
    if acceptance is None:
        raise Http404
    return acceptance


# Acceptance ------------------------------------------------------------------------------


def _acceptance_rights(user, job: Job) -> dict:
    editor = can(user, "jobs.job.edit", job)
    return {"can_edit": editor, "can_check": editor or is_qc(user)}


def _card(acceptance: Acceptance, approval, rights: dict, *, error: str = "") -> dict:
    editable = acceptance.is_editable and acceptance.job.stage not in services.CLOSED_STAGES
    return {
        "acceptance": acceptance,
        "items": list(acceptance.items.all()),
        "approval": approval,
        "can_check": rights["can_check"] and editable,
        "can_submit": rights["can_edit"] and editable,
        "card_error": error,
    }


def acceptance_panel(request, job: Job) -> dict | None:
    """The job page's acceptance panel: each acceptance with its items and sign-off."""
    user = request.user
    if not can(user, "jobs.job.view", job):
        return None
    acceptances = list(selectors.acceptances_of(job))
    approvals = selectors.latest_approvals(acceptances)
    rights = _acceptance_rights(user, job)
    for acceptance in acceptances:
        acceptance.job = job
    started = services.work_started(job)
    return {
        "job": job,
        "cards": [_card(a, approvals.get(a.pk), rights) for a in acceptances],
        "work_started": started,
        "can_create": rights["can_edit"]
        and started
        and job.completed_on is None
        and job.stage not in services.CLOSED_STAGES,
    }


def _acceptance_page(request, acceptance: Acceptance, *, error: str = "", status: int = 200):
    approvals = selectors.latest_approvals([acceptance])
    rights = _acceptance_rights(request.user, acceptance.job)
    context = {
        "job": acceptance.job,
        "card": _card(acceptance, approvals.get(acceptance.pk), rights, error=error),
        "history": history_for(acceptance),
    }
    return render(request, "jobs/acceptance_detail.html", context, status=status)


@login_required
def acceptance_detail(request, pk: int):
    return _acceptance_page(request, _acceptance(request, pk))


@login_required
def acceptance_create(request, job_id: int):
    job = _job(request, job_id)
    if not can(request.user, "jobs.acceptance.create", job):
        raise PermissionDenied
    status = 200
    if request.method == "POST":
        form = AcceptanceForm(request.POST)
        status = 400
        if form.is_valid():
            try:
                acceptance = services.acceptance_create(
                    actor=request.user, job=job, **form.cleaned_data
                )
            except NotAllowed as error:
                raise PermissionDenied from error
            except DomainError as error:
                show_refusal(form, error)
                status = _status(error)
            else:
                messages.success(
                    request, _("Acceptance AC-%(number)s written.") % {"number": acceptance.number}
                )
                return redirect("jobs:acceptance_detail", pk=acceptance.pk)
    else:
        form = AcceptanceForm()
    context = {
        "job": job,
        "form": form,
        "work_started": services.work_started(job),
        "work_not_started": services.WORK_NOT_STARTED,
    }
    return render(request, "jobs/acceptance_form.html", context, status=status)


@login_required
@require_POST
def acceptance_item_check(request, pk: int):
    """Passes or fails one item; from the panel, an htmx POST answered with the card."""
    item = selectors.item_for(request.user, pk)
    if item is None:
        raise Http404
    form = CheckForm(request.POST)
    error = ""
    if form.is_valid():
        try:
            services.acceptance_item_check(actor=request.user, item=item, **form.cleaned_data)
        except NotAllowed as exc:
            raise PermissionDenied from exc
        except DomainError as exc:
            error = str(exc.message)
    else:
        error = _("Choose passed or failed.")
    acceptance = _acceptance(request, item.acceptance_id)
    if request.htmx:
        # htmx swaps only 2xx answers: a refusal is shown on the card with 200.
        approvals = selectors.latest_approvals([acceptance])
        rights = _acceptance_rights(request.user, acceptance.job)
        card = _card(acceptance, approvals.get(acceptance.pk), rights, error=error)
        return render(request, "jobs/_acceptance_card.html", {"card": card})
    if error:
        return _acceptance_page(request, acceptance, error=error, status=400)
    messages.success(request, _("Checked: %(item)s.") % {"item": item.description})
    return redirect("jobs:acceptance_detail", pk=acceptance.pk)


@login_required
@require_POST
def acceptance_submit(request, pk: int):
    acceptance = _acceptance(request, pk)
    try:
        services.acceptance_submit(actor=request.user, acceptance=acceptance)
    except NotAllowed as error:
        raise PermissionDenied from error
    except DomainError as error:
        fresh = _acceptance(request, pk)
        return _acceptance_page(request, fresh, error=str(error.message), status=_status(error))
    messages.success(request, _("Sent for sign-off: head of QC, then the client."))
    return redirect("jobs:acceptance_detail", pk=pk)


@login_required
def acceptance_pdf(request, pk: int):
    """The printable acceptance record, with its signatures once signed."""
    context = selectors.acceptance_print(_acceptance(request, pk))
    return pdf_response(render_pdf("jobs/pdf/acceptance.html", context), context["filename"])


# Summary ---------------------------------------------------------------------------------


def _summary_context(request, job: Job, summary: JobSummary | None) -> dict:
    user = request.user
    required = summary is not None or services.summary_required(job)
    context = {
        "job": job,
        "summary": summary,
        "required": required,
        # A job that needs a summary anyway (by size or already marked) needs no button.
        "can_require": not required
        and job.stage != Stage.CANCELLED
        and can(user, "jobs.summary.require", job),
        "sections": [],
    }
    if summary is not None:
        summary.job = job
        approval = selectors.latest_approvals([summary]).get(summary.pk)
        may_edit = can(user, "jobs.summary.edit", summary)
        context.update(
            {
                "approval": approval,
                "late": selectors.is_late(summary),
                "can_edit": may_edit and summary.is_editable,
                "sections": [
                    (JobSummary._meta.get_field(name).verbose_name, getattr(summary, name))
                    for name in services.SUMMARY_SECTIONS
                ],
            }
        )
    return context


def summary_panel(request, job: Job) -> dict | None:
    if not can(request.user, "jobs.job.view", job):
        return None
    return _summary_context(request, job, selectors.summary_of(job))


def _summary_form(summary: JobSummary, *, bound: bool = False) -> SummaryForm:
    """The form with the summary's values; bound (and cleaned) to carry a refusal."""
    initial = {name: getattr(summary, name) for name in services.SUMMARY_SECTIONS}
    initial["satisfaction_score"] = summary.satisfaction_score or ""
    initial["version"] = summary.version
    if not bound:
        return SummaryForm(initial=initial)
    form = SummaryForm(data=initial)
    form.is_valid()
    return form


def _summary_page(request, job, summary, *, form=None, error: str = "", status: int = 200):
    context = _summary_context(request, job, summary)
    if summary is not None:
        if form is None and context["can_edit"]:
            form = _summary_form(summary)
        context["history"] = history_for(summary)
    context.update({"form": form, "page_error": error})
    return render(request, "jobs/summary_form.html", context, status=status)


@login_required
def summary_edit(request, job_id: int):
    """The job's summary: its sections, written by the owner, and its sign-off."""
    job = _job(request, job_id)
    summary = selectors.summary_of(job)
    if request.method != "POST":
        return _summary_page(request, job, summary)
    if summary is None:
        raise Http404
    form = SummaryForm(request.POST)
    if not form.is_valid():
        return _summary_page(request, job, summary, form=form, status=400)
    values = dict(form.cleaned_data)
    version = values.pop("version")
    try:
        services.summary_update(
            actor=request.user, summary=summary, expected_version=version, **values
        )
    except NotAllowed as error:
        raise PermissionDenied from error
    except DomainError as error:
        show_refusal(form, error)
        return _summary_page(request, job, summary, form=form, status=_status(error))
    messages.success(request, _("Summary saved."))
    return redirect("jobs:summary_edit", job_id=job.pk)


@login_required
@require_POST
def summary_submit(request, job_id: int):
    job = _job(request, job_id)
    summary = selectors.summary_of(job)
    if summary is None:
        raise Http404
    try:
        services.summary_submit(actor=request.user, summary=summary)
    except NotAllowed as error:
        raise PermissionDenied from error
    except DomainError as error:
        summary = selectors.summary_of(job)
        form = None
        if can(request.user, "jobs.summary.edit", summary) and summary.is_editable:
            form = _summary_form(summary, bound=True)
            show_refusal(form, error)
        return _summary_page(
            request, job, summary, form=form, error=str(error.message), status=_status(error)
        )
    messages.success(request, _("Summary sent to the Marketing Manager for sign-off."))
    return redirect("jobs:summary_edit", job_id=job.pk)


@login_required
@require_POST
def summary_require(request, job_id: int):
    job = _job(request, job_id)
    try:
        services.job_summary_require(actor=request.user, job=job)
    except NotAllowed as error:
        raise PermissionDenied from error
    except DomainError as error:
        messages.error(request, str(error.message))
    else:
        messages.success(request, _("The job is marked important: it needs a summary."))
    return redirect("jobs:summary_edit", job_id=job.pk)


@login_required
def summary_list(request):
    """The summaries due and late of the jobs the user may see."""
    if not can(request.user, "jobs.summaries.view"):
        raise PermissionDenied
    summaries = selectors.summaries_due_for(request.user)
    context = {
        "summaries": summaries,
        "late_count": sum(1 for s in summaries if s.late),
        "today": timezone.localdate(),
    }
    return render(request, "jobs/summary_list.html", context)


urlpatterns = [
    path("<int:job_id>/acceptances/new/", acceptance_create, name="acceptance_create"),
    path("acceptances/<int:pk>/", acceptance_detail, name="acceptance_detail"),
    path("acceptances/<int:pk>/submit/", acceptance_submit, name="acceptance_submit"),
    path("acceptances/<int:pk>/pdf/", acceptance_pdf, name="acceptance_pdf"),
    path("acceptance-items/<int:pk>/check/", acceptance_item_check, name="acceptance_check"),
    path("<int:job_id>/summary/", summary_edit, name="summary_edit"),
    path("<int:job_id>/summary/submit/", summary_submit, name="summary_submit"),
    path("<int:job_id>/summary/require/", summary_require, name="summary_require"),
    path("summaries/", summary_list, name="summaries"),
]

panel_register(
    JobPanel(
        key="acceptance",
        title=gettext_lazy("Acceptance"),
        template="jobs/_acceptance_panel.html",
        context=acceptance_panel,
        order=70,
    )
)
panel_register(
    JobPanel(
        key="summary",
        title=gettext_lazy("Summary"),
        template="jobs/_summary_panel.html",
        context=summary_panel,
        order=80,
    )
)
menu_register(
    MenuItem(gettext_lazy("Job summaries"), "jobs:summaries", "jobs.summaries.view"), order=48
)
