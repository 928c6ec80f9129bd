"""Meeting and reporting settings that admins set (one row)."""

from datetime import time

from django.db import models
from django.utils.translation import gettext_lazy as _

from jobbag.core.models import SettingsRow


class MeetingSettings(SettingsRow):
    # The seeds: the agenda reaches the client and the team 1–2 hours before the meeting.
    agenda_lead_hours = models.PositiveSmallIntegerField(
        _("agenda sent at least this many hours before the meeting"), default=2
    )
    # The contact report is due within 24 hours of the meeting or call.
    report_due_hours = models.PositiveSmallIntegerField(
        _("contact report due this many hours after the meeting"), default=24
    )
    report_reminder_hours = models.PositiveSmallIntegerField(
        _("remind the author this many hours before the report is due"), default=4
    )
    action_escalate_after_days = models.PositiveSmallIntegerField(
        _("escalate an action this many working days after it fell due"), default=1
    )
    # 0 is Monday (datetime.weekday()).
    weekly_report_weekday = models.PositiveSmallIntegerField(
        _("weekly status report drafted on (0 = Monday)"), default=0
    )
    weekly_report_time = models.TimeField(_("weekly status report drafted at"), default=time(8))
    deadline_window_days = models.PositiveSmallIntegerField(
        _("the weekly report lists deadlines within this many working days"), default=10
    )

    class Meta:
        verbose_name = _("meeting and report settings")
