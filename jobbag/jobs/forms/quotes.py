"""Forms of the quotes step. They only parse; jobs.services.quotes decides."""

from django import forms
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from jobbag.finance.models import RateItem, TaxProfile
from jobbag.jobs.models import QuoteLine


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")


class Form(forms.Form):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.label = capfirst(field.label)


class RateItemChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: RateItem) -> str:
        return f"{obj.name} · {obj.price} / {obj.get_unit_display()}"


class QuoteLineForm(Form):
    kind = forms.ChoiceField(label=_("kind"), choices=QuoteLine.Kind.choices)
    rate_item = RateItemChoiceField(
        label=_("rate card item"), queryset=RateItem.objects.none(), required=False
    )
    description = forms.CharField(label=_("description"), max_length=200, required=False)
    quantity = forms.DecimalField(label=_("quantity"), max_digits=10, decimal_places=2)
    unit_price = forms.DecimalField(
        label=_("unit price"),
        max_digits=12,
        decimal_places=2,
        required=False,
        help_text=_("Empty: the rate card's price for this client."),
    )
    markup_percent = forms.DecimalField(
        label=_("markup (%)"), max_digits=6, decimal_places=2, required=False
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, rate_items, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["rate_item"].queryset = rate_items


class QuoteForm(Form):
    tax_profile = forms.ModelChoiceField(
        label=_("tax profile"), queryset=TaxProfile.objects.none(), required=False
    )
    valid_until = forms.DateField(label=_("valid until"), widget=DateInput, required=False)
    notes = forms.CharField(
        label=_("notes"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    client_feedback = forms.CharField(
        label=_("client's feedback"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text=_("What the client asked to change (filled in when they return a version)."),
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, tax_profiles, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["tax_profile"].queryset = tax_profiles


class PrepaymentRequireForm(Form):
    amount = forms.DecimalField(
        label=_("prepayment required"),
        max_digits=14,
        decimal_places=2,
        required=False,
        help_text=_("Empty: no prepayment."),
    )


class PrepaymentRecordForm(Form):
    received_on = forms.DateField(label=_("prepayment received"), widget=DateInput)
