"""Intake (接单): taking a job, editing it, issuing its job number, cancelling it; the
kinds of order and the job chain's settings that administrators keep.

The job number is issued when the project lead has reviewed the brief (SPEC §4): the
running number per client and year is kept in a JobNumberCounter row, locked while a
number is taken, so two jobs never get one number, and a number once issued is never
given again (a cancelled job keeps its number).
"""

import re
from datetime import date
from decimal import Decimal, InvalidOperation

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jobbag.accounts.models import MANAGEMENT_ROLES, User
from jobbag.clients.models import Brand, Company, Contact
from jobbag.clients.permissions import may_see_confidential
from jobbag.core import audit
from jobbag.core.errors import Conflict, DomainError
from jobbag.core.models import AuditEntry
from jobbag.core.notifications import notify
from jobbag.core.permissions import require
from jobbag.finance.services import credit
from jobbag.jobs.models import (
    REQUIREMENT_FIELDS,
    Acknowledgement,
    Job,
    JobNumberCounter,
    JobSettings,
    OrderKind,
    Stage,
)

INVALID = _("Please correct the errors below.")
REQUIRED = _("This field is required.")
TITLE_TOO_LONG = _("Keep the title within 200 characters.")
COMPANY_NOT_YOURS = _("Choose one of the clients whose file you may open.")
BRAND_OTHER_CLIENT = _("Choose a brand of this client.")
CONTACT_OTHER_CLIENT = _("Choose a contact person of this client.")
OWNER_INVALID = _("Choose an active member of the agency's staff as project owner.")
ORDER_KIND_INVALID = _("Choose one of the offered kinds of order.")
NOT_A_NUMBER = _("Enter a number.")
NEGATIVE = _("The estimated size cannot be negative.")
CURRENCY_FORMAT = _("Enter a three-letter currency code such as CNY.")
DATE_INVALID = _("Enter a valid date.")
REQUIREMENTS_LOCKED = _(
    "Work orders have been dispatched for this job: its requirements now change only "
    "through a change notice."
)
COMPANY_LOCKED = _("The job has its number already: its client cannot change.")
JOB_CLOSED = _("The job is closed or cancelled: it cannot change any more.")
ALREADY_NUMBERED = _("The brief was reviewed already: the job has its number %(number)s.")
NUMBER_FAILED = _("No free job number could be found: check the job number format.")
CANCEL_REASON = _("Say why the job is cancelled.")
BRIEF_REVIEWED_NOTE = _("Brief reviewed; job number issued.")
FORMAT_NO_SEQ = _("The format must contain {seq}, the running number.")
FORMAT_INVALID = _(
    "This format cannot be used: only {client}, {year}, {yy} and {seq} (e.g. {seq:04d}) "
    "may appear in braces."
)
FORMAT_TOO_LONG = _("A job number made with this format would be too long.")
CODE_INVALID = _("Use lower-case letters, digits and hyphens, e.g. formal.")
CODE_TAKEN = _("This code is used by another kind of order.")
SETTING_RANGE = _("Enter a whole number from 0 to 60.")

CURRENCY_RE = re.compile(r"^[A-Z]{3}$")
CODE_RE = re.compile(r"^[a-z0-9][a-z0-9-]{0,31}$")

# The fields job_create takes and job_update may change.
JOB_FIELDS = (
    "company",
    "brand",
    "client_contact",
    "order_kind",
    "title",
    "owner",
    "received_on",
    "is_important",
    "estimated_amount",
    "currency",
    *REQUIREMENT_FIELDS,
)
TEXT_FIELDS = ("title", *[name for name in REQUIREMENT_FIELDS if name != "launch_date"])
SETTINGS_DAYS = (
    "summary_within_days",
    "acknowledge_within_days",
    "at_risk_within_days",
)
SETTINGS_AMOUNTS = ("internal_review_above", "summary_above")
SETTINGS_FIELDS = ("number_format", *SETTINGS_AMOUNTS, *SETTINGS_DAYS)
ORDER_KIND_FIELDS = ("code", "name_zh", "name_en", "is_formal", "order", "is_active")

# Values a trial job number is made with when a format is checked.
SAMPLE = {"client": "HAIER", "year": 2026, "yy": "26", "seq": 1}
NUMBER_MAX_LENGTH = 40
# How many taken numbers issuing skips (numbers given by hand or by an older format).
SKIP_LIMIT = 1000


def _raise_if(errors: dict) -> None:
    if errors:
        raise DomainError(INVALID, fields=errors)


def is_dispatched(job: Job) -> bool:
    """Whether any work order of the job has gone out to the departments."""
    return Acknowledgement.objects.filter(job=job, work_order__isnull=False).exists()


def sees_every_company(actor: User) -> bool:
    return actor.is_admin or actor.role in MANAGEMENT_ROLES


def _clean(values: dict) -> dict:
    cleaned = {k: v.strip() if isinstance(v, str) else v for k, v in values.items()}
    for name in TEXT_FIELDS:
        if name in cleaned and cleaned[name] is None:
            cleaned[name] = ""
    if "currency" in cleaned:
        cleaned["currency"] = (cleaned["currency"] or "").upper()
    if "is_important" in cleaned:
        cleaned["is_important"] = bool(cleaned["is_important"])
    return cleaned


def _check_amount(errors: dict, values: dict) -> None:
    if values.get("estimated_amount") in (None, ""):
        values["estimated_amount"] = None
        return
    try:
        amount = Decimal(str(values["estimated_amount"]))
    except (InvalidOperation, ValueError):
        errors["estimated_amount"] = NOT_A_NUMBER
        return
    if not amount.is_finite() or amount >= Decimal("1e12"):
        errors["estimated_amount"] = NOT_A_NUMBER
    elif amount < 0:
        errors["estimated_amount"] = NEGATIVE
    else:
        values["estimated_amount"] = amount.quantize(Decimal("0.01"))


def _check(errors: dict, values: dict, *, actor: User, job: Job | None = None) -> None:
    """Checks the values given (all of them on create, the changed ones on update)."""
    if "title" in values:
        if not values["title"]:
            errors["title"] = REQUIRED
        elif len(values["title"]) > 200:
            errors["title"] = TITLE_TOO_LONG
    if "theme" in values and len(values["theme"]) > 200:
        errors["theme"] = TITLE_TOO_LONG
    company = values.get("company", job.company if job else None)
    if "company" in values:
        if company is None:
            errors["company"] = REQUIRED
        elif not sees_every_company(actor) and not may_see_confidential(actor, company):
            errors["company"] = COMPANY_NOT_YOURS
    brand = values.get("brand", job.brand if job else None)
    if brand is not None and company is not None and brand.company_id != company.pk:
        errors["brand"] = BRAND_OTHER_CLIENT
    contact = values.get("client_contact", job.client_contact if job else None)
    if contact is not None and company is not None and contact.company_id != company.pk:
        errors["client_contact"] = CONTACT_OTHER_CLIENT
    if "owner" in values:
        owner = values["owner"]
        if owner is None or not owner.is_active or owner.kind != User.Kind.STAFF:
            errors["owner"] = OWNER_INVALID
    if "order_kind" in values:
        kind = values["order_kind"]
        if kind is None or not (kind.is_active or (job and job.order_kind_id == kind.pk)):
            errors["order_kind"] = ORDER_KIND_INVALID
    if "received_on" in values and not isinstance(values["received_on"], date):
        errors["received_on"] = REQUIRED if values["received_on"] is None else DATE_INVALID
    launch = values.get("launch_date")
    if launch is not None and not isinstance(launch, date):
        errors["launch_date"] = DATE_INVALID
    if "estimated_amount" in values:
        _check_amount(errors, values)
    if "currency" in values and not CURRENCY_RE.match(values["currency"]):
        errors["currency"] = CURRENCY_FORMAT


def _job_link(job: Job) -> str:
    return reverse("jobs:detail", args=[job.pk])


@transaction.atomic
def job_create(
    *,
    actor: User,
    company: Company,
    order_kind: OrderKind,
    title: str,
    owner: User | None = None,
    brand: Brand | None = None,
    client_contact: Contact | None = None,
    received_on: date | None = None,
    is_important: bool = False,
    estimated_amount: Decimal | None = None,
    currency: str = "CNY",
    **requirements,
) -> Job:
    """Takes a job (接单) for a client the actor serves, owned by `owner` (the actor by
    default), in the owner's department, at intake without a number yet."""
    require(actor, "jobs.job.create")
    unknown = set(requirements) - set(REQUIREMENT_FIELDS)
    if unknown:
        raise TypeError(f"Unknown job fields: {sorted(unknown)}")
    values = _clean(
        {
            "company": company,
            "brand": brand,
            "client_contact": client_contact,
            "order_kind": order_kind,
            "title": title,
            "owner": owner or actor,
            "received_on": received_on or timezone.localdate(),
            "is_important": is_important,
            "estimated_amount": estimated_amount,
            "currency": currency,
            **requirements,
        }
    )
    errors: dict = {}
    _check(errors, values, actor=actor)
    _raise_if(errors)
    job = Job.objects.create(
        created_by=actor, department=values["owner"].department, stage=Stage.INTAKE, **values
    )
    credit.require_credit_clear(actor=actor, company=job.company, purpose=job)
    audit.record_create(actor=actor, obj=job)
    if job.owner_id != actor.pk:
        notify(
            recipients=[job.owner],
            message=lambda: (
                _("%(actor)s made you the project owner of “%(job)s”.")
                % {"actor": actor, "job": job.title}
            ),
            link=_job_link(job),
            email=True,
        )
    return job


def _lock(job: Job, expected_version: int | None) -> Job:
    """The job's row, locked until the transaction ends; Conflict when it is no longer
    at the version the user saw (someone else, or an earlier click, changed it)."""
    locked = Job.objects.select_for_update(of=("self",)).get(pk=job.pk)
    if expected_version is not None and locked.version != expected_version:
        raise Conflict()
    return locked


def _save(job: Job, fields: list[str]) -> None:
    job.version += 1
    job.save(update_fields=[*fields, "version"])


@transaction.atomic
def job_update(*, actor: User, job: Job, expected_version: int, **fields) -> Job:
    """Changes the given fields (any of JOB_FIELDS). The requirements change here only
    until a work order is dispatched; after that, only through change notices. The
    client changes only until the number is issued (the number carries its code)."""
    require(actor, "jobs.job.edit", job)
    unknown = set(fields) - set(JOB_FIELDS)
    if unknown:
        raise TypeError(f"Unknown job fields: {sorted(unknown)}")
    locked = _lock(job, expected_version)
    if locked.stage in {Stage.CLOSED, Stage.CANCELLED}:
        raise DomainError(JOB_CLOSED)
    values = _clean(fields)
    # Only what really changes is checked and written.
    values = {name: value for name, value in values.items() if getattr(locked, name) != value}
    changed_requirements = [name for name in REQUIREMENT_FIELDS if name in values]
    if changed_requirements and is_dispatched(locked):
        raise DomainError(
            REQUIREMENTS_LOCKED, fields={name: REQUIREMENTS_LOCKED for name in changed_requirements}
        )
    if "company" in values and locked.number:
        raise DomainError(COMPANY_LOCKED, fields={"company": COMPANY_LOCKED})
    errors: dict = {}
    _check(errors, values, actor=actor, job=locked)
    _raise_if(errors)
    if not values:
        return locked
    if "owner" in values:
        values["department"] = values["owner"].department
    before = audit.snapshot(locked, list(values))
    old_owner = locked.owner_id
    for name, value in values.items():
        setattr(locked, name, value)
    _save(locked, list(values))
    audit.record_change(actor=actor, obj=locked, before=before)
    if locked.owner_id != old_owner and locked.owner_id != actor.pk:
        notify(
            recipients=[locked.owner],
            message=lambda: (
                _("%(actor)s made you the project owner of “%(job)s”.")
                % {"actor": actor, "job": locked}
            ),
            link=_job_link(locked),
            email=True,
        )
    return locked


def number_format_check(number_format: str) -> str | None:
    """The reason `number_format` cannot make job numbers, or None when it can."""
    if "{seq" not in number_format:
        return str(FORMAT_NO_SEQ)
    try:
        sample = number_format.format(**SAMPLE)
        number_format.format(**{**SAMPLE, "seq": 99999})
    except (KeyError, IndexError, ValueError, AttributeError, TypeError):
        return str(FORMAT_INVALID)
    if len(sample) > NUMBER_MAX_LENGTH or "{seq" in sample:
        return str(FORMAT_TOO_LONG if len(sample) > NUMBER_MAX_LENGTH else FORMAT_INVALID)
    return None


def _number(number_format: str, *, client: str, day: date, seq: int) -> str:
    return number_format.format(client=client, year=day.year, yy=f"{day.year % 100:02d}", seq=seq)


def _counter(key: str) -> JobNumberCounter:
    """The counter row of `key`, locked. Made first if missing: two transactions making it
    at once clash on the unique key; the loser's savepoint rolls back and it reads the
    winner's row, which it then waits to lock."""
    try:
        with transaction.atomic():
            JobNumberCounter.objects.get_or_create(key=key)
    except IntegrityError:
        pass
    return JobNumberCounter.objects.select_for_update(of=("self",)).get(key=key)


def _issue_number(job: Job, day: date) -> str:
    number_format = JobSettings.current().number_format
    client = job.company.code
    counter = _counter(f"{client}-{day.year}")
    seq = counter.last
    for _attempt in range(SKIP_LIMIT):
        seq += 1
        number = _number(number_format, client=client, day=day, seq=seq)
        if len(number) <= NUMBER_MAX_LENGTH and not Job.objects.filter(number=number).exists():
            counter.last = seq
            counter.save(update_fields=["last"])
            return number
    raise DomainError(NUMBER_FAILED)


@transaction.atomic
def job_brief_review(*, actor: User, job: Job, expected_version: int | None = None) -> Job:
    """The project lead has reviewed the brief: the job gets its number (SPEC §4) and
    moves from intake to review. Asking twice refuses (409): a job has one number."""
    require(actor, "jobs.job.edit", job)
    locked = Job.objects.select_for_update(of=("self",)).select_related("company").get(pk=job.pk)
    if locked.number:
        raise Conflict(ALREADY_NUMBERED % {"number": locked.number})
    if expected_version is not None and locked.version != expected_version:
        raise Conflict()
    if locked.stage in {Stage.CLOSED, Stage.CANCELLED}:
        raise DomainError(JOB_CLOSED)
    now = timezone.now()
    locked.number = _issue_number(locked, timezone.localdate(now))
    locked.brief_reviewed_at = now
    old_stage = locked.stage
    fields = ["number", "brief_reviewed_at"]
    if locked.stage == Stage.INTAKE:
        locked.stage = Stage.REVIEW
        fields.append("stage")
    _save(locked, fields)
    audit.record(
        actor=actor,
        obj=locked,
        action=AuditEntry.Action.TRANSITION,
        changes={"number": [None, locked.number], "stage": [old_stage, locked.stage]},
        note=str(BRIEF_REVIEWED_NOTE),
    )
    if locked.owner_id != actor.pk:
        notify(
            recipients=[locked.owner],
            message=lambda: (
                _("Job number %(number)s issued for “%(job)s”.")
                % {"number": locked.number, "job": locked.title}
            ),
            link=_job_link(locked),
        )
    return locked


@transaction.atomic
def job_cancel(*, actor: User, job: Job, reason: str, expected_version: int | None = None) -> Job:
    """Cancels a job that is not closed; it keeps its number, which is never given again."""
    require(actor, "jobs.job.edit", job)
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(CANCEL_REASON, fields={"reason": CANCEL_REASON})
    locked = _lock(job, expected_version)
    if locked.stage in {Stage.CLOSED, Stage.CANCELLED}:
        raise DomainError(JOB_CLOSED)
    old = locked.stage
    locked.stage = Stage.CANCELLED
    _save(locked, ["stage"])
    audit.record_transition(actor=actor, obj=locked, old=old, new=locked.stage, note=reason)
    if locked.owner_id != actor.pk:
        notify(
            recipients=[locked.owner],
            message=lambda: (
                _("%(actor)s cancelled the job “%(job)s”: %(reason)s")
                % {"actor": actor, "job": locked, "reason": reason}
            ),
            link=_job_link(locked),
            email=True,
        )
    return locked


# Settings and kinds of order (administrators) ---------------------------------------------


@transaction.atomic
def job_settings_update(*, actor: User, expected_version: int, **fields) -> JobSettings:
    """Changes the job chain's settings; a number format must make a number."""
    require(actor, "jobs.settings.edit")
    unknown = set(fields) - set(SETTINGS_FIELDS)
    if unknown:
        raise TypeError(f"Unknown job settings: {sorted(unknown)}")
    current = JobSettings.current()
    row = JobSettings.objects.select_for_update(of=("self",)).get(pk=current.pk)
    if row.version != expected_version:
        raise Conflict()
    errors: dict = {}
    if "number_format" in fields:
        fields["number_format"] = (fields["number_format"] or "").strip()
        problem = number_format_check(fields["number_format"])
        if problem:
            errors["number_format"] = problem
    for name in SETTINGS_AMOUNTS:
        if name in fields:
            try:
                amount = Decimal(str(fields[name]))
            except (InvalidOperation, ValueError):
                errors[name] = NOT_A_NUMBER
                continue
            if not amount.is_finite() or amount < 0 or amount >= Decimal("1e12"):
                errors[name] = NOT_A_NUMBER
            else:
                fields[name] = amount.quantize(Decimal("0.01"))
    for name in SETTINGS_DAYS:
        if name in fields:
            value = fields[name]
            if not isinstance(value, int) or isinstance(value, bool) or not 0 <= value <= 60:
                errors[name] = SETTING_RANGE
    _raise_if(errors)
    before = audit.snapshot(row, list(fields))
    for name, value in fields.items():
        setattr(row, name, value)
    _save(row, list(fields))
    audit.record_change(actor=actor, obj=row, before=before)
    return row


def _check_order_kind(values: dict, kind: OrderKind | None) -> None:
    errors: dict = {}
    if "code" in values:
        values["code"] = (values["code"] or "").strip().lower()
        if not CODE_RE.match(values["code"]):
            errors["code"] = CODE_INVALID
        elif OrderKind.objects.filter(code=values["code"]).exclude(pk=getattr(kind, "pk", None)):
            errors["code"] = CODE_TAKEN
    for name in ("name_zh", "name_en"):
        if name in values:
            values[name] = (values[name] or "").strip()
    if "name_zh" in values and not values["name_zh"]:
        errors["name_zh"] = REQUIRED
    if "order" in values:
        order = values["order"]
        if not isinstance(order, int) or not 0 <= order <= 32767:
            errors["order"] = NOT_A_NUMBER
    _raise_if(errors)


@transaction.atomic
def order_kind_create(
    *,
    actor: User,
    code: str,
    name_zh: str,
    name_en: str = "",
    is_formal: bool = False,
    order: int = 0,
    is_active: bool = True,
) -> OrderKind:
    require(actor, "jobs.settings.edit")
    values = {
        "code": code,
        "name_zh": name_zh,
        "name_en": name_en,
        "is_formal": bool(is_formal),
        "order": order,
        "is_active": bool(is_active),
    }
    _check_order_kind(values, None)
    kind = OrderKind.objects.create(**values)
    audit.record_create(actor=actor, obj=kind)
    return kind


@transaction.atomic
def order_kind_update(*, actor: User, kind: OrderKind, **fields) -> OrderKind:
    """Renames, reorders or retires a kind of order; jobs taken as it keep it."""
    require(actor, "jobs.settings.edit")
    unknown = set(fields) - set(ORDER_KIND_FIELDS)
    if unknown:
        raise TypeError(f"Unknown order kind fields: {sorted(unknown)}")
    locked = OrderKind.objects.select_for_update(of=("self",)).get(pk=kind.pk)
    _check_order_kind(fields, locked)
    before = audit.snapshot(locked, list(fields))
    for name, value in fields.items():
        setattr(locked, name, value)
    locked.save(update_fields=list(fields))
    audit.record_change(actor=actor, obj=locked, before=before)
    return locked
