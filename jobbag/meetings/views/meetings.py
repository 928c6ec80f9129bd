"""Pages of meetings: the list (upcoming and past, by client), scheduling and editing a
meeting with its attendees and agenda, and one meeting with its checklist and actions
(send the agenda, ask the client for topics, mark held, cancel)."""

import functools

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from jobbag.core.audit import history_for
from jobbag.core.forms import act, submit
from jobbag.core.memo import remembered
from jobbag.core.permissions import can, visible
from jobbag.jobs.models import Job
from jobbag.meetings.forms.meetings import (
    CancelForm,
    ChecklistItemForm,
    CompanyPickForm,
    FilterForm,
    MeetingForm,
    VersionForm,
    meeting_initial,
    person_value,
)
from jobbag.meetings.models import Meeting, MeetingSettings, Side
from jobbag.meetings.permissions.meetings import may_work_on
from jobbag.meetings.selectors import meetings as selectors
from jobbag.meetings.services import meetings as services

VIEW = "meetings.meeting.view"
EDIT = "meetings.meeting.edit"
PAGE_SIZE = 25


def remembering(view):
    """Reads the clients the user sees once for the whole request (see
    permissions.meetings.remembered)."""

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        with remembered(request.user):
            return view(request, *args, **kwargs)

    return wrapper


def _meeting(request, pk: int) -> Meeting:
    """The meeting with its details if the user may see it; 404 otherwise."""
    meeting = selectors.meeting_of(request.user, pk)
    if meeting is None:
        raise Http404
    return meeting


def _detail_url(meeting: Meeting) -> str:
    return reverse("meetings:meeting_detail", args=[meeting.pk])


@login_required
@remembering
def meeting_list(request):
    """Upcoming meetings soonest first, or past ones latest first; by client; paged."""
    if not can(request.user, VIEW):
        raise Http404
    when = selectors.PAST if request.GET.get("when") == selectors.PAST else selectors.UPCOMING
    form = FilterForm(request.GET or None, companies=selectors.companies_for(request.user))
    company = form.chosen_company()
    meetings = selectors.meetings_for(request.user, company=company, when=when)
    page = Paginator(meetings, PAGE_SIZE).get_page(request.GET.get("page"))
    page.object_list = selectors.flag(page.object_list)
    params = request.GET.copy()
    params.pop("page", None)
    encoded = params.urlencode()
    params.pop("when", None)
    context = {
        "form": form,
        "page_obj": page,
        "when": when,
        "querystring_without_page": f"{encoded}&" if encoded else "",
        "filter_query": params.urlencode(),
        "can_create": can(request.user, EDIT),
    }
    return render(request, "meetings/meetings/list.html", context)


def _company_for_new(request):
    """The client of the meeting being scheduled (from ?company= or ?job=), or None while
    the user has not chosen; 404 for a client they do not work on."""
    companies = selectors.companies_for(request.user)
    job_id = request.GET.get("job", "")
    if job_id.isdigit():
        job = visible(request.user, Job.objects.filter(pk=job_id)).select_related("company").first()
        if job is None or not may_work_on(request.user, job.company_id):
            raise Http404
        return job.company, job
    company_id = request.GET.get("company", "")
    if not company_id.isdigit():
        return None, None
    company = companies.filter(pk=company_id).first()
    if company is None or not may_work_on(request.user, company.pk):
        raise Http404
    return company, None


@login_required
@remembering
def meeting_create(request):
    if not can(request.user, EDIT):
        raise PermissionDenied
    company, job = _company_for_new(request)
    if company is None:
        # Whoever may schedule at all works on every client they see in full.
        pick = CompanyPickForm(companies=selectors.companies_for(request.user))
        context = {"pick": pick, "title": _("New meeting")}
        return render(request, "meetings/meetings/pick_client.html", context)
    form = MeetingForm(
        request.POST or None,
        company=company,
        initial={"kind": Meeting.Kind.CLIENT, "job": job.pk if job else None},
        attendees=[{"person": person_value(user=request.user)}],
    )
    meeting = submit(
        request,
        form,
        lambda values, _version: services.meeting_create(
            actor=request.user, company=company, **values
        ),
        _("The meeting was scheduled."),
    )
    if meeting is not None:
        return redirect("meetings:meeting_detail", meeting.pk)
    context = {
        "form": form,
        "company": company,
        "title": _("New meeting"),
        "back": reverse("meetings:meeting_list"),
    }
    status = 400 if request.method == "POST" else 200
    return render(request, "meetings/meetings/form.html", context, status=status)


@login_required
@remembering
def meeting_edit(request, pk: int):
    meeting = _meeting(request, pk)
    if not can(request.user, EDIT, meeting):
        raise PermissionDenied
    if meeting.status not in services.OPEN:
        messages.error(request, str(services.NOT_OPEN))
        return redirect("meetings:meeting_detail", meeting.pk)
    initial, attendees, agenda = meeting_initial(meeting)
    form = MeetingForm(
        request.POST or None,
        company=meeting.company,
        meeting=meeting,
        initial=initial,
        attendees=attendees,
        agenda=agenda,
    )
    saved = submit(
        request,
        form,
        lambda values, version: services.meeting_update(
            actor=request.user, meeting=meeting, expected_version=version or 0, **values
        ),
        _("The meeting was saved."),
    )
    if saved is not None:
        if saved.agenda_changed_at:
            messages.warning(request, _("The agenda changed after it was sent: send it again."))
        return redirect("meetings:meeting_detail", meeting.pk)
    has_errors = request.method == "POST"
    context = {
        "form": form,
        "company": meeting.company,
        "meeting": meeting,
        "title": _("Edit the meeting"),
        "back": _detail_url(meeting),
    }
    status = 400 if has_errors else 200
    return render(request, "meetings/meetings/form.html", context, status=status)


def _report_create_url(meeting: Meeting) -> str:
    try:
        return reverse("meetings:report_create") + f"?meeting={meeting.pk}"
    except NoReverseMatch:
        return ""


@login_required
@remembering
def meeting_detail(request, pk: int):
    meeting = _meeting(request, pk)
    attendees = list(meeting.attendees.all())
    lead = MeetingSettings.current().agenda_lead_hours
    now = timezone.now()
    is_open = meeting.status in services.OPEN
    can_edit = can(request.user, EDIT, meeting)
    context = {
        "meeting": meeting,
        "ours": [a for a in attendees if a.side == Side.AGENCY],
        "theirs": [a for a in attendees if a.side == Side.CLIENT],
        "agenda": list(meeting.agenda.all()),
        "checklist": list(meeting.checklist.all()),
        "can_edit": can_edit,
        "is_open": is_open,
        "started": meeting.starts_at <= now,
        "agenda_overdue": selectors.agenda_overdue(meeting, lead, now),
        "lead_hours": lead,
        "report_create_url": _report_create_url(meeting) if can_edit else "",
        "history": history_for(meeting)[:50],
    }
    return render(request, "meetings/meetings/detail.html", context)


def _editable(request, pk: int) -> Meeting:
    meeting = _meeting(request, pk)
    if not can(request.user, EDIT, meeting):
        raise PermissionDenied
    return meeting


def _act(request, meeting: Meeting, call, success: str, *, anchor: str = ""):
    # Refused: nothing changed; the page says why.
    act(request, call, success)
    return redirect(_detail_url(meeting) + anchor)


def _version(request) -> int:
    """The version the page showed; -1 (always stale) when missing or malformed."""
    form = VersionForm(request.POST)
    return form.cleaned_data["version"] if form.is_valid() else -1


@login_required
@remembering
@require_POST
def meeting_send_agenda(request, pk: int):
    meeting = _editable(request, pk)
    success = (
        _("The updated agenda was sent again to every attendee.")
        if meeting.agenda_sent_at
        else _("The agenda was sent to every attendee.")
    )
    version = _version(request)
    return _act(
        request,
        meeting,
        lambda: services.agenda_send(actor=request.user, meeting=meeting, expected_version=version),
        success,
    )


@login_required
@remembering
@require_POST
def meeting_request_topics(request, pk: int):
    meeting = _editable(request, pk)
    version = _version(request)
    return _act(
        request,
        meeting,
        lambda: services.meeting_topics_request(
            actor=request.user, meeting=meeting, expected_version=version
        ),
        _("The client was asked for their topics in the portal."),
    )


@login_required
@remembering
@require_POST
def meeting_held(request, pk: int):
    meeting = _editable(request, pk)
    version = _version(request)
    return _act(
        request,
        meeting,
        lambda: services.meeting_mark_held(
            actor=request.user, meeting=meeting, expected_version=version
        ),
        _("The meeting is marked as held. Write the contact report within 24 hours."),
    )


@login_required
@remembering
@require_POST
def meeting_cancel(request, pk: int):
    meeting = _editable(request, pk)
    form = CancelForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            messages.error(request, " ".join(errors))
        return redirect(_detail_url(meeting))
    data = form.cleaned_data
    return _act(
        request,
        meeting,
        lambda: services.meeting_cancel(
            actor=request.user,
            meeting=meeting,
            reason=data["reason"],
            expected_version=-1 if data["version"] is None else data["version"],
        ),
        _("The meeting was cancelled."),
    )


@login_required
@remembering
@require_POST
def meeting_checklist(request, pk: int, item_pk: int):
    meeting = _editable(request, pk)
    item = next((i for i in meeting.checklist.all() if i.pk == item_pk), None)
    if item is None:
        raise Http404
    form = ChecklistItemForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            messages.error(request, " ".join(errors))
        return redirect(_detail_url(meeting) + "#checklist")
    data = form.cleaned_data
    return _act(
        request,
        meeting,
        lambda: services.meeting_checklist_update(
            actor=request.user, item=item, done=data["done"], link=data["link"], note=data["note"]
        ),
        _("The checklist was saved: %(item)s.") % {"item": item.get_kind_display()},
        anchor="#checklist",
    )


urlpatterns = [
    path("", meeting_list, name="meeting_list"),
    path("new/", meeting_create, name="meeting_create"),
    path("<int:pk>/", meeting_detail, name="meeting_detail"),
    path("<int:pk>/edit/", meeting_edit, name="meeting_edit"),
    path("<int:pk>/send-agenda/", meeting_send_agenda, name="meeting_send_agenda"),
    path("<int:pk>/request-topics/", meeting_request_topics, name="meeting_request_topics"),
    path("<int:pk>/held/", meeting_held, name="meeting_held"),
    path("<int:pk>/cancel/", meeting_cancel, name="meeting_cancel"),
    path("<int:pk>/checklist/<int:item_pk>/", meeting_checklist, name="meeting_checklist"),
]
