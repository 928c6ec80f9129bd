"""Forms of time and costs: they only parse input; the services decide. The week grid is
read row by row from the POST (rows-N-job, rows-N-rate_item, rows-N-task,
rows-N-billable, rows-N-d0 … rows-N-d6) by `grid_rows`."""

from datetime import date

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jobbag.accounts.models import User
from jobbag.finance.models import Expense
from jobbag.finance.selectors.time import DAYS
from jobbag.finance.services.time import MAX_ROWS, RowIn


def grid_rows(data) -> list[RowIn]:
    """The grid's rows as posted; a row with no job and no hours is an unused blank."""
    indexes = sorted(
        {
            int(key.split("-")[1])
            for key in data
            if key.startswith("rows-") and key.split("-")[1].isdigit()
        }
    )[: MAX_ROWS + 10]
    rows = []
    for n in indexes:
        prefix = f"rows-{n}-"
        job = data.get(prefix + "job", "").strip()
        hours = [data.get(f"{prefix}d{day}", "").strip() for day in range(DAYS)]
        if not job and not any(hours):
            continue
        rows.append(
            RowIn(
                job=job or None,
                rate_item=data.get(prefix + "rate_item") or None,
                task=data.get(prefix + "task", ""),
                billable=data.get(prefix + "billable") == "on",
                hours=hours,
            )
        )
    return rows


def version_of(data) -> int | None:
    try:
        return int(data.get("version"))
    except (TypeError, ValueError):
        return None


class CostRateForm(forms.Form):
    user = forms.ModelChoiceField(
        label=_("Person"),
        queryset=User.objects.filter(kind=User.Kind.STAFF, is_active=True).order_by(
            "full_name", "username"
        ),
    )
    hourly_cost = forms.DecimalField(
        label=_("Cost per hour"), min_value=0, max_digits=10, decimal_places=2
    )
    valid_from = forms.DateField(
        label=_("Valid from"), widget=forms.DateInput(attrs={"type": "date"})
    )


class ExpenseForm(forms.Form):
    category = forms.ChoiceField(label=_("Category"), choices=Expense.Category.choices)
    incurred_on = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}))
    description = forms.CharField(label=_("Description"), max_length=200)
    supplier = forms.CharField(label=_("Supplier"), max_length=200, required=False)
    amount = forms.DecimalField(label=_("Amount"), max_digits=12, decimal_places=2)
    currency = forms.CharField(label=_("Currency"), max_length=3, initial="CNY")
    billable = forms.BooleanField(label=_("Billable to the client"), required=False)
    receipt = forms.FileField(
        label=_("Receipt"),
        required=False,
        help_text=_("PDF, JPEG or PNG, at most 10 MB."),
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png"}),
    )


class VoidForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=200)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class ExpenseFilter(forms.Form):
    company = forms.ModelChoiceField(label=_("Client"), queryset=None, required=False)
    category = forms.ChoiceField(
        label=_("Category"), choices=[("", "—"), *Expense.Category.choices], required=False
    )
    start = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    end = forms.DateField(
        label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    voided = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("In force")), ("void", _("Void")), ("all", _("All"))],
    )

    def __init__(self, *args, companies, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["company"].queryset = companies

    def filters(self) -> dict:
        if not self.is_bound or not self.is_valid():
            return {}
        data = self.cleaned_data
        voided = {"": False, "void": True, "all": None}[data.get("voided") or ""]
        return {
            "company": data["company"].pk if data.get("company") else None,
            "category": data.get("category") or "",
            "start": data.get("start"),
            "end": data.get("end"),
            "voided": voided,
        }


class ProfitFilter(forms.Form):
    group = forms.ChoiceField(
        label=_("Per"),
        required=False,
        choices=[("job", _("Job")), ("client", _("Client")), ("month", _("Month"))],
    )
    year = forms.IntegerField(label=_("Year"), required=False, min_value=2000, max_value=2100)
    company = forms.ModelChoiceField(label=_("Client"), queryset=None, required=False)

    def __init__(self, *args, companies, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["company"].queryset = companies

    def filters(self) -> dict:
        today = timezone.localdate()
        values = {"group": "job", "year": today.year, "company": None}
        if self.is_bound and self.is_valid():
            data = self.cleaned_data
            values["group"] = data.get("group") or "job"
            values["year"] = data.get("year") or today.year
            values["company"] = data["company"].pk if data.get("company") else None
        return values


def parse_week(text: str) -> date | None:
    try:
        return date.fromisoformat(text)
    except (TypeError, ValueError):
        return None
