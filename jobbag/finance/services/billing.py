"""Invoices (SPEC §7): numbering series, drafts (from the signed quote — whole, a
milestone, a percentage —, from approved billable time, from a retainer), issuing and
credit notes. Payments are in `services.payments`, periods in `services.periods`.

A draft is Finance's working copy. Issuing gives it the next number of its series (taken
under the series' row lock in the same transaction, so a rolled-back issue leaves no
gap), its dates, the hash of its frozen content and makes it immutable: nothing changes
an issued invoice but payments and credit notes, which reverse it in whole or in part.

Money is Decimal to the cent; each tax is rounded on its own, half up.
"""

import hashlib
import json
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from jobbag.accounts.models import User
from jobbag.approvals.models import SignoffStatus
from jobbag.clients.models import Company
from jobbag.core import audit
from jobbag.core.errors import Conflict, DomainError
from jobbag.core.money import format_money
from jobbag.core.notifications import notify
from jobbag.core.permissions import require
from jobbag.core.versioning import save_versioned
from jobbag.finance.models import (
    FinanceSettings,
    Invoice,
    InvoiceLine,
    InvoiceSeries,
    Retainer,
    TaxProfile,
    TimeEntry,
)
from jobbag.finance.selectors.reference import default_tax_profile, rate_for
from jobbag.finance.services.periods import require_open
from jobbag.jobs.models import Job, QuoteLine, QuoteVersion
from jobbag.jobs.services.gates import signed_quote

CENT = Decimal("0.01")
HUNDRED = Decimal(100)
ZERO = Decimal("0.00")
# The largest amount a money column holds (14 digits, 2 of them decimals).
MAX_AMOUNT = Decimal("1000000000000")

INVALID = _("Please correct the errors below.")
REQUIRED = _("This field is required.")
NOT_A_NUMBER = _("Enter a number.")
TOO_LARGE = _("This amount is too large.")
NO_SIGNED_QUOTE = _("The client has not signed a quote for this job: nothing to invoice from it.")
OVER_QUOTE = _(
    "This would invoice %(total)s of the signed quote's %(quote)s (net): only %(left)s is "
    "left to invoice."
)
PERCENT_RANGE = _("Give a percentage above 0 and up to 100.")
AMOUNT_POSITIVE = _("The amount must be more than zero.")
MILESTONE_NEEDS = _("Give the milestone's amount or choose quote lines.")
LINE_NOT_OF_QUOTE = _("Choose lines of the signed quote.")
NO_TIME = _("There is no approved billable time on this job left to invoice.")
TIME_UNPRICED = _("Some approved time has no service from the rate card and cannot be priced.")
NO_SERIES = _("There is no active invoice series: Finance must set one up first.")
NO_CREDIT_SERIES = _("There is no active series for credit notes: Finance must set one up first.")
SERIES_INACTIVE = _("This invoice series is no longer in use.")
SERIES_WRONG_KIND = _("Choose a series for invoices, not one for credit notes.")
NOT_DRAFT = _("This invoice has been issued: it cannot change. Reverse it with a credit note.")
ALREADY_ISSUED = _("This invoice was already issued; nothing was changed.")
EMPTY_INVOICE = _("An invoice needs at least one line with an amount.")
ISSUE_IN_FUTURE = _("An invoice cannot be issued with a date in the future.")
NOT_ISSUED = _("Only an issued invoice can be credited.")
CREDIT_OF_CREDIT = _("A credit note cannot be credited.")
CREDIT_TOO_MUCH = _("At most %(left)s (net %(net)s) is left to credit on this invoice.")
REASON_REQUIRED = _("Say why the invoice is credited.")
CODE_TAKEN = _("This code is already used by another series.")
PREFIX_INVALID = _("The prefix may contain {year} and nothing else in braces.")
DIGITS_RANGE = _("Between 1 and 10 digits.")
NEXT_NUMBER_BACK = _("The next number cannot go back below %(number)s: numbers are never reused.")
NOTE_TOO_LONG = _("Write at most 2,000 characters.")
RETAINER_MONTH = _("The retainer does not run in %(month)s.")
EMAIL_INVALID = _("Enter a valid e-mail address.")
CURRENCY_MISMATCH = _("The series, client and amounts must be in one currency.")

ISSUED = _("%(actor)s issued invoice %(number)s for %(client)s: %(total)s")
CREDITED = _("%(actor)s issued credit note %(number)s against %(invoice)s: %(total)s")

SERIES_FIELDS = [
    "code",
    "name",
    "legal_entity",
    "tax_number",
    "prefix",
    "digits",
    "next_number",
    "for_credit_notes",
    "is_default",
    "is_active",
]
QUOTE_KINDS = (Invoice.Kind.QUOTE, Invoice.Kind.MILESTONE, Invoice.Kind.PERCENTAGE)
NOTE_MAX = 2000


def money(value: Decimal) -> Decimal:
    return Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)


def invoice_url(invoice: Invoice) -> str:
    return reverse("finance:invoice_detail", args=[invoice.pk])


def _decimal(value, field: str, message=NOT_A_NUMBER) -> Decimal:
    if isinstance(value, Decimal):
        number = value
    else:
        try:
            number = Decimal(str(value).strip())
        except (InvalidOperation, ValueError, TypeError):
            raise DomainError(INVALID, fields={field: message}) from None
    if not number.is_finite():
        raise DomainError(INVALID, fields={field: message})
    if abs(number) >= MAX_AMOUNT:
        raise DomainError(INVALID, fields={field: TOO_LARGE})
    return number


def _note(note) -> str:
    note = (note or "").strip()
    if len(note) > NOTE_MAX:
        raise DomainError(NOTE_TOO_LONG, fields={"note": NOTE_TOO_LONG})
    return note


# Taxes ----------------------------------------------------------------------------------


def taxes_for(net: Decimal, profile: TaxProfile | None) -> tuple[list[dict], Decimal, Decimal]:
    """The taxes of a net amount under `profile`, each rounded to the cent half up: the
    breakdown, the sum of those charged to the client (VAT) and of those borne by the
    agency (the culture-construction fee)."""
    lines, charged, borne = [], ZERO, ZERO
    if profile is None:
        return lines, charged, borne
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
        else:
            borne += amount
    return lines, charged, borne


def _apply_totals(invoice: Invoice, lines: list[InvoiceLine]) -> None:
    invoice.net_amount = money(sum((line.amount for line in lines), ZERO))
    invoice.taxes, charged, borne = taxes_for(invoice.net_amount, invoice.tax_profile)
    invoice.tax_amount = money(charged)
    invoice.levy_amount = money(borne)
    invoice.total = invoice.net_amount + invoice.tax_amount


# Series ---------------------------------------------------------------------------------


def series_number(series: InvoiceSeries, number: int, day: date) -> str:
    """INV{year}- with 5 digits → INV2026-00001."""
    return series.prefix.replace("{year}", f"{day.year:04d}") + str(number).zfill(series.digits)


def _clean_series(values: dict, *, instance: InvoiceSeries | None) -> dict:
    errors = {}
    cleaned = {name: values[name] for name in SERIES_FIELDS if name in values}
    for name in ("code", "name", "legal_entity", "prefix"):
        if name in cleaned:
            cleaned[name] = (cleaned[name] or "").strip()
            if not cleaned[name]:
                errors[name] = REQUIRED
    prefix = cleaned.get("prefix", "")
    if prefix and ("{" in prefix.replace("{year}", "") or "}" in prefix.replace("{year}", "")):
        errors["prefix"] = PREFIX_INVALID
    digits = cleaned.get("digits")
    if digits is not None and not (isinstance(digits, int) and 1 <= digits <= 10):
        errors["digits"] = DIGITS_RANGE
    code = cleaned.get("code")
    others = InvoiceSeries.objects.exclude(pk=getattr(instance, "pk", None))
    if code and others.filter(code=code).exists():
        errors["code"] = CODE_TAKEN
    next_number = cleaned.get("next_number")
    if (
        instance is not None
        and "next_number" in cleaned
        and (not isinstance(next_number, int) or next_number < instance.next_number)
    ):
        errors["next_number"] = NEXT_NUMBER_BACK % {"number": instance.next_number}
    if errors:
        raise DomainError(INVALID, fields=errors)
    return cleaned


def _one_default(series: InvoiceSeries) -> None:
    """One default series for invoices and one for credit notes."""
    if series.is_default:
        InvoiceSeries.objects.filter(
            is_default=True, for_credit_notes=series.for_credit_notes
        ).exclude(pk=series.pk).update(is_default=False)


@transaction.atomic
def series_create(*, actor: User, **values) -> InvoiceSeries:
    require(actor, "finance.series.manage")
    cleaned = _clean_series(values, instance=None)
    cleaned.setdefault("next_number", 1)
    if not isinstance(cleaned["next_number"], int) or cleaned["next_number"] < 1:
        raise DomainError(INVALID, fields={"next_number": NEXT_NUMBER_BACK % {"number": 1}})
    series = InvoiceSeries.objects.create(**cleaned)
    _one_default(series)
    audit.record_create(actor=actor, obj=series)
    return series


@transaction.atomic
def series_update(
    *, actor: User, series: InvoiceSeries, expected_version: int, **values
) -> InvoiceSeries:
    """Edits a series; its next number only moves forward (numbers are never reused)."""
    require(actor, "finance.series.manage")
    series = InvoiceSeries.objects.select_for_update().get(pk=series.pk)
    if series.version != expected_version:
        raise Conflict()
    cleaned = _clean_series(values, instance=series)
    before = audit.snapshot(series, SERIES_FIELDS)
    for name, value in cleaned.items():
        setattr(series, name, value)
    save_versioned(series, expected_version=expected_version, fields=list(cleaned))
    _one_default(series)
    audit.record_change(actor=actor, obj=series, before=before)
    return series


def default_series(*, credit_notes: bool = False, legal_entity: str = "") -> InvoiceSeries | None:
    """The series to use: the default one (of the legal entity when named), else the first
    active one."""
    rows = InvoiceSeries.objects.filter(is_active=True, for_credit_notes=credit_notes)
    if legal_entity:
        same = rows.filter(legal_entity=legal_entity).order_by("-is_default", "code").first()
        if same is not None:
            return same
    return rows.order_by("-is_default", "code").first()


def _check_series(series: InvoiceSeries | None) -> InvoiceSeries:
    if series is None:
        series = default_series()
        if series is None:
            raise DomainError(NO_SERIES, fields={"series": NO_SERIES})
    if not series.is_active:
        raise DomainError(INVALID, fields={"series": SERIES_INACTIVE})
    if series.for_credit_notes:
        raise DomainError(INVALID, fields={"series": SERIES_WRONG_KIND})
    return series


# Drafts ---------------------------------------------------------------------------------


def quote_invoiced_net(job: Job, *, issued_only: bool = False, exclude_pk=None) -> Decimal:
    """The net invoiced against the job's quote so far, less what credit notes took back:
    issued invoices (and drafts, unless `issued_only`)."""
    rows = Invoice.objects.filter(job=job, kind__in=QUOTE_KINDS)
    if issued_only:
        rows = rows.filter(status=Invoice.Status.ISSUED)
    if exclude_pk is not None:
        rows = rows.exclude(pk=exclude_pk)
    invoiced = rows.aggregate(net=Sum("net_amount"))["net"] or ZERO
    credited = (
        Invoice.objects.filter(
            kind=Invoice.Kind.CREDIT_NOTE,
            status=Invoice.Status.ISSUED,
            credit_of__job=job,
            credit_of__kind__in=QUOTE_KINDS,
        ).aggregate(net=Sum("net_amount"))["net"]
        or ZERO
    )
    return money(invoiced + credited)


def _check_quote_cap(job: Job, quote: QuoteVersion, net: Decimal, **kwargs) -> None:
    done = quote_invoiced_net(job, **kwargs)
    if done + net > quote.net_total:
        left = max(quote.net_total - done, ZERO)
        message = OVER_QUOTE % {
            "total": format_money(done + net, quote.currency),
            "quote": format_money(quote.net_total, quote.currency),
            "left": format_money(left, quote.currency),
        }
        raise DomainError(message, fields={"__all__": message}, code="over_quote")


def _lock_job(job: Job) -> Job:
    return Job.objects.select_for_update(of=("self",)).select_related("company").get(pk=job.pk)


def _create_draft(*, actor: User, lines: list[InvoiceLine], note: str = "", **fields) -> Invoice:
    if not lines or all(line.amount == 0 for line in lines):
        raise DomainError(EMPTY_INVOICE)
    invoice = Invoice(created_by=actor, note=note, **fields)
    _apply_totals(invoice, lines)
    invoice.save()
    for order, line in enumerate(lines):
        line.invoice = invoice
        line.order = order
    InvoiceLine.objects.bulk_create(lines)
    audit.record_create(actor=actor, obj=invoice)
    return invoice


def _quote_lines(quote: QuoteVersion, line_ids) -> list[InvoiceLine]:
    chosen = list(QuoteLine.objects.filter(quote=quote).order_by("order", "pk"))
    if line_ids is not None:
        wanted = {int(pk) for pk in line_ids}
        known = {line.pk for line in chosen}
        if not wanted or not wanted <= known:
            raise DomainError(INVALID, fields={"lines": LINE_NOT_OF_QUOTE})
        chosen = [line for line in chosen if line.pk in wanted]
    return [
        InvoiceLine(
            description=line.description[:200],
            quantity=line.quantity,
            unit_price=money(line.amount / line.quantity),
            amount=line.amount,
            quote_line=line,
        )
        for line in chosen
    ]


@transaction.atomic
def invoice_draft_from_quote(
    *,
    actor: User,
    job: Job,
    kind: str = Invoice.Kind.QUOTE,
    percentage=None,
    milestone: str = "",
    amount=None,
    line_ids=None,
    series: InvoiceSeries | None = None,
    note: str = "",
) -> Invoice:
    """A draft from the job's signed quote: the whole quote, a percentage of it, or a
    milestone (an amount, or some of its lines). Never more than the quote's net across
    the invoices not credited."""
    require(actor, "finance.invoice.create")
    job = _lock_job(job)
    quote = signed_quote(job)
    if quote is None:
        raise DomainError(NO_SIGNED_QUOTE)
    series = _check_series(series)
    note = _note(note)
    if kind == Invoice.Kind.QUOTE:
        lines = _quote_lines(quote, None)
    elif kind == Invoice.Kind.PERCENTAGE:
        share = _decimal(percentage, "percentage", PERCENT_RANGE)
        if not ZERO < share <= HUNDRED:
            raise DomainError(INVALID, fields={"percentage": PERCENT_RANGE})
        percentage = share.quantize(CENT)
        text = gettext("%(percentage)s%% of quote V%(number)s") % {
            "percentage": f"{percentage.normalize():f}",
            "number": quote.number,
        }
        line_amount = money(quote.net_total * percentage / HUNDRED)
        lines = [InvoiceLine(description=text, unit_price=line_amount, amount=line_amount)]
    elif kind == Invoice.Kind.MILESTONE:
        milestone = (milestone or "").strip()[:100]
        if not milestone:
            raise DomainError(INVALID, fields={"milestone": REQUIRED})
        if line_ids:
            lines = _quote_lines(quote, line_ids)
        elif amount not in (None, ""):
            value = money(_decimal(amount, "amount"))
            if value <= 0:
                raise DomainError(INVALID, fields={"amount": AMOUNT_POSITIVE})
            lines = [InvoiceLine(description=milestone, unit_price=value, amount=value)]
        else:
            raise DomainError(MILESTONE_NEEDS, fields={"amount": MILESTONE_NEEDS})
    else:
        raise DomainError(INVALID, fields={"kind": INVALID})
    net = money(sum((line.amount for line in lines), ZERO))
    _check_quote_cap(job, quote, net)
    return _create_draft(
        actor=actor,
        lines=lines,
        note=note,
        series=series,
        kind=kind,
        company=job.company,
        job=job,
        quote=quote,
        milestone=milestone if kind == Invoice.Kind.MILESTONE else "",
        percentage=percentage if kind == Invoice.Kind.PERCENTAGE else None,
        currency=quote.currency,
        tax_profile=quote.tax_profile,
    )


def unbilled_time(job: Job):
    """The job's approved billable time not yet on an invoice."""
    return TimeEntry.objects.filter(
        job=job,
        billable=True,
        invoice__isnull=True,
        timesheet__signoff_status=SignoffStatus.APPROVED,
    ).select_related("rate_item")


@transaction.atomic
def invoice_draft_from_time(
    *, actor: User, job: Job, series: InvoiceSeries | None = None, note: str = ""
) -> Invoice:
    """A time-and-materials draft: the job's approved billable hours not yet billed, one
    line per service priced from the rate card (the client's own price if it has one).
    The entries are held by the draft (their `invoice`), so no second draft bills them;
    discarding the draft releases them."""
    require(actor, "finance.invoice.create")
    job = _lock_job(job)
    series = _check_series(series)
    note = _note(note)
    entries = list(unbilled_time(job).select_for_update(of=("self",)))
    if not entries:
        raise DomainError(NO_TIME)
    if any(entry.rate_item_id is None for entry in entries):
        raise DomainError(TIME_UNPRICED)
    by_item: dict[int, list[TimeEntry]] = {}
    for entry in entries:
        by_item.setdefault(entry.rate_item_id, []).append(entry)
    lines = []
    for group in by_item.values():
        item = rate_for(group[0].rate_item, job.company_id)
        hours = sum((entry.hours for entry in group), ZERO)
        lines.append(
            InvoiceLine(
                description=f"{item.name} ({gettext('hours')})"[:200],
                quantity=hours,
                unit_price=item.price,
                amount=money(hours * item.price),
            )
        )
    invoice = _create_draft(
        actor=actor,
        lines=lines,
        note=note,
        series=series,
        kind=Invoice.Kind.TIME,
        company=job.company,
        job=job,
        currency=job.currency,
        tax_profile=default_tax_profile(),
    )
    TimeEntry.objects.filter(pk__in=[entry.pk for entry in entries]).update(invoice=invoice)
    return invoice


def month_bounds(month: str) -> tuple[date, date]:
    year, number = (int(part) for part in month.split("-"))
    first = date(year, number, 1)
    last = (date(year + number // 12, number % 12 + 1, 1)) - timedelta(days=1)
    return first, last


def retainer_draft(*, retainer: Retainer, month: str, actor: User | None = None) -> Invoice | None:
    """The retainer's draft for `month` ("YYYY-MM"), made once: a second call (or a
    sweep run twice) returns None and makes nothing."""
    first, last = month_bounds(month)
    if retainer.starts_on > last or (retainer.ends_on and retainer.ends_on < first):
        raise DomainError(RETAINER_MONTH % {"month": month})
    if Invoice.objects.filter(retainer=retainer, retainer_month=month).exists():
        return None
    line = InvoiceLine(
        description=f"{retainer.description} {month}"[:200],
        unit_price=retainer.monthly_fee,
        amount=money(retainer.monthly_fee),
    )
    try:
        with transaction.atomic():
            return _create_draft(
                actor=actor or retainer.created_by,
                lines=[line],
                series=retainer.series,
                kind=Invoice.Kind.RETAINER,
                company=retainer.company,
                job=retainer.job,
                retainer=retainer,
                retainer_month=month,
                currency=retainer.currency,
                tax_profile=retainer.tax_profile,
            )
    except IntegrityError:
        return None


MONTH_DRAFTED = _("This month of the retainer already has its invoice.")


@transaction.atomic
def retainer_draft_month(*, actor: User, retainer: Retainer, month: str = "") -> Invoice:
    """Finance drafts a retainer's month now rather than waiting for the sweep; a month
    already drafted is refused (409)."""
    require(actor, "finance.invoice.create")
    month = month or timezone.localdate().strftime("%Y-%m")
    invoice = retainer_draft(retainer=retainer, month=month, actor=actor)
    if invoice is None:
        raise Conflict(MONTH_DRAFTED)
    return invoice


@transaction.atomic
def retainer_create(
    *,
    actor: User,
    company: Company,
    description: str,
    monthly_fee,
    starts_on: date,
    ends_on: date | None = None,
    tax_profile: TaxProfile | None = None,
    series: InvoiceSeries | None = None,
    job: Job | None = None,
    currency: str = "CNY",
) -> Retainer:
    require(actor, "finance.invoice.create")
    errors = {}
    description = (description or "").strip()[:200]
    if not description:
        errors["description"] = REQUIRED
    fee = _decimal(monthly_fee, "monthly_fee")
    if fee <= 0:
        errors["monthly_fee"] = AMOUNT_POSITIVE
    if ends_on is not None and ends_on < starts_on:
        errors["ends_on"] = INVALID
    if job is not None and job.company_id != company.pk:
        errors["job"] = INVALID
    tax_profile = tax_profile or default_tax_profile()
    if tax_profile is None:
        errors["tax_profile"] = REQUIRED
    if errors:
        raise DomainError(INVALID, fields=errors)
    retainer = Retainer.objects.create(
        company=company,
        job=job,
        description=description,
        monthly_fee=money(fee),
        currency=currency,
        tax_profile=tax_profile,
        series=_check_series(series),
        starts_on=starts_on,
        ends_on=ends_on,
        created_by=actor,
    )
    audit.record_create(actor=actor, obj=retainer)
    return retainer


def _locked(invoice: Invoice) -> Invoice:
    return (
        Invoice.objects.select_for_update(of=("self",))
        .select_related("company", "job", "series", "quote", "tax_profile")
        .get(pk=invoice.pk)
    )


@transaction.atomic
def invoice_update_draft(
    *, actor: User, invoice: Invoice, expected_version: int, **values
) -> Invoice:
    """Changes a draft's series, tax profile or note; the totals follow."""
    invoice = _locked(invoice)
    require(actor, "finance.invoice.create")
    if invoice.status != Invoice.Status.DRAFT:
        raise Conflict(NOT_DRAFT)
    if invoice.version != expected_version:
        raise Conflict()
    fields = []
    if "series" in values:
        invoice.series = _check_series(values["series"])
        fields.append("series")
    if "tax_profile" in values:
        invoice.tax_profile = values["tax_profile"]
        fields.append("tax_profile")
    if "note" in values:
        invoice.note = _note(values["note"])
        fields.append("note")
    before = audit.snapshot(invoice, [*fields, "total"])
    _apply_totals(invoice, list(invoice.lines.all()))
    fields += ["net_amount", "taxes", "tax_amount", "levy_amount", "total"]
    save_versioned(invoice, expected_version=expected_version, fields=fields)
    audit.record_change(actor=actor, obj=invoice, before=before)
    return invoice


@transaction.atomic
def invoice_discard(*, actor: User, invoice: Invoice) -> None:
    """Deletes a draft (never an issued invoice); its time is free to bill again."""
    invoice = _locked(invoice)
    require(actor, "finance.invoice.create")
    if invoice.status != Invoice.Status.DRAFT:
        raise Conflict(NOT_DRAFT)
    TimeEntry.objects.filter(invoice=invoice).update(invoice=None)
    audit.record(actor=actor, obj=invoice, action="delete", note=gettext("Draft discarded"))
    invoice.delete()


# Issuing --------------------------------------------------------------------------------


def content_hash(invoice: Invoice, lines: list[InvoiceLine]) -> str:
    """SHA-256 of what the invoice says, frozen when it is issued."""
    content = {
        "series": invoice.series.code,
        "number": invoice.number,
        "kind": invoice.kind,
        "company": invoice.company.code,
        "job": invoice.job.number if invoice.job_id else None,
        "credit_of": invoice.credit_of.number if invoice.credit_of_id else None,
        "issue_date": invoice.issue_date.isoformat(),
        "due_date": invoice.due_date.isoformat() if invoice.due_date else None,
        "currency": invoice.currency,
        "lines": [
            [line.description, str(line.quantity), str(line.unit_price), str(line.amount)]
            for line in lines
        ],
        "net": str(invoice.net_amount),
        "taxes": invoice.taxes,
        "tax": str(invoice.tax_amount),
        "total": str(invoice.total),
        "levy": str(invoice.levy_amount),
        "note": invoice.note,
    }
    encoded = json.dumps(content, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(encoded.encode()).hexdigest()


def _take_number(invoice: Invoice, issue_date: date) -> None:
    """The series' next number, under its row lock in the issuing transaction."""
    series = InvoiceSeries.objects.select_for_update().get(pk=invoice.series_id)
    invoice.series = series
    invoice.number = series_number(series, series.next_number, issue_date)
    series.next_number += 1
    series.version += 1
    series.save(update_fields=["next_number", "version"])


def _check_issue_date(issue_date) -> date:
    today = timezone.localdate()
    issue_date = issue_date or today
    if not isinstance(issue_date, date):
        raise DomainError(INVALID, fields={"issue_date": INVALID})
    if issue_date > today:
        raise DomainError(ISSUE_IN_FUTURE, fields={"issue_date": ISSUE_IN_FUTURE})
    require_open(issue_date, "issue_date")
    return issue_date


def _send_invoice(invoice_pk: int, email: str) -> None:
    """E-mails the issued invoice's PDF (after commit, through the mail queue)."""
    from django.core.mail import EmailMessage

    from jobbag.finance.selectors.billing import invoice_pdf

    invoice = Invoice.objects.select_related("company").get(pk=invoice_pk)
    subject = gettext("Invoice %(number)s") % {"number": invoice.number}
    body = gettext("Please find invoice %(number)s of %(total)s attached.") % {
        "number": invoice.number,
        "total": format_money(invoice.total, invoice.currency),
    }
    message = EmailMessage(subject=subject, body=body, to=[email])
    message.attach(f"{invoice.number}.pdf", invoice_pdf(invoice), "application/pdf")
    message.send()


@transaction.atomic
def invoice_issue(
    *,
    actor: User,
    invoice: Invoice,
    issue_date: date | None = None,
    expected_version: int | None = None,
    email_to: str = "",
) -> Invoice:
    """Issues a draft (Finance only): the next number of its series, the issue date (not
    in a closed period), the due date from the payment terms and the content hash.
    From then on the invoice is immutable. A second click is refused (409)."""
    require(actor, "finance.invoice.issue")
    invoice = _locked(invoice)
    if invoice.status != Invoice.Status.DRAFT:
        raise Conflict(ALREADY_ISSUED)
    if expected_version is not None and invoice.version != expected_version:
        raise Conflict()
    issue_date = _check_issue_date(issue_date)
    email_to = (email_to or "").strip()
    if email_to:
        from django.core.validators import validate_email

        try:
            validate_email(email_to)
        except Exception:
            raise DomainError(INVALID, fields={"email_to": EMAIL_INVALID}) from None
    if not invoice.series.is_active or invoice.series.for_credit_notes:
        raise DomainError(INVALID, fields={"series": SERIES_INACTIVE})
    if invoice.kind in QUOTE_KINDS and invoice.job_id:
        _lock_job(invoice.job)
        _check_quote_cap(
            invoice.job, invoice.quote, invoice.net_amount, issued_only=True, exclude_pk=invoice.pk
        )
    lines = list(invoice.lines.all())
    if not lines:
        raise DomainError(EMPTY_INVOICE)
    _take_number(invoice, issue_date)
    invoice.status = Invoice.Status.ISSUED
    invoice.issue_date = issue_date
    invoice.due_date = issue_date + timedelta(days=FinanceSettings.current().payment_terms_days)
    invoice.issued_by = actor
    invoice.issued_at = timezone.now()
    invoice.content_hash = content_hash(invoice, lines)
    fields = [
        "series",
        "number",
        "status",
        "issue_date",
        "due_date",
        "issued_by",
        "issued_at",
        "content_hash",
    ]
    save_versioned(invoice, expected_version=invoice.version, fields=fields)
    audit.record_transition(
        actor=actor, obj=invoice, old=Invoice.Status.DRAFT, new=Invoice.Status.ISSUED
    )
    _tell_owner(actor, invoice, ISSUED, {"number": invoice.number})
    if email_to:
        pk = invoice.pk
        transaction.on_commit(lambda: _send_invoice(pk, email_to))
    return invoice


def _tell_owner(actor: User, invoice: Invoice, message, values: dict) -> None:
    owner = invoice.job.owner if invoice.job_id else None
    if owner is None or owner.pk == actor.pk or not owner.is_active:
        return
    values = {
        **values,
        "actor": str(actor),
        "client": invoice.company.code,
        "total": format_money(invoice.total, invoice.currency),
    }
    notify(recipients=[owner], message=lambda: gettext(message) % values, link=invoice_url(invoice))


# Credit notes ---------------------------------------------------------------------------


def _credited_taxes(invoice: Invoice) -> dict[str, Decimal]:
    """Per tax name, what the original's taxes less its credit notes' leave."""
    left = {tax["name"]: Decimal(tax["amount"]) for tax in invoice.taxes}
    for note in Invoice.objects.filter(credit_of=invoice, status=Invoice.Status.ISSUED):
        for tax in note.taxes:
            left[tax["name"]] = left.get(tax["name"], ZERO) + Decimal(tax["amount"])
    return left


@transaction.atomic
def invoice_credit(
    *,
    actor: User,
    invoice: Invoice,
    reason: str,
    net_amount=None,
    issue_date: date | None = None,
) -> Invoice:
    """A credit note reversing an issued invoice, in whole (no amount) or in part (a net
    amount, its taxes added), numbered in the credit-note series and issued at once. It
    cannot take back more than is left unpaid and uncredited on the invoice."""
    require(actor, "finance.invoice.credit")
    invoice = _locked(invoice)
    if invoice.kind == Invoice.Kind.CREDIT_NOTE:
        raise DomainError(CREDIT_OF_CREDIT)
    if invoice.status != Invoice.Status.ISSUED:
        raise DomainError(NOT_ISSUED)
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(REASON_REQUIRED, fields={"reason": REQUIRED})
    reason = _note(reason)
    issue_date = _check_issue_date(issue_date)
    series = default_series(credit_notes=True, legal_entity=invoice.series.legal_entity)
    if series is None:
        raise DomainError(NO_CREDIT_SERIES)
    credited_net = -(
        Invoice.objects.filter(credit_of=invoice, status=Invoice.Status.ISSUED).aggregate(
            net=Sum("net_amount")
        )["net"]
        or ZERO
    )
    net_left = invoice.net_amount - credited_net
    outstanding = invoice.outstanding
    if net_amount in (None, ""):
        net = net_left
    else:
        net = money(_decimal(net_amount, "net_amount"))
        if net <= 0:
            raise DomainError(INVALID, fields={"net_amount": AMOUNT_POSITIVE})
    if net == net_left:
        left = _credited_taxes(invoice)
        taxes = []
        charged = borne = ZERO
        for tax in invoice.taxes:
            amount = left.get(tax["name"], ZERO)
            taxes.append({**tax, "amount": str(-amount)})
            if tax["charged"]:
                charged += amount
            else:
                borne += amount
    else:
        taxes, charged, borne = taxes_for(-net, invoice.tax_profile)
        charged, borne = -charged, -borne
    total = net + charged
    if net > net_left or total > outstanding or net <= 0:
        message = CREDIT_TOO_MUCH % {
            "left": format_money(max(outstanding, ZERO), invoice.currency),
            "net": format_money(max(net_left, ZERO), invoice.currency),
        }
        raise DomainError(message, fields={"net_amount": message})
    note = Invoice(
        series=series,
        kind=Invoice.Kind.CREDIT_NOTE,
        company=invoice.company,
        job=invoice.job,
        quote=invoice.quote,
        credit_of=invoice,
        currency=invoice.currency,
        tax_profile=invoice.tax_profile,
        net_amount=-net,
        tax_amount=-charged,
        levy_amount=-borne,
        total=-total,
        taxes=taxes,
        note=reason,
        created_by=actor,
        issued_by=actor,
        issued_at=timezone.now(),
        status=Invoice.Status.ISSUED,
        issue_date=issue_date,
        due_date=issue_date,
    )
    _take_number(note, issue_date)
    line = InvoiceLine(
        description=(gettext("Credit of invoice %(number)s") % {"number": invoice.number})[:200],
        quantity=Decimal(1),
        unit_price=-net,
        amount=-net,
    )
    note.content_hash = content_hash(note, [line])
    note.save()
    line.invoice = note
    line.save()
    credited_before = invoice.credited_amount
    invoice.credited_amount += total
    fields = ["credited_amount"]
    if invoice.outstanding == 0 and invoice.settled_on is None:
        invoice.settled_on = issue_date
        fields.append("settled_on")
    save_versioned(invoice, expected_version=invoice.version, fields=fields)
    audit.record_create(actor=actor, obj=note, note=reason)
    audit.record(
        actor=actor,
        obj=invoice,
        action="change",
        changes={"credited_amount": [str(credited_before), str(invoice.credited_amount)]},
        note=reason,
    )
    _tell_owner(actor, note, CREDITED, {"number": note.number, "invoice": invoice.number})
    if invoice.job_id:
        # A credit note may settle the invoice, or uncover the quote a commission stood on.
        from jobbag.finance.services.incentives import commissions_refresh

        commissions_refresh(invoice.job)
    return note
