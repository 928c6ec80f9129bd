"""The client's actions in the portal: their company's open and done actions (never one
in a report not yet sent), and closing one on their own side. Staff have no portal
(404); another company's action does not exist for a client user (404)."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from jobbag.core.forms import act
from jobbag.core.permissions import can
from jobbag.meetings.models import Action, Side
from jobbag.meetings.selectors.actions import portal_actions
from jobbag.meetings.services import actions as services

DONE_SHOWN = 30


def _company(request) -> int:
    if not can(request.user, "portal.view") or not can(request.user, "meetings.action.portal"):
        raise Http404
    return request.user.company_id


@login_required
@require_safe
def action_list(request):
    company_id = _company(request)
    rows = portal_actions(company_id)
    open_rows = list(rows.filter(status=Action.Status.OPEN).order_by("due_on", "pk"))
    done = list(rows.filter(status=Action.Status.DONE).order_by("-closed_at", "-pk")[:DONE_SHOWN])
    context = {
        "ours": [a for a in open_rows if a.side == Side.CLIENT],
        "agency": [a for a in open_rows if a.side == Side.AGENCY],
        "done": done,
        "today": timezone.localdate(),
    }
    return render(request, "meetings/portal/actions_list.html", context)


@login_required
@require_POST
def action_close(request, pk: int):
    company_id = _company(request)
    action = portal_actions(company_id).filter(pk=pk).first()
    if action is None:
        raise Http404
    if not can(request.user, "meetings.action.close", action):
        raise PermissionDenied
    act(
        request,
        lambda: services.action_close(
            actor=request.user, action=action, note=request.POST.get("note", "")
        ),
        _("The action was marked done."),
    )
    return redirect("portal:action_list")


urlpatterns = [
    path("actions/", action_list, name="action_list"),
    path("actions/<int:pk>/close/", action_close, name="action_close"),
]
