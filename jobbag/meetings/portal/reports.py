"""The client's side of contact reports in the portal: their company's sent reports,
one report with its addenda and the acknowledge button, its PDF. Staff have no portal
(404); another company's report does not exist for a client user (404)."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from jobbag.core.forms import act
from jobbag.core.pdf import pdf_response
from jobbag.core.permissions import can
from jobbag.meetings.models import ContactReport, ReportReceipt
from jobbag.meetings.selectors import reports as selectors
from jobbag.meetings.services import reports as services

PAGE_SIZE = 25


def _company(request) -> int:
    if not can(request.user, "portal.view") or not request.user.company_id:
        raise Http404
    return request.user.company_id


def _report(request, pk: int) -> ContactReport:
    report = selectors.portal_report(_company(request), pk)
    if report is None:
        raise Http404
    return report


@login_required
@require_http_methods(["GET", "HEAD"])
def report_list(request):
    company_id = _company(request)
    page = Paginator(selectors.portal_reports(company_id), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    mine = {}
    if request.user.contact_id:
        mine = {
            receipt.report_id: receipt
            for receipt in ReportReceipt.objects.filter(
                contact_id=request.user.contact_id, report__in=[r.pk for r in page]
            )
        }
    context = {
        "page_obj": page,
        "rows": [(report, mine.get(report.pk)) for report in page],
        "querystring_without_page": "",
    }
    return render(request, "meetings/portal/reports_list.html", context)


@login_required
@require_http_methods(["GET", "HEAD"])
def report_detail(request, pk: int):
    report = _report(request, pk)
    receipts = list(report.receipts.all())
    mine = next((r for r in receipts if r.contact_id == request.user.contact_id), None)
    context = {
        "report": report,
        "decisions": list(report.decisions.all()),
        "actions": list(report.actions.all()),
        "addenda": list(report.addenda.all()),
        "contacts": list(report.contacts.all()),
        "staff": list(report.staff.all()),
        "mine": mine,
        "may_acknowledge": request.user.contact_id is not None,
    }
    return render(request, "meetings/portal/reports_detail.html", context)


@login_required
@require_POST
def report_acknowledge(request, pk: int):
    report = _report(request, pk)
    done = act(
        request,
        lambda: services.report_acknowledge(actor=request.user, report=report),
        _("Thank you: the contact report is acknowledged."),
    )
    if not done and not can(request.user, "meetings.report.acknowledge", report):
        raise PermissionDenied
    return redirect("portal:report_detail", report.pk)


@login_required
@require_http_methods(["GET", "HEAD"])
def report_pdf(request, pk: int):
    report = _report(request, pk)
    return pdf_response(services.report_pdf(report), services.pdf_filename(report))


urlpatterns = [
    path("reports/", report_list, name="report_list"),
    path("reports/<int:pk>/", report_detail, name="report_detail"),
    path("reports/<int:pk>/acknowledge/", report_acknowledge, name="report_acknowledge"),
    path("reports/<int:pk>/pdf/", report_pdf, name="report_pdf"),
]
