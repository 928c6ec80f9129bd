"""Forms of the sign-off pages. They only parse; the services decide (a missing reason,
a wrong signer, a date in the future are the services' refusals)."""

from django import forms
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from jobbag.accounts.models import Department, Position, Role, User
from jobbag.approvals import registry
from jobbag.approvals.models import Decision, MemberKind, StepKind
from jobbag.clients.models import Company


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")


class Form(forms.Form):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.label = capfirst(field.label)


class DecisionForm(Form):
    outcome = forms.ChoiceField(label=_("decision"), choices=Decision.Outcome.choices)
    reason = forms.CharField(
        label=_("reason"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text=_("Required when you reject or return the document."),
    )
    revision = forms.IntegerField(widget=forms.HiddenInput, required=False)


class ClientDecisionForm(Form):
    outcome = forms.ChoiceField(
        label=_("decision"),
        choices=[
            (Decision.Outcome.APPROVE, _("Approve and sign")),
            (Decision.Outcome.RETURN, _("Ask for changes")),
        ],
        widget=forms.RadioSelect,
        initial=Decision.Outcome.APPROVE,
    )
    reason = forms.CharField(
        label=_("comments"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text=_("Required when you ask for changes."),
    )
    revision = forms.IntegerField(widget=forms.HiddenInput, required=False)


class SignedCopyForm(Form):
    file = forms.FileField(label=_("client's signed copy"), required=False)
    client_signer = forms.CharField(label=_("signed by (client)"), max_length=100, required=False)
    signed_on = forms.DateField(label=_("signed on"), widget=DateInput, required=False)


def _document_type_choices():
    return [("", "—")] + [
        (kind.document_type, f"{kind.label} ({kind.document_type})")
        for kind in registry.document_types()
    ]


class PolicyForm(Form):
    document_type = forms.ChoiceField(label=_("document type"), choices=(), required=False)
    name = forms.CharField(label=_("name"), max_length=100, required=False)
    company = forms.ModelChoiceField(
        label=_("only for client"), queryset=Company.objects.order_by("code"), required=False
    )
    department = forms.ModelChoiceField(
        label=_("only for department"), queryset=Department.objects.all(), required=False
    )
    above_amount = forms.DecimalField(
        label=_("amount above"), max_digits=14, decimal_places=2, required=False
    )
    up_to_amount = forms.DecimalField(
        label=_("amount up to"), max_digits=14, decimal_places=2, required=False
    )
    currency = forms.CharField(label=_("currency"), max_length=3, initial="CNY", required=False)
    is_active = forms.BooleanField(label=_("active"), initial=True, required=False)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["document_type"].choices = _document_type_choices()


class MemberForm(Form):
    member_kind = forms.ChoiceField(
        label=_("who"), choices=[("", "—"), *MemberKind.choices], required=False
    )
    user = forms.ModelChoiceField(
        label=_("person"),
        queryset=User.objects.filter(kind=User.Kind.STAFF, is_active=True).order_by("username"),
        required=False,
    )
    position = forms.ModelChoiceField(
        label=_("position"), queryset=Position.objects.all(), required=False
    )
    department = forms.ModelChoiceField(
        label=_("department (empty: the document's own)"),
        queryset=Department.objects.all(),
        required=False,
    )
    team_role = forms.ChoiceField(
        label=_("team role"), choices=[("", "—"), *Role.choices], required=False
    )


class StepForm(MemberForm):
    kind = forms.ChoiceField(label=_("kind"), choices=StepKind.choices)
    label = forms.CharField(label=_("label"), max_length=100, required=False)
    checks_authority = forms.BooleanField(label=_("checks authority limits"), required=False)

    field_order = ["kind", "label", "checks_authority", "member_kind"]


class StepEditForm(Form):
    label = forms.CharField(label=_("label"), max_length=100, required=False)
    checks_authority = forms.BooleanField(label=_("checks authority limits"), required=False)


class SettingsForm(Form):
    remind_after_days = forms.IntegerField(
        label=_("remind signers after (working days)"), min_value=1, max_value=30
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
