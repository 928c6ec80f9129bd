"""Forms of intake: the job, the job list's filters, the settings and the kinds of order.
They only parse; jobs.services.jobs holds every rule and reports field errors back."""

from django import forms
from django.urls import reverse_lazy
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from jobbag.accounts.models import User
from jobbag.clients.models import Brand, Company, Contact
from jobbag.jobs.models import REQUIREMENT_FIELDS, OrderKind, Stage


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")


class PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: User) -> str:
        return f"{obj} ({obj.username})"


class CompanyChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Company) -> str:
        return f"{obj.code} · {obj.name}"


class BrandChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Brand) -> str:
        return f"{obj.company.code} · {obj}"


class ContactChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Contact) -> str:
        title = f" ({obj.title})" if obj.title else ""
        return f"{obj.company.code} · {obj.name}{title}"


class Form(forms.Form):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.label = capfirst(field.label)


def _text(label, rows: int = 2) -> forms.CharField:
    return forms.CharField(label=label, widget=forms.Textarea(attrs={"rows": rows}), required=False)


# The fields whose choices follow the chosen client.
CLIENT_CHOICES = ("brand", "client_contact")


class JobForm(Form):
    company = CompanyChoiceField(label=_("client"), queryset=Company.objects.none())
    brand = BrandChoiceField(label=_("brand"), queryset=Brand.objects.none(), required=False)
    client_contact = ContactChoiceField(
        label=_("client contact"), queryset=Contact.objects.none(), required=False
    )
    order_kind = forms.ModelChoiceField(label=_("kind of order"), queryset=OrderKind.objects.none())
    title = forms.CharField(label=_("job name"), max_length=200, required=False)
    owner = PersonChoiceField(
        label=_("project owner"), queryset=User.objects.none(), required=False
    )
    received_on = forms.DateField(label=_("received on"), widget=DateInput, required=False)
    is_important = forms.BooleanField(label=_("important"), required=False)
    estimated_amount = forms.DecimalField(
        label=_("estimated size"), max_digits=14, decimal_places=2, required=False
    )
    currency = forms.CharField(label=_("currency"), max_length=3, initial="CNY", required=False)
    theme = forms.CharField(label=_("activity theme"), max_length=200, required=False)
    launch_date = forms.DateField(label=_("launch date"), widget=DateInput, required=False)
    timing = _text(_("timing"))
    quality = _text(_("quality"))
    packaging = _text(_("packaging"))
    logistics = _text(_("logistics"))
    materials = _text(_("materials"))
    effect = _text(_("effect"))
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, companies, owners, requirements_locked: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["company"].queryset = companies
        # Once a client is chosen, only its brands and people are offered.
        chosen = self.data.get("company") if self.is_bound else self.initial.get("company")
        chosen = getattr(chosen, "pk", chosen)
        # Never more than the clients offered: their people are confidential.
        of_client = {"company__in": companies}
        if str(chosen or "").isdigit():
            of_client["company"] = int(chosen)
        self.fields["brand"].queryset = (
            Brand.objects.filter(**of_client)
            .select_related("company")
            .order_by("company__code", "name")
        )
        self.fields["client_contact"].queryset = (
            Contact.objects.filter(is_active=True, **of_client)
            .select_related("company")
            .order_by("company__code", "name")
        )
        self.fields["company"].widget.attrs.update(
            {
                "hx-get": reverse_lazy("jobs:client_choices"),
                "hx-target": "#job-client-choices",
                "hx-trigger": "change",
            }
        )
        self.fields["owner"].queryset = owners
        self.fields["order_kind"].queryset = OrderKind.objects.filter(is_active=True)
        if requirements_locked:
            # After dispatch the requirements change only through change notices.
            for name in REQUIREMENT_FIELDS:
                del self.fields[name]

    def values(self) -> dict:
        data = dict(self.cleaned_data)
        data.pop("version", None)
        if not data.get("owner"):
            data.pop("owner", None)
        if not data.get("received_on"):
            data.pop("received_on", None)
        return data

    @property
    def requirement_fields(self) -> list:
        return [self[name] for name in REQUIREMENT_FIELDS if name in self.fields]

    @property
    def job_fields(self) -> list:
        """The order's fields but the brand and the contact, which follow the client."""
        hidden = {*REQUIREMENT_FIELDS, *CLIENT_CHOICES}
        return [field for field in self.visible_fields() if field.name not in hidden]

    @property
    def client_fields(self) -> list:
        return [self[name] for name in CLIENT_CHOICES]


class BriefReviewForm(Form):
    version = forms.IntegerField(widget=forms.HiddenInput)


class CancelForm(Form):
    reason = _text(_("reason"))
    version = forms.IntegerField(widget=forms.HiddenInput)


STAGE_FILTERS = [("", _("All")), ("open", _("Open")), *Stage.choices]


class FilterForm(Form):
    q = forms.CharField(label=_("search"), max_length=100, required=False)
    stage = forms.ChoiceField(label=_("stage"), choices=STAGE_FILTERS, required=False)
    company = CompanyChoiceField(
        label=_("client"), queryset=Company.objects.none(), required=False, empty_label=_("All")
    )
    owner = PersonChoiceField(
        label=_("project owner"), queryset=User.objects.none(), required=False, empty_label=_("All")
    )
    order_kind = forms.ModelChoiceField(
        label=_("kind of order"),
        queryset=OrderKind.objects.all(),
        required=False,
        empty_label=_("All"),
    )
    received_from = forms.DateField(label=_("received from"), widget=DateInput, required=False)
    received_to = forms.DateField(label=_("received to"), widget=DateInput, required=False)
    mine = forms.BooleanField(label=_("only mine"), required=False)

    def __init__(self, *args, companies, owners, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["company"].queryset = companies
        self.fields["owner"].queryset = owners

    def filters(self) -> dict:
        """The selector's keyword arguments from the valid fields (invalid ones ignored)."""
        if not self.is_bound:
            return {}
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        return {
            "q": data.get("q") or "",
            "stage": data.get("stage") or "",
            "company": data["company"].pk if data.get("company") else None,
            "owner": data["owner"].pk if data.get("owner") else None,
            "order_kind": data["order_kind"].pk if data.get("order_kind") else None,
            "received_from": data.get("received_from"),
            "received_to": data.get("received_to"),
            "mine": bool(data.get("mine")),
        }


class SettingsForm(Form):
    number_format = forms.CharField(
        label=_("job number format"),
        max_length=60,
        required=False,
        help_text=_(
            "Placeholders: {client} client code, {year} four-digit year, {yy} two-digit "
            "year, {seq} the running number (e.g. {seq:04d}); numbering restarts for each "
            "client and year."
        ),
    )
    internal_review_above = forms.DecimalField(
        label=_("internal review meeting for orders above"), max_digits=14, decimal_places=2
    )
    summary_above = forms.DecimalField(
        label=_("written summary for jobs above"), max_digits=14, decimal_places=2
    )
    summary_within_days = forms.IntegerField(
        label=_("summary due within (working days of completion)"), min_value=0, max_value=60
    )
    acknowledge_within_days = forms.IntegerField(
        label=_("departments acknowledge within (working days)"), min_value=0, max_value=60
    )
    at_risk_within_days = forms.IntegerField(
        label=_("work is at risk when due within (working days)"), min_value=0, max_value=60
    )
    version = forms.IntegerField(widget=forms.HiddenInput)


class OrderKindForm(Form):
    code = forms.CharField(label=_("code"), max_length=32, required=False)
    name_zh = forms.CharField(label=_("name (Chinese)"), max_length=100, required=False)
    name_en = forms.CharField(label=_("name (English)"), max_length=100, required=False)
    is_formal = forms.BooleanField(label=_("formal order"), required=False)
    order = forms.IntegerField(label=_("order"), min_value=0, max_value=32767, initial=0)
    is_active = forms.BooleanField(label=_("active"), required=False, initial=True)
