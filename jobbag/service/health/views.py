"""Pages of account health: the overview of flagged clients (management, DCS, account
people over their clients), one client's signals with their figures and evidence, and
the thresholds (admins). A client outside the user's scope is a 404."""

import functools

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from jobbag.core.memo import remembered
from jobbag.core.permissions import can
from jobbag.service.health import selectors
from jobbag.service.health.charts import spend_bars
from jobbag.service.health.forms import OverviewFilterForm, SettingsForm
from jobbag.service.health.services import health_settings_set
from jobbag.service.models import HealthSettings, HealthSignal


def remembering(view):
    """Reads the clients the user serves once for the whole request."""

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        with remembered(request.user):
            return view(request, *args, **kwargs)

    return wrapper


def _require_view(request) -> None:
    # Nobody outside management and the account people has these pages.
    if not can(request.user, "service.health.view"):
        raise Http404


@login_required
@require_safe
@remembering
def overview(request):
    _require_view(request)
    form = OverviewFilterForm(request.GET or None)
    filters = form.filters() if form.is_bound else selectors.Filters()
    rows = selectors.overview(request.user, filters)
    context = {
        "form": form,
        "rows": rows,
        "settings": HealthSettings.current(),
        "can_manage": can(request.user, "service.health.settings"),
    }
    return render(request, "service/health/overview.html", context)


@login_required
@require_safe
@remembering
def client_health(request, pk: int):
    _require_view(request)
    company = selectors.company_for(request.user, pk)
    if company is None:
        raise Http404
    now = timezone.now()
    settings = HealthSettings.current()
    companies = type(company).objects.filter(pk=company.pk)
    health = selectors.health_of(companies, now=now, settings=settings)[0]
    evidence = selectors.evidence_for(health, now=now)
    context = {
        "company": company,
        "health": health,
        "evidence": evidence,
        "settings": settings,
        "chart": spend_bars(evidence.spend_by_month, health.spend),
        "signal_choices": HealthSignal.choices,
        "can_manage": can(request.user, "service.health.settings"),
    }
    return render(request, "service/health/client.html", context)


@login_required
@require_safe
@remembering
def client_badges(request, pk: int):
    """The client's signals as badges: the client page's panel loads them after the page
    (htmx), so the page itself reads nothing more."""
    _require_view(request)
    company = selectors.company_for(request.user, pk)
    if company is None:
        raise Http404
    health = selectors.health_of(type(company).objects.filter(pk=company.pk))[0]
    return render(request, "service/health/_panel_badges.html", {"health": health})


@login_required
def settings_page(request):
    from jobbag.service.views import run

    if not can(request.user, "service.health.settings"):
        raise Http404
    current = HealthSettings.current()
    status = 200
    if request.method == "POST":
        form = SettingsForm(request.POST)
        _result, status = run(
            request,
            form,
            lambda values, version: health_settings_set(
                actor=request.user, expected_version=version, **values
            ),
            _("The account health thresholds were saved."),
        )
        if status == 200:
            return redirect("service:health_settings")
    else:
        form = SettingsForm(
            initial={name: getattr(current, name) for name in SettingsForm.base_fields}
        )
    return render(request, "service/health/settings.html", {"form": form}, status=status)


urlpatterns = [
    path("health/", overview, name="health"),
    path("health/settings/", settings_page, name="health_settings"),
    path("health/<int:pk>/", client_health, name="health_client"),
    path("health/<int:pk>/badges/", client_badges, name="health_badges"),
]
