"""Forms of the action register. They only parse input: meetings.services.actions checks
every rule and reports field errors back to these forms."""

from django import forms
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from jobbag.accounts.models import User
from jobbag.clients.models import Company, Contact
from jobbag.jobs.models import Job
from jobbag.meetings.models import Action, Side
from jobbag.meetings.selectors.actions import DUE_OVERDUE, DUE_TODAY, DUE_WEEK


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")


class CompanyChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Company) -> str:
        return f"{obj.code} · {obj.name}"


class PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: User) -> str:
        return f"{obj} ({obj.username})"


class JobChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Job) -> str:
        return f"{obj.number or '—'} · {obj.title}"


def active_staff():
    return User.objects.filter(kind=User.Kind.STAFF, is_active=True).order_by("full_name", "pk")


def _capitalise(form: forms.Form) -> None:
    for field in form.fields.values():
        field.label = capfirst(field.label)


class CompanyPickForm(forms.Form):
    """The first step of a new action: whose action it is."""

    company = CompanyChoiceField(label=_("client"), queryset=Company.objects.none())

    def __init__(self, *args, companies, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["company"].queryset = companies
        _capitalise(self)


class ActionForm(forms.Form):
    job = JobChoiceField(label=_("job"), queryset=Job.objects.none(), required=False)
    text = forms.CharField(
        label=_("action"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    side = forms.ChoiceField(label=_("side"), choices=Side.choices, required=False)
    owner = PersonChoiceField(label=_("owner (ours)"), queryset=User.objects.none(), required=False)
    owner_contact = forms.ModelChoiceField(
        label=_("owner (client side)"), queryset=Contact.objects.none(), required=False
    )
    due_on = forms.DateField(label=_("due"), widget=DateInput, required=False)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, company: Company, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["job"].queryset = Job.objects.filter(company=company).order_by(
            "-received_on", "-pk"
        )
        self.fields["owner"].queryset = active_staff()
        self.fields["owner_contact"].queryset = Contact.objects.filter(
            company=company, is_active=True
        ).order_by("name", "pk")
        _capitalise(self)


class CloseForm(forms.Form):
    note = forms.CharField(label=_("closing note"), max_length=300, required=False)


class CancelForm(forms.Form):
    reason = forms.CharField(label=_("reason"), max_length=300, required=False)


STATUS_FILTERS = [
    ("", _("All")),
    (Action.Status.OPEN, _("Open")),
    (Action.Status.DONE, _("Done")),
    (Action.Status.CANCELLED, _("Cancelled")),
]
DUE_FILTERS = [
    ("", _("Any time")),
    (DUE_OVERDUE, _("Overdue")),
    (DUE_TODAY, _("Due today")),
    (DUE_WEEK, _("Due within a week")),
]
SIDE_FILTERS = [("", _("Both")), *Side.choices]


class _FilterForm(forms.Form):
    def values(self) -> dict:
        """The valid fields' values (invalid ones ignored)."""
        if not self.is_bound:
            return {}
        self.is_valid()
        return dict(getattr(self, "cleaned_data", {}))


class MyActionsFilter(_FilterForm):
    status = forms.ChoiceField(label=_("status"), choices=STATUS_FILTERS, required=False)
    company = CompanyChoiceField(
        label=_("client"), queryset=Company.objects.none(), required=False, empty_label=_("All")
    )
    due = forms.ChoiceField(label=_("due"), choices=DUE_FILTERS, required=False)

    def __init__(self, *args, companies, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["company"].queryset = companies
        _capitalise(self)

    def filters(self) -> dict:
        data = self.values()
        return {
            "status": data.get("status") or "",
            "company": data["company"].pk if data.get("company") else None,
            "due": data.get("due") or "",
        }


class RegisterFilter(_FilterForm):
    status = forms.ChoiceField(label=_("status"), choices=STATUS_FILTERS, required=False)
    company = CompanyChoiceField(
        label=_("client"), queryset=Company.objects.none(), required=False, empty_label=_("All")
    )
    job = forms.CharField(label=_("job number"), max_length=40, required=False)
    owner = PersonChoiceField(
        label=_("owner"), queryset=User.objects.none(), required=False, empty_label=_("All")
    )
    side = forms.ChoiceField(label=_("side"), choices=SIDE_FILTERS, required=False)
    overdue = forms.BooleanField(label=_("only overdue"), required=False)

    def __init__(self, *args, companies, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["company"].queryset = companies
        self.fields["owner"].queryset = active_staff()
        _capitalise(self)

    def filters(self) -> dict:
        data = self.values()
        return {
            "status": data.get("status") or "",
            "company": data["company"].pk if data.get("company") else None,
            "job": data.get("job") or "",
            "owner": data["owner"].pk if data.get("owner") else None,
            "side": data.get("side") or "",
            "overdue": bool(data.get("overdue")),
        }
