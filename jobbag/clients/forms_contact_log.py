"""Forms of the contact log. They only parse input; the rules live in
jobbag.clients.services.contact_log."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jobbag.accounts.models import User
from jobbag.clients.models import Company, ContactLogEntry

DATETIME_LOCAL = "%Y-%m-%dT%H:%M"


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs) -> None:
        super().__init__(format="%Y-%m-%d", **kwargs)


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs) -> None:
        super().__init__(format=DATETIME_LOCAL, **kwargs)


class StaffChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: User) -> str:
        return obj.display_name


class ContactLogForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Kind"), choices=ContactLogEntry.Kind.choices, widget=forms.RadioSelect
    )
    occurred_at = forms.DateTimeField(
        label=_("When"), input_formats=[DATETIME_LOCAL, "%Y-%m-%d %H:%M"], widget=DateTimeInput()
    )
    brand = forms.ModelChoiceField(label=_("Brand"), queryset=None, required=False)
    staff = StaffChoiceField(
        label=_("Our people"),
        queryset=None,
        required=False,
        help_text=_("You are always included."),
    )
    contacts = forms.ModelMultipleChoiceField(
        label=_("Their people"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    # Required by the service, which gives the message; the form lets it through.
    discussed = forms.CharField(
        label=_("What was discussed"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    next_step = forms.CharField(
        label=_("Next step"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    next_step_due = forms.DateField(label=_("Next step by"), required=False, widget=DateInput())
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, company: Company, editing: bool = False, **kwargs) -> None:
        kwargs.setdefault("initial", {})
        kwargs["initial"].setdefault("kind", ContactLogEntry.Kind.VISIT)
        kwargs["initial"].setdefault(
            "occurred_at", timezone.localtime().replace(second=0, microsecond=0)
        )
        super().__init__(*args, **kwargs)
        self.fields["brand"].queryset = company.brands.filter(is_active=True)
        self.fields["staff"].queryset = User.objects.filter(
            kind=User.Kind.STAFF, is_active=True
        ).order_by("full_name", "username")
        self.fields["contacts"].queryset = company.contacts.filter(is_active=True).order_by("name")
        self.fields["version"].required = editing

    def service_values(self) -> dict:
        """The cleaned values as the services take them."""
        values = dict(self.cleaned_data)
        values.pop("version", None)
        values["staff"] = list(values["staff"])
        values["contacts"] = list(values["contacts"])
        return values


class NoContactDaysForm(forms.Form):
    no_contact_days = forms.IntegerField(
        label=_("Flag clients not contacted for (days)"), min_value=1, max_value=365
    )
    version = forms.IntegerField(widget=forms.HiddenInput)
