"""Meetings and the reporting loop (SPEC §6): meeting → contact report → action → weekly
status report; forecasts; calendar feeds. One module per topic."""

from jobbag.meetings.models.actions import Action
from jobbag.meetings.models.feeds import CalendarFeed
from jobbag.meetings.models.forecasts import Forecast
from jobbag.meetings.models.meetings import AgendaItem, Attendee, ChecklistItem, Meeting, Side
from jobbag.meetings.models.reports import Addendum, ContactReport, ReportDecision, ReportReceipt
from jobbag.meetings.models.settings import MeetingSettings
from jobbag.meetings.models.status_reports import StatusReport

__all__ = [
    "Action",
    "Addendum",
    "AgendaItem",
    "Attendee",
    "CalendarFeed",
    "ChecklistItem",
    "ContactReport",
    "Forecast",
    "Meeting",
    "MeetingSettings",
    "ReportDecision",
    "ReportReceipt",
    "Side",
    "StatusReport",
]
