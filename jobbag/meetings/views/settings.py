"""The meetings settings page (administrators)."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _

from jobbag.core.audit import history_for
from jobbag.core.forms import submit
from jobbag.core.permissions import can
from jobbag.meetings.forms.settings import MeetingSettingsForm
from jobbag.meetings.models import MeetingSettings
from jobbag.meetings.services import settings as services


@login_required
def meeting_settings(request):
    if not can(request.user, "meetings.settings.edit"):
        raise PermissionDenied
    current = MeetingSettings.current()
    initial = {name: getattr(current, name) for name in services.FIELDS}
    form = MeetingSettingsForm(
        request.POST or None, initial={**initial, "version": current.version}
    )
    saved = submit(
        request,
        form,
        lambda values, version: services.meeting_settings_update(
            actor=request.user, expected_version=version, **values
        ),
        _("Meeting and report settings saved."),
    )
    if saved is not None:
        return redirect("meetings:settings")
    context = {"form": form, "history": history_for(current)[:20]}
    return render(request, "meetings/settings.html", context, status=400 if form.errors else 200)


urlpatterns = [path("settings/", meeting_settings, name="settings")]
