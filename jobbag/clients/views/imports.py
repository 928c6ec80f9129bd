"""Pages of the Excel import: upload, preview of every bad row, confirmation, progress."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_htmx.http import HttpResponseClientRefresh

from jobbag.clients.forms_imports import ImportUploadForm
from jobbag.clients.imports import SHEETS, SHEETS_BY_KEY, template_workbook
from jobbag.clients.models import ImportJob
from jobbag.clients.services import imports as services
from jobbag.core.errors import DomainError, NotAllowed, NotFound
from jobbag.core.forms import show_refusal
from jobbag.core.permissions import can
from jobbag.core.xlsx import XLSX

CREATE = "clients.company.create"
PAGE_SIZE = 20
RUNNING = (ImportJob.Status.UPLOADED, ImportJob.Status.VALIDATING, ImportJob.Status.IMPORTING)


def _require_create(request) -> None:
    if not can(request.user, CREATE):
        raise PermissionDenied


def _job(request, pk: int) -> ImportJob:
    try:
        return services.get_import_job_for_user(request.user, pk)
    except NotFound:
        raise Http404 from None


def _problems(items: list[dict]) -> list[dict]:
    """Stored problems as the page shows them, in the reader's language."""
    shown = []
    for item in items:
        sheet = SHEETS_BY_KEY.get(item.get("sheet", ""))
        column = sheet.column(item.get("field", "")) if sheet else None
        message = _(item["message"])
        if item.get("params"):
            message = message % item["params"]
        shown.append(
            {
                "sheet": f"{sheet.zh} · {sheet.label}" if sheet else "",
                "row": item.get("row") or "",
                "column": f"{column.zh} · {column.label}" if column else "",
                "message": message,
            }
        )
    return shown


@login_required
def import_start(request):
    """The upload form, what the workbook holds, and the user's earlier imports."""
    _require_create(request)
    posted = request.method == "POST"
    form = ImportUploadForm(request.POST, request.FILES) if posted else ImportUploadForm()
    status = 200
    if posted:
        if form.is_valid():
            try:
                job = services.import_job_upload(
                    actor=request.user, upload=form.cleaned_data["file"]
                )
            except NotAllowed:
                raise PermissionDenied from None
            except DomainError as error:
                show_refusal(form, error)
            else:
                messages.success(request, _("Uploaded. Every row is being checked."))
                return redirect("clients:import_detail", pk=job.pk)
        status = 400
    jobs = Paginator(services.visible_import_jobs(request.user), PAGE_SIZE)
    context = {
        "form": form,
        "sheets": SHEETS,
        "page_obj": jobs.get_page(request.GET.get("page")),
        "show_uploader": request.user.is_admin,
    }
    return render(request, "clients/imports/start.html", context, status=status)


@login_required
def import_template(request):
    """The workbook to fill in: the three sheets with Chinese and English headers."""
    _require_create(request)
    response = HttpResponse(template_workbook(), content_type=XLSX)
    response["Content-Disposition"] = 'attachment; filename="jobbag-client-import.xlsx"'
    return response


@login_required
def import_detail(request, pk: int):
    """One import: its progress while running (htmx polls every second), then every bad
    row and why, or what will be and was imported."""
    job = _job(request, pk)
    running = job.status in RUNNING
    if request.htmx and not running:
        # The work ended: reload the whole page to show its outcome.
        return HttpResponseClientRefresh()
    done = services.import_job_progress(job)
    context = {
        "job": job,
        "running": running,
        "done": done,
        "percent": int(done * 100 / job.total_rows) if job.total_rows else None,
        "problems": _problems(job.errors),
        "warnings": _problems(job.warnings),
        "may_confirm": job.status in (ImportJob.Status.VALID, ImportJob.Status.FAILED)
        and can(request.user, CREATE),
    }
    if request.htmx:
        return render(request, "clients/imports/_progress.html", context)
    return render(request, "clients/imports/detail.html", context)


@login_required
@require_POST
def import_confirm(request, pk: int):
    job = _job(request, pk)
    try:
        services.import_job_confirm(actor=request.user, job=job)
    except NotAllowed:
        raise PermissionDenied from None
    except DomainError as error:
        messages.warning(request, str(error.message))
    else:
        messages.success(request, _("The import has started."))
    return redirect("clients:import_detail", pk=job.pk)
