"""The hourly sweep: a planned meeting whose agenda is due and not sent tells the
organiser once."""

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from jobbag.core.models import Notification
from jobbag.core.sweeps import hourly_sweeps
from jobbag.meetings.models import Meeting
from jobbag.meetings.sweeps.meetings import remind_agenda_due
from jobbag.meetings.tests.factories import MeetingFactory

pytestmark = pytest.mark.django_db


def meeting_in(clientele, organizer, hours: float, **values) -> Meeting:
    return MeetingFactory(
        company=clientele.company,
        organizer=organizer,
        starts_at=timezone.now() + timedelta(hours=hours),
        **values,
    )


def test_it_is_registered_as_an_hourly_sweep():
    assert hourly_sweeps()["meetings.agenda_due"] is remind_agenda_due


def test_it_tells_the_organiser_once_when_the_agenda_is_due(cast, clientele, mailoutbox):
    due = meeting_in(clientele, cast.ae, 1.5)
    meeting_in(clientele, cast.ad, 5)
    meeting_in(
        clientele,
        cast.ad,
        1,
        status=Meeting.Status.AGENDA_SENT,
        agenda_sent_at=timezone.now(),
    )
    meeting_in(clientele, cast.ad, 1, status=Meeting.Status.CANCELLED)
    meeting_in(clientele, cast.ad, -1)

    assert remind_agenda_due() == 1

    notice = Notification.objects.get()
    assert notice.recipient == cast.ae
    assert due.purpose in notice.message
    assert [m.to for m in mailoutbox] == [[cast.ae.email]]
    due.refresh_from_db()
    assert due.agenda_reminded_at is not None

    assert remind_agenda_due() == 0
    assert Notification.objects.count() == 1
    assert len(mail.outbox) == 1


def test_a_meeting_becomes_due_as_time_passes(cast, clientele):
    meeting = meeting_in(clientele, cast.ae, 5)
    assert remind_agenda_due() == 0
    assert remind_agenda_due(now=timezone.now() + timedelta(hours=3, minutes=30)) == 1
    meeting.refresh_from_db()
    assert meeting.agenda_reminded_at is not None
    assert remind_agenda_due(now=timezone.now() + timedelta(hours=4)) == 0
