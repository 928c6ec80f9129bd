"""Forms of contact reports. They only parse input: meetings.services.reports checks
every rule (who, which client's people, dates) and reports field errors back here."""

from django import forms
from django.forms import formset_factory
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from jobbag.accounts.models import User
from jobbag.clients.models import Company, Contact
from jobbag.jobs.models import Job
from jobbag.meetings.models import ContactReport, Side
from jobbag.meetings.permissions.common import company_ids, is_manager


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%dT%H:%M")


class ContactChoice(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        title = f" ({obj.title})" if obj.title else ""
        return f"{obj.company.code} · {obj.name}{title}"


class JobChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.company.code} · {obj.number or ''} {obj.title}".strip()


def workable_companies(user):
    """The clients `user` writes reports for."""
    companies = Company.objects.order_by("code")
    if is_manager(user):
        return companies
    ids = company_ids(user)
    return companies if ids is None else companies.filter(pk__in=ids)


def active_staff():
    return User.objects.filter(kind=User.Kind.STAFF, is_active=True).order_by("full_name", "pk")


def _capfirst(form: forms.Form) -> None:
    for field in form.fields.values():
        field.label = capfirst(field.label)


class ReportCreateForm(forms.Form):
    """A report of a phone call or other contact (a meeting's report starts from it)."""

    source = forms.ChoiceField(
        label=_("kind of contact"),
        choices=[
            (ContactReport.Source.PHONE, ContactReport.Source.PHONE.label),
            (ContactReport.Source.OTHER, ContactReport.Source.OTHER.label),
        ],
        required=False,
    )
    company = forms.ModelChoiceField(label=_("client"), queryset=Company.objects.none())
    job = JobChoice(label=_("job"), queryset=Job.objects.none(), required=False)
    occurred_at = forms.DateTimeField(label=_("when"), widget=DateTimeInput)
    subject = forms.CharField(label=_("subject"), max_length=200)
    place = forms.CharField(label=_("place"), max_length=100, required=False)
    staff = forms.ModelMultipleChoiceField(
        label=_("our people"), queryset=User.objects.none(), required=False
    )
    contacts = ContactChoice(
        label=_("their people"), queryset=Contact.objects.none(), required=False
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        companies = workable_companies(user)
        self.fields["company"].queryset = companies
        self.fields["job"].queryset = (
            Job.objects.filter(company__in=companies)
            .select_related("company")
            .order_by("company__code", "-pk")
        )
        self.fields["staff"].queryset = active_staff()
        self.fields["contacts"].queryset = (
            Contact.objects.filter(company__in=companies, is_active=True)
            .select_related("company")
            .order_by("company__code", "name")
        )
        _capfirst(self)


class ReportForm(forms.Form):
    """A draft's own fields; decisions and actions are the formsets below."""

    subject = forms.CharField(label=_("subject"), max_length=200)
    place = forms.CharField(label=_("place"), max_length=100, required=False)
    discussion = forms.CharField(
        label=_("discussion"), widget=forms.Textarea(attrs={"rows": 6}), required=False
    )
    staff = forms.ModelMultipleChoiceField(
        label=_("our people"), queryset=User.objects.none(), required=False
    )
    contacts = ContactChoice(
        label=_("their people"), queryset=Contact.objects.none(), required=False
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, report: ContactReport, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["staff"].queryset = active_staff()
        self.fields["contacts"].queryset = client_contacts(report)
        _capfirst(self)


def client_contacts(report: ContactReport):
    return (
        Contact.objects.filter(company_id=report.company_id, is_active=True)
        .select_related("company")
        .order_by("name")
    )


class DecisionForm(forms.Form):
    text = forms.CharField(
        label=_("decision"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )


class ActionForm(forms.Form):
    text = forms.CharField(label=_("action"), max_length=2000, required=False)
    side = forms.ChoiceField(label=_("side"), choices=[("", "—"), *Side.choices], required=False)
    owner = forms.ModelChoiceField(
        label=_("owner (ours)"), queryset=User.objects.none(), required=False
    )
    owner_contact = forms.ModelChoiceField(
        label=_("owner (client side)"), queryset=Contact.objects.none(), required=False
    )
    due_on = forms.DateField(label=_("due"), widget=DateInput, required=False)

    def __init__(self, *args, staff=None, contacts=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = staff if staff is not None else active_staff()
        self.fields["owner_contact"].queryset = (
            contacts if contacts is not None else Contact.objects.none()
        )
        _capfirst(self)

    def is_blank(self) -> bool:
        data = getattr(self, "cleaned_data", {}) or {}
        return not any(data.get(name) for name in ("text", "side", "owner", "owner_contact"))


DecisionFormSet = formset_factory(DecisionForm, extra=2)
ActionFormSet = formset_factory(ActionForm, extra=3)


class AddendumForm(forms.Form):
    text = forms.CharField(
        label=_("correction"), widget=forms.Textarea(attrs={"rows": 4}), required=False
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _capfirst(self)


class ReportFilterForm(forms.Form):
    client = forms.ModelChoiceField(
        label=_("client"), queryset=Company.objects.none(), required=False
    )
    status = forms.ChoiceField(
        label=_("status"), choices=[("", "—"), *ContactReport.Status.choices], required=False
    )
    overdue = forms.BooleanField(label=_("overdue drafts only"), required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        ids = company_ids(user)
        companies = Company.objects.order_by("code")
        self.fields["client"].queryset = companies if ids is None else companies.filter(pk__in=ids)
        _capfirst(self)

    def filters(self) -> dict:
        if not self.is_valid():
            return {}
        data = self.cleaned_data
        return {
            "company_id": data["client"].pk if data.get("client") else None,
            "status": data.get("status") or None,
            "overdue": bool(data.get("overdue")),
        }
