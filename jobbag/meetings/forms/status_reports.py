"""Forms of weekly status reports. They only parse: meetings.services.status_reports
checks every rule (a Friday, a week that has ended, the note's length) and reports
field errors back to these forms."""

from django import forms
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from jobbag.clients.models import Company
from jobbag.meetings.models import StatusReport


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")


class CompanyChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Company) -> str:
        return f"{obj.code} · {obj.name}"


class Form(forms.Form):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.label = capfirst(field.label)


class StatusReportCreateForm(Form):
    company = CompanyChoiceField(label=_("client"), queryset=Company.objects.none())
    week_ending = forms.DateField(
        label=_("week ending"),
        widget=DateInput,
        required=False,
        help_text=_("A Friday; leave empty for the last Friday."),
    )

    def __init__(self, *args, companies=None, **kwargs):
        super().__init__(*args, **kwargs)
        if companies is not None:
            self.fields["company"].queryset = companies


class StatusReportNoteForm(Form):
    note = forms.CharField(
        label=_("account executive's note"),
        widget=forms.Textarea(attrs={"rows": 6}),
        required=False,
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class StatusReportFilterForm(Form):
    company = CompanyChoiceField(label=_("client"), queryset=Company.objects.none(), required=False)
    week_ending = forms.DateField(label=_("week ending"), widget=DateInput, required=False)
    status = forms.ChoiceField(
        label=_("status"),
        choices=[("", _("All")), *StatusReport.Status.choices],
        required=False,
    )

    def __init__(self, *args, companies=None, **kwargs):
        super().__init__(*args, **kwargs)
        if companies is not None:
            self.fields["company"].queryset = companies
