"""Pages of the finance reference data: the rate card and the tax profiles. Staff read
them; administrators and Finance manage them."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from jobbag.core.forms import submit
from jobbag.core.permissions import can
from jobbag.finance.forms.reference import RateItemForm, TaxComponentForm, TaxProfileForm
from jobbag.finance.models import RateItem, TaxComponent, TaxProfile
from jobbag.finance.selectors import reference as selectors
from jobbag.finance.services import reference as services

VIEW = "finance.reference.view"
MANAGE = "finance.reference.manage"


def _require(request, action: str) -> None:
    if not can(request.user, action):
        raise PermissionDenied


# Rate card -------------------------------------------------------------------------------


def _rates_page(request, form=None, status=200):
    context = {
        "items": selectors.rate_items(),
        "can_manage": can(request.user, MANAGE),
        "form": form or RateItemForm(),
    }
    return render(request, "finance/rates.html", context, status=status)


@login_required
def rates(request):
    _require(request, VIEW)
    return _rates_page(request)


@login_required
@require_POST
def rate_new(request):
    _require(request, MANAGE)
    form = RateItemForm(request.POST)

    def call(values, _version):
        return services.rate_item_create(actor=request.user, **values)

    if submit(request, form, call, _("Rate card item added.")):
        return redirect("finance:rates")
    return _rates_page(request, form=form, status=400)


@login_required
def rate_edit(request, pk: int):
    _require(request, MANAGE)
    item = get_object_or_404(RateItem.objects.select_related("company"), pk=pk)
    initial = {
        name: getattr(item, name)
        for name in ("code", "name_zh", "name_en", "unit", "price", "currency", "company")
    }
    initial.update(is_active=item.is_active, version=item.version)
    form = RateItemForm(request.POST or None, initial=initial)

    def call(values, version):
        return services.rate_item_update(
            actor=request.user, item=item, expected_version=version or 0, **values
        )

    if submit(request, form, call, _("Rate card item saved.")):
        return redirect("finance:rates")
    status = 400 if request.method == "POST" else 200
    return render(request, "finance/rate_edit.html", {"item": item, "form": form}, status=status)


# Tax profiles ---------------------------------------------------------------------------


def _taxes_page(request, form=None, status=200):
    context = {
        "profiles": selectors.tax_profiles(),
        "can_manage": can(request.user, MANAGE),
        "form": form or TaxProfileForm(),
    }
    return render(request, "finance/taxes.html", context, status=status)


@login_required
def taxes(request):
    _require(request, VIEW)
    return _taxes_page(request)


@login_required
@require_POST
def tax_new(request):
    _require(request, MANAGE)
    form = TaxProfileForm(request.POST)
    created = submit(
        request,
        form,
        lambda values, _version: services.tax_profile_create(actor=request.user, **values),
        _("Tax profile added."),
    )
    if created:
        return redirect("finance:tax_detail", created.pk)
    return _taxes_page(request, form=form, status=400)


def _tax_page(request, profile, *, form=None, component_form=None, status=200):
    can_manage = can(request.user, MANAGE)
    context = {
        "profile": profile,
        "components": list(profile.components.all()),
        "can_manage": can_manage,
        "form": form
        or TaxProfileForm(
            initial={
                "code": profile.code,
                "name": profile.name,
                "is_default": profile.is_default,
                "is_active": profile.is_active,
                "version": profile.version,
            }
        ),
        "component_form": component_form or TaxComponentForm(),
    }
    return render(request, "finance/tax_detail.html", context, status=status)


@login_required
def tax_detail(request, pk: int):
    _require(request, VIEW)
    profile = get_object_or_404(TaxProfile, pk=pk)
    if request.method != "POST":
        return _tax_page(request, profile)
    _require(request, MANAGE)
    form = TaxProfileForm(request.POST)

    def call(values, version):
        return services.tax_profile_update(
            actor=request.user, profile=profile, expected_version=version or 0, **values
        )

    if submit(request, form, call, _("Tax profile saved.")):
        return redirect("finance:tax_detail", profile.pk)
    return _tax_page(request, profile, form=form, status=400)


@login_required
@require_POST
def tax_component_add(request, pk: int):
    _require(request, MANAGE)
    profile = get_object_or_404(TaxProfile, pk=pk)
    form = TaxComponentForm(request.POST)

    def call(values, _version):
        return services.tax_component_add(actor=request.user, profile=profile, **values)

    if submit(request, form, call, _("Tax added.")):
        return redirect("finance:tax_detail", profile.pk)
    return _tax_page(request, profile, component_form=form, status=400)


@login_required
@require_POST
def tax_component_remove(request, pk: int, component_pk: int):
    _require(request, MANAGE)
    component = get_object_or_404(TaxComponent, pk=component_pk, profile_id=pk)
    services.tax_component_remove(actor=request.user, component=component)
    return redirect("finance:tax_detail", pk)


urlpatterns = [
    path("rates/", rates, name="rates"),
    path("rates/new/", rate_new, name="rate_new"),
    path("rates/<int:pk>/", rate_edit, name="rate_edit"),
    path("taxes/", taxes, name="taxes"),
    path("taxes/new/", tax_new, name="tax_new"),
    path("taxes/<int:pk>/", tax_detail, name="tax_detail"),
    path("taxes/<int:pk>/components/", tax_component_add, name="tax_component_add"),
    path(
        "taxes/<int:pk>/components/<int:component_pk>/remove/",
        tax_component_remove,
        name="tax_component_remove",
    ),
]
