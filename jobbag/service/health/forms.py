"""Forms of the account-health pages: the overview's filters and the thresholds."""

from django import forms
from django.utils.translation import gettext_lazy as _

from jobbag.service.health.selectors import Filters
from jobbag.service.models import HealthSignal


class OverviewFilterForm(forms.Form):
    signal = forms.ChoiceField(
        label=_("Signal"), choices=[("", _("Any signal")), *HealthSignal.choices], required=False
    )
    q = forms.CharField(label=_("Client"), max_length=100, required=False)
    everyone = forms.BooleanField(label=_("Healthy clients too"), required=False)

    def filters(self) -> Filters:
        if not self.is_valid():
            return Filters()
        data = self.cleaned_data
        return Filters(signal=data["signal"], q=data["q"] or "", flagged_only=not data["everyone"])


class SettingsForm(forms.Form):
    spend_months = forms.IntegerField(
        label=_("compare spend over (months)"), min_value=1, max_value=12
    )
    spend_drop_percent = forms.DecimalField(
        label=_("spend drop that flags (%)"), max_digits=5, decimal_places=2
    )
    csat_drop = forms.DecimalField(
        label=_("CSAT drop that flags (points)"), max_digits=5, decimal_places=2
    )
    quiet_days = forms.IntegerField(label=_("no contact for (days)"), min_value=1, max_value=365)
    version = forms.IntegerField(widget=forms.HiddenInput)
