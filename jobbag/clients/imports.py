"""Reading a client workbook and checking every row before anything is written.

A workbook has up to three sheets: 客户 (Companies), 品牌 (Brands) and 联系人 (Contacts).
The first row of each names its columns, in Chinese or English (the template writes
"中文 / English"; either half is accepted). Each row is checked with the same rules as
the services (services.companies: company_errors, brand_errors, contact_errors), then
across rows: codes unique in the file, every brand's and contact's client in the file or
the database, every brand and reports-to name resolving to exactly one row.

Rows that are already in the client file are left alone, with a warning: a company whose
code exists, a brand whose client already has one of that name, a contact whose client
already has someone of that name. Importing the same file twice therefore adds nothing
the second time, and an import never changes an existing record.
"""

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from io import BytesIO

from django.utils import translation
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter

from jobbag.accounts.models import ClientGroup
from jobbag.clients.models import Brand, Company, Contact
from jobbag.clients.services.companies import (
    REPORTS_TO_CYCLE,
    REQUIRED,
    brand_errors,
    company_errors,
    contact_errors,
)
from jobbag.core.permissions import can

# Row-level messages of the import (the field rules' messages come from the services).
COLUMN_MISSING = _("The sheet has no column “%(column)s”.")
NUMBER_INVALID = _("Enter a number.")
INTEGER_INVALID = _("Enter a whole number.")
DATE_INVALID = _("Enter a date such as 2024-03-31.")
BOOL_INVALID = _("Enter 是 or 否 (yes or no).")
GROUP_UNKNOWN = _("No client group has this code or name.")
CODE_REPEATED = _("This client code is used in row %(row)s already.")
CLIENT_UNKNOWN = _("No client has this code, in this file or in Jobbag.")
CLIENT_NOT_YOURS = _("You may not add to this client's file: you are not on its team.")
BRAND_REPEATED = _("This brand is listed in row %(row)s already.")
BRAND_UNKNOWN = _("This client has no brand of this name, in this file or in Jobbag.")
CONTACT_REPEATED = _("This person is listed for this client in row %(row)s already.")
REPORTS_TO_UNKNOWN = _("This client has no one of this name, in this file or in Jobbag.")
REPORTS_TO_AMBIGUOUS = _("This client has several people of this name in Jobbag.")
COMPANY_EXISTS = _("A client with this code exists already: the row is left alone.")
BRAND_EXISTS = _("This client has this brand already: the row is left alone.")
CONTACT_EXISTS = _("This client has someone of this name already: the row is left alone.")
COLUMN_UNKNOWN = _("Column “%(column)s” is not one Jobbag knows; it is ignored.")

YES = {"是", "y", "yes", "true", "1", "x", "√", "✓", "对"}
NO = {"否", "n", "no", "false", "0", "不是", "-"}


@dataclass(frozen=True)
class Column:
    key: str  # The service's field name ("company" for the client code of brands and contacts).
    zh: str  # The Chinese header; fixed, as files in the wild use it.
    label: Promise  # The English header, and the column's name on pages.
    kind: str = "text"  # text, decimal, integer, date, bool, status, group
    required: bool = False
    note: Promise | str = ""
    aliases: tuple[str, ...] = ()

    @property
    def en(self) -> str:
        with translation.override("en"):
            return str(self.label)

    @property
    def header(self) -> str:
        return f"{self.zh} / {self.en}"


@dataclass(frozen=True)
class Sheet:
    key: str
    zh: str
    label: Promise
    columns: tuple[Column, ...]
    aliases: tuple[str, ...] = ()

    @property
    def en(self) -> str:
        with translation.override("en"):
            return str(self.label)

    def column(self, key: str) -> Column | None:
        return next((c for c in self.columns if c.key == key), None)


CLIENT_CODE = Column(
    "company",
    "客户代码",
    _("Client code"),
    required=True,
    note=_("The code of a client in the 客户 sheet or already in Jobbag."),
    aliases=("代码", "code"),
)
COMPANIES = Sheet(
    "companies",
    "客户",
    _("Companies"),
    (
        Column(
            "code",
            "客户代码",
            _("Client code"),
            required=True,
            note=_("2 to 12 capital letters or digits, starting with a letter, e.g. HAIER."),
            aliases=("代码", "code"),
        ),
        Column("name", "客户名称", _("Name"), required=True, aliases=("名称", "公司名称")),
        Column("name_en", "英文名称", _("English name")),
        Column("short_name", "简称", _("Short name")),
        Column("industry", "行业", _("Industry")),
        Column(
            "status",
            "状态",
            _("Status"),
            kind="status",
            note=_("Active client, dormant or former client; empty means active."),
        ),
        Column("is_key_client", "重点客户", _("Key client"), kind="bool", note=_("是 or 否")),
        Column(
            "client_group",
            "客户组",
            _("Client group"),
            kind="group",
            note=_("The code or name of a client group."),
        ),
        Column("currency", "币种", _("Currency"), note=_("Three letters; empty means CNY.")),
        Column("founded_on", "成立日期", _("Founded"), kind="date"),
        Column("registered_capital", "注册资本", _("Registered capital"), kind="decimal"),
        Column("annual_revenue", "年营业额", _("Annual revenue"), kind="decimal"),
        Column("headcount", "员工人数", _("Headcount"), kind="integer"),
        Column(
            "fiscal_year_end_month",
            "财年结束月份",
            _("Fiscal year ends (month)"),
            kind="integer",
        ),
        Column("address", "地址", _("Address")),
        Column("phone", "电话", _("Phone")),
        Column("website", "网站", _("Website")),
        Column("product_mix", "产品结构", _("Product mix")),
        Column("notes", "备注", _("Notes")),
    ),
    aliases=("客户公司", "clients", "client companies"),
)
BRANDS = Sheet(
    "brands",
    "品牌",
    _("Brands"),
    (
        CLIENT_CODE,
        Column("name", "品牌名称", _("Brand name"), required=True, aliases=("品牌", "name")),
        Column("name_en", "英文名称", _("English name")),
        Column("category", "产品类别", _("Product category"), aliases=("品类",)),
        Column(
            "client_group",
            "客户组",
            _("Client group"),
            kind="group",
            note=_("The code or name of a client group."),
        ),
    ),
)
CONTACTS = Sheet(
    "contacts",
    "联系人",
    _("Contacts"),
    (
        CLIENT_CODE,
        Column("name", "姓名", _("Name"), required=True, aliases=("名字",)),
        Column("title", "职务", _("Title"), aliases=("职位",)),
        Column("responsibility", "职责", _("Responsibility")),
        Column("brand", "品牌", _("Brand"), note=_("A brand of the same client.")),
        Column("phone", "电话", _("Phone")),
        Column("mobile", "手机", _("Mobile")),
        Column("email", "电子邮件", _("E-mail"), aliases=("邮箱", "email", "电子邮箱")),
        Column("address", "地址", _("Address")),
        Column(
            "reports_to",
            "上级",
            _("Reports to"),
            note=_("The name of their superior at the same client (the org chart)."),
            aliases=("汇报对象", "直属上级"),
        ),
        Column("is_decision_maker", "决策人", _("Decision maker"), kind="bool", note=_("是 or 否")),
        Column("background", "背景", _("Background")),
    ),
    aliases=("联系人员", "people"),
)
SHEETS = (COMPANIES, BRANDS, CONTACTS)
SHEETS_BY_KEY = {sheet.key: sheet for sheet in SHEETS}


class NotAWorkbook(Exception):
    """The upload is not an .xlsx workbook openpyxl can read."""


def _norm(text) -> str:
    return re.sub(r"[\s*＊:：]", "", str(text or "")).lower()


def _names(zh: str, label: Promise, aliases: Iterable[str], key: str = "") -> set[str]:
    with translation.override("en"):
        english = str(label)
    return {_norm(name) for name in (zh, english, key, *aliases) if name}


def _matches(cell, names: set[str], *, words: bool = False) -> bool:
    """A header matches by its Chinese or English name, or either half of "中文 / English"
    (with `words`, of "中文 English" too: sheet titles)."""
    text = _norm(cell)
    if not text:
        return False
    parts = re.split(r"[/\s]+", str(cell).lower()) if words else text.split("/")
    return text in names or any(_norm(part) in names for part in parts)


def workbook_open(source) -> Workbook:
    """Opens an uploaded file or a path; NotAWorkbook if it is not a real .xlsx."""
    try:
        if hasattr(source, "seek"):
            source.seek(0)
        return load_workbook(source, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a file that is not a workbook.
        raise NotAWorkbook(str(exc)) from exc


def known_sheets(book: Workbook) -> dict[str, object]:
    """{sheet key: worksheet} for the sheets of `book` that Jobbag reads."""
    found = {}
    for worksheet in book.worksheets:
        for sheet in SHEETS:
            if sheet.key not in found and _matches(
                worksheet.title, _names(sheet.zh, sheet.label, sheet.aliases, sheet.key), words=True
            ):
                found[sheet.key] = worksheet
    return found


# Cell values as the services take them.


class BadValue(Exception):
    def __init__(self, message):
        self.message = message


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    # Excel keeps a typed phone number or code as a number: 13800001111.0 → "13800001111".
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return str(value).strip()


def _decimal(value) -> Decimal | None:
    if value is None or _text(value) == "":
        return None
    try:
        number = Decimal(_text(value).replace(",", ""))
    except InvalidOperation:
        raise BadValue(NUMBER_INVALID) from None
    if isinstance(value, bool) or not number.is_finite():
        raise BadValue(NUMBER_INVALID)
    return number


def _integer(value) -> int | None:
    try:
        number = _decimal(value)
    except BadValue:
        raise BadValue(INTEGER_INVALID) from None
    if number is not None and number != number.to_integral_value():
        raise BadValue(INTEGER_INVALID)
    return None if number is None else int(number)


def _date(value) -> date | None:
    if value in (None, ""):
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = str(value).strip()
    match = re.fullmatch(r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?", text)
    if match:
        try:
            return date(*(int(part) for part in match.groups()))
        except ValueError:
            pass
    raise BadValue(DATE_INVALID)


def _bool(value) -> bool:
    if value in (None, ""):
        return False
    if isinstance(value, bool):
        return value
    text = _norm(_text(value))
    if text in YES:
        return True
    if text in NO:
        return False
    raise BadValue(BOOL_INVALID)


def _status(value) -> str | None:
    text = _norm(_text(value))
    if not text:
        return None
    for choice in Company.Status:
        names = {_norm(choice.value)}
        for language in ("en", "zh-hans"):
            with translation.override(language):
                names.add(_norm(choice.label))
        if text in names:
            return choice.value
    # An unknown status goes to the service, which names the problem.
    return _text(value)


class _Groups:
    """Client groups by code or name, read once."""

    def __init__(self):
        self.by_name: dict[str, ClientGroup] | None = None

    def get(self, value) -> ClientGroup | None:
        text = _norm(_text(value))
        if not text:
            return None
        if self.by_name is None:
            self.by_name = {}
            for group in ClientGroup.objects.all():
                for name in (group.code, group.name_zh, group.name_en):
                    self.by_name.setdefault(_norm(name), group)
        group = self.by_name.get(text)
        if group is None:
            raise BadValue(GROUP_UNKNOWN)
        return group


# Reading the rows and checking them.


@dataclass
class Row:
    sheet: Sheet
    number: int  # The row number Excel shows.
    values: dict = field(default_factory=dict)
    bad: set = field(default_factory=set)  # Columns whose value could not be read.
    kwargs: dict = field(default_factory=dict)  # What the service is called with.

    def text(self, key: str) -> str:
        return self.values.get(key) or ""


@dataclass
class Problem:
    sheet: str
    row: int
    field: str
    message: str  # The English source text; pages translate it when they show it.
    params: dict = field(default_factory=dict)

    def as_dict(self) -> dict:
        return {
            "sheet": self.sheet,
            "row": self.row,
            "field": self.field,
            "message": self.message,
            "params": self.params,
        }


def source_text(message) -> str:
    with translation.override("en"):
        return str(message)


@dataclass
class Plan:
    """What a clean workbook will create, in order, and what it refers to in the database."""

    companies: list[Row] = field(default_factory=list)
    brands: list[Row] = field(default_factory=list)
    contacts: list[Row] = field(default_factory=list)  # Superiors before their reports.
    existing_companies: dict[str, Company] = field(default_factory=dict)
    existing_brands: dict[tuple[str, str], Brand] = field(default_factory=dict)
    existing_contacts: dict[tuple[str, str], list[Contact]] = field(default_factory=dict)
    errors: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    total_rows: int = 0
    skipped: dict[str, int] = field(default_factory=lambda: {s.key: 0 for s in SHEETS})

    @property
    def skipped_total(self) -> int:
        return sum(self.skipped.values())


class Checker:
    """Checks a workbook for `actor`; `progress(n)` is told every so many rows read."""

    EVERY = 200

    def __init__(self, actor, *, progress: Callable[[int], None] | None = None):
        self.actor = actor
        self.progress = progress or (lambda n: None)
        self.plan = Plan()
        self.groups = _Groups()
        self.rows: dict[str, list[Row]] = {sheet.key: [] for sheet in SHEETS}
        self.editable: dict[int, bool] = {}

    def error(self, at: Row, key: str, message, /, **params) -> None:
        self.plan.errors.append(Problem(at.sheet.key, at.number, key, source_text(message), params))

    def warn(self, sheet: Sheet, number: int, key: str, message, /, **params) -> None:
        self.plan.warnings.append(Problem(sheet.key, number, key, source_text(message), params))

    def check(self, book: Workbook) -> Plan:
        for key, worksheet in known_sheets(book).items():
            self.read_sheet(SHEETS_BY_KEY[key], worksheet)
        self.load_existing()
        self.check_companies()
        self.check_brands()
        self.check_contacts()
        self.plan.errors.sort(key=lambda p: (SHEETS.index(SHEETS_BY_KEY[p.sheet]), p.row))
        return self.plan

    # Reading.

    def read_sheet(self, sheet: Sheet, worksheet) -> None:
        rows = worksheet.iter_rows(values_only=True)
        header = next(rows, None) or ()
        positions: dict[str, int] = {}
        for index, cell in enumerate(header):
            column = next(
                (
                    c
                    for c in sheet.columns
                    if c.key not in positions and _matches(cell, _names(c.zh, c.label, c.aliases))
                ),
                None,
            )
            if column is not None:
                positions[column.key] = index
            elif _text(cell):
                self.warn(sheet, 1, "", COLUMN_UNKNOWN, column=_text(cell))
        missing = [c for c in sheet.columns if c.required and c.key not in positions]
        for number, cells in enumerate(rows, start=2):
            if not any(_text(cell) for cell in cells):
                continue
            self.plan.total_rows += 1
            if self.plan.total_rows % self.EVERY == 0:
                self.progress(self.plan.total_rows)
            if missing:
                continue
            row = Row(sheet, number)
            for column in sheet.columns:
                index = positions.get(column.key)
                raw = cells[index] if index is not None and index < len(cells) else None
                self.read_cell(row, column, raw, present=index is not None)
            self.rows[sheet.key].append(row)
        for column in missing:
            self.plan.errors.append(
                Problem(
                    sheet.key, 1, column.key, source_text(COLUMN_MISSING), {"column": column.zh}
                )
            )

    def read_cell(self, row: Row, column: Column, raw, *, present: bool) -> None:
        try:
            if column.kind == "decimal":
                value = _decimal(raw)
            elif column.kind == "integer":
                value = _integer(raw)
            elif column.kind == "date":
                value = _date(raw)
            elif column.kind == "bool":
                value = _bool(raw)
            elif column.kind == "status":
                value = _status(raw)
            elif column.kind == "group":
                value = self.groups.get(raw)
            else:
                value = _text(raw)
        except BadValue as bad:
            self.error(row, column.key, bad.message)
            row.bad.add(column.key)
            return
        if present:
            row.values[column.key] = value

    # What the database holds already.

    def load_existing(self) -> None:
        codes = {r.text("code").upper() for r in self.rows["companies"]}
        codes |= {r.text("company").upper() for r in (*self.rows["brands"], *self.rows["contacts"])}
        codes.discard("")
        plan = self.plan
        plan.existing_companies = {c.code: c for c in Company.objects.filter(code__in=codes)}
        ids = {c.pk: code for code, c in plan.existing_companies.items()}
        for brand in Brand.objects.filter(company_id__in=ids):
            plan.existing_brands[(ids[brand.company_id], brand.name)] = brand
        for contact in Contact.objects.filter(company_id__in=ids):
            plan.existing_contacts.setdefault((ids[contact.company_id], contact.name), []).append(
                contact
            )

    def may_add_to(self, company: Company) -> bool:
        if company.pk not in self.editable:
            self.editable[company.pk] = can(self.actor, "clients.company.edit", company)
        return self.editable[company.pk]

    def client_of(self, row: Row) -> str | None:
        """The row's client code if that client is in the file or in Jobbag."""
        code = row.text("company").upper()
        if not code:
            self.error(row, "company", REQUIRED)
            return None
        if code not in self.file_codes and code not in self.plan.existing_companies:
            self.error(row, "company", CLIENT_UNKNOWN)
            return None
        return code

    def report_service_errors(self, row: Row, errors: dict) -> None:
        for key, message in errors.items():
            if key not in row.bad:
                self.error(row, key if row.sheet.column(key) else "", message)

    def fields_of(self, row: Row, exclude: Iterable[str]) -> dict:
        """The row's values for the service: columns read well, empty ones left out
        unless they are text (where empty is the service's own default)."""
        return {
            key: value
            for key, value in row.values.items()
            if key not in exclude
            and key not in row.bad
            and (value is not None or row.sheet.column(key).kind == "text")
        }

    # The three sheets.

    def check_companies(self) -> None:
        first_row: dict[str, int] = {}
        self.file_codes: set[str] = set()
        for row in self.rows["companies"]:
            code = row.text("code").upper()
            if code in first_row:
                self.error(row, "code", CODE_REPEATED, row=first_row[code])
                continue
            if code:
                first_row[code] = row.number
            if code in self.plan.existing_companies:
                self.warn(COMPANIES, row.number, "code", COMPANY_EXISTS)
                self.plan.skipped["companies"] += 1
                continue
            if code:
                self.file_codes.add(code)
            fields = self.fields_of(row, exclude=("code", "name"))
            if not fields.get("currency"):
                fields["currency"] = "CNY"
            row.kwargs = {"code": code, "name": row.text("name"), **fields}
            self.report_service_errors(row, company_errors(**row.kwargs))
            self.plan.companies.append(row)

    def check_brands(self) -> None:
        first_row: dict[tuple[str, str], int] = {}
        self.file_brands: set[tuple[str, str]] = set()
        for row in self.rows["brands"]:
            code = self.client_of(row)
            name = row.text("name")
            if code is None:
                continue
            key = (code, name)
            if name and key in first_row:
                self.error(row, "name", BRAND_REPEATED, row=first_row[key])
                continue
            first_row[key] = row.number
            company = self.plan.existing_companies.get(code)
            if key in self.plan.existing_brands:
                self.warn(BRANDS, row.number, "name", BRAND_EXISTS)
                self.plan.skipped["brands"] += 1
                continue
            if company is not None and not self.may_add_to(company):
                self.error(row, "company", CLIENT_NOT_YOURS)
                continue
            self.file_brands.add(key)
            row.kwargs = {"name": name, **self.fields_of(row, exclude=("company", "name"))}
            self.report_service_errors(row, brand_errors(company=company, **row.kwargs))
            self.plan.brands.append(row)

    def check_contacts(self) -> None:
        first_row: dict[tuple[str, str], int] = {}
        new: dict[tuple[str, str], Row] = {}
        for row in self.rows["contacts"]:
            code = self.client_of(row)
            name = row.text("name")
            if code is None:
                continue
            key = (code, name)
            if name and key in first_row:
                self.error(row, "name", CONTACT_REPEATED, row=first_row[key])
                continue
            first_row[key] = row.number
            company = self.plan.existing_companies.get(code)
            if key in self.plan.existing_contacts:
                self.warn(CONTACTS, row.number, "name", CONTACT_EXISTS)
                self.plan.skipped["contacts"] += 1
                continue
            if company is not None and not self.may_add_to(company):
                self.error(row, "company", CLIENT_NOT_YOURS)
                continue
            fields = self.fields_of(row, exclude=("company", "name", "brand", "reports_to"))
            row.kwargs = {"name": name, **fields}
            self.report_service_errors(row, contact_errors(**row.kwargs))
            brand = row.text("brand")
            if brand and (code, brand) not in self.file_brands | set(self.plan.existing_brands):
                self.error(row, "brand", BRAND_UNKNOWN)
            new[key] = row
        for (code, _name), row in new.items():
            boss = row.text("reports_to")
            if not boss:
                continue
            in_db = self.plan.existing_contacts.get((code, boss), [])
            if (code, boss) not in new and not in_db:
                self.error(row, "reports_to", REPORTS_TO_UNKNOWN)
            elif (code, boss) not in new and len(in_db) > 1:
                self.error(row, "reports_to", REPORTS_TO_AMBIGUOUS)
            elif self.reaches(new, code, boss, row.text("name")):
                self.error(row, "reports_to", REPORTS_TO_CYCLE)
        self.plan.contacts = self.superiors_first(new)

    @staticmethod
    def reaches(new: dict, code: str, start: str, target: str) -> bool:
        """Whether walking up from `start` in the file reaches `target` (a cycle)."""
        seen = set()
        name = start
        while name and name not in seen:
            if name == target:
                return True
            seen.add(name)
            above = new.get((code, name))
            name = above.text("reports_to") if above else ""
        return False

    @staticmethod
    def superiors_first(new: dict) -> list[Row]:
        ordered: list[Row] = []
        placed: set = set()

        def place(key, trail: set) -> None:
            if key in placed or key in trail or key not in new:
                return
            row = new[key]
            boss = row.text("reports_to")
            if boss:
                place((key[0], boss), trail | {key})
            placed.add(key)
            ordered.append(row)

        for key in new:
            place(key, set())
        return ordered


def workbook_check(actor, book: Workbook, *, progress=None) -> Plan:
    return Checker(actor, progress=progress).check(book)


# The template users fill in.


def template_workbook() -> bytes:
    """An empty workbook with the three sheets and their columns, an example row each,
    and a sheet that explains every column."""
    book = Workbook()
    book.remove(book.active)
    bold = Font(bold=True)
    required_fill = PatternFill("solid", fgColor="FFF2CC")
    with translation.override("zh-hans"):
        active = str(Company.Status.ACTIVE.label)
    examples = {
        "companies": ["HAIER", "海尔集团", "Haier Group", "海尔", "家电", active, "是"],
        "brands": ["HAIER", "海尔冰箱", "Haier Refrigerators", "冰箱"],
        "contacts": ["HAIER", "孙丽", "市场总监", "品牌推广", "海尔冰箱", "0532-88938888"],
    }
    for sheet in SHEETS:
        worksheet = book.create_sheet(f"{sheet.zh} {sheet.en}"[:31])
        worksheet.append([column.header for column in sheet.columns])
        for index, column in enumerate(sheet.columns, start=1):
            cell = worksheet.cell(row=1, column=index)
            cell.font = bold
            if column.required:
                cell.fill = required_fill
            worksheet.column_dimensions[get_column_letter(index)].width = max(
                14, len(column.header) + 4
            )
        worksheet.append(examples[sheet.key])
        worksheet.freeze_panes = "A2"
    notes = book.create_sheet("说明 Instructions")
    notes.append(["工作表 / Sheet", "列 / Column", "必填 / Required", "说明 / Notes"])
    for cell in notes[1]:
        cell.font = bold
    for sheet in SHEETS:
        for column in sheet.columns:
            with translation.override("en"):
                note_en = str(column.note)
            with translation.override("zh-hans"):
                note_zh = str(column.note)
            note = note_zh if note_zh == note_en else f"{note_zh} / {note_en}"
            notes.append(
                [
                    f"{sheet.zh} / {sheet.en}",
                    column.header,
                    "是 / yes" if column.required else "",
                    note,
                ]
            )
    for letter, width in zip("ABCD", (22, 36, 16, 80), strict=True):
        notes.column_dimensions[letter].width = width
    buffer = BytesIO()
    book.save(buffer)
    return buffer.getvalue()
