"""Pages of a brand's dossier (品牌档案): the overview of all sections, one page per
section, row forms with the strengths/weaknesses grid, attachments and history.

Anyone who may not see the company's confidential parts gets 404 on every page here, as
if the dossier did not exist. Views are thin: forms parse, services decide.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from jobbag.clients.forms_dossier import AttachmentForm, GridForm, RemoveForm, section_form
from jobbag.clients.models import Brand, Budget
from jobbag.clients.services import dossier
from jobbag.core.audit import history_for
from jobbag.core.errors import DomainError, NotAllowed, NotFound
from jobbag.core.money import format_money
from jobbag.core.permissions import can


def _brand(request, pk: int, *, write: bool = False) -> Brand:
    try:
        return dossier.get_brand_for_dossier(request.user, pk, write=write)
    except NotFound:
        raise Http404 from None
    except NotAllowed:
        raise PermissionDenied from None


def _section(slug: str, *, single: bool | None = None) -> dossier.Section:
    try:
        return dossier.section_for(slug, single=single)
    except NotFound:
        raise Http404 from None


def _row(brand: Brand, section: dossier.Section, pk: int):
    try:
        return dossier.get_row_for_dossier(brand, section, pk)
    except NotFound:
        raise Http404 from None


def _may_edit(request, brand: Brand) -> bool:
    """Whether to offer the forms. Every page here has checked already that the user sees
    the company's confidential parts, which is what the edit rule asks of the company;
    what remains is the part of the rule about the user, which costs no queries."""
    return can(request.user, dossier.EDIT)


def _show(row, name: str):
    """A field's value as a page shows it: choices by label, money with its currency."""
    field = row._meta.get_field(name)
    if isinstance(row, Budget) and name == "amount":
        return format_money(row.amount, row.currency)
    if field.choices:
        return getattr(row, f"get_{name}_display")()
    return getattr(row, name)


def _labels(section: dossier.Section, names) -> list[str]:
    return [section.field(name).verbose_name for name in names]


def _table(section: dossier.Section, rows: list) -> dict:
    """Headers and, per row, its column values and its filled grid cells."""
    return {
        "headers": _labels(section, section.columns),
        "rows": [
            (
                row,
                [_show(row, name) for name in section.columns],
                _grid_cells(row) if section.has_grid else [],
            )
            for row in rows
        ],
        "has_grid": section.has_grid,
    }


def _details(section: dossier.Section, row) -> list[tuple]:
    names = [name for name in section.fields if name != "grid"]
    return [(section.field(name).verbose_name, _show(row, name)) for name in names]


def _grid_cells(row) -> list[tuple]:
    """(attribute, strength, weakness) of the filled cells of a row's grid."""
    return [
        (label, row.grid[key].get("strength", ""), row.grid[key].get("weakness", ""))
        for key, label in dossier.GRID_ATTRIBUTES
        if key in (row.grid or {})
    ]


def _put_errors(form, error: DomainError, *, grid_form=None) -> None:
    """Shows a service's refusal on the form: on its field when it names one."""
    if not error.fields:
        form.add_error(None, str(error.message))
    for field, message in error.fields.items():
        if field == "grid" and grid_form is not None:
            grid_form.add_error(None, str(message))
        else:
            form.add_error(field if field in form.fields else None, str(message))


def _values(form) -> tuple[dict, int | None]:
    values = dict(form.cleaned_data)
    return values, values.pop("version", None)


@login_required
def overview(request, pk: int):
    """Every section of a brand's dossier, each with who changed it last."""
    brand = _brand(request, pk)
    states = dossier.dossier_read(brand)
    for state in states:
        if state.section.single:
            state.details = _details(state.section, state.row) if state.row else []
        else:
            state.table = _table(state.section, state.rows)
    context = {"brand": brand, "states": states, "can_edit": _may_edit(request, brand)}
    return render(request, "clients/dossier/overview.html", context)


def _section_page(request, brand, section, *, form=None, upload=None, status=200):
    context = {
        "brand": brand,
        "section": section,
        "can_edit": _may_edit(request, brand),
        "attachments": dossier.section_attachments(brand, section),
        "attachment_removals": dossier.attachment_removals(brand, section),
        "upload_form": upload or AttachmentForm(),
    }
    if section.single:
        row = dossier.single_row(brand, section)
        initial = {"version": row.version if row else 0}
        if row is not None:
            initial |= {name: getattr(row, name) for name in section.fields}
        context |= {
            "row": row,
            "form": form or section_form(section, editing=True, initial=initial),
            "history": history_for(row) if row else [],
        }
    else:
        rows = dossier.list_rows(brand, section)
        context |= {
            "table": _table(section, rows),
            "history": dossier.section_removals(brand, section),
        }
        if section.model is Budget:
            context["budget_totals"] = dossier.budget_totals(rows)
    return render(request, "clients/dossier/section.html", context, status=status)


@login_required
def section_page(request, pk: int, section: str):
    """One section: a single section's form and history, or a list section's rows and
    the rows removed from it; with the section's attachments."""
    spec = _section(section)
    if request.method != "POST":
        return _section_page(request, _brand(request, pk), spec)
    brand = _brand(request, pk, write=True)
    if not spec.single:
        raise Http404
    form = section_form(spec, request.POST, editing=True)
    if form.is_valid():
        values, version = _values(form)
        try:
            dossier.dossier_section_set(
                actor=request.user,
                brand=brand,
                section=spec.slug,
                expected_version=version,
                **values,
            )
        except DomainError as error:
            _put_errors(form, error)
        else:
            messages.success(request, _("Saved: %(section)s.") % {"section": spec.title})
            return redirect("clients:dossier_section", pk=brand.pk, section=spec.slug)
    return _section_page(request, brand, spec, form=form, status=400)


def _row_page(request, brand, section, *, row=None, form, grid_form, status=200):
    context = {
        "brand": brand,
        "section": section,
        "row": row,
        "form": form,
        "grid_form": grid_form,
        "history": history_for(row) if row is not None else None,
        "remove_form": RemoveForm(initial={"version": row.version}) if row else None,
        "can_edit": _may_edit(request, brand),
    }
    return render(request, "clients/dossier/row_form.html", context, status=status)


def _grid_form(section, data=None, row=None):
    if not section.has_grid:
        return None
    return GridForm(data, grid=row.grid if row is not None else None)


def _save_row(request, brand, section, form, grid_form, call):
    """Runs the service `call(values, version)` for valid forms; True when it saved."""
    valid = form.is_valid()
    if grid_form is not None:
        valid = grid_form.is_valid() and valid
    if not valid:
        return False
    values, version = _values(form)
    if grid_form is not None:
        values["grid"] = grid_form.grid()
    try:
        call(values, version)
    except DomainError as error:
        _put_errors(form, error, grid_form=grid_form)
        return False
    messages.success(request, _("Saved: %(section)s.") % {"section": section.title})
    return True


@login_required
def row_add(request, pk: int, section: str):
    spec = _section(section, single=False)
    brand = _brand(request, pk, write=True)
    if request.method != "POST":
        initial = {"currency": brand.company.currency} if spec.model is Budget else None
        form = section_form(spec, initial=initial)
        return _row_page(request, brand, spec, form=form, grid_form=_grid_form(spec))
    form = section_form(spec, request.POST)
    grid_form = _grid_form(spec, request.POST)

    def call(values, version):
        dossier.dossier_row_add(actor=request.user, brand=brand, section=spec.slug, **values)

    if _save_row(request, brand, spec, form, grid_form, call):
        return redirect("clients:dossier_section", pk=brand.pk, section=spec.slug)
    return _row_page(request, brand, spec, form=form, grid_form=grid_form, status=400)


@login_required
def row_edit(request, pk: int, section: str, row: int):
    spec = _section(section, single=False)
    if request.method != "POST":
        brand = _brand(request, pk)
        entry = _row(brand, spec, row)
        initial = {name: getattr(entry, name) for name in spec.fields} | {"version": entry.version}
        form = section_form(spec, editing=True, initial=initial)
        grid_form = _grid_form(spec, row=entry)
        return _row_page(request, brand, spec, row=entry, form=form, grid_form=grid_form)
    brand = _brand(request, pk, write=True)
    entry = _row(brand, spec, row)
    form = section_form(spec, request.POST, editing=True)
    grid_form = _grid_form(spec, request.POST)

    def call(values, version):
        dossier.dossier_row_update(
            actor=request.user, row=entry, expected_version=version, **values
        )

    if _save_row(request, brand, spec, form, grid_form, call):
        return redirect("clients:dossier_section", pk=brand.pk, section=spec.slug)
    # Show the history of the row as it is in the database, not as the failed edit left it.
    entry.refresh_from_db()
    return _row_page(request, brand, spec, row=entry, form=form, grid_form=grid_form, status=400)


@login_required
@require_POST
def row_remove(request, pk: int, section: str, row: int):
    spec = _section(section, single=False)
    brand = _brand(request, pk, write=True)
    entry = _row(brand, spec, row)
    form = RemoveForm(request.POST)
    version = form.cleaned_data["version"] if form.is_valid() else -1
    try:
        dossier.dossier_row_remove(actor=request.user, row=entry, expected_version=version)
    except DomainError as error:
        messages.error(request, error.message)
        return redirect("clients:dossier_row", pk=brand.pk, section=spec.slug, row=entry.pk)
    messages.success(request, _("Removed: %(row)s.") % {"row": entry})
    return redirect("clients:dossier_section", pk=brand.pk, section=spec.slug)


@login_required
@require_POST
def attachment_add(request, pk: int, section: str):
    spec = _section(section)
    brand = _brand(request, pk, write=True)
    form = AttachmentForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            attachment = dossier.dossier_attachment_add(
                actor=request.user,
                brand=brand,
                section=spec.slug,
                upload=form.cleaned_data["file"],
            )
        except DomainError as error:
            _put_errors(form, error)
        else:
            messages.success(request, _("Attached: %(name)s.") % {"name": attachment})
            return redirect("clients:dossier_section", pk=brand.pk, section=spec.slug)
    return _section_page(request, brand, spec, upload=form, status=400)


def _attachment(brand: Brand, pk: int):
    try:
        return dossier.get_attachment_for_dossier(brand, pk)
    except NotFound:
        raise Http404 from None


@login_required
def attachment_download(request, pk: int, attachment: int):
    """The file, only through this permission check, always as a download."""
    brand = _brand(request, pk)
    item = dossier.dossier_attachment_open(
        actor=request.user, attachment=_attachment(brand, attachment)
    )
    try:
        handle = item.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    response = FileResponse(
        handle, as_attachment=True, filename=item.original_name, content_type=item.content_type
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_POST
def attachment_remove(request, pk: int, attachment: int):
    brand = _brand(request, pk, write=True)
    item = _attachment(brand, attachment)
    dossier.dossier_attachment_remove(actor=request.user, attachment=item)
    messages.success(request, _("Removed: %(row)s.") % {"row": item})
    return redirect(
        reverse("clients:dossier_section", kwargs={"pk": brand.pk, "section": item.section})
    )
