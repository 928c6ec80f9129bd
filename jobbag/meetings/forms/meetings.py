"""Forms of meetings. They only parse input: jobbag.meetings.services.meetings checks every
rule (a contact of this client, an active member of staff, the end after the start …)
and reports field errors back to these forms.

Attendees and agenda items are rows of two formsets. A person is one choice among our
staff ("u:<id>") and the client's contacts ("c:<id>"), grouped by side.
"""

from django import forms
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from jobbag.clients.models import Company
from jobbag.meetings.models import Meeting
from jobbag.meetings.selectors.meetings import client_people, jobs_of, staff_people

DATETIME_LOCAL = "%Y-%m-%dT%H:%M"
PERSON_INVALID = _("Choose one of the people offered.")


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs) -> None:
        super().__init__(format=DATETIME_LOCAL, **kwargs)


class CompanyChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Company) -> str:
        return f"{obj.code} · {obj}"


class People:
    """The people a meeting of `company` may name, read once for all rows of a form."""

    def __init__(self, company: Company, *, with_client: bool = True) -> None:
        self.staff = {user.pk: user for user in staff_people()}
        self.contacts = {c.pk: c for c in client_people(company)} if with_client else {}

    def choices(self, empty_label) -> list:
        groups = [("", empty_label)]
        groups.append((_("Agency"), [(f"u:{pk}", str(user)) for pk, user in self.staff.items()]))
        if self.contacts:
            groups.append((_("Client"), [(f"c:{pk}", str(c)) for pk, c in self.contacts.items()]))
        return groups

    def resolve(self, value: str):
        """("user", User) or ("contact", Contact) for a choice; (None, None) for none."""
        if not value:
            return None, None
        prefix, _sep, pk = value.partition(":")
        if not pk.isdigit():
            raise forms.ValidationError(PERSON_INVALID)
        if prefix == "u" and int(pk) in self.staff:
            return "user", self.staff[int(pk)]
        if prefix == "c" and int(pk) in self.contacts:
            return "contact", self.contacts[int(pk)]
        raise forms.ValidationError(PERSON_INVALID)


def person_value(user=None, contact=None) -> str:
    if user is not None:
        return f"u:{user.pk}"
    if contact is not None:
        return f"c:{contact.pk}"
    return ""


class AttendeeRowForm(forms.Form):
    person = forms.ChoiceField(label=_("person"), required=False)
    role = forms.CharField(label=_("role in the meeting"), max_length=100, required=False)

    def __init__(self, *args, people: People, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.people = people
        self.fields["person"].choices = people.choices(_("— nobody —"))

    def clean(self):
        cleaned = super().clean()
        try:
            kind, person = self.people.resolve(cleaned.get("person") or "")
        except forms.ValidationError as error:
            self.add_error("person", error)
            return cleaned
        cleaned["row"] = {
            "user": person if kind == "user" else None,
            "contact": person if kind == "contact" else None,
            "role": cleaned.get("role") or "",
        }
        return cleaned


class AgendaRowForm(forms.Form):
    id = forms.IntegerField(widget=forms.HiddenInput, required=False)
    title = forms.CharField(label=_("topic"), max_length=200, required=False)
    owner = forms.ChoiceField(label=_("owner"), required=False)
    minutes = forms.IntegerField(label=_("minutes"), min_value=1, max_value=600, required=False)
    details = forms.CharField(
        label=_("details"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 1}),
    )

    def __init__(self, *args, people: People, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.people = people
        self.fields["owner"].choices = people.choices(_("— no owner yet —"))

    def clean(self):
        cleaned = super().clean()
        try:
            kind, person = self.people.resolve(cleaned.get("owner") or "")
        except forms.ValidationError as error:
            self.add_error("owner", error)
            return cleaned
        cleaned["row"] = {
            "id": cleaned.get("id"),
            "title": cleaned.get("title") or "",
            "details": cleaned.get("details") or "",
            "owner": person if kind == "user" else None,
            "owner_contact": person if kind == "contact" else None,
            "minutes": cleaned.get("minutes"),
        }
        return cleaned


class RowFormSet(forms.BaseFormSet):
    """Every row is read, changed or not: a row left as it was is still on the list (the
    service skips the empty ones)."""

    def _construct_form(self, i, **kwargs):
        form = super()._construct_form(i, **kwargs)
        form.empty_permitted = False
        return form


AttendeeFormSet = forms.formset_factory(
    AttendeeRowForm, formset=RowFormSet, extra=0, max_num=100, validate_max=True
)
AgendaFormSet = forms.formset_factory(
    AgendaRowForm, formset=RowFormSet, extra=0, max_num=100, validate_max=True
)

# Blank rows offered below the filled ones.
ATTENDEE_BLANK_ROWS = 6
AGENDA_BLANK_ROWS = 4


class MeetingForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("kind"),
        choices=Meeting.Kind.choices,
        widget=forms.RadioSelect,
        required=False,
    )
    purpose = forms.CharField(label=_("purpose"), max_length=200, required=False)
    job = forms.ModelChoiceField(
        label=_("job"), queryset=None, required=False, empty_label=_("— no particular job —")
    )
    starts_at = forms.DateTimeField(
        label=_("starts"),
        input_formats=[DATETIME_LOCAL, "%Y-%m-%d %H:%M"],
        widget=DateTimeInput(),
        required=False,
    )
    ends_at = forms.DateTimeField(
        label=_("ends"),
        input_formats=[DATETIME_LOCAL, "%Y-%m-%d %H:%M"],
        widget=DateTimeInput(),
        required=False,
    )
    room = forms.CharField(label=_("room"), max_length=100, required=False)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(
        self,
        data=None,
        *,
        company: Company,
        meeting: Meeting | None = None,
        initial: dict | None = None,
        attendees: list[dict] | None = None,
        agenda: list[dict] | None = None,
    ) -> None:
        super().__init__(data, initial=initial)
        self.company = company
        self.fields["job"].queryset = jobs_of(company, meeting.job if meeting else None)
        for field in self.fields.values():
            field.label = capfirst(field.label)
        people = People(company)
        attendees = list(attendees or [])
        agenda = list(agenda or [])
        self.attendee_rows = AttendeeFormSet(
            data,
            prefix="attendees",
            initial=attendees + [{}] * ATTENDEE_BLANK_ROWS,
            form_kwargs={"people": people},
        )
        self.agenda_rows = AgendaFormSet(
            data,
            prefix="agenda",
            initial=agenda + [{}] * AGENDA_BLANK_ROWS,
            form_kwargs={"people": people},
        )

    def is_valid(self) -> bool:
        # All three, so that every error shows at once; the rows first, as the form's own
        # clean() collects them.
        rows_valid = [self.attendee_rows.is_valid(), self.agenda_rows.is_valid()]
        return super().is_valid() and all(rows_valid)

    def clean(self):
        cleaned = super().clean()
        cleaned["attendees"] = [
            form.cleaned_data["row"]
            for form in self.attendee_rows.forms
            if "row" in getattr(form, "cleaned_data", {})
        ]
        cleaned["agenda"] = [
            form.cleaned_data["row"]
            for form in self.agenda_rows.forms
            if "row" in getattr(form, "cleaned_data", {})
        ]
        return cleaned


def meeting_initial(meeting: Meeting) -> tuple[dict, list[dict], list[dict]]:
    """The edit form's values, attendee rows and agenda rows of `meeting`."""
    initial = {name: getattr(meeting, name) for name in ("kind", "purpose", "room")}
    initial |= {
        "job": meeting.job_id,
        "starts_at": meeting.starts_at,
        "ends_at": meeting.ends_at,
        "version": meeting.version,
    }
    attendees = [
        {"person": person_value(a.user, a.contact), "role": a.role} for a in meeting.attendees.all()
    ]
    agenda = [
        {
            "id": item.pk,
            "title": item.title,
            "owner": person_value(item.owner, item.owner_contact),
            "minutes": item.minutes,
            "details": item.details,
        }
        for item in meeting.agenda.all()
    ]
    return initial, attendees, agenda


class CompanyPickForm(forms.Form):
    company = CompanyChoiceField(label=_("Client"), queryset=Company.objects.none())

    def __init__(self, *args, companies, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["company"].queryset = companies


class FilterForm(forms.Form):
    company = CompanyChoiceField(
        label=_("Client"), queryset=Company.objects.none(), required=False, empty_label=_("All")
    )

    def __init__(self, *args, companies, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["company"].queryset = companies

    def chosen_company(self):
        if self.is_bound and self.is_valid():
            return self.cleaned_data.get("company")
        return None


class VersionForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)


class CancelForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=200, required=False)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class ChecklistItemForm(forms.Form):
    done = forms.BooleanField(label=_("Ready"), required=False)
    link = forms.CharField(label=_("Link"), max_length=300, required=False)
    note = forms.CharField(label=_("Note"), max_length=200, required=False)


class TopicForm(forms.Form):
    title = forms.CharField(label=_("Topic"), max_length=200, required=False)
    details = forms.CharField(
        label=_("Details"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
