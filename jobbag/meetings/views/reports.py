"""Pages of contact reports (客户会议报告): the list, writing one from a meeting or a
call, editing a draft (decisions and actions as rows), sending it, addenda, the PDF."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from jobbag.core.audit import history_for
from jobbag.core.errors import Conflict, DomainError, NotAllowed
from jobbag.core.forms import act, show_refusal, submit
from jobbag.core.pdf import pdf_response
from jobbag.core.permissions import can
from jobbag.meetings.forms.reports import (
    ActionFormSet,
    AddendumForm,
    DecisionFormSet,
    ReportCreateForm,
    ReportFilterForm,
    ReportForm,
    active_staff,
    client_contacts,
)
from jobbag.meetings.models import ContactReport, Meeting, Side
from jobbag.meetings.permissions.common import sees_company
from jobbag.meetings.selectors import reports as selectors
from jobbag.meetings.services import reports as services

PAGE_SIZE = 25
WRITE = "meetings.report.write"


def _report(request, pk: int) -> ContactReport:
    report = selectors.report_for(request.user, pk)
    if report is None:
        raise Http404
    return report


def _require_view(request) -> None:
    if not can(request.user, "meetings.report.view"):
        raise Http404


@login_required
@require_http_methods(["GET", "HEAD"])
def report_list(request):
    _require_view(request)
    form = ReportFilterForm(request.GET or None, user=request.user)
    reports = selectors.reports_for(request.user, **form.filters())
    page = Paginator(reports, PAGE_SIZE).get_page(request.GET.get("page"))
    params = request.GET.copy()
    params.pop("page", None)
    encoded = params.urlencode()
    now = timezone.now()
    context = {
        "form": form,
        "page_obj": page,
        "rows": [(report, services.is_late(report, now)) for report in page],
        "querystring_without_page": f"{encoded}&" if encoded else "",
        "can_create": can(request.user, WRITE),
    }
    return render(request, "meetings/reports/list.html", context)


def _meeting(request, meeting_id) -> Meeting:
    try:
        meeting_id = int(meeting_id)
    except (TypeError, ValueError):
        raise Http404 from None
    meeting = (
        Meeting.objects.select_related("company", "job")
        .prefetch_related("attendees__user", "attendees__contact")
        .filter(pk=meeting_id)
        .first()
    )
    if meeting is None or not sees_company(request.user, meeting.company_id):
        raise Http404
    if not can(request.user, WRITE, meeting.company):
        raise PermissionDenied
    return meeting


def _create_from_meeting(request, meeting_id):
    meeting = _meeting(request, meeting_id)
    existing = ContactReport.objects.filter(meeting=meeting).first()
    error = ""
    status = 200
    if request.method == "POST":
        try:
            report = services.report_create(actor=request.user, meeting=meeting)
        except NotAllowed as refusal:
            raise PermissionDenied from refusal
        except DomainError as refusal:
            error = str(refusal.message)
            status = 409 if isinstance(refusal, Conflict) else 400
            existing = ContactReport.objects.filter(meeting=meeting).first()
        else:
            messages.success(request, _("The contact report was started: write it and send it."))
            return redirect("meetings:report_edit", report.pk)
    elif existing is not None:
        error = str(services.ALREADY_REPORTED)
    context = {
        "meeting": meeting,
        "attendees": list(meeting.attendees.all()),
        "existing": existing,
        "error": error,
        "due_at": services.due_at_for(meeting.ends_at),
    }
    return render(request, "meetings/reports/create_meeting.html", context, status=status)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def report_create(request):
    """A report of the meeting `?meeting=<id>` (prefilled from it), or of a phone call
    or other contact."""
    meeting_id = request.GET.get("meeting") or request.POST.get("meeting")
    if meeting_id:
        return _create_from_meeting(request, meeting_id)
    if not can(request.user, WRITE):
        raise PermissionDenied
    initial = {"source": ContactReport.Source.PHONE, "staff": [request.user.pk]}
    form = ReportCreateForm(request.POST or None, user=request.user, initial=initial)
    report = submit(
        request,
        form,
        lambda values, _version: services.report_create(actor=request.user, **values),
        _("The contact report was started: write it and send it."),
    )
    if report is not None:
        return redirect("meetings:report_edit", report.pk)
    context = {"form": form}
    return render(
        request, "meetings/reports/create.html", context, status=400 if form.errors else 200
    )


def _detail_context(request, report: ContactReport) -> dict:
    actions = list(report.actions.all())
    receipts = list(report.receipts.all())
    return {
        "report": report,
        "late": services.is_late(report),
        "decisions": list(report.decisions.all()),
        "actions": actions,
        "receipts": receipts,
        "acknowledged": sum(1 for r in receipts if r.acknowledged_at),
        "addenda": list(report.addenda.all()),
        "staff_recipients": list(report.staff_recipients.all()),
        "can_write": can(request.user, WRITE, report),
        "addendum_form": AddendumForm(),
        "history": history_for(report)[:50],
    }


@login_required
@require_http_methods(["GET", "HEAD"])
def report_detail(request, pk: int):
    return render(
        request, "meetings/reports/detail.html", _detail_context(request, _report(request, pk))
    )


def _action_initial(report: ContactReport) -> list[dict]:
    return [
        {
            "text": action.text,
            "side": action.side,
            "owner": action.owner_id,
            "owner_contact": action.owner_contact_id,
            "due_on": action.due_on,
        }
        for action in report.actions.all()
    ]


def _apply_refusal(form, decisions, actions, action_rows: list[int], error: DomainError) -> None:
    """The service's refusal onto the forms: action errors onto their row."""
    others = {}
    for field, message in error.fields.items():
        if field.startswith("actions."):
            _, index, name = field.split(".", 2)
            row = actions.forms[action_rows[int(index)]]
            row.add_error(name if name in row.fields else None, str(message))
        else:
            others[field] = message
    show_refusal(form, DomainError(error.message, fields=others))


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def report_edit(request, pk: int):
    """A draft's subject, people, discussion, decisions and actions. A sent report is
    refused (by the service, as through the API)."""
    report = _report(request, pk)
    if not can(request.user, WRITE, report):
        raise PermissionDenied
    if report.is_sent and request.method != "POST":
        messages.error(request, str(services.SENT_NO_EDIT))
        return redirect("meetings:report_detail", report.pk)
    staff = active_staff()
    contacts = client_contacts(report)
    kwargs = {"form_kwargs": {"staff": staff, "contacts": contacts}}
    data = request.POST if request.method == "POST" else None
    initial = {
        "subject": report.subject,
        "place": report.place,
        "discussion": report.discussion,
        "staff": [u.pk for u in report.staff.all()],
        "contacts": [c.pk for c in report.contacts.all()],
        "version": report.version,
    }
    form = ReportForm(data, report=report, initial=initial)
    decisions = DecisionFormSet(
        data, prefix="decisions", initial=[{"text": d.text} for d in report.decisions.all()]
    )
    actions = ActionFormSet(data, prefix="actions", initial=_action_initial(report), **kwargs)
    status = 200
    if data is not None:
        status = 400
        if form.is_valid() and decisions.is_valid() and actions.is_valid():
            action_rows = [i for i, row in enumerate(actions.forms) if not row.is_blank()]
            values = dict(form.cleaned_data)
            version = values.pop("version", None)
            try:
                services.report_update(
                    actor=request.user,
                    report=report,
                    expected_version=version or 0,
                    decisions=[row.cleaned_data.get("text") for row in decisions.forms],
                    actions=[actions.forms[i].cleaned_data for i in action_rows],
                    **values,
                )
            except NotAllowed as refusal:
                raise PermissionDenied from refusal
            except DomainError as refusal:
                _apply_refusal(form, decisions, actions, action_rows, refusal)
                status = 409 if isinstance(refusal, Conflict) else 400
            else:
                messages.success(request, _("The contact report was saved."))
                if "more" in request.POST:
                    return redirect("meetings:report_edit", report.pk)
                return redirect("meetings:report_detail", report.pk)
        elif report.is_sent:
            # Whatever was posted, a sent report is not edited: say so first.
            form.add_error(None, str(services.SENT_NO_EDIT))
    context = {
        "report": report,
        "form": form,
        "decisions": decisions,
        "actions": actions,
        "sides": Side,
    }
    return render(request, "meetings/reports/edit.html", context, status=status)


@login_required
@require_POST
def report_send(request, pk: int):
    report = _report(request, pk)
    act(
        request,
        lambda: services.report_send(actor=request.user, report=report),
        _("The contact report was sent with its PDF."),
    )
    return redirect("meetings:report_detail", report.pk)


@login_required
@require_POST
def report_addendum(request, pk: int):
    report = _report(request, pk)
    form = AddendumForm(request.POST)
    form.is_valid()
    text = form.cleaned_data.get("text", "")
    act(
        request,
        lambda: services.addendum_add(actor=request.user, report=report, text=text),
        _("The addendum was added and sent with the report."),
    )
    return redirect(reverse("meetings:report_detail", args=[report.pk]) + "#addenda")


@login_required
@require_http_methods(["GET", "HEAD"])
def report_pdf(request, pk: int):
    report = _report(request, pk)
    return pdf_response(services.report_pdf(report), services.pdf_filename(report))


urlpatterns = [
    path("reports/", report_list, name="report_list"),
    path("reports/new/", report_create, name="report_create"),
    path("reports/<int:pk>/", report_detail, name="report_detail"),
    path("reports/<int:pk>/edit/", report_edit, name="report_edit"),
    path("reports/<int:pk>/send/", report_send, name="report_send"),
    path("reports/<int:pk>/addenda/", report_addendum, name="report_addendum"),
    path("reports/<int:pk>/pdf/", report_pdf, name="report_pdf"),
]
