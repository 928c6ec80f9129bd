"""Forms of the credit control pages. They only parse; finance.services.credit decides."""

from django import forms
from django.utils.translation import gettext_lazy as _

from jobbag.finance.forms.reference import Form


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")


class OverrideForm(Form):
    reason = forms.CharField(
        label=_("reason"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000
    )
    valid_until = forms.DateField(
        label=_("valid until"),
        widget=DateInput,
        help_text=_("The first new order or work order for this client until then uses it."),
    )
