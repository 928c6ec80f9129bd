"""Forms for people and organisation. They only parse input into values; the services
in accounts.services hold every rule and report field errors back to these forms.

Text fields that a service checks (required, unique, format) are optional here, so that
the service reports every problem of a submission at once."""

from django import forms
from django.conf import settings
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from jobbag.accounts.models import (
    ACCOUNT_LADDER,
    AuthorityLimit,
    Department,
    Position,
    Role,
    User,
)


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")


def staff_choices():
    return User.objects.filter(kind=User.Kind.STAFF, is_active=True).order_by(
        "full_name", "username"
    )


class StaffChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: User) -> str:
        return f"{obj} ({obj.username})"


class StaffMultipleChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: User) -> str:
        return f"{obj} ({obj.username})"


class Form(forms.Form):
    """Labels reuse the models' lower-case verbose names, shown capitalised."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.label = capfirst(field.label)


class VersionedForm(Form):
    """Carries the version the record was read at, so a stale edit is refused."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class DepartmentForm(VersionedForm):
    code = forms.CharField(label=_("code"), max_length=32, required=False)
    name_zh = forms.CharField(label=_("name (Chinese)"), max_length=100, required=False)
    name_en = forms.CharField(label=_("name (English)"), max_length=100, required=False)
    kind = forms.ChoiceField(label=_("kind"), choices=Department.Kind.choices)
    parent = forms.ModelChoiceField(
        label=_("part of"), queryset=Department.objects.order_by("code"), required=False
    )
    head = StaffChoiceField(label=_("head"), queryset=staff_choices(), required=False)
    is_active = forms.BooleanField(label=_("active"), required=False)

    def __init__(self, *args, creating: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if creating:
            # A new department is active; closing one is an edit.
            del self.fields["is_active"]


class PositionForm(VersionedForm):
    code = forms.CharField(label=_("code"), max_length=32, required=False)
    name_zh = forms.CharField(label=_("name (Chinese)"), max_length=100, required=False)
    name_en = forms.CharField(label=_("name (English)"), max_length=100, required=False)
    role = forms.ChoiceField(label=_("role"), choices=Role.choices)
    department = forms.ModelChoiceField(
        label=_("department"), queryset=Department.objects.order_by("code"), required=False
    )
    is_approver = forms.BooleanField(
        label=_("approves documents"),
        required=False,
        help_text=_("Holders sign off documents; a second factor may be required of them."),
    )


class ClientGroupForm(VersionedForm):
    code = forms.CharField(label=_("code"), max_length=32, required=False)
    name_zh = forms.CharField(label=_("name (Chinese)"), max_length=100, required=False)
    name_en = forms.CharField(label=_("name (English)"), max_length=100, required=False)
    department = forms.ModelChoiceField(
        label=_("department"), queryset=Department.objects.order_by("code"), required=False
    )
    leader = StaffChoiceField(label=_("leader"), queryset=staff_choices(), required=False)
    members = StaffMultipleChoiceField(
        label=_("members"),
        queryset=User.objects.filter(kind=User.Kind.STAFF).order_by("full_name", "username"),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 10}),
    )


class ServiceTeamForm(Form):
    user = StaffChoiceField(label=_("staff member"), queryset=staff_choices())
    team_role = forms.ChoiceField(
        label=_("role on the team"),
        choices=[(r.value, r.label) for r in ACCOUNT_LADDER],
    )
    starts_on = forms.DateField(label=_("from"), widget=DateInput, required=False)


class ServiceTeamEndForm(Form):
    ends_on = forms.DateField(label=_("until"), widget=DateInput, required=False)


class UserForm(VersionedForm):
    """A staff member's details; `username` and `password` only when creating."""

    username = forms.CharField(label=_("username"), max_length=150, required=False)
    full_name = forms.CharField(label=_("full name"), max_length=100, required=False)
    email = forms.EmailField(label=_("e-mail"), required=False)
    phone = forms.CharField(label=_("phone"), max_length=32, required=False)
    mobile = forms.CharField(label=_("mobile"), max_length=32, required=False)
    department = forms.ModelChoiceField(
        label=_("department"), queryset=Department.objects.order_by("code"), required=False
    )
    position = forms.ModelChoiceField(
        label=_("position"), queryset=Position.objects.order_by("code"), required=False
    )
    reports_to = StaffChoiceField(label=_("reports to"), queryset=staff_choices(), required=False)
    language = forms.ChoiceField(label=_("language"), choices=settings.LANGUAGES)
    is_superuser = forms.BooleanField(
        label=_("system administrator"),
        required=False,
        help_text=_("Manages the organisation, users and settings."),
    )
    password = forms.CharField(
        label=_("initial password"),
        required=False,
        strip=False,
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "new-password"}),
        help_text=_(
            "Optional. Left empty, the person sets their own password through "
            "“Forgotten your password?” on the sign-in page."
        ),
    )

    def __init__(self, *args, creating: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        if not creating:
            del self.fields["username"]
            del self.fields["password"]


class DeputyForm(Form):
    """Names a deputy; `principal` is offered to admins only (others name their own)."""

    principal = StaffChoiceField(label=_("absent person"), queryset=staff_choices())
    deputy = StaffChoiceField(label=_("deputy"), queryset=staff_choices(), required=False)
    starts_on = forms.DateField(label=_("from"), widget=DateInput, required=False)
    ends_on = forms.DateField(label=_("until"), widget=DateInput, required=False)
    reason = forms.CharField(label=_("reason"), max_length=200, required=False)

    def __init__(self, *args, for_anyone: bool = False, exclude: User | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        if not for_anyone:
            del self.fields["principal"]
        if exclude is not None:
            self.fields["deputy"].queryset = staff_choices().exclude(pk=exclude.pk)


class AuthorityLimitForm(VersionedForm):
    position = forms.ModelChoiceField(
        label=_("position"), queryset=Position.objects.order_by("code")
    )
    document_type = forms.CharField(
        label=_("document type"),
        max_length=40,
        required=False,
        help_text=_("The kind of document approved, e.g. quote, work_order, invoice."),
    )
    currency = forms.CharField(label=_("currency"), max_length=3, initial="CNY", required=False)
    max_amount = forms.DecimalField(
        label=_("up to amount"),
        max_digits=14,
        decimal_places=2,
        required=False,
        help_text=AuthorityLimit._meta.get_field("max_amount").help_text,
    )

    def __init__(self, *args, creating: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        if not creating:
            # Only the amount changes; another position or document type is another limit.
            for name in ("position", "document_type", "currency"):
                self.fields[name].disabled = True


class DirectoryFilterForm(Form):
    q = forms.CharField(label=_("Search"), required=False)
    department = forms.ModelChoiceField(
        label=_("department"),
        queryset=Department.objects.none(),
        required=False,
        empty_label=_("All departments"),
    )
    role = forms.ChoiceField(
        label=_("role"), choices=[("", _("All roles")), *Role.choices], required=False
    )

    def __init__(self, *args, departments=None, **kwargs):
        super().__init__(*args, **kwargs)
        if departments is not None:
            self.fields["department"].queryset = departments
