"""Forms of the finance reference pages. They only parse; finance.services decides."""

from django import forms
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from jobbag.clients.models import Company
from jobbag.finance.models import RateItem


class Form(forms.Form):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.label = capfirst(field.label)


class CompanyChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Company) -> str:
        return f"{obj.code} · {obj.name}"


class RateItemForm(Form):
    code = forms.CharField(label=_("code"), max_length=32)
    name_zh = forms.CharField(label=_("name (Chinese)"), max_length=100)
    name_en = forms.CharField(label=_("name (English)"), max_length=100, required=False)
    unit = forms.ChoiceField(label=_("unit"), choices=RateItem.Unit.choices)
    price = forms.DecimalField(label=_("price"), min_value=0, max_digits=12, decimal_places=2)
    currency = forms.CharField(label=_("currency"), max_length=3, initial="CNY")
    company = CompanyChoiceField(
        label=_("client's own price"),
        queryset=Company.objects.order_by("code"),
        required=False,
        help_text=_("Leave empty for the general rate card; a client's own price wins."),
    )
    is_active = forms.BooleanField(label=_("active"), required=False, initial=True)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class TaxProfileForm(Form):
    code = forms.CharField(label=_("code"), max_length=32)
    name = forms.CharField(label=_("name"), max_length=100)
    is_default = forms.BooleanField(label=_("default"), required=False)
    is_active = forms.BooleanField(label=_("active"), required=False, initial=True)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class TaxComponentForm(Form):
    name = forms.CharField(label=_("name"), max_length=100)
    rate = forms.DecimalField(
        label=_("rate (%)"), min_value=0, max_value=100, max_digits=5, decimal_places=2
    )
    charged = forms.BooleanField(
        label=_("added to the price"),
        required=False,
        initial=True,
        help_text=_("Untick for a tax the agency bears itself (shown for costing only)."),
    )
    order = forms.IntegerField(label=_("order"), min_value=0, initial=0, required=False)
