"""Forms for companies, brands, contacts and service teams. They only parse input; the
services in clients.services hold every rule and report field errors back to them.

Text fields that a service checks (required, unique, format) are optional here, so that
the service reports every problem of a submission at once."""

from django import forms
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from jobbag.accounts.forms import DateInput, StaffChoiceField, staff_choices
from jobbag.accounts.models import ACCOUNT_LADDER, ClientGroup
from jobbag.clients.models import Brand, Company, Contact

ANY = [("", _("All"))]


class Form(forms.Form):
    """Labels reuse the models' lower-case verbose names, shown capitalised."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for form_field in self.fields.values():
            form_field.label = capfirst(form_field.label)


class VersionedForm(Form):
    """Carries the version the record was read at, so a stale edit is refused."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


def _text(label, max_length: int | None = None, **kwargs) -> forms.CharField:
    return forms.CharField(label=label, max_length=max_length, required=False, **kwargs)


def _area(label) -> forms.CharField:
    return forms.CharField(label=label, required=False, widget=forms.Textarea(attrs={"rows": 3}))


def _client_groups():
    return ClientGroup.objects.order_by("code")


class CompanyFilterForm(Form):
    q = _text(_("name, pinyin or code"), 100)
    status = forms.ChoiceField(
        label=_("status"), choices=ANY + Company.Status.choices, required=False
    )
    industry = forms.ChoiceField(label=_("industry"), choices=ANY, required=False)
    client_group = forms.ModelChoiceField(
        label=_("client group"),
        queryset=_client_groups(),
        required=False,
        empty_label=_("All"),
    )
    key = forms.BooleanField(label=_("key clients only"), required=False)
    mine = forms.BooleanField(label=_("clients I serve"), required=False)

    def __init__(self, *args, industries: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["industry"].choices = ANY + [(name, name) for name in industries]


class CompanyForm(VersionedForm):
    code = _text(_("client code"), help_text=_("Starts this client's job numbers, e.g. HAIER."))
    name = _text(_("name"), 200)
    name_en = _text(_("English name"), 200)
    short_name = _text(_("short name"), 50)
    status = forms.ChoiceField(label=_("status"), choices=Company.Status.choices)
    is_key_client = forms.BooleanField(label=_("key client"), required=False)
    client_group = forms.ModelChoiceField(
        label=_("client group"), queryset=_client_groups(), required=False
    )
    currency = _text(_("currency"))
    industry = _text(_("industry"), 100)
    founded_on = forms.DateField(label=_("founded"), widget=DateInput, required=False)
    registered_capital = forms.DecimalField(
        label=_("registered capital"), max_digits=16, decimal_places=2, required=False
    )
    fiscal_year_end_month = forms.IntegerField(label=_("fiscal year ends (month)"), required=False)
    annual_revenue = forms.DecimalField(
        label=_("annual revenue"), max_digits=16, decimal_places=2, required=False
    )
    product_mix = _area(_("product mix"))
    industry_position = _area(_("position in the industry"))
    headcount = forms.IntegerField(label=_("headcount"), required=False)
    sites = _area(_("sites"))
    plans = _area(_("plans"))
    bank = _text(_("bank and account"), 200)
    address = _text(_("address"), 300)
    phone = _text(_("phone"), 32)
    website = _text(_("website"), 200)
    notes = _area(_("notes"))


class BrandForm(VersionedForm):
    name = _text(_("name"), 200)
    name_en = _text(_("English name"), 200)
    category = _text(_("product category"), 100)
    client_group = forms.ModelChoiceField(
        label=_("client group"), queryset=_client_groups(), required=False
    )
    is_active = forms.BooleanField(label=_("active"), required=False, initial=True)


class ContactForm(VersionedForm):
    name = _text(_("name"), 100)
    title = _text(_("title"), 100)
    responsibility = _text(_("responsibility"), 200)
    brand = forms.ModelChoiceField(label=_("brand"), queryset=Brand.objects.none(), required=False)
    reports_to = forms.ModelChoiceField(
        label=_("reports to"), queryset=Contact.objects.none(), required=False
    )
    phone = _text(_("phone"), 32)
    mobile = _text(_("mobile"), 32)
    email = _text(_("e-mail"), 254)
    address = _text(_("address"), 300)
    background = _area(_("background"))
    is_decision_maker = forms.BooleanField(label=_("decision maker"), required=False)
    is_active = forms.BooleanField(label=_("active"), required=False, initial=True)

    def __init__(self, *args, company: Company, contact: Contact | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["brand"].queryset = Brand.objects.filter(company=company)
        others = Contact.objects.filter(company=company, is_active=True)
        if contact is not None:
            others = others.exclude(pk=contact.pk)
        self.fields["reports_to"].queryset = others.order_by("name")


def account_people():
    """Who can be put on a service team: active staff holding an account-ladder position.
    Only the fields a choice label reads are loaded: the list can be long."""
    return (
        staff_choices()
        .filter(position__role__in=ACCOUNT_LADDER)
        .only("id", "username", "full_name", "first_name", "last_name")
    )


class TeamMemberForm(Form):
    user = StaffChoiceField(label=_("staff member"), queryset=account_people())
    team_role = forms.ChoiceField(
        label=_("role on the team"), choices=[(r.value, r.label) for r in ACCOUNT_LADDER]
    )
    brand = forms.ModelChoiceField(
        label=_("brand"),
        queryset=Brand.objects.none(),
        required=False,
        empty_label=_("The whole client"),
    )
    starts_on = forms.DateField(label=_("from"), widget=DateInput, required=False)

    def __init__(self, *args, company: Company, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["brand"].queryset = Brand.objects.filter(company=company)


class TeamEndForm(Form):
    ends_on = forms.DateField(label=_("until"), widget=DateInput, required=False)
