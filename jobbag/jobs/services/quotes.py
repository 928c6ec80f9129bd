"""Quotes (报价, SPEC §4): versions made from the client's feedback, lines from the rate
card, taxes from a tax profile, internal sign-off by amount and the client's sign-back
through the engine; and the optional prepayment that holds the work like an unsigned
quote does.

A version's content changes only while it is a draft. Once sent for sign-off it is frozen:
if it comes back (returned or rejected) the next version is a new row, a copy of it to
revise. Totals are always recomputed here from the lines, in Decimal rounded to cents.
"""

from datetime import date
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.db import transaction
from django.db.models import F, Max
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jobbag.accounts.models import Role, User
from jobbag.approvals.models import Approval, SignoffStatus
from jobbag.approvals.services import approval_submit
from jobbag.core import audit
from jobbag.core.errors import Conflict, DomainError
from jobbag.core.models import AuditEntry
from jobbag.core.money import format_money
from jobbag.core.notifications import notify
from jobbag.core.permissions import require
from jobbag.core.versioning import save_versioned
from jobbag.finance.models import RateItem, TaxProfile
from jobbag.finance.selectors.reference import default_tax_profile, rate_for
from jobbag.jobs.models import Job, QuoteLine, QuoteVersion, Stage

CENT = Decimal("0.01")
HUNDRED = Decimal(100)

INVALID = _("Please correct the errors below.")
REQUIRED = _("This field is required.")
NOT_A_NUMBER = _("Enter a number.")
QUANTITY_POSITIVE = _("The quantity must be more than zero.")
PRICE_NEGATIVE = _("The price cannot be negative.")
MARKUP_NEGATIVE = _("The markup cannot be negative.")
KIND_INVALID = _("Choose hours × rate, pieces × price or an external cost.")
RATE_ITEM_NEEDED = _("Choose the rate card item, or give the price yourself.")
RATE_ITEM_UNIT = _("This rate card item is not priced %(unit)s.")
RATE_ITEM_EXTERNAL = _("An external cost is not priced from the rate card.")
RATE_ITEM_OTHER_CLIENT = _("This price is another client's own.")
RATE_ITEM_CURRENCY = _("This rate card item is in %(currency)s, the quote in %(quote)s.")
RATE_ITEM_INACTIVE = _("This rate card item is no longer in use.")
TAX_PROFILE_INACTIVE = _("This tax profile is no longer in use.")
VALID_UNTIL_PAST = _("The quote cannot be valid only until a day already past.")
NOT_DRAFT = _(
    "Only a draft quote can be changed: this version has been sent for sign-off. Make the "
    "next version to change it."
)
QUOTE_PENDING = _("Version %(number)s is in sign-off: wait for its outcome or withdraw it.")
QUOTE_SIGNED = _(
    "Version %(number)s has been signed off: the quote cannot change any more. Record "
    "further changes as a change notice."
)
QUOTE_DRAFT_EXISTS = _("Version %(number)s is still a draft: change that one.")
JOB_CLOSED = _("The job is closed or cancelled.")
EMPTY_QUOTE = _("Add at least one line before sending the quote for sign-off.")
NO_JOB_NUMBER = _(
    "The job has no job number yet: the project lead must review the brief before a quote goes out."
)
NOT_LATEST = _("Only the latest version of the quote can be sent for sign-off.")
PREPAYMENT_POSITIVE = _("The prepayment must be more than zero.")
PREPAYMENT_RECEIVED = _("The prepayment has already been received: it cannot change any more.")
PREPAYMENT_NOT_REQUIRED = _("No prepayment is required for this job.")
PREPAYMENT_ALREADY = _("The prepayment was already recorded as received.")
RECEIVED_FUTURE = _("The prepayment cannot have been received in the future.")

QUOTE_FIELDS = ("tax_profile", "valid_until", "notes", "client_feedback")


def money(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def line_amount(kind: str, quantity: Decimal, unit_price: Decimal, markup: Decimal) -> Decimal:
    """hours × rate; pieces × price; an external cost × quantity plus its markup."""
    amount = quantity * unit_price
    if kind == QuoteLine.Kind.EXTERNAL:
        amount = amount * (HUNDRED + markup) / HUNDRED
    return money(amount)


def taxes_of(net: Decimal, profile: TaxProfile | None) -> tuple[list[dict], Decimal]:
    """The tax lines of a net amount under `profile` and the sum of the charged ones.
    A tax not charged (the culture-construction fee) is shown for costing only."""
    lines, charged = [], Decimal(0)
    if profile is None:
        return lines, charged
    for component in profile.components.all():
        amount = money(net * component.rate / HUNDRED)
        lines.append(
            {
                "name": component.name,
                "rate": str(component.rate),
                "charged": component.charged,
                "amount": str(amount),
            }
        )
        if component.charged:
            charged += amount
    return lines, charged


def _recompute(quote: QuoteVersion) -> None:
    """Net, taxes and total from the lines and the tax profile, saved with the version."""
    net = sum((line.amount for line in quote.lines.all()), Decimal(0))
    quote.net_total = money(net)
    quote.tax_lines, tax_total = taxes_of(quote.net_total, quote.tax_profile)
    quote.tax_total = money(tax_total)
    quote.total = quote.net_total + quote.tax_total


def _save_totals(quote: QuoteVersion, *, expected_version: int | None = None) -> None:
    """Recomputes the totals and saves them with a version bump (a line change is a
    change of the quote: an editor who loaded it before is told)."""
    _recompute(quote)
    fields = ["net_total", "tax_lines", "tax_total", "total"]
    if expected_version is None:
        expected_version = quote.version
    save_versioned(quote, expected_version=expected_version, fields=fields)


def _lock(quote: QuoteVersion, expected_version: int | None = None) -> QuoteVersion:
    locked = (
        QuoteVersion.objects.select_for_update(of=("self",))
        .select_related("job", "job__company", "tax_profile")
        .get(pk=quote.pk)
    )
    if expected_version is not None and locked.version != expected_version:
        raise Conflict()
    return locked


def _require_draft(quote: QuoteVersion) -> None:
    if quote.signoff_status != SignoffStatus.DRAFT:
        raise DomainError(NOT_DRAFT, code="not_editable")


def _require_open(job: Job) -> None:
    if job.stage in {Stage.CLOSED, Stage.CANCELLED}:
        raise DomainError(JOB_CLOSED)


# Versions -----------------------------------------------------------------------------


@transaction.atomic
def quote_create(*, actor: User, job: Job) -> QuoteVersion:
    """The job's first quote version, or the next as a copy of the latest (with its lines)
    when the client or a signer sent that one back. Refused while a version waits in
    sign-off, while a draft exists, and once a version has been signed off."""
    require(actor, "jobs.quote.edit", job)
    job = Job.objects.select_for_update(of=("self",)).get(pk=job.pk)
    _require_open(job)
    latest = (
        QuoteVersion.objects.filter(job=job)
        .select_related("tax_profile")
        .order_by("-number")
        .first()
    )
    if latest is not None:
        status = latest.signoff_status
        if status == SignoffStatus.SUBMITTED:
            raise Conflict(QUOTE_PENDING % {"number": latest.number})
        if status == SignoffStatus.APPROVED or latest.signed_back_at is not None:
            raise DomainError(QUOTE_SIGNED % {"number": latest.number}, code="quote_signed")
        if status == SignoffStatus.DRAFT:
            raise Conflict(QUOTE_DRAFT_EXISTS % {"number": latest.number})
    if latest is None:
        quote = QuoteVersion.objects.create(
            job=job,
            number=1,
            currency=job.currency,
            tax_profile=default_tax_profile(),
            created_by=actor,
        )
    else:
        profile = latest.tax_profile
        if profile is not None and not profile.is_active:
            profile = default_tax_profile()
        quote = QuoteVersion.objects.create(
            job=job,
            number=latest.number + 1,
            currency=latest.currency,
            tax_profile=profile,
            valid_until=latest.valid_until,
            notes=latest.notes,
            created_by=actor,
        )
        QuoteLine.objects.bulk_create(
            QuoteLine(
                quote=quote,
                order=line.order,
                kind=line.kind,
                rate_item_id=line.rate_item_id,
                description=line.description,
                quantity=line.quantity,
                unit_price=line.unit_price,
                markup_percent=line.markup_percent,
                amount=line.amount,
            )
            for line in latest.lines.all()
        )
    _recompute(quote)
    quote.save(update_fields=["net_total", "tax_lines", "tax_total", "total"])
    audit.record_create(
        actor=actor,
        obj=quote,
        note=str(_("Made from version %(number)s") % {"number": latest.number}) if latest else "",
    )
    if job.stage in {Stage.INTAKE, Stage.REVIEW}:
        old = job.stage
        Job.objects.filter(pk=job.pk).update(stage=Stage.QUOTE)
        job.stage = Stage.QUOTE
        audit.record_transition(actor=actor, obj=job, old=old, new=Stage.QUOTE)
    return quote


def _parse_decimal(value, errors: dict, field: str) -> Decimal | None:
    if value is None or value == "":
        return None
    try:
        number = Decimal(str(value))
    except (InvalidOperation, ValueError, TypeError):
        errors[field] = NOT_A_NUMBER
        return None
    if not number.is_finite():
        errors[field] = NOT_A_NUMBER
        return None
    return number.quantize(CENT, rounding=ROUND_HALF_UP)


def _line_values(quote: QuoteVersion, values: dict) -> dict:
    """Checks a line's values (all of them, merged with the line's current ones on an
    update) and returns them with the unit price from the rate card and the amount."""
    errors: dict = {}
    kind = values.get("kind")
    if kind not in QuoteLine.Kind.values:
        errors["kind"] = KIND_INVALID
    quantity = _parse_decimal(values.get("quantity"), errors, "quantity")
    if quantity is None and "quantity" not in errors:
        errors["quantity"] = REQUIRED
    elif quantity is not None and quantity <= 0:
        errors["quantity"] = QUANTITY_POSITIVE
    unit_price = _parse_decimal(values.get("unit_price"), errors, "unit_price")
    if unit_price is not None and unit_price < 0:
        errors["unit_price"] = PRICE_NEGATIVE
    markup = _parse_decimal(values.get("markup_percent"), errors, "markup_percent")
    markup = markup if markup is not None else Decimal(0)
    if markup < 0:
        errors["markup_percent"] = MARKUP_NEGATIVE
    item: RateItem | None = values.get("rate_item")
    description = (values.get("description") or "").strip()
    if kind == QuoteLine.Kind.EXTERNAL:
        markup = markup if "markup_percent" not in errors else Decimal(0)
        if item is not None:
            errors["rate_item"] = RATE_ITEM_EXTERNAL
        if unit_price is None and "unit_price" not in errors:
            errors["unit_price"] = REQUIRED
    elif kind in QuoteLine.Kind.values:
        markup = Decimal(0)
        if item is not None:
            unit = RateItem.Unit.HOUR if kind == QuoteLine.Kind.TIME else RateItem.Unit.PIECE
            if item.company_id is not None and item.company_id != quote.job.company_id:
                errors["rate_item"] = RATE_ITEM_OTHER_CLIENT
            elif item.unit != unit:
                errors["rate_item"] = RATE_ITEM_UNIT % {"unit": RateItem.Unit(unit).label}
            elif item.currency != quote.currency:
                errors["rate_item"] = RATE_ITEM_CURRENCY % {
                    "currency": item.currency,
                    "quote": quote.currency,
                }
            elif not item.is_active:
                errors["rate_item"] = RATE_ITEM_INACTIVE
            else:
                # The client's own price for the code wins over the general one.
                item = rate_for(item, quote.job.company_id)
                if values.get("price_from_card", True) or unit_price is None:
                    unit_price = item.price
                description = description or item.name
        elif unit_price is None and "unit_price" not in errors:
            errors["unit_price"] = RATE_ITEM_NEEDED
    if not description and "rate_item" not in errors:
        errors["description"] = REQUIRED
    if errors:
        raise DomainError(INVALID, fields=errors)
    return {
        "kind": kind,
        "rate_item": item,
        "description": description[:200],
        "quantity": quantity,
        "unit_price": unit_price,
        "markup_percent": markup,
        "amount": line_amount(kind, quantity, unit_price, markup),
    }


@transaction.atomic
def quote_line_add(
    *,
    actor: User,
    quote: QuoteVersion,
    kind: str,
    quantity,
    rate_item: RateItem | None = None,
    unit_price=None,
    description: str = "",
    markup_percent=0,
    expected_version: int | None = None,
) -> QuoteLine:
    """Adds a line to a draft: hours × rate and pieces × price take the rate card's price
    for the job's client (its own price, else the general one) unless a price is given;
    an external cost is the supplier's price × quantity plus the markup."""
    require(actor, "jobs.quote.edit", quote)
    quote = _lock(quote, expected_version)
    _require_draft(quote)
    values = _line_values(
        quote,
        {
            "kind": kind,
            "quantity": quantity,
            "rate_item": rate_item,
            "unit_price": unit_price,
            "description": description,
            "markup_percent": markup_percent,
            "price_from_card": unit_price in (None, ""),
        },
    )
    order = (quote.lines.aggregate(last=Max("order"))["last"] or 0) + 1
    line = QuoteLine.objects.create(quote=quote, order=order, **values)
    _save_totals(quote)
    audit.record(
        actor=actor,
        obj=quote,
        action=AuditEntry.Action.CHANGE,
        changes={"lines": [None, f"{line.description} {line.amount}"]},
    )
    return line


@transaction.atomic
def quote_line_update(
    *, actor: User, line: QuoteLine, expected_version: int | None = None, **fields
) -> QuoteLine:
    """Changes a line of a draft; the fields not given keep their values. Choosing another
    rate card item (or none with a price) re-prices the line."""
    allowed = {"kind", "quantity", "rate_item", "unit_price", "description", "markup_percent"}
    unknown = set(fields) - allowed
    if unknown:
        raise TypeError(f"Unknown quote line fields: {sorted(unknown)}")
    quote = line.quote
    require(actor, "jobs.quote.edit", quote)
    quote = _lock(quote, expected_version)
    _require_draft(quote)
    line = QuoteLine.objects.select_related("rate_item").get(pk=line.pk, quote=quote)
    current = {
        "kind": line.kind,
        "quantity": line.quantity,
        "rate_item": line.rate_item,
        "unit_price": line.unit_price,
        "description": line.description,
        "markup_percent": line.markup_percent,
    }
    merged = {**current, **fields}
    # The card's price is taken again when the price is cleared, or when another item is
    # chosen without a price of its own.
    price_cleared = "unit_price" in fields and fields["unit_price"] in (None, "")
    item_changed = "rate_item" in fields and fields["rate_item"] != line.rate_item
    merged["price_from_card"] = merged["rate_item"] is not None and (
        price_cleared or (item_changed and "unit_price" not in fields)
    )
    if price_cleared:
        merged["unit_price"] = None
    values = _line_values(quote, merged)
    before = audit.snapshot(line, list(values))
    for name, value in values.items():
        setattr(line, name, value)
    line.save(update_fields=list(values))
    _save_totals(quote)
    changes = audit.diff(before, audit.snapshot(line, list(values)))
    if changes:
        audit.record(
            actor=actor, obj=quote, action=AuditEntry.Action.CHANGE, changes={"lines": changes}
        )
    return line


@transaction.atomic
def quote_line_remove(
    *, actor: User, line: QuoteLine, expected_version: int | None = None
) -> QuoteVersion:
    quote = line.quote
    require(actor, "jobs.quote.edit", quote)
    quote = _lock(quote, expected_version)
    _require_draft(quote)
    line = QuoteLine.objects.get(pk=line.pk, quote=quote)
    label = f"{line.description} {line.amount}"
    line.delete()
    _save_totals(quote)
    audit.record(
        actor=actor, obj=quote, action=AuditEntry.Action.CHANGE, changes={"lines": [label, None]}
    )
    return quote


@transaction.atomic
def quote_update(
    *, actor: User, quote: QuoteVersion, expected_version: int, **fields
) -> QuoteVersion:
    """Changes a draft's tax profile, validity, notes or the client's feedback it answers.
    A stale `expected_version` (someone changed it meanwhile) gives Conflict."""
    unknown = set(fields) - set(QUOTE_FIELDS)
    if unknown:
        raise TypeError(f"Unknown quote fields: {sorted(unknown)}")
    require(actor, "jobs.quote.edit", quote)
    quote = _lock(quote, expected_version)
    _require_draft(quote)
    errors: dict = {}
    values = dict(fields)
    for name in ("notes", "client_feedback"):
        if name in values:
            values[name] = (values[name] or "").strip()
    profile = values.get("tax_profile")
    if profile is not None and not profile.is_active and profile.pk != quote.tax_profile_id:
        errors["tax_profile"] = TAX_PROFILE_INACTIVE
    valid_until = values.get("valid_until")
    if valid_until is not None and (
        not isinstance(valid_until, date) or valid_until < timezone.localdate()
    ):
        errors["valid_until"] = VALID_UNTIL_PAST
    if errors:
        raise DomainError(INVALID, fields=errors)
    before = audit.snapshot(quote, list(values))
    for name, value in values.items():
        setattr(quote, name, value)
    _recompute(quote)
    save_versioned(
        quote,
        expected_version=expected_version,
        fields=[*values, "net_total", "tax_lines", "tax_total", "total"],
    )
    audit.record_change(actor=actor, obj=quote, before=before)
    return quote


@transaction.atomic
def quote_submit(*, actor: User, quote: QuoteVersion) -> Approval:
    """Sends the latest draft for sign-off: internal signers by amount, then the client.
    Refuses an empty quote and a job without its number."""
    require(actor, "jobs.quote.edit", quote)
    quote = _lock(quote)
    if quote.signoff_status == SignoffStatus.SUBMITTED:
        raise Conflict(QUOTE_PENDING % {"number": quote.number})
    _require_draft(quote)
    _require_open(quote.job)
    if QuoteVersion.objects.filter(job_id=quote.job_id, number__gt=quote.number).exists():
        raise DomainError(NOT_LATEST)
    if not quote.job.number:
        raise DomainError(NO_JOB_NUMBER, code="no_job_number")
    if not quote.lines.exists():
        raise DomainError(EMPTY_QUOTE, code="empty_quote")
    # What is signed must be exactly the lines as they are now.
    _recompute(quote)
    quote.save(update_fields=["net_total", "tax_lines", "tax_total", "total"])
    return approval_submit(actor=actor, document=quote)


# Prepayment ---------------------------------------------------------------------------


@transaction.atomic
def job_prepayment_require(*, actor: User, job: Job, amount) -> Job:
    """Asks the client for a prepayment before work starts (None or 0 drops the
    requirement); the work gate holds the job until Finance records it received."""
    require(actor, "jobs.quote.edit", job)
    job = Job.objects.select_for_update(of=("self",)).get(pk=job.pk)
    _require_open(job)
    if job.prepayment_received_on is not None:
        raise DomainError(PREPAYMENT_RECEIVED)
    errors: dict = {}
    value = _parse_decimal(amount, errors, "amount")
    if errors:
        raise DomainError(INVALID, fields=errors)
    if value is not None and value < 0:
        raise DomainError(INVALID, fields={"amount": PREPAYMENT_POSITIVE})
    value = value or None
    before = audit.snapshot(job, ["prepayment_required"])
    job.prepayment_required = value
    Job.objects.filter(pk=job.pk).update(prepayment_required=value, version=F("version") + 1)
    job.version += 1
    audit.record_change(actor=actor, obj=job, before=before)
    if value is not None:
        # Finance watches for the money: the job is held until they record it.
        notify(
            recipients=_finance_staff().exclude(pk=actor.pk),
            message=lambda: (
                _("A prepayment of %(amount)s is required before work on %(job)s")
                % {"amount": format_money(value, job.currency), "job": job}
            ),
            link=reverse("jobs:detail", args=[job.pk]),
        )
    return job


def _finance_staff():
    return User.objects.filter(position__role=Role.FINANCE, is_active=True, kind=User.Kind.STAFF)


@transaction.atomic
def job_prepayment_record(*, actor: User, job: Job, received_on: date) -> Job:
    """Finance (or the job's owners) record the client's prepayment as received."""
    require(actor, "jobs.prepayment.record", job)
    job = Job.objects.select_for_update(of=("self",)).get(pk=job.pk)
    if not job.prepayment_required:
        raise DomainError(PREPAYMENT_NOT_REQUIRED)
    if job.prepayment_received_on is not None:
        raise Conflict(PREPAYMENT_ALREADY)
    if received_on is None:
        raise DomainError(INVALID, fields={"received_on": REQUIRED})
    if received_on > timezone.localdate():
        raise DomainError(INVALID, fields={"received_on": RECEIVED_FUTURE})
    before = audit.snapshot(job, ["prepayment_received_on"])
    job.prepayment_received_on = received_on
    Job.objects.filter(pk=job.pk).update(
        prepayment_received_on=received_on, version=F("version") + 1
    )
    job.version += 1
    audit.record_change(actor=actor, obj=job, before=before)
    people = {job.owner}
    people |= set(_finance_staff())
    people.discard(actor)
    amount = job.prepayment_required
    notify(
        recipients=people,
        message=lambda: (
            _("Prepayment of %(amount)s received for %(job)s")
            % {"amount": format_money(amount, job.currency), "job": job}
        ),
        link=reverse("jobs:detail", args=[job.pk]),
    )
    return job
