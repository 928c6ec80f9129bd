"""Administrators set the agenda lead time, report hours, escalation and the weekly
report's day and time; nobody else may; bad values change nothing."""

from datetime import time

import pytest

from jobbag.core.errors import Conflict, DomainError, NotAllowed
from jobbag.core.models import AuditEntry
from jobbag.meetings.models import MeetingSettings
from jobbag.meetings.services.settings import meeting_settings_update

URL = "/meetings/settings/"


def form(**overrides) -> dict:
    values = {
        "agenda_lead_hours": "3",
        "report_due_hours": "24",
        "report_reminder_hours": "4",
        "action_escalate_after_days": "2",
        "weekly_report_weekday": "0",
        "weekly_report_time": "09:30",
        "deadline_window_days": "10",
        "version": "1",
    }
    return {**values, **overrides}


@pytest.mark.django_db
def test_it_saves_the_settings_an_administrator_sets(cast, login):
    response = login(cast.admin).post(URL, form())

    assert response.status_code == 302
    row = MeetingSettings.current()
    assert (row.agenda_lead_hours, row.action_escalate_after_days) == (3, 2)
    assert row.weekly_report_time == time(9, 30)
    assert row.version == 2
    assert AuditEntry.objects.filter(object_id=str(row.pk), action="change").exists()


@pytest.mark.django_db
def test_it_refuses_a_stale_form_and_out_of_range_values(cast, login):
    client = login(cast.admin)
    assert client.post(URL, form()).status_code == 302

    stale = client.post(URL, form(agenda_lead_hours="5"))
    assert stale.status_code == 400
    too_many = client.post(URL, form(agenda_lead_hours="500", version="2"))
    assert too_many.status_code == 400
    assert MeetingSettings.current().agenda_lead_hours == 3


@pytest.mark.django_db
def test_only_administrators_reach_the_settings(cast, clientele, login):
    for user, status in [(cast.admin, 200), (cast.gm, 403), (cast.ae, 403), (cast.client, 404)]:
        assert login(user).get(URL).status_code == status, user.username


@pytest.mark.django_db
def test_the_service_checks_role_version_and_ranges(cast):
    with pytest.raises(NotAllowed):
        meeting_settings_update(actor=cast.ae, expected_version=1, agenda_lead_hours=1)
    with pytest.raises(DomainError) as refused:
        meeting_settings_update(actor=cast.admin, expected_version=1, weekly_report_weekday=7)
    assert "weekly_report_weekday" in refused.value.fields
    meeting_settings_update(actor=cast.admin, expected_version=1, report_due_hours=48)
    with pytest.raises(Conflict):
        meeting_settings_update(actor=cast.admin, expected_version=1, report_due_hours=12)
    assert MeetingSettings.current().report_due_hours == 48
