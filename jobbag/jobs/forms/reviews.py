"""Forms of reviews. They only parse input: jobs.services.reviews checks every rule and
reports field errors back to these forms."""

from django import forms
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from jobbag.accounts.models import Department
from jobbag.jobs.models import Review

# Departments that never receive duties from a review: they run the agency, not the job.
NOT_RECEIVING = {
    Department.Kind.ACCOUNT,
    Department.Kind.FINANCE,
    Department.Kind.ADMINISTRATION,
    Department.Kind.MANAGEMENT,
}


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")


def receiving_departments():
    return Department.objects.filter(is_active=True).exclude(kind__in=NOT_RECEIVING)


class ReviewForm(forms.Form):
    kind = forms.ChoiceField(label=_("kind"), choices=Review.Kind.choices, required=False)
    held_on = forms.DateField(label=_("held on"), widget=DateInput, required=False)
    place = forms.CharField(label=_("place"), max_length=100, required=False)
    attendees = forms.CharField(
        label=_("attendees"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    minutes = forms.CharField(
        label=_("minutes"), widget=forms.Textarea(attrs={"rows": 6}), required=False
    )
    open_questions = forms.CharField(
        label=_("open questions for the client"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, review: Review | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        existing = {d.department_id: d.duties for d in review.duties.all()} if review else {}
        self.departments = list(receiving_departments())
        for department in self.departments:
            self.fields[f"duty_{department.pk}"] = forms.CharField(
                label=_("Duties of %(department)s") % {"department": department},
                widget=forms.Textarea(attrs={"rows": 2}),
                required=False,
                initial=existing.get(department.pk, ""),
            )
        for field in self.fields.values():
            field.label = capfirst(field.label)

    def clean(self):
        cleaned = super().clean()
        cleaned["duties"] = [
            {"department": d, "duties": cleaned.pop(f"duty_{d.pk}", "") or ""}
            for d in self.departments
        ]
        return cleaned
