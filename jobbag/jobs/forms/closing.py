"""Forms of the closing steps: they parse input; the services decide."""

from django import forms
from django.utils.translation import gettext_lazy as _

from jobbag.jobs.models import AcceptanceItem

ITEMS_HELP = _("One item a line; put the quantity after a vertical bar, e.g. “展架 | 10 套”.")


class AcceptanceForm(forms.Form):
    place = forms.CharField(label=_("Delivery or installation place"), max_length=200)
    planned_on = forms.DateField(
        label=_("Delivery or installation on"), widget=forms.DateInput(attrs={"type": "date"})
    )
    notes = forms.CharField(
        label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    items = forms.CharField(
        label=_("Items to check"), help_text=ITEMS_HELP, widget=forms.Textarea(attrs={"rows": 6})
    )

    def clean_items(self) -> list[tuple[str, str]]:
        rows = []
        for line in self.cleaned_data["items"].splitlines():
            if not line.strip():
                continue
            for separator in ("|", "｜", "\t"):
                if separator in line:
                    description, quantity = line.split(separator, 1)
                    break
            else:
                description, quantity = line, ""
            rows.append((description.strip(), quantity.strip()))
        return rows


class CheckForm(forms.Form):
    result = forms.ChoiceField(
        label=_("Result"),
        choices=[
            (AcceptanceItem.Result.PASSED, AcceptanceItem.Result.PASSED.label),
            (AcceptanceItem.Result.FAILED, AcceptanceItem.Result.FAILED.label),
        ],
    )
    remark = forms.CharField(label=_("Remark"), max_length=300, required=False)


SCORE_CHOICES = [("", "—"), *[(str(n), str(n)) for n in range(1, 6)]]


class SummaryForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    introduction = forms.CharField(
        label=_("Introduction"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    schedule = forms.CharField(
        label=_("Schedule"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    execution = forms.CharField(
        label=_("Execution"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    problems = forms.CharField(
        label=_("Problems"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    improvements = forms.CharField(
        label=_("Improvements"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    client_satisfaction = forms.CharField(
        label=_("Client's overall satisfaction"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    satisfaction_score = forms.TypedChoiceField(
        label=_("Satisfaction (1–5)"),
        choices=SCORE_CHOICES,
        coerce=int,
        empty_value=None,
        required=False,
    )
