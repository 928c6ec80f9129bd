"""Pages of weekly status reports: the list (by client, week and status), drafting one
for a client, the draft as the client will see it with refresh, note and send, and its
PDF."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from jobbag.clients.models import Company
from jobbag.core.audit import history_for
from jobbag.core.forms import act, submit
from jobbag.core.pdf import pdf_response, render_pdf
from jobbag.core.permissions import can, visible
from jobbag.meetings.forms.status_reports import (
    StatusReportCreateForm,
    StatusReportFilterForm,
    StatusReportNoteForm,
)
from jobbag.meetings.models import StatusReport
from jobbag.meetings.permissions.common import company_ids, is_manager
from jobbag.meetings.selectors.status_reports import content_view, status_report_of
from jobbag.meetings.selectors.status_reports import status_report_list as list_reports
from jobbag.meetings.services import status_reports as services

PAGE_SIZE = 30
HISTORY_SHOWN = 20


def _require(request, rule: str, obj=None) -> None:
    if not can(request.user, rule, obj):
        raise PermissionDenied


def _report(request, pk: int) -> StatusReport:
    """The report if the user may see it; 404 for anything outside their scope."""
    report = status_report_of(visible(request.user, StatusReport.objects.all()), pk)
    if report is None:
        raise Http404
    return report


def workable_companies(user):
    """The clients `user` may draft reports for."""
    if is_manager(user):
        return Company.objects.order_by("code")
    if not can(user, "meetings.status_report.draft"):
        return Company.objects.none()
    ids = company_ids(user)
    return Company.objects.filter(pk__in=ids or []).order_by("code")


@login_required
@require_safe
def status_report_list(request):
    _require(request, "meetings.status_report.view")
    scoped = visible(request.user, StatusReport.objects.all())
    companies = Company.objects.filter(pk__in=scoped.values("company")).order_by("code")
    form = StatusReportFilterForm(request.GET or None, companies=companies)
    filters = form.cleaned_data if form.is_valid() else {}
    rows = list_reports(
        scoped,
        company=filters["company"].pk if filters.get("company") else None,
        week_ending=filters.get("week_ending"),
        status=filters.get("status") or None,
    )
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    params = request.GET.copy()
    params.pop("page", None)
    encoded = params.urlencode()
    context = {
        "form": form,
        "page_obj": page,
        "querystring_without_page": f"{encoded}&" if encoded else "",
        "can_draft": can(request.user, "meetings.status_report.draft"),
    }
    return render(request, "meetings/status_reports/list.html", context)


@login_required
def status_report_create(request):
    _require(request, "meetings.status_report.draft")
    form = StatusReportCreateForm(request.POST or None, companies=workable_companies(request.user))
    report = submit(
        request,
        form,
        lambda values, _version: services.status_report_draft(
            actor=request.user, company=values["company"], week_ending=values["week_ending"]
        ),
        _("The weekly report's draft is ready to review."),
    )
    if report is not None:
        return redirect("meetings:status_report_detail", report.pk)
    status = 400 if form.errors else 200
    return render(request, "meetings/status_reports/create.html", {"form": form}, status=status)


@login_required
@require_safe
def status_report_detail(request, pk: int):
    report = _report(request, pk)
    can_edit = not report.is_sent and can(request.user, "meetings.status_report.edit", report)
    context = {
        "report": report,
        "view": content_view(report.content),
        "can_edit": can_edit,
        "can_send": not report.is_sent and can(request.user, "meetings.status_report.send", report),
        "note_form": StatusReportNoteForm(initial={"note": report.note, "version": report.version}),
        "history": history_for(report)[:HISTORY_SHOWN],
    }
    return render(request, "meetings/status_reports/detail.html", context)


@login_required
def status_report_note(request, pk: int):
    report = _report(request, pk)
    _require(request, "meetings.status_report.edit", report)
    form = StatusReportNoteForm(
        request.POST or None, initial={"note": report.note, "version": report.version}
    )
    saved = submit(
        request,
        form,
        lambda values, version: services.status_report_update(
            actor=request.user,
            report=report,
            expected_version=version if version is not None else report.version,
            note=values["note"],
        ),
        _("The note was saved."),
    )
    if saved is not None:
        return redirect("meetings:status_report_detail", report.pk)
    if request.method != "POST" and report.is_sent:
        messages.error(request, str(services.ALREADY_SENT))
        return redirect("meetings:status_report_detail", report.pk)
    context = {"report": report, "form": form}
    status = 400 if form.errors else 200
    return render(request, "meetings/status_reports/note.html", context, status=status)


def _version(request) -> int | None:
    try:
        return int(request.POST["version"])
    except (KeyError, ValueError):
        return None


@login_required
@require_POST
def status_report_refresh(request, pk: int):
    report = _report(request, pk)
    act(
        request,
        lambda: services.status_report_refresh(
            actor=request.user, report=report, expected_version=_version(request)
        ),
        _("The report was gathered again."),
    )
    return redirect("meetings:status_report_detail", report.pk)


@login_required
@require_POST
def status_report_send(request, pk: int):
    report = _report(request, pk)
    act(
        request,
        lambda: services.status_report_send(
            actor=request.user, report=report, expected_version=_version(request)
        ),
        _("The weekly report was sent to the client and the team."),
    )
    return redirect("meetings:status_report_detail", report.pk)


@login_required
@require_safe
def status_report_pdf(request, pk: int):
    report = _report(request, pk)
    content = render_pdf(services.PDF_TEMPLATE, services.pdf_context(report))
    return pdf_response(content, services.pdf_filename(report))


urlpatterns = [
    path("status-reports/", status_report_list, name="status_report_list"),
    path("status-reports/new/", status_report_create, name="status_report_create"),
    path("status-reports/<int:pk>/", status_report_detail, name="status_report_detail"),
    path("status-reports/<int:pk>/note/", status_report_note, name="status_report_note"),
    path("status-reports/<int:pk>/refresh/", status_report_refresh, name="status_report_refresh"),
    path("status-reports/<int:pk>/send/", status_report_send, name="status_report_send"),
    path("status-reports/<int:pk>/pdf/", status_report_pdf, name="status_report_pdf"),
]
