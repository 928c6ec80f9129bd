"""Forms of field work. They only parse input; the rules live in services."""

from django import forms
from django.utils.translation import gettext_lazy as _

from jobbag.clients.forms_contact_log import DATETIME_LOCAL, DateInput, DateTimeInput
from jobbag.clients.models import Company
from jobbag.fieldwork.models import PeriodSummary, ReportStatus

DATETIME_FORMATS = [DATETIME_LOCAL, "%Y-%m-%d %H:%M"]


class OutingForm(forms.Form):
    # Required by the service, which gives the messages; the form lets them through.
    destination = forms.CharField(label=_("Where"), max_length=200, required=False)
    whom = forms.CharField(
        label=_("Whom"),
        max_length=200,
        required=False,
        help_text=_("Names, or a client below and its people on the contact log."),
    )
    company = forms.ModelChoiceField(
        label=_("Client"), queryset=Company.objects.none(), required=False
    )
    purpose = forms.CharField(
        label=_("Purpose"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    leaves_at = forms.DateTimeField(
        label=_("Leaves at"), input_formats=DATETIME_FORMATS, widget=DateTimeInput()
    )
    back_by = forms.DateTimeField(
        label=_("Back by"), input_formats=DATETIME_FORMATS, widget=DateTimeInput()
    )

    def __init__(self, *args, companies=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if companies is not None:
            self.fields["company"].queryset = companies


class DailyReportForm(forms.Form):
    summary = forms.CharField(
        label=_("Summary of the day"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    problems = forms.CharField(
        label=_("Problems"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    plan = forms.CharField(
        label=_("Plan for tomorrow"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class SummaryForm(DailyReportForm):
    summary = forms.CharField(
        label=_("Summary"), required=False, widget=forms.Textarea(attrs={"rows": 5})
    )
    plan = forms.CharField(
        label=_("Plan for the next period"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class ReviewForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[
            (ReportStatus.REVIEWED, _("Reviewed")),
            (ReportStatus.RETURNED, _("Return for changes")),
        ],
        widget=forms.RadioSelect,
        initial=ReportStatus.REVIEWED,
    )
    comment = forms.CharField(
        label=_("Comment"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    version = forms.IntegerField(widget=forms.HiddenInput)


class SummaryStartForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=PeriodSummary.Kind.choices)
    day = forms.DateField(label=_("A day in the period"), widget=DateInput())


class VisitTargetForm(forms.Form):
    person = forms.IntegerField(widget=forms.HiddenInput)
    visits = forms.IntegerField(label=_("Target visits"), min_value=0, max_value=1000)


class SettingsForm(forms.Form):
    visits_per_day = forms.IntegerField(
        label=_("Effective client visits expected per working day"),
        min_value=0,
        max_value=100,
        help_text=_("Used for anyone without a target of their own for the month."),
    )
    version = forms.IntegerField(widget=forms.HiddenInput)
