"""The weekly drafting of status reports: once the configured weekday and time of this
week have passed (Monday 08:00 by default), every client with open work gets the draft
of its report for the week ending the Friday before that day, and its AE and AM are told
once. Idempotent: a client whose draft exists is skipped, so a second run (or one redone
after a dead worker) drafts and tells no one twice."""

from datetime import date, datetime, timedelta

from django.utils import timezone

from jobbag.core.sweeps import hourly
from jobbag.meetings.models import MeetingSettings
from jobbag.meetings.selectors.status_reports import companies_with_open_work, last_friday
from jobbag.meetings.services.status_reports import draft_for, notify_reviewers


def drafting_moment(now: datetime) -> tuple[datetime, date]:
    """This week's drafting moment (local time) and the Friday its reports run to."""
    local = timezone.localtime(now)
    config = MeetingSettings.current()
    monday = local.date() - timedelta(days=local.weekday())
    day = monday + timedelta(days=config.weekly_report_weekday % 7)
    moment = timezone.make_aware(
        datetime.combine(day, config.weekly_report_time), timezone.get_current_timezone()
    )
    return moment, last_friday(day)


@hourly("meetings.weekly_reports")
def weekly_reports_draft(now: datetime | None = None) -> list[int]:
    """Drafts the week's reports that are due and missing; returns their ids."""
    now = now or timezone.now()
    moment, week_ending = drafting_moment(now)
    if now < moment:
        return []
    made = []
    for company in companies_with_open_work(week_ending):
        report, created = draft_for(company, week_ending)
        if created:
            notify_reviewers(report)
            made.append(report.pk)
    return made
