"""The brand dossier (品牌档案, SPEC §2): its sections, their rows and their attachments.

Three sections hold one record per brand (market overview, consumers, communication
strategy): `dossier_section_set` creates or changes it. The others are lists of rows
(products, competitors, research summaries, competitor reviews, past campaigns, budgets):
`dossier_row_add`, `dossier_row_update`, `dossier_row_remove`. One table, SECTIONS, says
which fields each section has and which are required; the rules that differ per section
(fieldwork dates in order, budget amounts and years, the strengths/weaknesses grid) are
spelled out in `_check_section`.

The whole dossier is confidential: reading needs clients.company.view_confidential on the
brand's company (anyone else gets NotFound, as if it did not exist); changing needs
clients.company.edit. Every change records who made it (`updated_by`) and an audit entry;
edits and removals name the version they were made against (stale → Conflict). A removed
row's audit entry keeps its last values and the brand's id, so the section still shows who
removed what.

Budgets: once a row of kind "budget" or "adjustment" is entered, its year, kind, amount
and currency are fixed and the row cannot be removed; a correction is a new "adjustment"
row, which alone may be negative. Only its notes may still be edited. Estimates are
working figures and may be changed or removed freely.
"""

import os
import re
import uuid
import zipfile
from codecs import getincrementaldecoder
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, models, transaction
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from jobbag.clients.models import (
    GRID_ATTRIBUTES,
    Brand,
    Budget,
    CommunicationStrategy,
    Competitor,
    CompetitorReview,
    ConsumerProfile,
    DossierAttachment,
    MarketOverview,
    PastCampaign,
    Product,
    ResearchSummary,
)
from jobbag.core import audit
from jobbag.core.errors import Conflict, DomainError, NotFound
from jobbag.core.models import AuditEntry
from jobbag.core.permissions import can, require, visible
from jobbag.core.versioning import save_versioned

VIEW = "clients.company.view_confidential"
EDIT = "clients.company.edit"

INVALID = _("Please correct the errors below.")
REQUIRED = _("This field is required.")
TOO_LONG = _("Use at most %(limit)s characters.")
CHOICE_INVALID = _("Choose one of the offered values.")
TEXT_EXPECTED = _("Enter text.")
DATE_EXPECTED = _("Enter a valid date.")
NUMBER_EXPECTED = _("Enter a number.")
WHOLE_NUMBER_EXPECTED = _("Enter a whole number.")
FIELD_DATES_ORDER = _("Fieldwork cannot end before it starts.")
NEGATIVE = _("This cannot be negative; only an adjustment may lower a budget.")
ZERO_ADJUSTMENT = _("An adjustment of zero changes nothing.")
AMOUNT_FORMAT = _("Enter an amount below 100,000,000,000,000 with at most two decimals.")
CURRENCY_FORMAT = _("Enter a three-letter currency code such as CNY.")
YEAR_RANGE = _("Enter a year from %(first)s to %(last)s.")
BUDGET_FIXED = _(
    "A budget once entered keeps its year, kind, amount and currency: "
    "add an adjustment to correct it."
)
BUDGET_KEPT = _("A budget once entered is kept: add an adjustment to correct it.")
GRID_INVALID = _("The grid must map attributes to a strength and a weakness.")
GRID_UNKNOWN = _("Unknown attributes in the grid: %(keys)s.")
GRID_TEXT = _("Strengths and weaknesses are text of at most %(limit)s characters.")
SECTION_UNKNOWN = _("There is no such dossier section.")
FILE_MISSING = _("Choose a file to upload.")
FILE_TOO_LARGE = _("The file is %(size)s; files may be at most %(limit)s.")
FILE_EMPTY = _("The file is empty.")
FILE_TYPE = _(
    "Files of this type cannot be attached. Allowed: PDF, images (PNG, JPEG, GIF, WebP), "
    "Word, Excel and PowerPoint documents (.docx, .xlsx, .pptx) and plain text (.txt)."
)
FILE_CONTENT = _(
    "The file's content does not match its name (.%(ext)s): it may be renamed or damaged."
)

GRID_KEYS = [key for key, _label in GRID_ATTRIBUTES]
GRID_SIDES = ("strength", "weakness")
GRID_TEXT_LIMIT = 500
CURRENCY_RE = re.compile(r"^[A-Z]{3}$")
# Below 10**14, so an amount fits the columns' 16 digits with 2 decimals.
AMOUNT_LIMIT = Decimal(10) ** 14
FIRST_CAMPAIGN_YEAR = 1950
FIRST_BUDGET_YEAR = 1990
# Budget rows fixed once entered; estimates remain working figures.
KEPT_BUDGET_KINDS = {Budget.Kind.BUDGET, Budget.Kind.ADJUSTMENT}
KEPT_BUDGET_FIELDS = ("year", "kind", "amount", "currency")


@dataclass(frozen=True)
class Section:
    slug: str
    model: type[models.Model]
    title: Promise
    # Brand's accessor for this section: a row for single sections, a manager for lists.
    accessor: str
    fields: tuple[str, ...]
    required: tuple[str, ...] = ()
    single: bool = False
    # The fields shown in tables of rows (the section page, the overview).
    columns: tuple[str, ...] = ()

    @property
    def has_grid(self) -> bool:
        return "grid" in self.fields

    def field(self, name: str) -> models.Field:
        return self.model._meta.get_field(name)


SECTIONS: dict[str, Section] = {
    section.slug: section
    for section in [
        Section(
            "market",
            MarketOverview,
            _("Market overview"),
            "market",
            ("market_size", "sales", "share", "trends", "notes"),
            single=True,
        ),
        Section(
            "products",
            Product,
            _("Products"),
            "products",
            ("generic_name", "brand_name", "status", "necessity", "uses", "grid"),
            required=("generic_name",),
            columns=("generic_name", "brand_name", "status", "necessity"),
        ),
        Section(
            "competitors",
            Competitor,
            _("Competitors"),
            "competitors",
            ("name", "company", "product", "grid"),
            required=("name",),
            columns=("name", "company", "product"),
        ),
        Section(
            "consumers",
            ConsumerProfile,
            _("Consumers"),
            "consumers",
            ("target", "usage_patterns", "seasonality", "regions"),
            single=True,
        ),
        Section(
            "research",
            ResearchSummary,
            _("Research summaries"),
            "research",
            (
                "title",
                "purpose",
                "research_company",
                "method",
                "sample",
                "field_start",
                "field_end",
                "places",
                "conclusions",
                "recommended_actions",
            ),
            required=("title",),
            columns=("title", "research_company", "field_start", "field_end", "conclusions"),
        ),
        Section(
            "reviews",
            CompetitorReview,
            _("Competitor reviews"),
            "competitor_reviews",
            (
                "brand_product",
                "reviewed_on",
                "selling_points",
                "target",
                "promise_and_support",
                "creative_concept_and_tone",
                "production_quality",
                "media_and_format",
            ),
            required=("brand_product",),
            columns=("brand_product", "reviewed_on", "selling_points", "target"),
        ),
        Section(
            "strategy",
            CommunicationStrategy,
            _("Communication strategy"),
            "strategy",
            ("objectives", "target_audience", "positioning", "key_message", "tone", "channels"),
            single=True,
        ),
        Section(
            "campaigns",
            PastCampaign,
            _("Past campaigns"),
            "past_campaigns",
            ("name", "year", "agency", "description", "results"),
            required=("name",),
            columns=("name", "year", "agency"),
        ),
        Section(
            "budgets",
            Budget,
            _("Budgets"),
            "budgets",
            ("year", "kind", "amount", "currency", "approval_notes", "notes"),
            required=("year", "kind", "amount", "currency"),
            columns=("year", "kind", "amount", "notes"),
        ),
    ]
}
SINGLE_SECTIONS = [s for s in SECTIONS.values() if s.single]
LIST_SECTIONS = [s for s in SECTIONS.values() if not s.single]


def section_for(slug: str, *, single: bool | None = None) -> Section:
    """The section named `slug` (of the given kind); NotFound for any other name."""
    section = SECTIONS.get(slug)
    if section is None or (single is not None and section.single != single):
        raise NotFound(SECTION_UNKNOWN)
    return section


def section_of(row: models.Model) -> Section:
    return next(s for s in SECTIONS.values() if isinstance(row, s.model))


# Access ---------------------------------------------------------------------------------


def get_brand_for_dossier(user, pk: int, *, write: bool = False) -> Brand:
    """The brand whose dossier `user` may read (and with `write`, change); NotFound for
    anyone who may not see its company's confidential parts, whether or not it exists."""
    brand = visible(user, Brand.objects.select_related("company")).filter(pk=pk).first()
    if brand is None or not can(user, VIEW, brand.company):
        raise NotFound()
    if write:
        require(user, EDIT, brand.company)
    return brand


def get_row_for_dossier(brand: Brand, section: Section, pk: int) -> models.Model:
    """A row of a list section of `brand`'s dossier (already checked as readable)."""
    row = section.model.objects.select_related("updated_by").filter(brand=brand, pk=pk).first()
    if row is None:
        raise NotFound()
    row.brand = brand
    return row


def get_attachment_for_dossier(brand: Brand, pk: int) -> DossierAttachment:
    attachment = DossierAttachment.objects.filter(brand=brand, pk=pk).first()
    if attachment is None:
        raise NotFound()
    attachment.brand = brand
    return attachment


# Reading --------------------------------------------------------------------------------


@dataclass
class SectionState:
    """One section of a brand's dossier as the overview shows it."""

    section: Section
    row: models.Model | None = None
    rows: list | None = None
    attachments: list | None = None
    changed_by: object = None
    changed_at: object = None


def _removals(brand: Brand, content_types: list[ContentType]):
    return AuditEntry.objects.filter(
        action=AuditEntry.Action.DELETE,
        content_type__in=content_types,
        changes__brand_id__0=brand.pk,
    ).select_related("actor", "on_behalf_of", "content_type")


def dossier_read(brand: Brand) -> list[SectionState]:
    """Every section of `brand`'s dossier with its rows, attachments and last change.

    A fixed number of queries whatever the rows: one for the single sections, one per
    list section, one for the attachments and one for the removals.
    """
    singles = Brand.objects.select_related(
        *(f"{s.accessor}__updated_by" for s in SINGLE_SECTIONS)
    ).get(pk=brand.pk)
    content_types = ContentType.objects.get_for_models(
        *(s.model for s in LIST_SECTIONS), for_concrete_models=False
    )
    last_removed: dict[int, AuditEntry] = {}
    for entry in _removals(brand, list(content_types.values())):
        last_removed.setdefault(entry.content_type_id, entry)
    attachments: dict[str, list] = {}
    for attachment in DossierAttachment.objects.filter(brand=brand).select_related("uploaded_by"):
        attachments.setdefault(attachment.section, []).append(attachment)

    states = []
    for section in SECTIONS.values():
        state = SectionState(section, attachments=attachments.get(section.slug, []))
        if section.single:
            state.row = getattr(singles, section.accessor, None)
            changes = [state.row] if state.row else []
        else:
            state.rows = list(
                getattr(brand, section.accessor)
                .select_related("updated_by")
                .order_by(*section.model._meta.ordering, "pk")
            )
            changes = list(state.rows)
        latest = max(changes, key=lambda row: row.updated_at, default=None)
        if latest is not None:
            state.changed_by, state.changed_at = latest.updated_by, latest.updated_at
        removal = None if section.single else last_removed.get(content_types[section.model].pk)
        if removal is not None and (state.changed_at is None or removal.at > state.changed_at):
            state.changed_by, state.changed_at = removal.actor, removal.at
        states.append(state)
    return states


def single_row(brand: Brand, section: Section) -> models.Model | None:
    return section.model.objects.select_related("updated_by").filter(brand=brand).first()


def list_rows(brand: Brand, section: Section) -> list:
    return list(
        section.model.objects.filter(brand=brand)
        .select_related("updated_by")
        .order_by(*section.model._meta.ordering, "pk")
    )


def section_removals(brand: Brand, section: Section):
    """The audit entries of the rows removed from a list section, newest first."""
    content_type = ContentType.objects.get_for_model(section.model, for_concrete_model=False)
    return _removals(brand, [content_type])


def section_attachments(brand: Brand, section: Section) -> list[DossierAttachment]:
    return list(
        DossierAttachment.objects.filter(brand=brand, section=section.slug).select_related(
            "uploaded_by"
        )
    )


@dataclass(frozen=True)
class BudgetTotal:
    year: int
    currency: str
    budget: Decimal
    adjustments: Decimal

    @property
    def total(self) -> Decimal:
        return self.budget + self.adjustments


def budget_totals(rows: list[Budget]) -> list[BudgetTotal]:
    """Each year's budget with its adjustments, per currency (estimates left out)."""
    sums: dict[tuple[int, str], list[Decimal]] = {}
    for row in rows:
        if row.kind not in KEPT_BUDGET_KINDS:
            continue
        pair = sums.setdefault((row.year, row.currency), [Decimal(0), Decimal(0)])
        pair[row.kind == Budget.Kind.ADJUSTMENT] += row.amount
    return [
        BudgetTotal(year, currency, budget, adjustments)
        for (year, currency), (budget, adjustments) in sorted(
            sums.items(), key=lambda item: (-item[0][0], item[0][1])
        )
    ]


# Validation -----------------------------------------------------------------------------


def _raise_if(errors: dict) -> None:
    if errors:
        raise DomainError(INVALID, fields=errors)


def _clean_value(section: Section, name: str, value, errors: dict):
    """Checks one value against its model field: type, length and choices."""
    field = section.field(name)
    if isinstance(field, (models.CharField, models.TextField)):
        if value is None:
            value = ""
        if not isinstance(value, str):
            errors[name] = TEXT_EXPECTED
            return value
        value = value.strip()
        if field.max_length and len(value) > field.max_length:
            errors[name] = TOO_LONG % {"limit": field.max_length}
        elif field.choices and (value or not field.blank) and value not in dict(field.choices):
            errors[name] = CHOICE_INVALID
    elif isinstance(field, models.DateField):
        if value is not None and not isinstance(value, date):
            errors[name] = DATE_EXPECTED
    elif isinstance(field, models.DecimalField):
        if value is not None:
            try:
                value = Decimal(str(value))
            except InvalidOperation:
                errors[name] = NUMBER_EXPECTED
    elif (
        isinstance(field, models.IntegerField)
        and value is not None
        and (isinstance(value, bool) or not isinstance(value, int))
    ):
        errors[name] = WHOLE_NUMBER_EXPECTED
    return value


def _clean_grid(value, errors: dict) -> dict:
    """Keeps the filled cells of a strengths/weaknesses grid, in GRID_ATTRIBUTES order."""
    if value is None:
        return {}
    if not isinstance(value, dict) or not all(isinstance(v, dict) for v in value.values()):
        errors["grid"] = GRID_INVALID
        return value
    unknown = sorted(str(key) for key in set(value) - set(GRID_KEYS))
    if unknown:
        errors["grid"] = GRID_UNKNOWN % {"keys": ", ".join(unknown)}
        return value
    grid = {}
    for key in GRID_KEYS:
        cell = value.get(key) or {}
        if set(cell) - set(GRID_SIDES):
            errors["grid"] = GRID_INVALID
            return value
        texts = {}
        for side in GRID_SIDES:
            text = cell.get(side) or ""
            if not isinstance(text, str) or len(text.strip()) > GRID_TEXT_LIMIT:
                errors["grid"] = GRID_TEXT % {"limit": GRID_TEXT_LIMIT}
                return value
            if text.strip():
                texts[side] = text.strip()
        if texts:
            grid[key] = texts
    return grid


def _check_year(errors: dict, values: dict, name: str, first: int, last: int) -> None:
    year = values.get(name)
    if isinstance(year, int) and name not in errors and not first <= year <= last:
        errors[name] = YEAR_RANGE % {"first": first, "last": last}


def _check_section(section: Section, values: dict, row, errors: dict) -> None:
    """The rules that differ per section; `values` are the fields being set, `row` the
    existing row (None when adding)."""

    def current(name: str):
        return values[name] if name in values else getattr(row, name, None)

    this_year = timezone.localdate().year
    if section.model is ResearchSummary:
        start, end = current("field_start"), current("field_end")
        if (
            isinstance(start, date)
            and isinstance(end, date)
            and end < start
            and not {"field_start", "field_end"} & set(errors)
        ):
            errors["field_end"] = FIELD_DATES_ORDER
    elif section.model is PastCampaign:
        # A past campaign ran already, or is about to run next year at the latest.
        _check_year(errors, values, "year", FIRST_CAMPAIGN_YEAR, this_year + 1)
    elif section.model is Budget:
        _check_year(errors, values, "year", FIRST_BUDGET_YEAR, this_year + 10)
        if "currency" in values and "currency" not in errors:
            values["currency"] = values["currency"].upper()
            if not CURRENCY_RE.match(values["currency"]):
                errors["currency"] = CURRENCY_FORMAT
        amount, kind = current("amount"), current("kind")
        if isinstance(amount, Decimal) and "amount" not in errors:
            if (
                not amount.is_finite()
                or abs(amount) >= AMOUNT_LIMIT
                or (amount.as_tuple().exponent < -2)
            ):
                errors["amount"] = AMOUNT_FORMAT
            elif amount < 0 and kind != Budget.Kind.ADJUSTMENT:
                errors["amount"] = NEGATIVE
            elif amount == 0 and kind == Budget.Kind.ADJUSTMENT:
                errors["amount"] = ZERO_ADJUSTMENT
        if row is not None and row.kind in KEPT_BUDGET_KINDS:
            for name in KEPT_BUDGET_FIELDS:
                if name in values and values[name] != getattr(row, name):
                    errors[name] = BUDGET_FIXED


def _clean(section: Section, fields: dict, *, row, adding: bool) -> dict:
    """The cleaned values of `fields`, or DomainError naming every bad field at once."""
    unknown = set(fields) - set(section.fields)
    if unknown:
        raise TypeError(f"Unknown {section.slug} fields: {sorted(unknown)}")
    errors: dict = {}
    values = {}
    for name, value in fields.items():
        if name == "grid":
            values[name] = _clean_grid(value, errors)
        else:
            values[name] = _clean_value(section, name, value, errors)
    for name in section.required:
        given = adding or name in values
        if given and name not in errors and values.get(name) in (None, ""):
            errors[name] = REQUIRED
    _check_section(section, values, row, errors)
    _raise_if(errors)
    return values


# Changes --------------------------------------------------------------------------------


def _touch(row, actor, values: dict) -> list[str]:
    for name, value in values.items():
        setattr(row, name, value)
    row.updated_by = actor
    row.updated_at = timezone.now()
    return [*values, "updated_by", "updated_at"]


@transaction.atomic
def dossier_section_set(*, actor, brand: Brand, section: str, expected_version: int, **fields):
    """Creates or changes a single section (market, consumers, strategy) of `brand`.

    `expected_version` is the version the edit was made against: 0 when the section was
    still empty. Fields not given keep their values.
    """
    spec = section_for(section, single=True)
    require(actor, EDIT, brand.company)
    row = spec.model.objects.select_for_update().filter(brand=brand).first()
    values = _clean(spec, fields, row=row, adding=row is None)
    if row is None:
        if expected_version != 0:
            raise Conflict()
        row = spec.model(brand=brand)
        _touch(row, actor, values)
        try:
            # Two people filling an empty section at once: the second one gets Conflict.
            with transaction.atomic():
                row.save()
        except IntegrityError:
            raise Conflict() from None
        audit.record_create(actor=actor, obj=row)
        return row
    before = audit.snapshot(row, list(values))
    names = _touch(row, actor, values)
    save_versioned(row, expected_version=expected_version, fields=names)
    audit.record_change(actor=actor, obj=row, before=before)
    return row


@transaction.atomic
def dossier_row_add(*, actor, brand: Brand, section: str, **fields):
    """Adds a row to a list section (products, competitors, research, reviews, campaigns,
    budgets) of `brand`'s dossier."""
    spec = section_for(section, single=False)
    require(actor, EDIT, brand.company)
    if spec.model is Budget:
        # A budget is in the client's currency unless said otherwise.
        fields.setdefault("kind", Budget.Kind.BUDGET)
        fields.setdefault("currency", brand.company.currency)
    values = _clean(spec, fields, row=None, adding=True)
    row = spec.model(brand=brand)
    _touch(row, actor, values)
    row.save()
    audit.record_create(actor=actor, obj=row)
    return row


@transaction.atomic
def dossier_row_update(*, actor, row, expected_version: int, **fields):
    """Changes the given fields of a list-section row; Conflict when it changed since."""
    spec = section_of(row)
    require(actor, EDIT, row.brand.company)
    values = _clean(spec, fields, row=row, adding=False)
    before = audit.snapshot(row, list(values))
    names = _touch(row, actor, values)
    save_versioned(row, expected_version=expected_version, fields=names)
    audit.record_change(actor=actor, obj=row, before=before)
    return row


def _removal_changes(brand: Brand, values: dict) -> dict:
    """A removed record's last values as audit changes, plus its brand so that the
    dossier can still find the entry once the row is gone."""
    changes = {name: [value, None] for name, value in values.items() if value not in (None, "")}
    changes["brand_id"] = [brand.pk, None]
    return changes


@transaction.atomic
def dossier_row_remove(*, actor, row, expected_version: int) -> None:
    """Deletes a list-section row, keeping its last values in the audit trail."""
    spec = section_of(row)
    brand = row.brand
    require(actor, EDIT, brand.company)
    if spec.model is Budget and row.kind in KEPT_BUDGET_KINDS:
        raise DomainError(BUDGET_KEPT, code="budget_kept")
    values = audit.snapshot(row, list(spec.fields))
    audit.record(
        actor=actor,
        obj=row,
        action=AuditEntry.Action.DELETE,
        changes=_removal_changes(brand, values),
    )
    deleted, _rows = spec.model.objects.filter(pk=row.pk, version=expected_version).delete()
    if not deleted:
        raise Conflict()


# Attachments ----------------------------------------------------------------------------

# Allowed extensions, their content type, and how their first bytes must look.
PDF = "application/pdf"
OFFICE = {
    "docx": (
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "word/",
    ),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xl/"),
    "pptx": (
        "application/vnd.openxmlformats-officedocument.presentationml.presentation",
        "ppt/",
    ),
}
ALLOWED_TYPES = {
    "pdf": PDF,
    "png": "image/png",
    "jpg": "image/jpeg",
    "jpeg": "image/jpeg",
    "gif": "image/gif",
    "webp": "image/webp",
    "txt": "text/plain",
    **{ext: content_type for ext, (content_type, _folder) in OFFICE.items()},
}
EXECUTABLE_SIGNATURES = (b"MZ", b"\x7fELF", b"\xca\xfe\xba\xbe", b"\xcf\xfa\xed\xfe", b"#!")
HEAD_BYTES = 8192


def _text_like(head: bytes) -> bool:
    """Plain text: no NUL bytes, no program header, and readable as UTF-8 or GB18030
    (the encodings Chinese office text files come in)."""
    if b"\x00" in head or head.startswith(EXECUTABLE_SIGNATURES):
        return False
    for encoding in ("utf-8", "gb18030"):
        try:
            # Incremental, so a character cut at the end of the head is not an error.
            getincrementaldecoder(encoding)().decode(head, final=False)
        except UnicodeDecodeError:
            continue
        return True
    return False


def _office_like(upload: UploadedFile, folder: str) -> bool:
    """An Office Open XML file is a zip with [Content_Types].xml and its own folder."""
    upload.seek(0)
    try:
        with zipfile.ZipFile(upload.file) as archive:
            names = archive.namelist()
    except (zipfile.BadZipFile, ValueError):
        return False
    finally:
        upload.seek(0)
    return "[Content_Types].xml" in names and any(name.startswith(folder) for name in names)


def _content_matches(ext: str, upload: UploadedFile) -> bool:
    upload.seek(0)
    head = upload.read(HEAD_BYTES)
    upload.seek(0)
    if ext == "pdf":
        return head.startswith(b"%PDF-")
    if ext == "png":
        return head.startswith(b"\x89PNG\r\n\x1a\n")
    if ext in {"jpg", "jpeg"}:
        return head.startswith(b"\xff\xd8\xff")
    if ext == "gif":
        return head[:6] in {b"GIF87a", b"GIF89a"}
    if ext == "webp":
        return head[:4] == b"RIFF" and head[8:12] == b"WEBP"
    if ext == "txt":
        return _text_like(head)
    if ext in OFFICE:
        return head.startswith(b"PK\x03\x04") and _office_like(upload, OFFICE[ext][1])
    return False


def check_upload(upload: UploadedFile | None) -> tuple[str, str]:
    """The upload's safe display name and content type, or DomainError on field "file"
    when it is missing, empty, too large, of a type not allowed or not what it says."""
    if upload is None:
        raise DomainError(INVALID, fields={"file": FILE_MISSING})
    name = os.path.basename((upload.name or "").replace("\\", "/")).strip()[:255]
    ext = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if upload.size > settings.MAX_UPLOAD_BYTES:
        limit = filesizeformat(settings.MAX_UPLOAD_BYTES)
        message = FILE_TOO_LARGE % {"size": filesizeformat(upload.size), "limit": limit}
        raise DomainError(INVALID, fields={"file": message})
    if not upload.size:
        raise DomainError(INVALID, fields={"file": FILE_EMPTY})
    if ext not in ALLOWED_TYPES:
        raise DomainError(INVALID, fields={"file": FILE_TYPE})
    if not _content_matches(ext, upload):
        raise DomainError(INVALID, fields={"file": FILE_CONTENT % {"ext": ext}})
    return name, ALLOWED_TYPES[ext]


def _attachment_values(attachment: DossierAttachment) -> dict:
    return {
        "section": attachment.section,
        "original_name": attachment.original_name,
        "content_type": attachment.content_type,
        "size": attachment.size,
    }


@transaction.atomic
def dossier_attachment_add(
    *, actor, brand: Brand, section: str, upload: UploadedFile | None
) -> DossierAttachment:
    """Files an upload under a section of `brand`'s dossier, after checking its size, its
    extension and that its first bytes are what the extension says."""
    spec = section_for(section)
    require(actor, EDIT, brand.company)
    name, content_type = check_upload(upload)
    ext = name.rsplit(".", 1)[-1].lower()
    attachment = DossierAttachment(
        brand=brand,
        section=spec.slug,
        original_name=name,
        content_type=content_type,
        size=upload.size,
        uploaded_by=actor,
    )
    # Stored under a random name: the client's file name never becomes a path.
    attachment.file.save(f"{uuid.uuid4().hex}.{ext}", upload, save=False)
    stored = attachment.file.name
    try:
        attachment.save()
    except Exception:
        attachment.file.storage.delete(stored)
        raise
    audit.record(
        actor=actor,
        obj=attachment,
        action=AuditEntry.Action.CREATE,
        changes={name: [None, value] for name, value in _attachment_values(attachment).items()},
    )
    return attachment


@transaction.atomic
def dossier_attachment_open(*, actor, attachment: DossierAttachment) -> DossierAttachment:
    """Allows reading an attachment and logs the access (SPEC §9: every access to
    confidential material is logged)."""
    require(actor, VIEW, attachment.brand.company)
    audit.record(actor=actor, obj=attachment, action=AuditEntry.Action.ACCESS)
    return attachment


@transaction.atomic
def dossier_attachment_remove(*, actor, attachment: DossierAttachment) -> None:
    """Removes an attachment; its file goes once the removal is committed."""
    brand = attachment.brand
    require(actor, EDIT, brand.company)
    audit.record(
        actor=actor,
        obj=attachment,
        action=AuditEntry.Action.DELETE,
        changes=_removal_changes(brand, _attachment_values(attachment)),
    )
    storage, stored = attachment.file.storage, attachment.file.name
    attachment.delete()
    transaction.on_commit(lambda: storage.delete(stored))


def attachment_removals(brand: Brand, section: Section):
    """The audit entries of attachments removed from a section, newest first."""
    content_type = ContentType.objects.get_for_model(DossierAttachment)
    return _removals(brand, [content_type]).filter(changes__section__0=section.slug)
