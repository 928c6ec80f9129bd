"""Forms of the billing pages: they only parse input; the services decide."""

from django import forms
from django.utils.translation import gettext_lazy as _

from jobbag.clients.models import Company
from jobbag.finance.models import FinanceSettings, Invoice, InvoiceSeries, Payment, TaxProfile
from jobbag.finance.services.billing import SERIES_FIELDS

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
MONEY = {"max_digits": 14, "decimal_places": 2}


class FromQuoteForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Invoice"),
        choices=[
            (Invoice.Kind.QUOTE, _("The whole signed quote")),
            (Invoice.Kind.PERCENTAGE, _("A percentage of the quote")),
            (Invoice.Kind.MILESTONE, _("A milestone")),
        ],
        widget=forms.RadioSelect,
        initial=Invoice.Kind.QUOTE,
    )
    percentage = forms.DecimalField(
        label=_("Percentage"), max_digits=5, decimal_places=2, required=False
    )
    milestone = forms.CharField(label=_("Milestone"), max_length=100, required=False)
    amount = forms.DecimalField(label=_("Milestone amount (net)"), required=False, **MONEY)
    line_ids = forms.MultipleChoiceField(
        label=_("Or these lines of the quote"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    series = forms.ModelChoiceField(
        label=_("Series"),
        queryset=InvoiceSeries.objects.none(),
        required=False,
        empty_label=_("Default series"),
    )
    note = forms.CharField(
        label=_("Note"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )

    def __init__(self, *args, quote=None, **kwargs):
        super().__init__(*args, **kwargs)
        lines = list(quote.lines.all()) if quote is not None else []
        self.fields["line_ids"].choices = [
            (str(line.pk), f"{line.description} · {line.amount}") for line in lines
        ]
        self.fields["series"].queryset = InvoiceSeries.objects.filter(
            is_active=True, for_credit_notes=False
        )


class FromTimeForm(forms.Form):
    series = forms.ModelChoiceField(
        label=_("Series"),
        queryset=InvoiceSeries.objects.filter(is_active=True, for_credit_notes=False),
        required=False,
        empty_label=_("Default series"),
    )
    note = forms.CharField(
        label=_("Note"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )


class DraftForm(forms.Form):
    note = forms.CharField(
        label=_("Note"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    version = forms.IntegerField(widget=forms.HiddenInput)


class IssueForm(forms.Form):
    issue_date = forms.DateField(label=_("Issue date"), widget=DATE, required=False)
    email_to = forms.EmailField(
        label=_("E-mail the PDF to"),
        required=False,
        help_text=_("Optional: the client's billing contact."),
    )
    version = forms.IntegerField(widget=forms.HiddenInput)


class CreditForm(forms.Form):
    net_amount = forms.DecimalField(
        label=_("Net amount to credit"),
        required=False,
        help_text=_("Leave empty to credit everything that is left."),
        **MONEY,
    )
    reason = forms.CharField(
        label=_("Reason"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )
    issue_date = forms.DateField(label=_("Date"), widget=DATE, required=False)


class PaymentForm(forms.Form):
    received_on = forms.DateField(label=_("Received on"), widget=DATE)
    amount = forms.DecimalField(label=_("Amount"), **MONEY)
    method = forms.ChoiceField(label=_("Method"), choices=Payment.Method.choices)
    reference = forms.CharField(label=_("Reference"), max_length=100, required=False)
    note = forms.CharField(label=_("Note"), max_length=200, required=False)


class InvoicePaymentForm(PaymentForm):
    """A receipt for one invoice: the whole amount is allocated to it."""


class ClientPaymentForm(PaymentForm):
    company = forms.ModelChoiceField(label=_("Client"), queryset=Company.objects.order_by("code"))
    currency = forms.CharField(label=_("Currency"), max_length=3, initial="CNY")
    is_prepayment = forms.BooleanField(label=_("Prepayment"), required=False)

    field_order = ["company", "received_on", "amount", "currency", "method", "reference"]


class AllocateForm(forms.Form):
    invoice = forms.ModelChoiceField(label=_("Invoice"), queryset=Invoice.objects.none())
    amount = forms.DecimalField(label=_("Amount"), **MONEY)
    allocated_on = forms.DateField(label=_("Date"), widget=DATE, required=False)

    def __init__(self, *args, invoices=None, **kwargs):
        super().__init__(*args, **kwargs)
        if invoices is not None:
            self.fields["invoice"].queryset = invoices
        self.fields["invoice"].label_from_instance = lambda invoice: (
            f"{invoice.number} · {invoice.outstanding} {invoice.currency}"
        )


class InvoiceFilter(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"), choices=[("", _("All")), *Invoice.Status.choices], required=False
    )
    kind = forms.ChoiceField(
        label=_("Kind"), choices=[("", _("All")), *Invoice.Kind.choices], required=False
    )
    company = forms.ModelChoiceField(
        label=_("Client"), queryset=Company.objects.none(), required=False
    )
    overdue = forms.BooleanField(label=_("Overdue only"), required=False)

    def __init__(self, *args, companies=None, **kwargs):
        super().__init__(*args, **kwargs)
        if companies is not None:
            self.fields["company"].queryset = companies

    def filters(self) -> dict:
        if not self.is_bound or not self.is_valid():
            return {}
        data = self.cleaned_data
        return {
            "status": data["status"],
            "kind": data["kind"],
            "company": data["company"].pk if data["company"] else None,
            "overdue": data["overdue"],
        }


class AgeingFilter(forms.Form):
    as_of = forms.DateField(label=_("As of"), widget=DATE, required=False)
    company = forms.ModelChoiceField(
        label=_("Client"), queryset=Company.objects.none(), required=False
    )
    overdue = forms.BooleanField(label=_("Overdue only"), required=False)

    def __init__(self, *args, companies=None, **kwargs):
        super().__init__(*args, **kwargs)
        if companies is not None:
            self.fields["company"].queryset = companies


class StatementForm(forms.Form):
    company = forms.ModelChoiceField(label=_("Client"), queryset=Company.objects.none())
    start = forms.DateField(label=_("From"), widget=DATE)
    end = forms.DateField(label=_("Until"), widget=DATE)
    currency = forms.CharField(label=_("Currency"), max_length=3, initial="CNY", required=False)

    def __init__(self, *args, companies=None, **kwargs):
        super().__init__(*args, **kwargs)
        if companies is not None:
            self.fields["company"].queryset = companies

    def clean(self):
        data = super().clean()
        if data.get("start") and data.get("end") and data["start"] > data["end"]:
            raise forms.ValidationError(_("The period must start before it ends."))
        return data


class SeriesForm(forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = InvoiceSeries
        fields = SERIES_FIELDS
        help_texts = {"prefix": _("May contain {year}, e.g. INV{year}- gives INV2026-00001.")}

    def validate_unique(self):
        # The services check the code's uniqueness and say so on the field.
        pass


class PeriodCloseForm(forms.Form):
    period = forms.CharField(label=_("Period (YYYY-MM)"), max_length=7)


class FinanceSettingsForm(forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput)

    class Meta:
        model = FinanceSettings
        fields = [
            "close_day",
            "payment_terms_days",
            "notice_owner_days",
            "notice_marketing_manager_days",
            "notice_gm_days",
            "credit_hold_days",
        ]


class RetainerForm(forms.Form):
    company = forms.ModelChoiceField(label=_("Client"), queryset=Company.objects.order_by("code"))
    description = forms.CharField(label=_("Description"), max_length=200)
    monthly_fee = forms.DecimalField(label=_("Monthly fee (net)"), **MONEY)
    starts_on = forms.DateField(label=_("From"), widget=DATE)
    ends_on = forms.DateField(label=_("Until"), widget=DATE, required=False)
    tax_profile = forms.ModelChoiceField(
        label=_("Tax profile"),
        queryset=TaxProfile.objects.filter(is_active=True),
        required=False,
        empty_label=_("Default tax profile"),
    )
    series = forms.ModelChoiceField(
        label=_("Series"),
        queryset=InvoiceSeries.objects.filter(is_active=True, for_credit_notes=False),
        required=False,
        empty_label=_("Default series"),
    )
