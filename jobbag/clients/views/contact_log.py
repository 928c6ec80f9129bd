"""Pages of the contact log: one client's log with the form to add to it, editing an
entry, one staff member's entries, the clients not contacted lately and my next steps.

Anyone outside a company's team gets 404 on its log, as for every confidential part."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from jobbag.clients import selectors_contact_log as selectors
from jobbag.clients.forms_contact_log import ContactLogForm, NoContactDaysForm
from jobbag.clients.models import ClientSettings
from jobbag.clients.services import contact_log as services
from jobbag.core.audit import history_for
from jobbag.core.errors import DomainError, NotAllowed
from jobbag.core.forms import export_url, show_refusal
from jobbag.core.permissions import can
from jobbag.core.xlsx import xlsx_response

PAGE_SIZE = 25
MAX_DAYS = 3650


def _paginate(request, queryset) -> dict:
    page = Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))
    params = request.GET.copy()
    params.pop("page", None)
    encoded = params.urlencode()
    return {"page_obj": page, "querystring_without_page": f"{encoded}&" if encoded else ""}


def _require_staff(request) -> None:
    if not can(request.user, "clients.contact_log.add"):
        raise PermissionDenied


def _entry_rows(entries):
    """The spreadsheet rows of a list of entries."""
    for entry in entries:
        yield [
            entry.occurred_at,
            entry.company.display_name,
            entry.get_kind_display(),
            ", ".join(str(user) for user in entry.staff.all()),
            ", ".join(str(contact) for contact in entry.contacts.all()),
            entry.discussed,
            entry.next_step,
            entry.next_step_due,
            entry.next_step_done_at,
            str(entry.created_by),
        ]


ENTRY_HEADERS = [
    gettext_lazy("When"),
    gettext_lazy("Client"),
    gettext_lazy("Kind"),
    gettext_lazy("Our people"),
    gettext_lazy("Their people"),
    gettext_lazy("What was discussed"),
    gettext_lazy("Next step"),
    gettext_lazy("Next step by"),
    gettext_lazy("Next step done"),
    gettext_lazy("Logged by"),
]


def _export_entries(entries, filename: str):
    return xlsx_response(
        filename=filename,
        sheet=_("Contact log"),
        headers=ENTRY_HEADERS,
        rows=_entry_rows(entries),
    )


def _log_page(request, company, form, *, status: int = 200):
    log = selectors.entries_of_company(company)
    if request.GET.get("export") == "xlsx":
        return _export_entries(log, f"contact-log-{company.code}.xlsx")
    context = {
        "company": company,
        "form": form,
        "today": timezone.localdate(),
        "export_url": export_url(request),
        **_paginate(request, log),
    }
    return render(request, "clients/contact_log/company_log.html", context, status=status)


@login_required
def company_log(request, pk: int):
    """One client's contact log, newest first, with the form to log a visit or call."""
    company = selectors.company_for_log(request.user, pk)
    return _log_page(request, company, ContactLogForm(company=company))


@login_required
@require_POST
def log_create(request, pk: int):
    company = selectors.company_for_log(request.user, pk)
    form = ContactLogForm(request.POST, company=company)
    if form.is_valid():
        try:
            entry = services.contact_log_add(
                actor=request.user, company=company, **form.service_values()
            )
        except NotAllowed as error:
            raise PermissionDenied from error
        except DomainError as error:
            show_refusal(form, error)
        else:
            messages.success(request, _("Logged: %(entry)s.") % {"entry": entry})
            return redirect(
                reverse("clients:company_log", args=[company.pk]) + f"#entry-{entry.pk}"
            )
    return _log_page(request, company, form, status=400)


@login_required
def log_edit(request, pk: int):
    """Edits an entry (its author or an admin), against the version shown."""
    entry = selectors.entry_for_user(request.user, pk)
    if not services.may_edit(request.user, entry):
        raise PermissionDenied
    company = entry.company
    if request.method == "POST":
        form = ContactLogForm(request.POST, company=company, editing=True)
        if form.is_valid():
            try:
                services.contact_log_edit(
                    actor=request.user,
                    entry=entry,
                    expected_version=form.cleaned_data["version"],
                    **form.service_values(),
                )
            except NotAllowed as error:
                raise PermissionDenied from error
            except DomainError as error:
                show_refusal(form, error)
            else:
                messages.success(request, _("Saved: %(entry)s.") % {"entry": entry})
                return redirect(
                    reverse("clients:company_log", args=[company.pk]) + f"#entry-{entry.pk}"
                )
        status = 400
    else:
        form = ContactLogForm(
            company=company,
            editing=True,
            initial={
                "kind": entry.kind,
                "occurred_at": timezone.localtime(entry.occurred_at),
                "brand": entry.brand_id,
                "staff": [user.pk for user in entry.staff.all()],
                "contacts": [contact.pk for contact in entry.contacts.all()],
                "discussed": entry.discussed,
                "next_step": entry.next_step,
                "next_step_due": entry.next_step_due,
                "version": entry.version,
            },
        )
        status = 200
    context = {"entry": entry, "company": company, "form": form, "history": history_for(entry)}
    return render(request, "clients/contact_log/edit.html", context, status=status)


@login_required
@require_POST
def log_done(request, pk: int):
    """Marks an entry's next step done; answers the entry's row to htmx."""
    entry = selectors.entry_for_user(request.user, pk)
    try:
        services.contact_log_next_step_done(actor=request.user, entry=entry)
    except NotAllowed as error:
        raise PermissionDenied from error
    except DomainError as error:
        messages.error(request, error.message)
    if request.htmx:
        entry = selectors.entry_for_user(request.user, pk)
        context = {
            "entry": entry,
            "today": timezone.localdate(),
            "show_company": bool(request.POST.get("show_company")),
        }
        return render(request, "clients/contact_log/_entry.html", context)
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(target, {request.get_host()}):
        target = reverse("clients:company_log", args=[entry.company_id])
    return redirect(target)


@login_required
def my_log(request):
    """The entries a staff member took part in: mine, or (for a manager) one of my
    reports', chosen with ?person=."""
    _require_staff(request)
    reports = list(selectors.people_below(request.user))
    person = request.user
    wanted = request.GET.get("person", "")
    if wanted and wanted != str(request.user.pk):
        person = next((p for p in reports if str(p.pk) == wanted), None)
        if person is None:
            raise Http404
    log = selectors.entries_of_person(request.user, person)
    if request.GET.get("export") == "xlsx":
        return _export_entries(log, f"contact-log-{person.username}.xlsx")
    context = {
        "person": person,
        "reports": reports,
        "today": timezone.localdate(),
        "export_url": export_url(request),
        **_paginate(request, log),
    }
    return render(request, "clients/contact_log/my_log.html", context)


def _days(request, default: int) -> int:
    try:
        days = int(request.GET.get("days", default))
    except ValueError:
        return default
    return min(max(days, 1), MAX_DAYS)


@login_required
def not_contacted(request):
    """Active clients nobody has contacted in N days (key clients first); admins change
    the default N here."""
    _require_staff(request)
    client_settings = ClientSettings.current()
    settings_form = None
    if request.user.is_admin:
        if request.method == "POST":
            settings_form = NoContactDaysForm(request.POST)
            if settings_form.is_valid():
                try:
                    services.client_settings_update(
                        actor=request.user,
                        expected_version=settings_form.cleaned_data["version"],
                        no_contact_days=settings_form.cleaned_data["no_contact_days"],
                    )
                except DomainError as error:
                    show_refusal(settings_form, error)
                else:
                    messages.success(request, _("Saved."))
                    return redirect("clients:not_contacted")
        else:
            settings_form = NoContactDaysForm(
                initial={
                    "no_contact_days": client_settings.no_contact_days,
                    "version": client_settings.version,
                }
            )
    elif request.method == "POST":
        raise PermissionDenied
    days = _days(request, client_settings.no_contact_days)
    companies = selectors.not_contacted(request.user, days=days)
    if request.GET.get("export") == "xlsx":
        return xlsx_response(
            filename=f"not-contacted-{days}-days.xlsx",
            sheet=_("Not contacted"),
            headers=[_("Code"), _("Client"), _("Key client"), _("Last contact"), _("Days since")],
            rows=(
                [
                    c.code,
                    c.display_name,
                    _("Yes") if c.is_key_client else "",
                    c.last_contact,
                    selectors.days_since(c.last_contact),
                ]
                for c in companies
            ),
        )
    context = {
        "days": days,
        "settings_form": settings_form,
        "export_url": export_url(request),
        **_paginate(request, companies),
    }
    for company in context["page_obj"]:
        company.days_since = selectors.days_since(company.last_contact)
    status = 400 if settings_form is not None and settings_form.errors else 200
    return render(request, "clients/contact_log/not_contacted.html", context, status=status)


@login_required
def next_steps(request):
    """My open next steps: those I wrote or took part in, overdue ones marked."""
    _require_staff(request)
    steps = selectors.next_steps_for(request.user)
    if request.GET.get("export") == "xlsx":
        return _export_entries(steps, "next-steps.xlsx")
    context = {
        "today": timezone.localdate(),
        "export_url": export_url(request),
        **_paginate(request, steps),
    }
    return render(request, "clients/contact_log/next_steps.html", context)
