from django import forms
from django.utils.translation import gettext_lazy as _

WEEKDAYS = [
    (0, _("Monday")),
    (1, _("Tuesday")),
    (2, _("Wednesday")),
    (3, _("Thursday")),
    (4, _("Friday")),
    (5, _("Saturday")),
    (6, _("Sunday")),
]


class MeetingSettingsForm(forms.Form):
    agenda_lead_hours = forms.IntegerField(
        label=_("agenda sent at least this many hours before the meeting"),
        min_value=0,
        max_value=72,
    )
    report_due_hours = forms.IntegerField(
        label=_("contact report due this many hours after the meeting"), min_value=1, max_value=240
    )
    report_reminder_hours = forms.IntegerField(
        label=_("remind the author this many hours before the report is due"),
        min_value=0,
        max_value=72,
    )
    action_escalate_after_days = forms.IntegerField(
        label=_("escalate an action this many working days after it fell due"),
        min_value=0,
        max_value=30,
    )
    weekly_report_weekday = forms.TypedChoiceField(
        label=_("weekly status report drafted on"), choices=WEEKDAYS, coerce=int
    )
    weekly_report_time = forms.TimeField(
        label=_("weekly status report drafted at"),
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
    )
    deadline_window_days = forms.IntegerField(
        label=_("the weekly report lists deadlines within this many working days"),
        min_value=1,
        max_value=60,
    )
    version = forms.IntegerField(widget=forms.HiddenInput)
