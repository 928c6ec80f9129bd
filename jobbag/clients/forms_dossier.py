"""Forms of the brand dossier. They only parse input: every rule (required fields, dates,
budgets, the grid) lives in jobbag.clients.services.dossier."""

from functools import cache

from django import forms
from django.db import models
from django.utils.translation import gettext_lazy as _

from jobbag.clients.models import GRID_ATTRIBUTES
from jobbag.clients.services.dossier import GRID_SIDES, GRID_TEXT_LIMIT, SECTIONS, Section


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs) -> None:
        super().__init__(format="%Y-%m-%d", **kwargs)


class SectionForm(forms.Form):
    """The fields of one section; `version` is the one the edit was made against (0 for a
    section still empty)."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0, required=False)

    def __init__(self, *args, editing: bool = False, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["version"].required = editing


@cache
def section_form_class(slug: str) -> type[SectionForm]:
    """A form with the model fields of section `slug` (the grid has its own form)."""
    section = SECTIONS[slug]
    names = [name for name in section.fields if name != "grid"]
    widgets = {}
    for name in names:
        field = section.model._meta.get_field(name)
        if isinstance(field, models.DateField):
            widgets[name] = DateInput()
        elif isinstance(field, models.TextField):
            widgets[name] = forms.Textarea(attrs={"rows": 3})
    fields = forms.fields_for_model(section.model, fields=names, widgets=widgets)
    return type(f"{section.model.__name__}Form", (SectionForm,), fields)


def section_form(section: Section, data=None, *, editing: bool = False, initial=None):
    return section_form_class(section.slug)(data, editing=editing, initial=initial)


class GridForm(forms.Form):
    """The strengths/weaknesses grid as a table: one row per attribute (quality, use, …),
    a strength and a weakness column."""

    def __init__(self, *args, grid: dict | None = None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        grid = grid or {}
        for key, label in GRID_ATTRIBUTES:
            for side, side_label in zip(GRID_SIDES, (_("Strength"), _("Weakness")), strict=True):
                self.fields[f"grid-{key}-{side}"] = forms.CharField(
                    label=f"{label} · {side_label}",
                    required=False,
                    max_length=GRID_TEXT_LIMIT,
                    initial=grid.get(key, {}).get(side, ""),
                    widget=forms.Textarea(attrs={"rows": 2}),
                )

    def rows(self) -> list[tuple]:
        """(attribute label, strength field, weakness field) per attribute."""
        return [
            (label, self[f"grid-{key}-strength"], self[f"grid-{key}-weakness"])
            for key, label in GRID_ATTRIBUTES
        ]

    def grid(self) -> dict:
        return {
            key: {side: self.cleaned_data.get(f"grid-{key}-{side}", "") for side in GRID_SIDES}
            for key, _label in GRID_ATTRIBUTES
        }


class RemoveForm(forms.Form):
    version = forms.IntegerField(min_value=0)


class AttachmentForm(forms.Form):
    # Size and type are checked by the service, with its own messages.
    file = forms.FileField(label=_("File"), required=False)
