"""Forms of the service pages and the portal; the services validate again."""

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from jobbag.accounts.models import ACCOUNT_LADDER, MANAGEMENT_ROLES, ServiceTeamMembership, User
from jobbag.clients.models import Brand, Company, Contact
from jobbag.jobs.models import Job
from jobbag.service.models import Complaint, ComplaintCategory, ReturnVisit, Severity

JOB_UNKNOWN = _("No job of this client has this number.")
STATUS_OPEN = "open"


class DateInput(forms.DateInput):
    """A browser date picker, whose value is always ISO (whatever the language)."""

    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")


def staff_choices():
    return User.objects.filter(kind=User.Kind.STAFF, is_active=True).order_by("full_name", "pk")


def assignee_choices(company_ids, user):
    """Whom the list filters by: the service teams of the clients the user sees (and the
    user), rather than every member of staff."""
    if company_ids is None:
        return staff_choices().filter(position__role__in=[*ACCOUNT_LADDER, *MANAGEMENT_ROLES])
    teams = ServiceTeamMembership.objects.filter(
        Q(company__in=company_ids)
        | Q(brand__company__in=company_ids)
        | Q(client_group__in=Company.objects.filter(pk__in=company_ids).values("client_group"))
    )
    whom = Q(pk__in=teams.values("user"))
    if user is not None:
        whom |= Q(pk=user.pk)
    return staff_choices().filter(whom)


def categories():
    return ComplaintCategory.objects.filter(is_active=True)


class VersionForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)


class ComplaintFilterForm(forms.Form):
    company = forms.ModelChoiceField(
        label=_("Client"), queryset=Company.objects.none(), required=False
    )
    status = forms.ChoiceField(label=_("Status"), required=False)
    severity = forms.ChoiceField(
        label=_("Severity"), required=False, choices=[("", "—"), *Severity.choices]
    )
    category = forms.ModelChoiceField(
        label=_("Category"), queryset=ComplaintCategory.objects.all(), required=False
    )
    assignee = forms.ModelChoiceField(
        label=_("Assigned to"), queryset=User.objects.none(), required=False
    )
    late = forms.BooleanField(label=_("Late only"), required=False)
    q = forms.CharField(label=_("Subject"), required=False, max_length=100)

    def __init__(self, *args, company_ids=None, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        companies = Company.objects.order_by("code")
        if company_ids is not None:
            companies = companies.filter(pk__in=company_ids)
        self.fields["company"].queryset = companies
        self.fields["assignee"].queryset = assignee_choices(company_ids, user)
        self.fields["status"].choices = [
            ("", "—"),
            (STATUS_OPEN, _("Open (not yet resolved)")),
            *Complaint.Status.choices,
        ]


class ComplaintForm(forms.Form):
    """A complaint logged by staff for one client (chosen first)."""

    channel = forms.ChoiceField(label=_("Channel"), choices=Complaint.Channel.choices)
    category = forms.ModelChoiceField(label=_("Category"), queryset=ComplaintCategory.objects)
    severity = forms.ChoiceField(
        label=_("Severity"), choices=Severity.choices, initial=Severity.NORMAL
    )
    subject = forms.CharField(label=_("Subject"), max_length=200)
    description = forms.CharField(label=_("Description"), widget=forms.Textarea(attrs={"rows": 5}))
    brand = forms.ModelChoiceField(label=_("Brand"), queryset=Brand.objects.none(), required=False)
    job_number = forms.CharField(label=_("Job number"), required=False, max_length=40)
    contact = forms.ModelChoiceField(
        label=_("Client contact concerned"), queryset=Contact.objects.none(), required=False
    )
    assigned_to = forms.ModelChoiceField(
        label=_("Assign to"), queryset=User.objects.none(), required=False
    )

    def __init__(self, *args, company: Company, **kwargs):
        super().__init__(*args, **kwargs)
        self.company = company
        self.fields["category"].queryset = categories()
        self.fields["brand"].queryset = Brand.objects.filter(company=company)
        self.fields["contact"].queryset = Contact.objects.filter(company=company, is_active=True)
        self.fields["assigned_to"].queryset = staff_choices()

    def clean(self):
        data = super().clean()
        number = (data.pop("job_number", "") or "").strip()
        data["job"] = None
        if number:
            job = Job.objects.filter(company=self.company, number=number).first()
            if job is None:
                self.add_error("job_number", JOB_UNKNOWN)
            data["job"] = job
        return data


class PortalComplaintForm(forms.Form):
    category = forms.ModelChoiceField(
        label=_("What is it about"), queryset=ComplaintCategory.objects
    )
    severity = forms.ChoiceField(
        label=_("How serious"), choices=Severity.choices, initial=Severity.NORMAL
    )
    brand = forms.ModelChoiceField(label=_("Brand"), queryset=Brand.objects.none(), required=False)
    subject = forms.CharField(label=_("Subject"), max_length=200)
    description = forms.CharField(
        label=_("What happened"), widget=forms.Textarea(attrs={"rows": 6})
    )

    def __init__(self, *args, company_id: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].queryset = categories()
        self.fields["brand"].queryset = Brand.objects.filter(company_id=company_id, is_active=True)


class AssignForm(VersionForm):
    assignee = forms.ModelChoiceField(label=_("Assign to"), queryset=User.objects.none())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assignee"].queryset = staff_choices()


class AnswerForm(VersionForm):
    answer = forms.CharField(
        label=_("First answer given to the client"), widget=forms.Textarea(attrs={"rows": 3})
    )


class ResolveForm(VersionForm):
    resolution = forms.CharField(label=_("Resolution"), widget=forms.Textarea(attrs={"rows": 3}))


class ScheduleVisitForm(VersionForm):
    due_on = forms.DateField(label=_("Return visit by"), widget=DateInput)
    visitor = forms.ModelChoiceField(label=_("Made by"), queryset=User.objects.none())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["visitor"].queryset = staff_choices()


YES_NO = [("yes", _("Satisfied")), ("no", _("Not satisfied"))]


class VisitFields(forms.Form):
    visited_on = forms.DateField(label=_("Date"), widget=DateInput)
    channel = forms.ChoiceField(label=_("How"), choices=ReturnVisit.Channel.choices)
    contact = forms.ModelChoiceField(
        label=_("Client contact"), queryset=Contact.objects.none(), required=False
    )
    notes = forms.CharField(
        label=_("What the client said"), widget=forms.Textarea(attrs={"rows": 3})
    )
    outcome = forms.CharField(label=_("Outcome"), required=False, max_length=500)

    def __init__(self, *args, company_id: int | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        if company_id:
            self.fields["contact"].queryset = Contact.objects.filter(
                company_id=company_id, is_active=True
            )


class RecordVisitForm(VisitFields):
    version = forms.IntegerField(widget=forms.HiddenInput)
    satisfied = forms.ChoiceField(label=_("The client is"), choices=YES_NO)

    def clean_satisfied(self):
        return self.cleaned_data["satisfied"] == "yes"


class RoutineVisitForm(VisitFields):
    company = forms.ModelChoiceField(label=_("Client"), queryset=Company.objects.none())
    satisfied = forms.ChoiceField(
        label=_("The client is"), choices=[("", "—"), *YES_NO], required=False
    )
    field_order = ["company", "visited_on", "channel", "contact", "notes", "outcome", "satisfied"]

    def __init__(self, *args, companies=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["company"].queryset = companies if companies is not None else Company.objects
        self.fields["contact"].queryset = Contact.objects.filter(
            company__in=self.fields["company"].queryset, is_active=True
        ).select_related("company")
        self.fields["contact"].label_from_instance = lambda c: f"{c.company.code} · {c}"

    def clean_satisfied(self):
        value = self.cleaned_data.get("satisfied")
        return None if not value else value == "yes"


class ConfirmForm(VersionForm):
    contact = forms.ModelChoiceField(
        label=_("Confirmed by"), queryset=Contact.objects.none(), required=False
    )
    channel = forms.ChoiceField(label=_("How"), choices=Complaint.Channel.choices)
    confirmed_at = forms.DateTimeField(
        label=_("When"),
        required=False,
        widget=forms.DateTimeInput(format="%Y-%m-%dT%H:%M", attrs={"type": "datetime-local"}),
    )
    note = forms.CharField(label=_("Note"), required=False, max_length=500)

    def __init__(self, *args, company_id: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["contact"].queryset = Contact.objects.filter(company_id=company_id)


class ReasonForm(VersionForm):
    reason = forms.CharField(label=_("Reason"), max_length=500)


class PlanForm(forms.Form):
    every_days = forms.IntegerField(label=_("Visit every (days)"), min_value=1, max_value=366)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
