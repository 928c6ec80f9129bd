"""Pages of forecasts: a client's year grid (entered at once), management's monthly view
and the GM's and Finance's quarterly view, each exportable to .xlsx."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils.dates import MONTHS
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from jobbag.clients.models import Company
from jobbag.core.errors import Conflict, DomainError, NotAllowed
from jobbag.core.forms import export_url, show_refusal
from jobbag.core.permissions import can
from jobbag.core.xlsx import xlsx_response
from jobbag.meetings.forms.forecasts import ForecastYearForm, PickForm, YearForm
from jobbag.meetings.permissions.common import sees_company
from jobbag.meetings.permissions.forecasts import sees_every_forecast
from jobbag.meetings.selectors import forecasts as selectors
from jobbag.meetings.services import forecasts as services
from jobbag.meetings.services.forecasts import YEARS, grid_field

VIEW_MONTH = "meetings.forecasts.view_month"
VIEW_QUARTER = "meetings.forecasts.view_quarter"
EDIT = "meetings.forecasts.edit"

STALE = gettext_lazy(
    "Someone else changed this client's forecast while you were entering it, so nothing "
    "was saved. The figures saved now are shown under yours: check them, then save again "
    "to replace them, or open the page again to start from the saved figures."
)


def _year(request) -> int:
    return YearForm(request.GET or None).chosen_year()


def period_labels(periods: list[int], quarterly: bool) -> list[str]:
    if quarterly:
        return [_("Q%(number)s") % {"number": period} for period in periods]
    return [str(MONTHS[period]) for period in periods]


@login_required
def forecasts(request):
    """The menu's entry: the monthly view for those who see it, else the quarterly."""
    if can(request.user, VIEW_MONTH):
        return redirect("meetings:forecast_month")
    if can(request.user, VIEW_QUARTER):
        return redirect("meetings:forecast_quarter")
    raise PermissionDenied


def _export(summary: selectors.Summary, labels: list[str], filename: str, sheet: str):
    headers = [_("Client code"), _("Client"), _("Currency"), _("Figure")]
    headers += [*labels, _("Year")]
    figures = [("ad_spend", _("Ad spend")), ("revenue", _("Revenue"))]
    rows = []
    for row in summary.rows:
        for name, label in figures:
            rows.append(
                [row.company.code, row.company.name, row.currency, label]
                + [getattr(cell, name) if cell.entered else None for cell in row.cells]
                + [getattr(row.total, name)]
            )
    for currency, cells in summary.totals.items():
        for name, label in figures:
            rows.append(
                ["", _("Total"), currency, label]
                + [getattr(cell, name) if cell.entered else None for cell in cells]
                + [getattr(summary.year_totals[currency], name)]
            )
    return xlsx_response(filename=filename, sheet=sheet, headers=headers, rows=rows)


def _summary_page(request, *, quarterly: bool):
    year = _year(request)
    if quarterly:
        summary = selectors.quarterly_summary(request.user, year)
    else:
        summary = selectors.monthly_summary(request.user, year)
    labels = period_labels(summary.periods, quarterly)
    if request.GET.get("export") == "xlsx":
        kind = "quarterly" if quarterly else "monthly"
        sheet = _("Quarterly forecast") if quarterly else _("Monthly forecast")
        return _export(summary, labels, f"forecast-{kind}-{year}.xlsx", sheet)
    may_enter = can(request.user, EDIT)
    context = {
        "summary": summary,
        "labels": labels,
        "year": year,
        "quarterly": quarterly,
        "previous_year": year - 1 if year > YEARS[0] else None,
        "next_year": year + 1 if year < YEARS[1] else None,
        "export_url": export_url(request),
        "may_enter": may_enter,
        "may_see_months": can(request.user, VIEW_MONTH),
        "may_see_quarters": can(request.user, VIEW_QUARTER),
        "pick_form": (
            PickForm(
                initial={"year": year},
                companies=selectors.companies_to_enter(request.user),
            )
            if may_enter
            else None
        ),
    }
    return render(request, "meetings/forecasts/summary.html", context)


@login_required
def forecast_month(request):
    if not can(request.user, VIEW_MONTH):
        raise PermissionDenied
    return _summary_page(request, quarterly=False)


@login_required
def forecast_quarter(request):
    if not can(request.user, VIEW_QUARTER):
        raise PermissionDenied
    return _summary_page(request, quarterly=True)


@login_required
def forecast_pick(request):
    """The monthly view's "enter a client's forecast" form lands here."""
    if not can(request.user, EDIT):
        raise PermissionDenied
    form = PickForm(request.GET or None, companies=selectors.companies_to_enter(request.user))
    if not form.is_valid():
        messages.error(request, _("Choose a client and a year."))
        return redirect(f"{reverse('meetings:forecast_month')}?year={_year(request)}")
    values = form.cleaned_data
    return redirect("meetings:forecast_entry", values["company"].pk, values["year"])


def _entry_company(request, company_pk: int) -> Company:
    """The client if the user may see its forecasts; 404 outside their scope, 403 for a
    role that sees no forecasts at all."""
    company = get_object_or_404(Company, pk=company_pk)
    if not can(request.user, VIEW_MONTH):
        raise PermissionDenied
    if not (sees_every_forecast(request.user) or sees_company(request.user, company.pk)):
        raise Http404
    return company


def _initial(grid: dict) -> dict:
    initial = {}
    for month, row in grid.items():
        initial[grid_field("ad_spend", month)] = row.ad_spend
        initial[grid_field("revenue", month)] = row.revenue
        initial[grid_field("note", month)] = row.note
        initial[grid_field("version", month)] = row.version
    return initial


def _with_current_versions(data: QueryDict, grid: dict) -> QueryDict:
    """The user's figures with the versions saved now, so that saving again (after
    checking the figures shown) replaces them deliberately."""
    data = data.copy()
    for month in range(1, 13):
        row = grid.get(month)
        data[grid_field("version", month)] = str(row.version) if row else ""
    return data


@login_required
def forecast_entry(request, company_pk: int, year: int):
    company = _entry_company(request, company_pk)
    if not YEARS[0] <= year <= YEARS[1]:
        raise Http404
    may_edit = can(request.user, EDIT, company)
    if request.method == "POST" and not may_edit:
        raise PermissionDenied
    grid = selectors.year_grid(request.user, company, year)
    form = ForecastYearForm(request.POST or None, initial=_initial(grid), year=year)
    saved_now = None
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.forecast_year_set(
                    actor=request.user, company=company, year=year, months=form.months()
                )
            except NotAllowed as error:
                raise PermissionDenied from error
            except Conflict:
                grid = selectors.year_grid(request.user, company, year)
                form = ForecastYearForm(
                    _with_current_versions(request.POST, grid), initial=_initial(grid), year=year
                )
                form.is_valid()
                form.add_error(None, str(STALE))
                saved_now = grid
                status = 409
            except DomainError as error:
                show_refusal(form, error)
                status = 400
            else:
                messages.success(
                    request,
                    _("The %(year)s forecast of %(client)s was saved.")
                    % {"year": year, "client": company},
                )
                return redirect("meetings:forecast_entry", company.pk, year)
        else:
            status = 400
    total_ad_spend = sum((row.ad_spend for row in grid.values()), selectors.ZERO)
    total_revenue = sum((row.revenue for row in grid.values()), selectors.ZERO)
    context = {
        "company": company,
        "year": year,
        "form": form,
        "rows": [
            (month, label, ad_spend, revenue, note, version, grid.get(month))
            for month, label, ad_spend, revenue, note, version in form.rows()
        ],
        "saved_now": saved_now,
        "may_edit": may_edit,
        "currency": company.currency or "CNY",
        "total_ad_spend": total_ad_spend,
        "total_revenue": total_revenue,
        "previous_year": year - 1 if year > YEARS[0] else None,
        "next_year": year + 1 if year < YEARS[1] else None,
    }
    return render(request, "meetings/forecasts/entry.html", context, status=status)


urlpatterns = [
    path("forecasts/", forecasts, name="forecasts"),
    path("forecasts/monthly/", forecast_month, name="forecast_month"),
    path("forecasts/quarterly/", forecast_quarter, name="forecast_quarter"),
    path("forecasts/enter/", forecast_pick, name="forecast_pick"),
    path("forecasts/<int:company_pk>/<int:year>/", forecast_entry, name="forecast_entry"),
]
