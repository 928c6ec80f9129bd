"""Forms only parse input; the rules (weekend make-up days, names, range) live in services."""

from django import forms
from django.utils.translation import gettext_lazy as _

from jobbag.calendar.models import FIRST_YEAR, LAST_YEAR, CalendarDay
from jobbag.calendar.services import DATE_OUT_OF_RANGE

# Far enough for any deadline; bounded so that date arithmetic cannot overflow.
MAX_OFFSET = 3650


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs) -> None:
        super().__init__(format="%Y-%m-%d", **kwargs)


class CalendarDayForm(forms.Form):
    date = forms.DateField(label=_("Date"), widget=DateInput())
    kind = forms.ChoiceField(label=_("Kind"), choices=CalendarDay.Kind.choices)
    name_zh = forms.CharField(
        label=_("Name (Chinese)"),
        max_length=100,
        required=False,
        help_text=_("For example 国庆节. A public holiday needs a Chinese or English name."),
    )
    name_en = forms.CharField(
        label=_("Name (English)"),
        max_length=100,
        required=False,
        help_text=_("For example National Day."),
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, editing: bool = False, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if editing:
            # The date is the entry's identity: to move a day, remove it and add another.
            self.fields["date"].disabled = True
            self.fields["version"].required = True


class CalculatorForm(forms.Form):
    start = forms.DateField(label=_("Start date"), widget=DateInput())
    n = forms.IntegerField(
        label=_("Number of working days"),
        min_value=-MAX_OFFSET,
        max_value=MAX_OFFSET,
        help_text=_("Negative counts backwards."),
    )

    def clean_start(self):
        start = self.cleaned_data["start"]
        if not FIRST_YEAR <= start.year <= LAST_YEAR:
            raise forms.ValidationError(DATE_OUT_OF_RANGE)
        return start
