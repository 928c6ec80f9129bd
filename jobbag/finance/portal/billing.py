"""The client's invoices in the portal: their company's issued invoices and credit notes
(never a draft) with the PDF of each, and their statement (对账单) of a period. Staff
have no portal (404); another company's invoice does not exist for a client user."""

from datetime import date

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render
from django.urls import path
from django.utils import timezone
from django.views.decorators.http import require_safe

from jobbag.clients.models import Company
from jobbag.core.pdf import pdf_response
from jobbag.core.permissions import can
from jobbag.finance.selectors.billing import invoice_pdf, portal_invoices
from jobbag.finance.selectors.receivables import statement
from jobbag.finance.views.receivables import statement_pdf

PAGE_SIZE = 30


def _company(request) -> int:
    if not can(request.user, "portal.view") or not can(request.user, "finance.portal.invoices"):
        raise Http404
    return request.user.company_id


@login_required
@require_safe
def invoice_list(request):
    company_id = _company(request)
    page = Paginator(portal_invoices(company_id), PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"page_obj": page, "querystring_without_page": ""}
    return render(request, "finance/portal/invoices.html", context)


@login_required
@require_safe
def invoice_download(request, pk: int):
    company_id = _company(request)
    invoice = portal_invoices(company_id).filter(pk=pk).first()
    if invoice is None:
        raise Http404
    return pdf_response(invoice_pdf(invoice), f"{invoice.number}.pdf")


def _day(value: str, default: date) -> date:
    try:
        return date.fromisoformat(value) if value else default
    except ValueError:
        return default


@login_required
@require_safe
def statement_page(request):
    company_id = _company(request)
    today = timezone.localdate()
    start = _day(request.GET.get("start", ""), today.replace(day=1))
    end = _day(request.GET.get("end", ""), today)
    if start > end:
        start, end = end, start
    company = Company.objects.get(pk=company_id)
    result = statement(company, start=start, end=end, currency=request.GET.get("currency", "CNY"))
    if request.GET.get("format") == "pdf":
        return statement_pdf(result)
    context = {"statement": result, "start": start, "end": end}
    return render(request, "finance/portal/statement.html", context)


urlpatterns = [
    path("invoices/", invoice_list, name="invoice_list"),
    path("invoices/<int:pk>/pdf/", invoice_download, name="invoice_pdf"),
    path("statement/", statement_page, name="statement"),
]
