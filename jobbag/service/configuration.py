"""What admins set for client service: complaint categories (bilingual), the promises
per severity and the office hours promises are counted in. Services, forms and the page."""

from django import forms
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _gettext
from django.utils.translation import gettext_lazy as _

from jobbag.core import audit
from jobbag.core.errors import Conflict, DomainError
from jobbag.core.permissions import can, require
from jobbag.core.versioning import save_versioned
from jobbag.service.models import ComplaintCategory, ServiceSettings, SeverityTarget

CODE_TAKEN = _("Another category has this code.")
NAME_REQUIRED = _("Enter the Chinese name.")
HOURS_ORDER = _("The office must close after it opens.")
TARGET_INVALID = _("Enter whole numbers from 1 upwards.")
INVALID = _("Correct the fields marked.")

CATEGORY_FIELDS = ["code", "name_zh", "name_en", "order", "is_active"]


@transaction.atomic
def category_save(
    *, actor, category: ComplaintCategory | None = None, expected_version=None, **values
) -> ComplaintCategory:
    """Adds a category (category None) or edits one at `expected_version`."""
    require(actor, "service.settings.manage")
    code = (values.get("code") or "").strip()
    name_zh = (values.get("name_zh") or "").strip()
    errors = {}
    if not name_zh:
        errors["name_zh"] = NAME_REQUIRED
    taken = ComplaintCategory.objects.filter(code=code)
    if category is not None:
        taken = taken.exclude(pk=category.pk)
    if not code or taken.exists():
        errors["code"] = CODE_TAKEN
    if errors:
        raise DomainError(INVALID, fields=errors)
    cleaned = {
        "code": code,
        "name_zh": name_zh,
        "name_en": (values.get("name_en") or "").strip(),
        "order": values.get("order") or 0,
        "is_active": bool(values.get("is_active", True)),
    }
    if category is None:
        category = ComplaintCategory.objects.create(**cleaned)
        audit.record_create(actor=actor, obj=category)
        return category
    category = ComplaintCategory.objects.select_for_update().get(pk=category.pk)
    if expected_version is None or category.version != expected_version:
        raise Conflict()
    before = audit.snapshot(category, CATEGORY_FIELDS)
    for name, value in cleaned.items():
        setattr(category, name, value)
    save_versioned(category, expected_version=expected_version, fields=CATEGORY_FIELDS)
    audit.record_change(actor=actor, obj=category, before=before)
    return category


@transaction.atomic
def target_set(
    *, actor, target: SeverityTarget, expected_version, answer_hours, resolve_days
) -> SeverityTarget:
    """Changes a severity's promises; complaints already logged keep theirs."""
    require(actor, "service.settings.manage")
    if not all(isinstance(v, int) and v >= 1 for v in (answer_hours, resolve_days)):
        raise DomainError(TARGET_INVALID, fields={"answer_hours": TARGET_INVALID})
    target = SeverityTarget.objects.select_for_update().get(pk=target.pk)
    if expected_version is None or target.version != expected_version:
        raise Conflict()
    before = audit.snapshot(target, ["answer_hours", "resolve_days"])
    target.answer_hours, target.resolve_days = answer_hours, resolve_days
    save_versioned(
        target, expected_version=expected_version, fields=["answer_hours", "resolve_days"]
    )
    audit.record_change(actor=actor, obj=target, before=before)
    return target


@transaction.atomic
def office_hours_set(
    *, actor, expected_version, opens_at, closes_at, visit_every_days
) -> ServiceSettings:
    require(actor, "service.settings.manage")
    if opens_at is None or closes_at is None or closes_at <= opens_at:
        raise DomainError(HOURS_ORDER, fields={"closes_at": HOURS_ORDER})
    settings = ServiceSettings.current()
    settings = ServiceSettings.objects.select_for_update().get(pk=settings.pk)
    if expected_version is None or settings.version != expected_version:
        raise Conflict()
    fields = ["opens_at", "closes_at", "visit_every_days"]
    before = audit.snapshot(settings, fields)
    settings.opens_at, settings.closes_at = opens_at, closes_at
    settings.visit_every_days = visit_every_days
    save_versioned(settings, expected_version=expected_version, fields=fields)
    audit.record_change(actor=actor, obj=settings, before=before)
    return settings


class CategoryForm(forms.Form):
    code = forms.SlugField(label=_("code"), max_length=32)
    name_zh = forms.CharField(label=_("name (Chinese)"), max_length=100)
    name_en = forms.CharField(label=_("name (English)"), max_length=100, required=False)
    order = forms.IntegerField(label=_("order"), min_value=0, initial=100)
    is_active = forms.BooleanField(label=_("active"), required=False, initial=True)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class TargetForm(forms.Form):
    answer_hours = forms.IntegerField(label=_("first answer within (working hours)"), min_value=1)
    resolve_days = forms.IntegerField(label=_("resolved within (working days)"), min_value=1)
    version = forms.IntegerField(widget=forms.HiddenInput)


class OfficeForm(forms.Form):
    opens_at = forms.TimeField(label=_("office opens"))
    closes_at = forms.TimeField(label=_("office closes"))
    visit_every_days = forms.IntegerField(
        label=_("return visit every (days), by default"), min_value=1, max_value=366
    )
    version = forms.IntegerField(widget=forms.HiddenInput)


@login_required
def settings_page(request):
    """One page for admins: office hours, promises per severity, categories. Each form
    posts with `form` naming it (office, target-<id>, category-<id> or category-new)."""
    from jobbag.service.views import run

    if not can(request.user, "service.settings.manage"):
        raise Http404
    office = ServiceSettings.current()
    bound, status = None, 200
    which = request.POST.get("form", "") if request.method == "POST" else ""
    if which == "office":
        form = OfficeForm(request.POST)
        _r, status = run(
            request,
            form,
            lambda values, version: office_hours_set(
                actor=request.user, expected_version=version, **values
            ),
            _gettext("The office hours were saved."),
        )
        bound = (which, form)
    elif which.startswith("target-"):
        target = SeverityTarget.objects.filter(pk=which.removeprefix("target-") or 0).first()
        if target is None:
            raise Http404
        form = TargetForm(request.POST)
        _r, status = run(
            request,
            form,
            lambda values, version: target_set(
                actor=request.user, target=target, expected_version=version, **values
            ),
            _gettext("The promises were saved."),
        )
        bound = (which, form)
    elif which.startswith("category-"):
        key = which.removeprefix("category-")
        category = None
        if key != "new":
            category = ComplaintCategory.objects.filter(pk=key if key.isdigit() else 0).first()
            if category is None:
                raise Http404
        form = CategoryForm(request.POST)
        _r, status = run(
            request,
            form,
            lambda values, version: category_save(
                actor=request.user, category=category, expected_version=version, **values
            ),
            _gettext("The category was saved."),
        )
        bound = (which, form)
    if which and status == 200:
        return redirect("service:settings")

    def pick(key, make):
        return bound[1] if bound and bound[0] == key else make()

    context = {
        "office_form": pick(
            "office",
            lambda: OfficeForm(
                initial={
                    "opens_at": office.opens_at,
                    "closes_at": office.closes_at,
                    "visit_every_days": office.visit_every_days,
                    "version": office.version,
                }
            ),
        ),
        "targets": [
            (
                target,
                pick(
                    f"target-{target.pk}",
                    lambda target=target: TargetForm(
                        initial={
                            "answer_hours": target.answer_hours,
                            "resolve_days": target.resolve_days,
                            "version": target.version,
                        }
                    ),
                ),
            )
            for target in SeverityTarget.objects.all()
        ],
        "categories": [
            (
                category,
                pick(
                    f"category-{category.pk}",
                    lambda category=category: CategoryForm(
                        initial={
                            **{name: getattr(category, name) for name in CATEGORY_FIELDS},
                            "version": category.version,
                        }
                    ),
                ),
            )
            for category in ComplaintCategory.objects.all()
        ],
        "new_category": pick("category-new", CategoryForm),
    }
    return render(request, "service/settings.html", context, status=status)


urlpatterns = [path("settings/", settings_page, name="settings")]
