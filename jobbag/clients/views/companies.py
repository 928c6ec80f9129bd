"""Pages of client companies, their brands, their people, org chart and service team.

Every staff member finds every company by name, code and industry; the rest of the file
(profile figures, brands, people, team, history) is shown only to those who may see it
confidentially. Views are thin: forms parse, services decide.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from jobbag.accounts.models import ServiceTeamMembership
from jobbag.clients import selectors, services
from jobbag.clients.forms import (
    BrandForm,
    CompanyFilterForm,
    CompanyForm,
    ContactForm,
    TeamEndForm,
    TeamMemberForm,
)
from jobbag.clients.models import Brand, Company, Contact
from jobbag.clients.panels import panels_for
from jobbag.clients.permissions import confidential_company_ids, may_see_confidential
from jobbag.clients.services.companies import BRAND_FIELDS, COMPANY_FIELDS, CONTACT_FIELDS
from jobbag.core.audit import history_for
from jobbag.core.forms import submit
from jobbag.core.permissions import can
from jobbag.core.xlsx import xlsx_response

STAFF_PAGES = "clients.list"
CREATE = "clients.company.create"
EDIT = "clients.company.edit"
PAGE_SIZE = 30


def _require(request, action: str, obj=None) -> None:
    if not can(request.user, action, obj):
        raise PermissionDenied


def _staff_page(view):
    """Signed-in staff only: client users reach their company through the portal."""

    @login_required
    def wrapped(request, *args, **kwargs):
        _require(request, STAFF_PAGES)
        return view(request, *args, **kwargs)

    wrapped.__name__ = view.__name__
    wrapped.__doc__ = view.__doc__
    return wrapped


def _version(version: int | None) -> int:
    # A form posted without its version cannot prove it saw the current record.
    return -1 if version is None else version


def _form_page(request, form, *, title: str, back: str, obj=None):
    status = 400 if request.method == "POST" else 200
    context = {
        "form": form,
        "title": title,
        "back_url": back,
        "object": obj,
        "history": history_for(obj) if obj is not None else None,
    }
    return render(request, "clients/companies/form.html", context, status=status)


# The list ---------------------------------------------------------------------------------


def _filtered(request):
    form = CompanyFilterForm(request.GET or None, industries=selectors.industries())
    # A stale filter value (a group since removed, say) is dropped; the others still apply.
    form.is_valid()
    filters = getattr(form, "cleaned_data", {})
    group = filters.get("client_group")
    companies = selectors.company_list(
        viewer=request.user,
        query=filters.get("q", ""),
        status=filters.get("status", ""),
        industry=filters.get("industry", ""),
        client_group_id=group.pk if group else None,
        key_only=filters.get("key", False),
        mine=filters.get("mine", False),
    )
    return form, companies


def _shown(ids: set[int] | None, company: Company) -> bool:
    return ids is None or company.pk in ids


@_staff_page
def company_list(request):
    """Every client by name, code and industry; the confidential columns only on the rows
    whose file the user may open. The filters refresh only the results (htmx)."""
    form, companies = _filtered(request)
    page = Paginator(companies, PAGE_SIZE).get_page(request.GET.get("page"))
    ids = confidential_company_ids(request.user)
    for company in page:
        company.file_open = _shown(ids, company)
    params = request.GET.copy()
    params.pop("page", None)
    encoded = params.urlencode()
    context = {
        "form": form,
        "page_obj": page,
        "querystring_without_page": f"{encoded}&" if encoded else "",
        "querystring": encoded,
        "can_create": can(request.user, CREATE),
    }
    if request.htmx and request.htmx.target == "client-results":
        return render(request, "clients/companies/_results.html", context)
    return render(request, "clients/companies/list.html", context)


@_staff_page
def company_export(request):
    """The filtered list as .xlsx, confidential figures only where the file is open."""
    _form, companies = _filtered(request)
    ids = confidential_company_ids(request.user)
    headers = [
        _("Client code"),
        _("Name"),
        _("English name"),
        _("Industry"),
        _("Status"),
        _("Client group"),
        _("Key client"),
        _("Annual revenue"),
        _("Headcount"),
    ]
    rows = (
        [
            company.code,
            company.name,
            company.name_en,
            company.industry,
            company.get_status_display(),
            str(company.client_group or ""),
            _("Yes") if company.is_key_client else "",
            company.annual_revenue if _shown(ids, company) else None,
            company.headcount if _shown(ids, company) else None,
        ]
        for company in companies.iterator(chunk_size=500)
    )
    return xlsx_response(filename="clients.xlsx", sheet=_("Clients"), headers=headers, rows=rows)


# Companies --------------------------------------------------------------------------------


def _company_or_404(request, pk: int) -> Company:
    company = selectors.company_for_viewer(viewer=request.user, pk=pk)
    if company is None:
        raise Http404
    return company


@_staff_page
def company_create(request):
    _require(request, CREATE)
    form = CompanyForm(
        request.POST or None, initial={"status": Company.Status.ACTIVE, "currency": "CNY"}
    )
    company = submit(
        request,
        form,
        lambda values, _version: services.company_create(actor=request.user, **values),
        _("Client created."),
    )
    if company is not None:
        return redirect("clients:detail", pk=company.pk)
    return _form_page(request, form, title=_("New client"), back=reverse("clients:list"))


@_staff_page
def company_detail(request, pk: int):
    """The client's file: its profile, brands, people, org chart, service team and history
    for those who may see it confidentially; the name, code and industry for everyone."""
    company = _company_or_404(request, pk)
    context = {"company": company, "file_open": may_see_confidential(request.user, company)}
    if context["file_open"]:
        contacts = selectors.company_contacts(company=company)
        # Editing needs the open file (known now) and the right to create clients; asking
        # the edit rule would work out the open files a second time.
        can_edit = can(request.user, CREATE)
        context.update(
            brands=selectors.company_brands(company=company),
            contacts=contacts,
            org_chart=selectors.org_chart([c for c in contacts if c.is_active]),
            team=selectors.team_of(company=company),
            history=history_for(company),
            panels=panels_for(company),
            can_edit=can_edit,
            team_form=TeamMemberForm(company=company) if can_edit else None,
        )
    return render(request, "clients/companies/detail.html", context)


@_staff_page
def company_edit(request, pk: int):
    company = _company_or_404(request, pk)
    _require(request, EDIT, company)
    initial = {name: getattr(company, name) for name in ("code", "name", *COMPANY_FIELDS)}
    form = CompanyForm(request.POST or None, initial={**initial, "version": company.version})
    saved = submit(
        request,
        form,
        lambda values, version: services.company_update(
            actor=request.user, company=company, expected_version=_version(version), **values
        ),
        _("Client saved."),
    )
    if saved is not None:
        return redirect("clients:detail", pk=company.pk)
    title = _("Edit %(name)s") % {"name": company.name}
    return _form_page(
        request, form, title=title, back=reverse("clients:detail", args=[pk]), obj=company
    )


# Brands -----------------------------------------------------------------------------------


def _brand_or_404(request, pk: int) -> Brand:
    brand = selectors.brand_for_viewer(viewer=request.user, pk=pk)
    if brand is None:
        raise Http404
    return brand


@_staff_page
def brand_create(request, pk: int):
    company = _company_or_404(request, pk)
    _require(request, EDIT, company)
    form = BrandForm(request.POST or None)
    brand = submit(
        request,
        form,
        lambda values, _version: services.brand_create(
            actor=request.user, company=company, **values
        ),
        _("Brand added."),
    )
    if brand is not None:
        return redirect("clients:detail", pk=company.pk)
    title = _("New brand of %(name)s") % {"name": company.name}
    return _form_page(request, form, title=title, back=reverse("clients:detail", args=[pk]))


@_staff_page
def brand_detail(request, pk: int):
    brand = _brand_or_404(request, pk)
    context = {"brand": brand, "file_open": may_see_confidential(request.user, brand.company)}
    if context["file_open"]:
        context.update(
            contacts=list(
                Contact.objects.filter(brand=brand, is_active=True).order_by("name", "pk")
            ),
            team=[m for m in selectors.team_of(company=brand.company) if m.brand_id == brand.pk],
            history=history_for(brand),
            can_edit=can(request.user, CREATE),
        )
    return render(request, "clients/companies/brand_detail.html", context)


@_staff_page
def brand_edit(request, pk: int):
    brand = _brand_or_404(request, pk)
    _require(request, EDIT, brand.company)
    initial = {name: getattr(brand, name) for name in BRAND_FIELDS}
    form = BrandForm(request.POST or None, initial={**initial, "version": brand.version})
    saved = submit(
        request,
        form,
        lambda values, version: services.brand_update(
            actor=request.user, brand=brand, expected_version=_version(version), **values
        ),
        _("Brand saved."),
    )
    if saved is not None:
        return redirect("clients:brand_detail", pk=brand.pk)
    title = _("Edit %(name)s") % {"name": brand.name}
    return _form_page(
        request, form, title=title, back=reverse("clients:brand_detail", args=[pk]), obj=brand
    )


# Contacts ---------------------------------------------------------------------------------


def _contact_or_404(request, pk: int) -> Contact:
    contact = selectors.contact_for_viewer(viewer=request.user, pk=pk)
    if contact is None:
        raise Http404
    return contact


@_staff_page
def contact_create(request, pk: int):
    company = _company_or_404(request, pk)
    _require(request, EDIT, company)
    initial = {"brand": request.GET.get("brand"), "reports_to": request.GET.get("reports_to")}
    form = ContactForm(request.POST or None, company=company, initial=initial)
    contact = submit(
        request,
        form,
        lambda values, _version: services.contact_create(
            actor=request.user, company=company, **values
        ),
        _("Contact added."),
    )
    if contact is not None:
        return redirect("clients:detail", pk=company.pk)
    title = _("New contact at %(name)s") % {"name": company.name}
    return _form_page(request, form, title=title, back=reverse("clients:detail", args=[pk]))


@_staff_page
def contact_detail(request, pk: int):
    """One person at the client; 404 for those who may not open the client's file."""
    contact = _contact_or_404(request, pk)
    context = {
        "contact": contact,
        "reports": list(contact.reports.filter(is_active=True).order_by("name")),
        "history": history_for(contact),
        "can_edit": can(request.user, EDIT, contact.company),
    }
    return render(request, "clients/companies/contact_detail.html", context)


@_staff_page
def contact_edit(request, pk: int):
    contact = _contact_or_404(request, pk)
    _require(request, EDIT, contact.company)
    initial = {name: getattr(contact, name) for name in CONTACT_FIELDS}
    form = ContactForm(
        request.POST or None,
        company=contact.company,
        contact=contact,
        initial={**initial, "version": contact.version},
    )
    saved = submit(
        request,
        form,
        lambda values, version: services.contact_update(
            actor=request.user, contact=contact, expected_version=_version(version), **values
        ),
        _("Contact saved."),
    )
    if saved is not None:
        return redirect("clients:contact_detail", pk=contact.pk)
    title = _("Edit %(name)s") % {"name": contact.name}
    back = reverse("clients:contact_detail", args=[pk])
    return _form_page(request, form, title=title, back=back, obj=contact)


# Service team -----------------------------------------------------------------------------


@_staff_page
@require_POST
def team_add(request, pk: int):
    company = _company_or_404(request, pk)
    _require(request, EDIT, company)
    form = TeamMemberForm(request.POST, company=company)
    added = submit(
        request,
        form,
        lambda values, _version: services.team_member_add(
            actor=request.user,
            company=None if values["brand"] else company,
            brand=values["brand"],
            user=values["user"],
            team_role=values["team_role"],
            starts_on=values["starts_on"],
        ),
        _("Added to the service team."),
    )
    if added is not None:
        return redirect(reverse("clients:detail", args=[pk]) + "#team")
    for name, errors in form.errors.items():
        label = form.fields[name].label if name in form.fields else ""
        for error in errors:
            messages.error(request, f"{label}: {error}" if label else error)
    return redirect(reverse("clients:detail", args=[pk]) + "#team")


@_staff_page
@require_POST
def team_end(request, pk: int):
    membership = get_object_or_404(
        ServiceTeamMembership.objects.select_related("company", "brand__company"), pk=pk
    )
    company = membership.company or (membership.brand.company if membership.brand_id else None)
    if company is None or not may_see_confidential(request.user, company):
        raise Http404
    form = TeamEndForm(request.POST)
    ended = submit(
        request,
        form,
        lambda values, _version: services.team_member_end(
            actor=request.user, membership=membership, ends_on=values["ends_on"]
        ),
        _("Taken off the service team."),
    )
    if ended is None:
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
    return redirect(reverse("clients:detail", args=[company.pk]) + "#team")
