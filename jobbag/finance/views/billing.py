"""Pages of invoices: the list (with its .xlsx), a new draft from a job's signed quote or
its approved time, one invoice with its lines, taxes, payments and credit notes, and the
buttons that issue it, credit it, record a payment against it or discard the draft; its
PDF. Also the invoice series, the finance settings and the period close. Payments,
ageing and statements are in `views.payments` and `views.receivables`.

Anything outside the user's scope is a 404; a refusal is a message and changes nothing.
"""

import functools
from datetime import timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from jobbag.clients.models import Company
from jobbag.core.audit import history_for
from jobbag.core.errors import DomainError
from jobbag.core.forms import act, export_url, submit
from jobbag.core.memo import remembered
from jobbag.core.pdf import pdf_response
from jobbag.core.permissions import can
from jobbag.core.xlsx import xlsx_response
from jobbag.finance.forms.billing import (
    CreditForm,
    DraftForm,
    FinanceSettingsForm,
    FromQuoteForm,
    FromTimeForm,
    InvoiceFilter,
    InvoicePaymentForm,
    IssueForm,
    PeriodCloseForm,
    RetainerForm,
    SeriesForm,
)
from jobbag.finance.models import (
    ClosedPeriod,
    FinanceSettings,
    Invoice,
    InvoiceSeries,
    Retainer,
)
from jobbag.finance.permissions.billing import billing_company_ids
from jobbag.finance.selectors import billing as selectors
from jobbag.finance.services import billing as services
from jobbag.finance.services import payments as payment_services
from jobbag.finance.services import periods as period_services
from jobbag.finance.views import payments, receivables
from jobbag.jobs.models import Job
from jobbag.jobs.services.gates import signed_quote

PAGE_SIZE = 30
HISTORY_SHOWN = 30


def remembering(view):
    """Reads the user's served clients once for the whole request."""

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        with remembered(request.user):
            return view(request, *args, **kwargs)

    return wrapper


def _require(request, rule: str, obj=None) -> None:
    if not can(request.user, rule, obj):
        raise PermissionDenied


def _invoice(request, pk: int) -> Invoice:
    invoice = selectors.invoice_for(request.user, pk)
    if invoice is None:
        raise Http404
    return invoice


def seen_companies(user):
    companies = Company.objects.order_by("code")
    ids = billing_company_ids(user)
    return companies if ids is None else companies.filter(pk__in=ids)


def paged(request, queryset):
    page = Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))
    params = request.GET.copy()
    params.pop("page", None)
    encoded = params.urlencode()
    return {"page_obj": page, "querystring_without_page": f"{encoded}&" if encoded else ""}


# Lists ----------------------------------------------------------------------------------


@login_required
@remembering
def invoice_list(request):
    _require(request, "finance.invoice.list")
    form = InvoiceFilter(request.GET or None, companies=seen_companies(request.user))
    today = timezone.localdate()
    rows = selectors.invoices_for(request.user, today=today, **form.filters())
    if request.GET.get("export") == "xlsx":
        return _export(rows)
    context = {
        "form": form,
        "today": today,
        "export_url": export_url(request),
        **paged(request, rows),
    }
    return render(request, "finance/billing/list.html", context)


def _export(rows):
    headers = [
        _("Number"),
        _("Kind"),
        _("Status"),
        _("Client"),
        _("Job"),
        _("Issue date"),
        _("Due date"),
        _("Currency"),
        _("Net"),
        _("Tax"),
        _("Total"),
        _("Levies borne by the agency"),
        _("Paid"),
        _("Credited"),
        _("Outstanding"),
    ]
    data = (
        [
            invoice.number or "",
            invoice.get_kind_display(),
            invoice.get_status_display(),
            invoice.company.code,
            (invoice.job.number or invoice.job.title) if invoice.job_id else "",
            invoice.issue_date,
            invoice.due_date,
            invoice.currency,
            invoice.net_amount,
            invoice.tax_amount,
            invoice.total,
            invoice.levy_amount,
            invoice.paid_amount,
            invoice.credited_amount,
            invoice.outstanding,
        ]
        for invoice in rows.iterator(chunk_size=500)
    )
    return xlsx_response(filename="invoices.xlsx", sheet=_("Invoices"), headers=headers, rows=data)


# New drafts -----------------------------------------------------------------------------


@login_required
@remembering
def invoice_new(request, job_pk: int):
    """A draft from the job's signed quote, or from its approved time."""
    _require(request, "finance.invoice.create")
    job = get_object_or_404(Job.objects.select_related("company"), pk=job_pk)
    quote = signed_quote(job)
    quote_form = FromQuoteForm(
        request.POST if request.POST.get("source") == "quote" else None, quote=quote
    )
    time_form = FromTimeForm(request.POST if request.POST.get("source") == "time" else None)
    draft = None
    if request.POST.get("source") == "quote":

        def call(values, _version):
            if quote is None:
                raise DomainError(services.NO_SIGNED_QUOTE)
            return services.invoice_draft_from_quote(
                actor=request.user,
                job=job,
                kind=values["kind"],
                percentage=values["percentage"],
                milestone=values["milestone"],
                amount=values["amount"],
                line_ids=values["line_ids"] or None,
                series=values["series"],
                note=values["note"],
            )

        draft = submit(request, quote_form, call, _("The draft invoice was made."))
    elif request.POST.get("source") == "time":
        draft = submit(
            request,
            time_form,
            lambda values, _v: services.invoice_draft_from_time(
                actor=request.user, job=job, series=values["series"], note=values["note"]
            ),
            _("The draft invoice was made."),
        )
    if draft is not None:
        return redirect("finance:invoice_detail", draft.pk)
    context = {
        "job": job,
        "quote": quote,
        "quote_form": quote_form,
        "time_form": time_form,
        "billing": selectors.job_billing(job),
        "unbilled": services.unbilled_time(job).count(),
    }
    status = 400 if quote_form.errors or time_form.errors else 200
    return render(request, "finance/billing/new.html", context, status=status)


# One invoice ----------------------------------------------------------------------------


@login_required
@remembering
def invoice_detail(request, pk: int):
    invoice = _invoice(request, pk)
    is_draft = invoice.status == Invoice.Status.DRAFT
    is_invoice = invoice.kind != Invoice.Kind.CREDIT_NOTE
    context = {
        "invoice": invoice,
        "lines": list(invoice.lines.all()),
        "allocations": list(invoice.allocations.all()),
        "credit_notes": list(invoice.credit_notes.all()),
        "today": timezone.localdate(),
        "can_edit": is_draft and can(request.user, "finance.invoice.create"),
        "can_issue": is_draft and can(request.user, "finance.invoice.issue"),
        "can_credit": not is_draft
        and is_invoice
        and invoice.outstanding > 0
        and can(request.user, "finance.invoice.credit"),
        "can_pay": not is_draft
        and is_invoice
        and invoice.outstanding > 0
        and can(request.user, "finance.payment.record"),
        "draft_form": DraftForm(initial={"note": invoice.note, "version": invoice.version}),
        "issue_form": IssueForm(
            initial={"issue_date": timezone.localdate(), "version": invoice.version}
        ),
        "credit_form": CreditForm(initial={"issue_date": timezone.localdate()}),
        "payment_form": InvoicePaymentForm(
            initial={"received_on": timezone.localdate(), "amount": invoice.outstanding}
        ),
        "history": history_for(invoice)[:HISTORY_SHOWN],
    }
    return render(request, "finance/billing/detail.html", context)


def _back(invoice: Invoice):
    return redirect("finance:invoice_detail", invoice.pk)


@login_required
@require_POST
@remembering
def invoice_edit(request, pk: int):
    invoice = _invoice(request, pk)
    _require(request, "finance.invoice.create")
    form = DraftForm(request.POST)
    if form.is_valid():
        act(
            request,
            lambda: services.invoice_update_draft(
                actor=request.user,
                invoice=invoice,
                expected_version=form.cleaned_data["version"],
                note=form.cleaned_data["note"],
            ),
            _("The draft was saved."),
        )
    else:
        messages.error(request, _("Please correct the errors below."))
    return _back(invoice)


@login_required
@require_POST
@remembering
def invoice_issue(request, pk: int):
    invoice = _invoice(request, pk)
    _require(request, "finance.invoice.issue")
    form = IssueForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Please correct the errors below."))
        return _back(invoice)
    values = form.cleaned_data
    act(
        request,
        lambda: services.invoice_issue(
            actor=request.user,
            invoice=invoice,
            issue_date=values["issue_date"],
            expected_version=values["version"],
            email_to=values["email_to"],
        ),
        _("The invoice was issued."),
    )
    return _back(invoice)


@login_required
@remembering
def invoice_credit(request, pk: int):
    invoice = _invoice(request, pk)
    _require(request, "finance.invoice.credit")
    form = CreditForm(request.POST or None, initial={"issue_date": timezone.localdate()})
    note = submit(
        request,
        form,
        lambda values, _v: services.invoice_credit(
            actor=request.user,
            invoice=invoice,
            reason=values["reason"],
            net_amount=values["net_amount"],
            issue_date=values["issue_date"],
        ),
        _("The credit note was issued."),
    )
    if note is not None:
        return redirect("finance:invoice_detail", note.pk)
    status = 400 if form.errors else 200
    return render(
        request, "finance/billing/credit.html", {"invoice": invoice, "form": form}, status=status
    )


@login_required
@require_POST
@remembering
def invoice_pay(request, pk: int):
    """Records a receipt for this invoice and allocates all of it to it."""
    invoice = _invoice(request, pk)
    _require(request, "finance.payment.record")
    form = InvoicePaymentForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return _back(invoice)
    values = form.cleaned_data
    act(
        request,
        lambda: payment_services.payment_record(
            actor=request.user,
            company=invoice.company,
            received_on=values["received_on"],
            amount=values["amount"],
            currency=invoice.currency,
            method=values["method"],
            reference=values["reference"],
            note=values["note"],
            allocations=[(invoice, values["amount"])],
        ),
        _("The payment was recorded."),
    )
    return _back(invoice)


@login_required
@require_POST
@remembering
def invoice_discard(request, pk: int):
    invoice = _invoice(request, pk)
    _require(request, "finance.invoice.create")
    if act(
        request,
        lambda: services.invoice_discard(actor=request.user, invoice=invoice),
        _("The draft was discarded."),
    ):
        return redirect("finance:invoice_list")
    return _back(invoice)


@login_required
@remembering
def invoice_pdf(request, pk: int):
    invoice = _invoice(request, pk)
    name = invoice.number or f"draft-{invoice.pk}"
    return pdf_response(selectors.invoice_pdf(invoice), f"{name}.pdf")


# Retainers -------------------------------------------------------------------------------


@login_required
def retainer_list(request):
    """The retainers (monthly fixed fees), a new one, and drafting this month's invoice
    of one now (the daily sweep does it otherwise)."""
    _require(request, "finance.invoice.create")
    form = RetainerForm(request.POST or None, initial={"starts_on": timezone.localdate()})
    made = submit(
        request,
        form,
        lambda values, _v: services.retainer_create(actor=request.user, **values),
        _("The retainer was added."),
    )
    if made is not None:
        return redirect("finance:retainer_list")
    rows = Retainer.objects.select_related("company", "series").order_by("company__code", "pk")
    context = {"rows": rows, "form": form, "month": timezone.localdate().strftime("%Y-%m")}
    return render(
        request, "finance/billing/retainers.html", context, status=400 if form.errors else 200
    )


@login_required
@require_POST
def retainer_draft(request, pk: int):
    _require(request, "finance.invoice.create")
    retainer = get_object_or_404(Retainer, pk=pk)
    act(
        request,
        lambda: services.retainer_draft_month(actor=request.user, retainer=retainer),
        _("This month's draft invoice was made."),
    )
    return redirect("finance:retainer_list")


# Series, settings, periods --------------------------------------------------------------


def _series_page(request, form, series=None, status=200):
    context = {
        "rows": InvoiceSeries.objects.order_by("for_credit_notes", "code"),
        "form": form,
        "series": series,
    }
    return render(request, "finance/billing/series.html", context, status=status)


@login_required
def series_list(request):
    _require(request, "finance.series.manage")
    form = SeriesForm(request.POST or None)
    made = submit(
        request,
        form,
        lambda values, _v: services.series_create(actor=request.user, **values),
        _("The series was added."),
    )
    if made is not None:
        return redirect("finance:series_list")
    return _series_page(request, form, status=400 if form.errors else 200)


@login_required
def series_edit(request, pk: int):
    _require(request, "finance.series.manage")
    series = get_object_or_404(InvoiceSeries, pk=pk)
    initial = {name: getattr(series, name) for name in services.SERIES_FIELDS}
    initial["version"] = series.version
    form = SeriesForm(request.POST or None, initial=initial)
    saved = submit(
        request,
        form,
        lambda values, version: services.series_update(
            actor=request.user, series=series, expected_version=version or 0, **values
        ),
        _("The series was saved."),
    )
    if saved is not None:
        return redirect("finance:series_list")
    return _series_page(request, form, series=series, status=400 if form.errors else 200)


@login_required
def finance_settings(request):
    _require(request, "finance.settings.edit")
    row = FinanceSettings.current()
    initial = {name: getattr(row, name) for name in period_services.SETTINGS_FIELDS}
    initial["version"] = row.version
    form = FinanceSettingsForm(request.POST or None, initial=initial)
    saved = submit(
        request,
        form,
        lambda values, version: period_services.finance_settings_update(
            actor=request.user, expected_version=version or 0, **values
        ),
        _("The settings were saved."),
    )
    if saved is not None:
        return redirect("finance:billing_settings")
    status = 400 if form.errors else 200
    return render(request, "finance/billing/settings.html", {"form": form}, status=status)


@login_required
def period_list(request):
    _require(request, "finance.period.close")
    today = timezone.localdate()
    settings_row = FinanceSettings.current()
    current = period_services.period_of(today, settings_row.close_day)
    start, _end = period_services.period_bounds(current, settings_row.close_day)
    suggested = period_services.period_of(start - timedelta(days=1), settings_row.close_day)
    form = PeriodCloseForm(request.POST or None, initial={"period": suggested})
    closed = submit(
        request,
        form,
        lambda values, _v: period_services.period_close(
            actor=request.user, period=values["period"]
        ),
        _("The period was closed."),
    )
    if closed is not None:
        return redirect("finance:periods")
    context = {
        "form": form,
        "rows": ClosedPeriod.objects.select_related("closed_by"),
        "current": current,
        "close_day": settings_row.close_day,
    }
    return render(
        request, "finance/billing/periods.html", context, status=400 if form.errors else 200
    )


urlpatterns = [
    path("invoices/", invoice_list, name="invoice_list"),
    path("invoices/new/<int:job_pk>/", invoice_new, name="invoice_new"),
    path("invoices/<int:pk>/", invoice_detail, name="invoice_detail"),
    path("invoices/<int:pk>/edit/", invoice_edit, name="invoice_edit"),
    path("invoices/<int:pk>/issue/", invoice_issue, name="invoice_issue"),
    path("invoices/<int:pk>/credit/", invoice_credit, name="invoice_credit"),
    path("invoices/<int:pk>/pay/", invoice_pay, name="invoice_pay"),
    path("invoices/<int:pk>/discard/", invoice_discard, name="invoice_discard"),
    path("invoices/<int:pk>/pdf/", invoice_pdf, name="invoice_pdf"),
    path("retainers/", retainer_list, name="retainer_list"),
    path("retainers/<int:pk>/draft/", retainer_draft, name="retainer_draft"),
    path("series/", series_list, name="series_list"),
    path("series/<int:pk>/", series_edit, name="series_edit"),
    path("billing-settings/", finance_settings, name="billing_settings"),
    path("periods/", period_list, name="periods"),
    *payments.urlpatterns,
    *receivables.urlpatterns,
]
