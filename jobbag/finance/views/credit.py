"""Pages of credit control: the overview of clients overdue, near and on credit hold;
one client's overdue invoices, the notices sent and the General Manager's overrides
(with the GM's form to grant one); and the log of every override. A client outside the
user's credit scope is a 404."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from jobbag.clients.models import Company
from jobbag.core.forms import submit
from jobbag.core.memo import remembered
from jobbag.core.permissions import can
from jobbag.finance.forms.credit import OverrideForm
from jobbag.finance.permissions.credit import credit_company_ids
from jobbag.finance.selectors import credit as selectors
from jobbag.finance.services import credit as services

VIEW = "finance.credit.view"
OVERRIDE = "finance.credit.override"
PAGE_SIZE = 50


def _require(request, action: str, obj=None) -> None:
    if not can(request.user, action, obj):
        raise PermissionDenied


def _company(request, pk: int) -> Company:
    """The client, if the user may see its credit; else 404 (never tell it exists)."""
    ids = credit_company_ids(request.user)
    if ids is not None and pk not in ids:
        raise Http404
    company = Company.objects.filter(pk=pk).first()
    if company is None:
        raise Http404
    return company


@login_required
def overview(request):
    _require(request, VIEW)
    with remembered(request.user):
        statuses = selectors.overview(company_ids=credit_company_ids(request.user))
    context = {
        "statuses": statuses,
        "held": sum(1 for s in statuses if s.on_hold),
        "today": timezone.localdate(),
    }
    return render(request, "finance/credit/overview.html", context)


def _company_page(request, company: Company, *, form=None, status=200):
    context = {
        "company": company,
        "status": selectors.credit_status(company),
        "invoices": selectors.company_overdue_invoices(company),
        "notices": selectors.company_notices(company),
        "overrides": list(selectors.overrides(company_ids=None, company=company)[:PAGE_SIZE]),
        "can_override": can(request.user, OVERRIDE),
        "form": form or OverrideForm(),
        "today": timezone.localdate(),
    }
    return render(request, "finance/credit/company.html", context, status=status)


@login_required
def company(request, pk: int):
    _require(request, VIEW)
    with remembered(request.user):
        company = _company(request, pk)
    return _company_page(request, company)


@login_required
@require_POST
def override_grant(request, pk: int):
    _require(request, OVERRIDE)
    company = _company(request, pk)
    form = OverrideForm(request.POST)

    def call(values, _version):
        return services.credit_override_grant(actor=request.user, company=company, **values)

    if submit(request, form, call, _("Override granted.")):
        return redirect("finance:credit_company", company.pk)
    return _company_page(request, company, form=form, status=400)


@login_required
def override_log(request):
    _require(request, VIEW)
    with remembered(request.user):
        rows = selectors.overrides(company_ids=credit_company_ids(request.user))
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"page_obj": page, "querystring_without_page": ""}
    return render(request, "finance/credit/overrides.html", context)


urlpatterns = [
    path("credit/", overview, name="credit"),
    path("credit/overrides/", override_log, name="credit_overrides"),
    path("credit/<int:pk>/", company, name="credit_company"),
    path("credit/<int:pk>/override/", override_grant, name="credit_override"),
]
