"""Forms of forecasts: the year grid of one client (12 months of ad spend, revenue and a
note, each with the version the user saw), picking a client and year, and the year of a
summary view. They only parse input; the services decide."""

from datetime import date

from django import forms
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from jobbag.meetings.services.forecasts import YEARS, grid_field

MONTHS = range(1, 13)


def year_field(**extra) -> forms.IntegerField:
    return forms.IntegerField(
        label=_("year"), min_value=YEARS[0], max_value=YEARS[1], required=False, **extra
    )


class YearForm(forms.Form):
    """The year a summary shows; this year when none (or a bad one) is given."""

    year = year_field()

    def chosen_year(self) -> int:
        if self.is_valid() and self.cleaned_data.get("year"):
            return self.cleaned_data["year"]
        return timezone.localdate().year


class PickForm(forms.Form):
    """Which client's year to enter."""

    company = forms.ModelChoiceField(label=_("client"), queryset=None)
    year = forms.IntegerField(label=_("year"), min_value=YEARS[0], max_value=YEARS[1])

    def __init__(self, *args, companies=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["company"].queryset = companies


class ForecastYearForm(forms.Form):
    """A year's grid: `ad_spend_<m>`, `revenue_<m>`, `note_<m>`, `version_<m>` per month.

    Amounts are optional (a month left blank is not forecast); negative amounts and more
    than two decimal places are refused here with the services' own messages too.
    """

    def __init__(self, *args, year: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.year = year
        for month in MONTHS:
            label = date_format(date(year, month, 1), "YEAR_MONTH_FORMAT")
            self.fields[grid_field("ad_spend", month)] = forms.DecimalField(
                label=_("Ad spend, %(month)s") % {"month": label},
                required=False,
                min_value=0,
                max_digits=14,
                decimal_places=2,
                widget=forms.NumberInput(attrs={"step": "0.01", "min": "0", "class": "amount"}),
            )
            self.fields[grid_field("revenue", month)] = forms.DecimalField(
                label=_("Revenue, %(month)s") % {"month": label},
                required=False,
                min_value=0,
                max_digits=14,
                decimal_places=2,
                widget=forms.NumberInput(attrs={"step": "0.01", "min": "0", "class": "amount"}),
            )
            self.fields[grid_field("note", month)] = forms.CharField(
                label=_("Note, %(month)s") % {"month": label}, required=False, max_length=300
            )
            self.fields[grid_field("version", month)] = forms.IntegerField(
                required=False, min_value=0, widget=forms.HiddenInput
            )

    def rows(self):
        """(month label, ad spend, revenue, note, version) bound fields, month by month."""
        for month in MONTHS:
            label = date_format(date(self.year, month, 1), "YEAR_MONTH_FORMAT")
            yield (
                month,
                label,
                self[grid_field("ad_spend", month)],
                self[grid_field("revenue", month)],
                self[grid_field("note", month)],
                self[grid_field("version", month)],
            )

    def months(self) -> dict[int, dict]:
        """The cleaned grid as the service takes it."""
        data = self.cleaned_data
        return {
            month: {
                "ad_spend": data.get(grid_field("ad_spend", month)),
                "revenue": data.get(grid_field("revenue", month)),
                "note": data.get(grid_field("note", month)) or "",
                "version": data.get(grid_field("version", month)),
            }
            for month in MONTHS
        }
