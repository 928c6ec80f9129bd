"""Forms of the commission, target and bonus pages. They only parse;
finance.services.incentives decides (shares adding up to 100%, amounts, who may)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from jobbag.accounts.models import User
from jobbag.finance.forms.credit import DateInput
from jobbag.finance.forms.reference import Form
from jobbag.finance.models import Commission, Participant


class PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: User) -> str:
        return f"{obj} ({obj.username})"


def staff_people():
    return User.objects.filter(kind=User.Kind.STAFF, is_active=True).order_by("full_name", "pk")


class PeriodForm(Form):
    period = forms.ChoiceField(label=_("period"), required=False)

    def __init__(self, *args, choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["period"].choices = choices


class CommissionFilter(PeriodForm):
    user = PersonChoiceField(label=_("staff member"), queryset=User.objects.none(), required=False)
    status = forms.ChoiceField(
        label=_("status"), choices=[("", "—"), *Commission.Status.choices], required=False
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = staff_people()


class CommissionRuleForm(Form):
    code = forms.CharField(label=_("code"), max_length=32)
    name = forms.CharField(label=_("name"), max_length=100)
    rate = forms.DecimalField(
        label=_("rate (percent of the contract)"), max_digits=5, decimal_places=2, min_value=0
    )
    is_active = forms.BooleanField(label=_("active"), required=False, initial=True)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for participant, label in Participant.choices:
            self.fields[f"share_{participant}"] = forms.DecimalField(
                label=_("share of %(participant)s (%%)") % {"participant": label},
                max_digits=5,
                decimal_places=2,
                min_value=0,
                required=False,
            )

    def clean(self):
        data = super().clean()
        shares = {p: data.pop(f"share_{p}", None) for p in Participant.values}
        data["shares"] = {p: share for p, share in shares.items() if share}
        return data


class CommissionCreditForm(Form):
    participant = forms.ChoiceField(label=_("participant"), choices=Participant.choices)
    user = PersonChoiceField(
        label=_("staff member"),
        queryset=User.objects.none(),
        required=False,
        help_text=_("Leave empty to go back to the default (owner or service team)."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = staff_people()


class PaidForm(Form):
    paid_on = forms.DateField(label=_("paid out on"), widget=DateInput, required=False)


class YearForm(Form):
    year = forms.IntegerField(label=_("year"), min_value=2000, max_value=2100, required=False)


class TargetForm(Form):
    user = PersonChoiceField(label=_("staff member"), queryset=User.objects.none())
    year = forms.IntegerField(label=_("year"), min_value=2000, max_value=2100)
    annual_amount = forms.DecimalField(label=_("annual target"), max_digits=14, decimal_places=2)
    quarterly_minimum = forms.DecimalField(
        label=_("quarterly minimum"), max_digits=14, decimal_places=2, required=False
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = staff_people()


class BonusTierForm(Form):
    year = forms.IntegerField(label=_("year"), min_value=2000, max_value=2100)
    min_margin = forms.DecimalField(
        label=_("gross margin from"), max_digits=14, decimal_places=2, min_value=0
    )
    rate = forms.DecimalField(
        label=_("bonus (percent of gross margin)"), max_digits=5, decimal_places=2, min_value=0
    )
