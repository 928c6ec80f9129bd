"""Forms for the pipeline. They only parse input; pipeline.services holds every rule and
reports field errors back to these forms, so text the service checks is optional here."""

from django import forms
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from jobbag.accounts.models import ClientGroup, User
from jobbag.pipeline.models import OPEN_STAGES, Source, Stage


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")


class PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: User) -> str:
        return f"{obj} ({obj.username})"


class Form(forms.Form):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.label = capfirst(field.label)


class ProspectForm(Form):
    name = forms.CharField(label=_("name"), max_length=200, required=False)
    industry = forms.CharField(label=_("industry"), max_length=100, required=False)
    source = forms.ChoiceField(
        label=_("source"), choices=[("", "—"), *Source.choices], required=False
    )
    stage = forms.ChoiceField(
        label=_("stage"), choices=[(s.value, s.label) for s in OPEN_STAGES], required=False
    )
    owner = PersonChoiceField(label=_("owner"), queryset=User.objects.none(), required=False)
    expected_value = forms.DecimalField(
        label=_("expected value"), min_value=0, max_digits=14, decimal_places=2, required=False
    )
    currency = forms.CharField(label=_("currency"), max_length=3, initial="CNY", required=False)
    probability = forms.IntegerField(
        label=_("probability (%)"), min_value=0, max_value=100, initial=10, required=False
    )
    expected_close_on = forms.DateField(
        label=_("expected close date"), widget=DateInput, required=False
    )
    contact_name = forms.CharField(label=_("contact person"), max_length=100, required=False)
    contact_title = forms.CharField(label=_("contact's title"), max_length=100, required=False)
    contact_phone = forms.CharField(label=_("contact's phone"), max_length=32, required=False)
    contact_email = forms.CharField(label=_("contact's e-mail"), max_length=254, required=False)
    notes = forms.CharField(
        label=_("notes"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, owners, creating: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = owners
        if not creating:
            # The stage changes through moves, never through an edit.
            del self.fields["stage"]

    def values(self) -> dict:
        data = dict(self.cleaned_data)
        data.pop("version", None)
        if data.get("expected_value") is None:
            data["expected_value"] = 0
        if data.get("probability") is None:
            data["probability"] = 0
        if not data.get("stage"):
            data.pop("stage", None)
        return data


class MoveForm(Form):
    to = forms.ChoiceField(label=_("move to"), choices=Stage.choices)
    note = forms.CharField(
        label=_("note"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        help_text=_("Required when moving back."),
    )
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, choices=None, **kwargs):
        super().__init__(*args, **kwargs)
        if choices is not None:
            self.fields["to"].choices = choices


class WinForm(Form):
    code = forms.CharField(
        label=_("client code"),
        max_length=12,
        required=False,
        help_text=_(
            "2 to 12 capital letters or digits, starting with a letter, e.g. HAIER. "
            "Job numbers start with it."
        ),
    )
    company_name = forms.CharField(label=_("client name"), max_length=200, required=False)
    client_group = forms.ModelChoiceField(
        label=_("client group"), queryset=ClientGroup.objects.order_by("code"), required=False
    )
    reason = forms.CharField(
        label=_("why we won"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    version = forms.IntegerField(widget=forms.HiddenInput)


class ReasonForm(Form):
    reason = forms.CharField(
        label=_("reason"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    version = forms.IntegerField(widget=forms.HiddenInput)


class FilterForm(Form):
    STATE_CHOICES = [
        ("", _("All")),
        ("open", _("In progress")),
        ("won", _("Won")),
        ("lost", _("Lost")),
    ]

    state = forms.ChoiceField(label=_("state"), choices=STATE_CHOICES, required=False)
    stage = forms.ChoiceField(
        label=_("stage"), choices=[("", _("All")), *Stage.choices], required=False
    )
    owner = PersonChoiceField(
        label=_("owner"), queryset=User.objects.none(), required=False, empty_label=_("All")
    )

    def __init__(self, *args, owners, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = owners
