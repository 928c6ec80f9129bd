"""Pages of receivables: the ageing as of any date (per client, with totals, filters, a
drill-down into one client's invoices and an .xlsx), and the client statement (对账单)
of a period as a page and a PDF."""

from datetime import date

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _

from jobbag.clients.models import Company
from jobbag.core.forms import export_url
from jobbag.core.memo import remembered
from jobbag.core.pdf import pdf_response, render_pdf
from jobbag.core.permissions import can
from jobbag.core.xlsx import xlsx_response
from jobbag.finance.forms.billing import AgeingFilter, StatementForm
from jobbag.finance.permissions.billing import billing_company_ids, sees_company
from jobbag.finance.selectors import receivables as selectors


def _companies(user):
    companies = Company.objects.order_by("code")
    ids = billing_company_ids(user)
    return companies if ids is None else companies.filter(pk__in=ids)


@login_required
def ageing(request):
    with remembered(request.user):
        if not can(request.user, "finance.receivables.view"):
            raise PermissionDenied
        form = AgeingFilter(
            request.GET or None,
            companies=_companies(request.user),
            initial={"as_of": timezone.localdate()},
        )
        values = form.cleaned_data if form.is_bound and form.is_valid() else {}
        as_of = values.get("as_of") or timezone.localdate()
        company = values.get("company")
        result = selectors.ageing(
            request.user,
            as_of=as_of,
            company=company.pk if company else None,
            overdue_only=bool(values.get("overdue")),
        )
        invoices = (
            selectors.ageing_invoices(request.user, as_of=as_of, company=company.pk)
            if company
            else None
        )
        if request.GET.get("export") == "xlsx":
            return _export(result)
        context = {
            "form": form,
            "as_of": as_of,
            "ageing": result,
            "buckets": selectors.BUCKETS,
            "company": company,
            "invoices": invoices,
            "export_url": export_url(request),
        }
        return render(request, "finance/billing/ageing.html", context)


def _export(result):
    headers = [_("Client"), _("Currency"), *[label for _k, label in selectors.BUCKETS], _("Total")]
    rows = (
        [f"{row.company.code} {row.company.name}", row.currency, *row.buckets, row.total]
        for row in result.rows
    )
    return xlsx_response(
        filename=f"ageing-{result.as_of.isoformat()}.xlsx",
        sheet=_("Receivables ageing"),
        headers=headers,
        rows=rows,
    )


def _period_default() -> tuple[date, date]:
    today = timezone.localdate()
    return today.replace(day=1), today


@login_required
def statement(request):
    with remembered(request.user):
        if not can(request.user, "finance.receivables.view"):
            raise PermissionDenied
        start, end = _period_default()
        form = StatementForm(
            request.GET or None,
            companies=_companies(request.user),
            initial={"start": start, "end": end, "currency": "CNY"},
        )
        result = None
        if form.is_bound and form.is_valid():
            values = form.cleaned_data
            if not sees_company(request.user, values["company"].pk):
                raise Http404
            result = selectors.statement(
                values["company"],
                start=values["start"],
                end=values["end"],
                currency=(values.get("currency") or "CNY").upper(),
            )
            if request.GET.get("format") == "pdf":
                return statement_pdf(result)
        status = 400 if form.errors else 200
        context = {"form": form, "statement": result, "query": request.GET.urlencode()}
        return render(request, "finance/billing/statement.html", context, status=status)


def statement_pdf(result):
    content = render_pdf("finance/billing/statement_pdf.html", {"statement": result})
    name = f"statement-{result.company.code}-{result.start}-{result.end}.pdf"
    return pdf_response(content, name)


urlpatterns = [
    path("receivables/", ageing, name="ageing"),
    path("statements/", statement, name="statement"),
]
