"""Forms of the archive pages: the search filters, a borrowing request, the level of a
document type, the access log's filters."""

from django import forms
from django.utils.translation import gettext_lazy as _

from jobbag.approvals import registry
from jobbag.documents.models import Level
from jobbag.documents.selectors import Filters, LogFilters
from jobbag.documents.services.borrowing import MAX_DAYS, MIN_DAYS, REASON_MAX


def type_choices() -> list[tuple[str, str]]:
    return [(kind.document_type, kind.label) for kind in registry.document_types()]


class ArchiveFilterForm(forms.Form):
    q = forms.CharField(label=_("Title or number"), required=False, max_length=100)
    client = forms.CharField(label=_("Client (code or name)"), required=False, max_length=100)
    job = forms.CharField(label=_("Job number"), required=False, max_length=40)
    document_type = forms.ChoiceField(label=_("Type"), required=False)
    level = forms.ChoiceField(
        label=_("Confidentiality"), required=False, choices=[("", "—"), *Level.choices]
    )
    since = forms.DateField(
        label=_("Signed from"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    until = forms.DateField(
        label=_("Signed until"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["document_type"].choices = [("", "—"), *type_choices()]

    def filters(self) -> Filters:
        if not self.is_valid():
            return Filters()
        data = self.cleaned_data
        return Filters(
            q=data["q"],
            client=data["client"],
            job=data["job"],
            document_type=data["document_type"],
            level=data["level"],
            since=data["since"],
            until=data["until"],
        )


class BorrowForm(forms.Form):
    reason = forms.CharField(
        label=_("Why you need it"), max_length=REASON_MAX, widget=forms.Textarea(attrs={"rows": 3})
    )
    days = forms.IntegerField(
        label=_("For how many days"), min_value=MIN_DAYS, max_value=MAX_DAYS, initial=3
    )


class RuleForm(forms.Form):
    document_type = forms.ChoiceField(label=_("Document type"))
    level = forms.ChoiceField(label=_("Confidentiality"), choices=Level.choices)
    reclassify = forms.BooleanField(
        label=_("Also change the documents of this type already filed"), required=False
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["document_type"].choices = type_choices()


class LogFilterForm(forms.Form):
    document = forms.IntegerField(label=_("Document id"), required=False, min_value=1)
    user = forms.IntegerField(label=_("User id"), required=False, min_value=1)

    def filters(self) -> LogFilters:
        if not self.is_valid():
            return LogFilters()
        return LogFilters(document=self.cleaned_data["document"], user=self.cleaned_data["user"])
