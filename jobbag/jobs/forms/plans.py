"""Forms of department plans and follow-up. They only parse input: jobs.services.plans
holds every rule."""

from django import forms
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from jobbag.accounts.models import Department, User
from jobbag.clients.models import Company
from jobbag.jobs.forms.changes import DateInput
from jobbag.jobs.models import FollowUpIssue, PlanTask


class Form(forms.Form):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.label = capfirst(field.label)


def _departments():
    return Department.objects.filter(is_active=True).order_by("code")


def _staff():
    return User.objects.filter(kind=User.Kind.STAFF, is_active=True).order_by(
        "full_name", "username"
    )


class PlanTaskForm(Form):
    department = forms.ModelChoiceField(
        label=_("department"), queryset=Department.objects.none(), required=False
    )
    title = forms.CharField(label=_("task"), max_length=200, required=False)
    owner = forms.ModelChoiceField(label=_("owner"), queryset=User.objects.none(), required=False)
    starts_on = forms.DateField(label=_("starts"), widget=DateInput, required=False)
    working_days = forms.IntegerField(
        label=_("working days"),
        min_value=1,
        max_value=365,
        required=False,
        help_text=_(
            "A 1-day task is due the day it starts; a start on a day off moves to the "
            "next working day."
        ),
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, creating: bool, departments=None, **kwargs):
        super().__init__(*args, **kwargs)
        if creating:
            self.fields["department"].queryset = departments or _departments()
        else:
            del self.fields["department"]
        self.fields["owner"].queryset = _staff()


class StatusForm(Form):
    status = forms.ChoiceField(label=_("status"), choices=PlanTask.Status.choices)
    version = forms.IntegerField(widget=forms.HiddenInput)


class IssueForm(Form):
    department = forms.ModelChoiceField(
        label=_("department"), queryset=Department.objects.none(), required=False
    )
    topic = forms.ChoiceField(label=_("topic"), choices=FollowUpIssue.Topic.choices)
    problem = forms.CharField(
        label=_("problem"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    answer_by = forms.DateField(label=_("answer by"), widget=DateInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["department"].queryset = _departments()


class AnswerForm(Form):
    answer = forms.CharField(
        label=_("answer"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )


class BoardFilterForm(Form):
    client = forms.ModelChoiceField(
        label=_("client"), queryset=Company.objects.none(), required=False
    )
    department = forms.ModelChoiceField(
        label=_("department"), queryset=Department.objects.none(), required=False
    )
    owner = forms.ModelChoiceField(label=_("owner"), queryset=User.objects.none(), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["client"].queryset = Company.objects.order_by("code")
        self.fields["department"].queryset = _departments()
        self.fields["owner"].queryset = _staff()
