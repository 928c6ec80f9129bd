"""Hourly sweep of meetings: the agenda is due and has not gone out."""

from datetime import datetime, timedelta

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jobbag.core.notifications import notify
from jobbag.core.sweeps import hourly
from jobbag.meetings.models import Meeting, MeetingSettings

AGENDA_DUE = _(
    "The agenda of “%(purpose)s” (%(client)s, %(when)s) has not been sent: it was due "
    "%(hours)s hours before the start."
)


def agenda_due(now: datetime, lead_hours: int):
    """Planned meetings, not yet started, whose agenda has not gone out although the
    lead time before their start has been reached, and whose organiser was not told."""
    return Meeting.objects.filter(
        status=Meeting.Status.PLANNED,
        agenda_sent_at__isnull=True,
        agenda_reminded_at__isnull=True,
        starts_at__gt=now,
        starts_at__lte=now + timedelta(hours=lead_hours),
    ).select_related("company", "organizer")


@hourly("meetings.agenda_due")
def remind_agenda_due(now: datetime | None = None) -> int:
    """Tells each such meeting's organiser once (in Jobbag and by e-mail). Idempotent: the
    meeting is marked when told, and a second run skips it."""
    now = now or timezone.now()
    lead = MeetingSettings.current().agenda_lead_hours
    told = 0
    for meeting in agenda_due(now, lead).select_for_update(of=("self",)):
        marked = Meeting.objects.filter(pk=meeting.pk, agenda_reminded_at__isnull=True).update(
            agenda_reminded_at=now
        )
        if not marked:
            continue
        values = {
            "purpose": meeting.purpose,
            "client": meeting.company,
            "when": f"{timezone.localtime(meeting.starts_at):%Y-%m-%d %H:%M}",
            "hours": lead,
        }
        notify(
            recipients=[meeting.organizer],
            message=lambda values=values: AGENDA_DUE % values,
            link=reverse("meetings:meeting_detail", args=[meeting.pk]),
            email=True,
        )
        told += 1
    return told
