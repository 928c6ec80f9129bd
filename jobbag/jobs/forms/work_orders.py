"""Forms of work orders and acknowledgements. They only parse input:
jobs.services.work_orders checks every rule and reports field errors back here."""

from django import forms
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from jobbag.jobs.forms.reviews import DateInput, receiving_departments


class DepartmentsField(forms.ModelMultipleChoiceField):
    widget = forms.CheckboxSelectMultiple


class WorkOrderForm(forms.Form):
    client_request = forms.CharField(
        label=_("client's request"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    specification = forms.CharField(
        label=_("specification (size, material, quantity)"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )
    quantity = forms.CharField(label=_("quantity"), max_length=100, required=False)
    quality_standard = forms.CharField(
        label=_("quality standard"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    packaging = forms.CharField(
        label=_("packaging"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    logistics = forms.CharField(
        label=_("delivery and logistics"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
    )
    delivery_place = forms.CharField(
        label=_("delivery or installation place"), max_length=200, required=False
    )
    delivery_due = forms.DateField(label=_("delivery due"), widget=DateInput, required=False)
    budget = forms.DecimalField(
        label=_("budget"), max_digits=14, decimal_places=2, min_value=0, required=False
    )
    notes = forms.CharField(
        label=_("notes"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    departments = DepartmentsField(
        label=_("to departments"), queryset=receiving_departments(), required=False
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["departments"].queryset = receiving_departments()
        for field in self.fields.values():
            field.label = capfirst(field.label)


class AcknowledgeForm(forms.Form):
    note = forms.CharField(label=_("note"), max_length=300, required=False)
