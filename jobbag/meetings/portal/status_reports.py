"""The client's weekly status reports in the portal: the sent reports of their own
company, one report as it was sent, and its PDF. Staff have no portal (404); a draft or
another company's report does not exist for a client user (404)."""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render
from django.urls import path
from django.views.decorators.http import require_safe

from jobbag.core.pdf import pdf_response, render_pdf
from jobbag.core.permissions import can, visible
from jobbag.meetings.models import StatusReport
from jobbag.meetings.selectors import status_reports as selectors
from jobbag.meetings.services.status_reports import PDF_TEMPLATE, pdf_context, pdf_filename

PAGE_SIZE = 20


def _sent(request):
    """The client user's company's sent reports; 404 for anyone without a portal."""
    user = request.user
    if not can(user, "portal.view") or user.company_id is None:
        raise Http404
    return visible(user, StatusReport.objects.filter(company_id=user.company_id))


def _report(request, pk: int) -> StatusReport:
    report = selectors.status_report_of(_sent(request), pk)
    if report is None:
        raise Http404
    return report


@login_required
@require_safe
def status_report_list(request):
    rows = selectors.status_report_list(_sent(request))
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"page_obj": page, "querystring_without_page": ""}
    return render(request, "meetings/portal/status_reports_list.html", context)


@login_required
@require_safe
def status_report_detail(request, pk: int):
    report = _report(request, pk)
    context = {"report": report, "view": selectors.content_view(report.content)}
    return render(request, "meetings/portal/status_reports_detail.html", context)


@login_required
@require_safe
def status_report_pdf(request, pk: int):
    report = _report(request, pk)
    content = render_pdf(PDF_TEMPLATE, pdf_context(report))
    return pdf_response(content, pdf_filename(report))


urlpatterns = [
    path("status-reports/", status_report_list, name="status_report_list"),
    path("status-reports/<int:pk>/", status_report_detail, name="status_report_detail"),
    path("status-reports/<int:pk>/pdf/", status_report_pdf, name="status_report_pdf"),
]
