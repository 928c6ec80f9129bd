"""The demo meetings, reports, actions, forecasts and weekly report that `seed_demo`
loads after the demo jobs, through the services."""

from io import StringIO

import pytest
from django.core.management import call_command

from jobbag.meetings.models import Action, ContactReport, Forecast, Meeting, StatusReport


@pytest.mark.django_db
def test_seed_demo_loads_the_reporting_loop_once():
    call_command("seed_demo", stdout=StringIO())

    meeting = Meeting.objects.get()
    assert meeting.status == Meeting.Status.AGENDA_SENT and not meeting.agenda_late
    assert meeting.checklist.count() == 8
    draft, sent = ContactReport.objects.order_by("status", "pk")
    assert (draft.status, sent.status) == ("draft", "sent")
    assert set(sent.actions.values_list("side", "status")) == {
        ("agency", "open"),
        ("client", "open"),
    }
    assert Forecast.objects.count() == 24
    assert StatusReport.objects.get().content

    call_command("seed_demo", stdout=StringIO())
    assert Meeting.objects.count() == 1 and Action.objects.count() == 3
