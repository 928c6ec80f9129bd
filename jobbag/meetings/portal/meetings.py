"""The client's side of meetings in the portal: their company's meetings whose agenda was
sent (or whose topics the agency asked for), and one meeting's agenda, where they propose
a topic until it starts. Staff have no portal (404); another company's meeting does not
exist for a client user (404)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from jobbag.core.errors import DomainError, NotAllowed
from jobbag.core.forms import show_refusal
from jobbag.core.permissions import can
from jobbag.meetings.forms.meetings import TopicForm
from jobbag.meetings.models import Meeting, Side
from jobbag.meetings.selectors import meetings as selectors
from jobbag.meetings.services import meetings as services


def _client(request) -> None:
    if not can(request.user, "portal.view"):
        raise Http404


@login_required
@require_safe
def meeting_list(request):
    _client(request)
    upcoming, past = selectors.portal_meetings(request.user)
    return render(
        request, "meetings/portal/meetings_list.html", {"upcoming": upcoming, "past": past}
    )


def may_propose(meeting: Meeting) -> bool:
    return meeting.status in services.OPEN and meeting.starts_at > timezone.now()


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def meeting_detail(request, pk: int):
    _client(request)
    meeting = selectors.meeting_of(request.user, pk)
    if meeting is None:
        raise Http404
    form = TopicForm(request.POST or None)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                services.meeting_topic_propose(
                    actor=request.user,
                    meeting=meeting,
                    title=form.cleaned_data["title"],
                    details=form.cleaned_data["details"],
                )
            except NotAllowed:
                raise Http404 from None
            except DomainError as refusal:
                show_refusal(form, refusal)
                status = refusal.status
            else:
                messages.success(request, _("Thank you: your topic was added to the agenda."))
                return redirect("portal:meeting_detail", meeting.pk)
    attendees = list(meeting.attendees.all())
    context = {
        "meeting": meeting,
        "agenda": list(meeting.agenda.all()),
        "ours": [a for a in attendees if a.side == Side.AGENCY],
        "theirs": [a for a in attendees if a.side == Side.CLIENT],
        "may_propose": may_propose(meeting),
        "form": form,
    }
    return render(request, "meetings/portal/meetings_detail.html", context, status=status)


urlpatterns = [
    path("meetings/", meeting_list, name="meeting_list"),
    path("meetings/<int:pk>/", meeting_detail, name="meeting_detail"),
]
