"""Forms of change notices. They only parse input: jobs.services.changes holds every rule
(and drops requirements whose new value equals the current one)."""

from django import forms
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from jobbag.accounts.models import Department
from jobbag.jobs.models import REQUIREMENT_FIELDS, Job


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")


class ChangeNoticeForm(forms.Form):
    what = forms.CharField(
        label=_("what changes"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    why = forms.CharField(label=_("why"), widget=forms.Textarea(attrs={"rows": 2}), required=False)
    requested_by = forms.CharField(label=_("asked for by"), max_length=100, required=False)
    requested_on = forms.DateField(label=_("asked for on"), widget=DateInput, required=False)
    departments = forms.ModelMultipleChoiceField(
        label=_("to departments"),
        queryset=Department.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["departments"].queryset = Department.objects.filter(is_active=True).order_by(
            "code"
        )
        # One field per requirement, holding its new value (the current one to start).
        for name in REQUIREMENT_FIELDS:
            model_field = Job._meta.get_field(name)
            label = _("New: %(field)s") % {"field": model_field.verbose_name}
            if name == "launch_date":
                field = forms.DateField(label=label, widget=DateInput, required=False)
            elif name == "theme":
                field = forms.CharField(label=label, max_length=200, required=False)
            else:
                field = forms.CharField(
                    label=label, widget=forms.Textarea(attrs={"rows": 2}), required=False
                )
            self.fields[f"new_{name}"] = field
        for field in self.fields.values():
            field.label = capfirst(field.label)

    def values(self) -> dict:
        data = self.cleaned_data
        return {
            "what": data["what"],
            "why": data["why"],
            "requested_by": data["requested_by"],
            "requested_on": data["requested_on"],
            "departments": list(data["departments"]),
            "changes": {name: data[f"new_{name}"] for name in REQUIREMENT_FIELDS},
        }


def requirement_initial(job: Job, changes: dict | None = None) -> dict:
    """The form's starting values: the job's requirements, or a draft's new values."""
    initial = {}
    for name in REQUIREMENT_FIELDS:
        if changes and name in changes:
            initial[f"new_{name}"] = changes[name][1]
        else:
            initial[f"new_{name}"] = getattr(job, name)
    return initial
