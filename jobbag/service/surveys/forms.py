"""Forms of the survey pages; they only parse input (the services validate again)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from jobbag.clients.models import Company, Contact
from jobbag.jobs.models import Job
from jobbag.service.forms import DateInput
from jobbag.service.models import Survey, SurveyQuestion, SurveyTemplate

JOB_UNKNOWN = _("No job of this client has this number.")
OPTIONS_HELP = _("Choice questions: one option per line.")
SCALE_HELP = {
    SurveyQuestion.Kind.SCALE5: _("1 = very dissatisfied, 5 = very satisfied"),
    SurveyQuestion.Kind.SCALE10: _("0 = not at all likely, 10 = extremely likely"),
}


def active_templates():
    return SurveyTemplate.objects.filter(is_active=True).order_by("name", "pk")


def contacts_of(company):
    return (
        Contact.objects.filter(company=company, is_active=True).exclude(email="").order_by("name")
    )


class SendForm(forms.Form):
    template = forms.ModelChoiceField(label=_("Template"), queryset=SurveyTemplate.objects.none())
    contact = forms.ModelChoiceField(label=_("Contact asked"), queryset=Contact.objects.none())
    job = forms.CharField(
        label=_("Job number (optional)"), max_length=40, required=False, strip=True
    )

    def __init__(self, *args, company, **kwargs):
        super().__init__(*args, **kwargs)
        self.company = company
        self.fields["template"].queryset = active_templates()
        self.fields["contact"].queryset = contacts_of(company)

    def clean_job(self):
        number = self.cleaned_data["job"]
        if not number:
            return None
        job = Job.objects.filter(company=self.company, number=number).first()
        if job is None:
            raise forms.ValidationError(JOB_UNKNOWN)
        return job


class PlanForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    template = forms.ModelChoiceField(label=_("Template"), queryset=SurveyTemplate.objects.none())
    contact = forms.ModelChoiceField(label=_("Contact asked"), queryset=Contact.objects.none())
    every_months = forms.IntegerField(label=_("Every (months)"), min_value=1, max_value=24)
    starts_on = forms.DateField(label=_("First survey on"), widget=DateInput, required=False)
    is_active = forms.BooleanField(label=_("Active"), required=False, initial=True)

    def __init__(self, *args, company, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["template"].queryset = active_templates()
        self.fields["contact"].queryset = contacts_of(company)


class TemplateForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    name = forms.CharField(label=_("Name"), max_length=200)
    introduction = forms.CharField(
        label=_("Introduction"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    for_completion = forms.BooleanField(label=_("Sent when a job completes"), required=False)


class QuestionForm(forms.Form):
    text = forms.CharField(label=_("Question"), max_length=300, required=False)
    kind = forms.ChoiceField(label=_("Kind"), choices=SurveyQuestion.Kind.choices)
    options = forms.CharField(
        label=_("Options"),
        required=False,
        help_text=OPTIONS_HELP,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    measure = forms.ChoiceField(
        label=_("Measures"), choices=SurveyQuestion.Measure.choices, required=False
    )
    required = forms.BooleanField(label=_("Required"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The table's header names the columns; each input still needs its own label.
        for field in self.fields.values():
            field.widget.attrs["aria-label"] = field.label

    def as_question(self) -> dict | None:
        data = self.cleaned_data
        if not data.get("text"):
            return None
        return {
            "text": data["text"],
            "kind": data["kind"],
            "options": [line.strip() for line in data.get("options", "").splitlines()],
            "measure": data.get("measure") or "",
            "required": data.get("required", False),
        }


QuestionFormSet = forms.formset_factory(QuestionForm, extra=0, max_num=30, absolute_max=30)
BLANK_ROWS = 3


def question_initial(template: SurveyTemplate | None) -> list[dict]:
    rows = []
    if template is not None:
        rows = [
            {
                "text": q.text,
                "kind": q.kind,
                "options": "\n".join(q.options),
                "measure": q.measure,
                "required": q.required,
            }
            for q in template.questions.all()
        ]
    return rows + [{"kind": SurveyQuestion.Kind.SCALE5, "required": True}] * BLANK_ROWS


class AnswerForm(forms.Form):
    """One field per question of the survey's template ("q_<question id>")."""

    def __init__(self, *args, questions, **kwargs):
        super().__init__(*args, **kwargs)
        self.questions = questions
        for question in questions:
            name = f"q_{question.pk}"
            if question.scale is not None:
                field = forms.ChoiceField(
                    choices=[(str(n), str(n)) for n in question.scale],
                    widget=forms.RadioSelect(attrs={"class": "scale"}),
                    help_text=SCALE_HELP[question.kind],
                )
            elif question.kind == SurveyQuestion.Kind.CHOICE:
                field = forms.ChoiceField(
                    choices=[(o, o) for o in question.options], widget=forms.RadioSelect
                )
            else:
                field = forms.CharField(max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))
            field.label = question.text
            field.required = question.required
            self.fields[name] = field

    def values(self) -> dict:
        """{question id: value} for the service (which checks everything again)."""
        return {
            question.pk: self.cleaned_data.get(f"q_{question.pk}") for question in self.questions
        }


class SurveyFilterForm(forms.Form):
    company = forms.ModelChoiceField(
        label=_("Client"), queryset=Company.objects.none(), required=False
    )
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", "—"), *Survey.Status.choices]
    )

    def __init__(self, *args, company_ids=None, **kwargs):
        super().__init__(*args, **kwargs)
        companies = Company.objects.order_by("code")
        if company_ids is not None:
            companies = companies.filter(pk__in=company_ids)
        self.fields["company"].queryset = companies
