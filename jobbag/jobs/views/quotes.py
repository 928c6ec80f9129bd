"""Pages of the job chain: quotes. The quotes panel on the job page, the quote editor
(lines with htmx, taxes, totals, sign-off), the printable PDF and the prepayment forms.

Whoever may edit the job changes its quotes; whoever may view it reads them; anyone else
gets 404."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from jobbag.approvals.models import SignoffStatus
from jobbag.core.errors import Conflict, DomainError, NotAllowed
from jobbag.core.forms import show_refusal
from jobbag.core.pdf import pdf_response, render_pdf
from jobbag.core.permissions import can, visible
from jobbag.finance.models import RateItem, TaxProfile
from jobbag.finance.selectors.reference import rate_card_for
from jobbag.jobs.forms.quotes import (
    PrepaymentRecordForm,
    PrepaymentRequireForm,
    QuoteForm,
    QuoteLineForm,
)
from jobbag.jobs.models import Job, QuoteLine, QuoteVersion
from jobbag.jobs.panels import JobPanel, register
from jobbag.jobs.selectors import quotes as selectors
from jobbag.jobs.services import quotes as services

EDITOR = "jobs-quote-editor"


def _quote(request, pk: int) -> QuoteVersion:
    """The quote version if the user may see its job; 404 for anything else."""
    quote = selectors.quote_for(request.user, pk)
    if quote is None or not can(request.user, "jobs.quote.view", quote.job):
        raise Http404
    return quote


def _editable_quote(request, pk: int) -> QuoteVersion:
    quote = _quote(request, pk)
    if not can(request.user, "jobs.quote.edit", quote.job):
        raise PermissionDenied
    return quote


def _job(request, pk: int) -> Job:
    job = visible(request.user, Job.objects.select_related("company")).filter(pk=pk).first()
    if job is None or not can(request.user, "jobs.job.view", job):
        raise Http404
    return job


def _status(error: DomainError) -> int:
    return 409 if isinstance(error, Conflict) else 400


def _new_version_allowed(latest: QuoteVersion | None) -> bool:
    return latest is None or latest.signoff_status in {
        SignoffStatus.RETURNED,
        SignoffStatus.REJECTED,
    }


# The panel on the job page ----------------------------------------------------------------


def panel_context(request, job: Job) -> dict | None:
    if not can(request.user, "jobs.quote.view", job):
        return None
    quotes = selectors.quotes_of(job)
    can_edit = can(request.user, "jobs.quote.edit", job)
    latest = quotes[0] if quotes else None
    return {
        "job": job,
        "quotes": quotes,
        "can_edit": can_edit,
        "can_new_version": can_edit and _new_version_allowed(latest),
        "can_record_prepayment": job.prepayment_required is not None
        and job.prepayment_received_on is None
        and can(request.user, "jobs.prepayment.record", job),
        "prepayment_form": PrepaymentRequireForm(initial={"amount": job.prepayment_required}),
        "received_form": PrepaymentRecordForm(),
    }


register(
    JobPanel(
        key="quotes",
        title=gettext_lazy("Quotes"),
        template="jobs/_quotes_panel.html",
        context=panel_context,
        order=30,
    )
)


# The quote editor -------------------------------------------------------------------------


def _rate_items(quote: QuoteVersion):
    card = rate_card_for(quote.job.company_id, quote.currency)
    return RateItem.objects.filter(pk__in=[item.pk for item in card]).order_by("code")


def _tax_profiles(quote: QuoteVersion):
    return TaxProfile.objects.filter(Q(is_active=True) | Q(pk=quote.tax_profile_id)).order_by(
        "-is_default", "code"
    )


def _quote_form(quote: QuoteVersion, data=None) -> QuoteForm:
    initial = {
        "tax_profile": quote.tax_profile_id,
        "valid_until": quote.valid_until,
        "notes": quote.notes,
        "client_feedback": quote.client_feedback,
        "version": quote.version,
    }
    return QuoteForm(data, initial=initial, tax_profiles=_tax_profiles(quote))


def _line_form(quote: QuoteVersion, data=None, line: QuoteLine | None = None) -> QuoteLineForm:
    initial = {"version": quote.version, "kind": QuoteLine.Kind.TIME}
    if line is not None:
        initial.update(
            kind=line.kind,
            rate_item=line.rate_item_id,
            description=line.description,
            quantity=line.quantity,
            unit_price=line.unit_price,
            markup_percent=line.markup_percent,
        )
    form = QuoteLineForm(data, initial=initial, rate_items=_rate_items(quote))
    prefix = f"line-{line.pk}" if line else "new-line"
    form.auto_id = f"id_{prefix}_%s"
    return form


def _editor_context(
    request, quote: QuoteVersion, *, line_form=None, quote_form=None, edit=None
) -> dict:
    """What the editor section shows; `edit` is (line, form) for a line being changed."""
    can_edit = can(request.user, "jobs.quote.edit", quote.job)
    editable = can_edit and quote.signoff_status == SignoffStatus.DRAFT
    approvals = selectors.approvals_by_quote([quote.pk])
    context = {
        "quote": quote,
        "job": quote.job,
        "lines": list(selectors.lines_of(quote)),
        "can_edit": can_edit,
        "editable": editable,
        "approval": approvals.get(quote.pk),
        "edit_line": edit[0] if edit else None,
        "edit_form": edit[1] if edit else None,
    }
    if editable:
        context["line_form"] = line_form or _line_form(quote)
        context["quote_form"] = quote_form or _quote_form(quote)
    return context


def _page(request, quote: QuoteVersion, *, status=200, **forms):
    context = _editor_context(request, quote, **forms)
    previous = (
        QuoteVersion.objects.filter(job_id=quote.job_id, number__lt=quote.number)
        .order_by("-number")
        .first()
    )
    latest = selectors.latest_quote(quote.job)
    context.update(
        previous=previous,
        can_new_version=context["can_edit"]
        and latest is not None
        and latest.pk == quote.pk
        and _new_version_allowed(latest),
    )
    return render(request, "jobs/quotes_detail.html", context, status=status)


def _editor(request, quote: QuoteVersion, **forms):
    """The editor section alone (htmx answers). A refusal is shown in it and answers 200,
    because htmx swaps only 2xx answers."""
    fresh = selectors.quote_for(request.user, quote.pk) or quote
    return render(request, "jobs/_quotes_editor.html", _editor_context(request, fresh, **forms))


def _after_change(request, quote: QuoteVersion, message: str):
    if request.htmx:
        return _editor(request, quote)
    messages.success(request, message)
    return redirect("jobs:quote_detail", quote.pk)


def _refused(request, quote, form, error: DomainError | None, key: str, edit_line=None):
    """The editor again with the form's errors (a refusal of the service, or the form's
    own when `error` is None)."""
    if error is not None:
        show_refusal(form, error)
    forms = {"edit": (edit_line, form)} if edit_line else {key: form}
    if request.htmx:
        return _editor(request, quote, **forms)
    fresh = selectors.quote_for(request.user, quote.pk) or quote
    status = _status(error) if error is not None else 400
    return _page(request, fresh, status=status, **forms)


@login_required
def quote_detail(request, pk: int):
    return _page(request, _quote(request, pk))


def _line_values(form: QuoteLineForm) -> tuple[dict, int | None]:
    values = dict(form.cleaned_data)
    version = values.pop("version", None)
    if values.get("markup_percent") is None:
        values["markup_percent"] = 0
    return values, version


@login_required
@require_POST
def quote_line_add(request, pk: int):
    quote = _editable_quote(request, pk)
    form = _line_form(quote, request.POST)
    if not form.is_valid():
        return _refused(request, quote, form, None, "line_form")
    values, version = _line_values(form)
    try:
        services.quote_line_add(actor=request.user, quote=quote, expected_version=version, **values)
    except NotAllowed as error:
        raise PermissionDenied from error
    except DomainError as error:
        return _refused(request, quote, form, error, "line_form")
    return _after_change(request, quote, _("Line added."))


@login_required
def quote_line_edit(request, pk: int, line_pk: int):
    quote = _editable_quote(request, pk)
    line = get_object_or_404(QuoteLine, pk=line_pk, quote=quote)
    if request.method != "POST":
        form = _line_form(quote, line=line)
        if request.htmx:
            return _editor(request, quote, edit=(line, form))
        return _page(request, quote, edit=(line, form))
    form = _line_form(quote, request.POST, line=line)
    if not form.is_valid():
        return _refused(request, quote, form, None, "edit", edit_line=line)
    values, version = _line_values(form)
    try:
        services.quote_line_update(
            actor=request.user, line=line, expected_version=version, **values
        )
    except NotAllowed as error:
        raise PermissionDenied from error
    except DomainError as error:
        return _refused(request, quote, form, error, "edit", edit_line=line)
    return _after_change(request, quote, _("Line saved."))


@login_required
@require_POST
def quote_line_remove(request, pk: int, line_pk: int):
    quote = _editable_quote(request, pk)
    line = get_object_or_404(QuoteLine, pk=line_pk, quote=quote)
    version = request.POST.get("version")
    try:
        services.quote_line_remove(
            actor=request.user,
            line=line,
            expected_version=int(version) if version and version.isdigit() else None,
        )
    except NotAllowed as error:
        raise PermissionDenied from error
    except DomainError as error:
        if request.htmx:
            context = _editor_context(request, quote)
            context["editor_error"] = str(error.message)
            return render(request, "jobs/_quotes_editor.html", context)
        messages.error(request, str(error.message))
        return redirect("jobs:quote_detail", quote.pk)
    return _after_change(request, quote, _("Line removed."))


@login_required
@require_POST
def quote_edit(request, pk: int):
    quote = _editable_quote(request, pk)
    form = _quote_form(quote, request.POST)
    if not form.is_valid():
        return _refused(request, quote, form, None, "quote_form")
    values = dict(form.cleaned_data)
    version = values.pop("version", None)
    try:
        services.quote_update(
            actor=request.user, quote=quote, expected_version=version or 0, **values
        )
    except NotAllowed as error:
        raise PermissionDenied from error
    except DomainError as error:
        return _refused(request, quote, form, error, "quote_form")
    return _after_change(request, quote, _("Quote saved."))


@login_required
@require_POST
def quote_submit(request, pk: int):
    quote = _editable_quote(request, pk)
    try:
        services.quote_submit(actor=request.user, quote=quote)
    except NotAllowed as error:
        raise PermissionDenied from error
    except DomainError as error:
        messages.error(request, str(error.message))
        return redirect("jobs:quote_detail", quote.pk)
    messages.success(request, _("The quote was sent for sign-off."))
    return redirect("jobs:quote_detail", quote.pk)


@login_required
@require_POST
def quote_new(request, job_pk: int):
    job = _job(request, job_pk)
    if not can(request.user, "jobs.quote.edit", job):
        raise PermissionDenied
    try:
        quote = services.quote_create(actor=request.user, job=job)
    except NotAllowed as error:
        raise PermissionDenied from error
    except DomainError as error:
        messages.error(request, str(error.message))
        latest = selectors.latest_quote(job)
        if latest is not None:
            return redirect("jobs:quote_detail", latest.pk)
        return redirect("jobs:detail", job.pk)
    messages.success(request, _("Quote version %(number)s made.") % {"number": quote.number})
    return redirect("jobs:quote_detail", quote.pk)


@login_required
def quote_pdf(request, pk: int):
    quote = _quote(request, pk)
    content = render_pdf("jobs/pdf/quote.html", selectors.pdf_context(quote))
    filename = f"quote-{quote.job.number or quote.job_id}-V{quote.number}.pdf"
    return pdf_response(content, filename)


# Prepayment -------------------------------------------------------------------------------


@login_required
@require_POST
def prepayment_require(request, job_pk: int):
    job = _job(request, job_pk)
    if not can(request.user, "jobs.quote.edit", job):
        raise PermissionDenied
    form = PrepaymentRequireForm(request.POST)
    try:
        if not form.is_valid():
            raise DomainError(next(iter(form.errors.values()))[0])
        services.job_prepayment_require(
            actor=request.user, job=job, amount=form.cleaned_data["amount"]
        )
    except NotAllowed as error:
        raise PermissionDenied from error
    except DomainError as error:
        message = error.fields.get("amount", error.message)
        messages.error(request, str(message))
    else:
        messages.success(request, _("Prepayment requirement saved."))
    return redirect(f"{job_url(job)}#quotes")


@login_required
@require_POST
def prepayment_record(request, job_pk: int):
    job = _job(request, job_pk)
    if not can(request.user, "jobs.prepayment.record", job):
        raise PermissionDenied
    form = PrepaymentRecordForm(request.POST)
    try:
        if not form.is_valid():
            raise DomainError(next(iter(form.errors.values()))[0])
        services.job_prepayment_record(
            actor=request.user, job=job, received_on=form.cleaned_data["received_on"]
        )
    except NotAllowed as error:
        raise PermissionDenied from error
    except DomainError as error:
        message = error.fields.get("received_on", error.message)
        messages.error(request, str(message))
    else:
        messages.success(request, _("Prepayment recorded as received."))
    return redirect(f"{job_url(job)}#quotes")


def job_url(job: Job) -> str:
    return reverse("jobs:detail", args=[job.pk])


def render_panel(request, job: Job) -> str:
    """The panel alone, as the job page renders it (for tests and htmx refreshes)."""
    context = panel_context(request, job)
    if context is None:
        return ""
    return render_to_string("jobs/_quotes_panel.html", context, request=request)


urlpatterns = [
    path("quotes/<int:pk>/", quote_detail, name="quote_detail"),
    path("quotes/<int:pk>/edit/", quote_edit, name="quote_edit"),
    path("quotes/<int:pk>/lines/", quote_line_add, name="quote_line_add"),
    path("quotes/<int:pk>/lines/<int:line_pk>/", quote_line_edit, name="quote_line_edit"),
    path(
        "quotes/<int:pk>/lines/<int:line_pk>/remove/",
        quote_line_remove,
        name="quote_line_remove",
    ),
    path("quotes/<int:pk>/submit/", quote_submit, name="quote_submit"),
    path("quotes/<int:pk>/pdf/", quote_pdf, name="quote_pdf"),
    path("<int:job_pk>/quotes/new/", quote_new, name="quote_new"),
    path("<int:job_pk>/prepayment/", prepayment_require, name="prepayment_require"),
    path("<int:job_pk>/prepayment/received/", prepayment_record, name="prepayment_record"),
]
