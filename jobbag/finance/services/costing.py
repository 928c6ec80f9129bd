"""What a job costs besides time (SPEC §7): expenses with their receipts and external
supplier bills, recorded on the job and voided with a reason (never deleted); and the
close-out card (结卡) frozen once the job is closed.

A job whose close-out card is made takes no more expenses: its figures are final.
"""

from datetime import date
from decimal import Decimal, InvalidOperation

from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jobbag.accounts.models import User
from jobbag.core import audit
from jobbag.core.errors import Conflict, DomainError
from jobbag.core.models import AuditEntry
from jobbag.core.permissions import require
from jobbag.core.versioning import save_versioned
from jobbag.finance.models import Expense, JobCloseOut
from jobbag.finance.selectors.costing import job_costing
from jobbag.jobs.models import Job, Stage

MAX_RECEIPT = 10 * 1024 * 1024
MAX_AMOUNT = Decimal("100000000")
CENT = Decimal("0.01")
# What a receipt may be, told by its first bytes (not its name).
RECEIPT_KINDS = {b"%PDF": ".pdf", b"\xff\xd8\xff": ".jpg", b"\x89PNG\r\n\x1a\n": ".png"}

CATEGORY_INVALID = _("Choose a category.")
DATE_INVALID = _("Give the date the cost was incurred.")
DATE_FUTURE = _("A cost cannot be incurred in the future.")
DESCRIPTION_REQUIRED = _("Describe the cost.")
DESCRIPTION_TOO_LONG = _("Describe the cost in at most 200 characters.")
SUPPLIER_REQUIRED = _("Name the supplier of an external cost.")
SUPPLIER_TOO_LONG = _("Name the supplier in at most 200 characters.")
AMOUNT_INVALID = _("Give an amount more than 0, to the cent.")
CURRENCY_INVALID = _("Give a three-letter currency code, e.g. CNY.")
RECEIPT_TOO_BIG = _("The receipt must be 10 MB or smaller.")
RECEIPT_TYPE = _("The receipt must be a PDF, JPEG or PNG file.")
JOB_CANCELLED = _("The job is cancelled: no costs are recorded on it.")
JOB_CARDED = _("The job's close-out card is made: its costs are final.")
ALREADY_VOID = _("This expense is already void; nothing was changed.")
REASON_REQUIRED = _("Say why the expense is void.")
REASON_TOO_LONG = _("Write at most 200 characters.")
NOT_CLOSED = _("The close-out card is made once the job is closed.")
ALREADY_CARDED = _("The job's close-out card is already made.")


def _receipt_checked(receipt) -> UploadedFile | None:
    if receipt in (None, ""):
        return None
    if receipt.size > MAX_RECEIPT:
        raise DomainError(RECEIPT_TOO_BIG, fields={"receipt": RECEIPT_TOO_BIG})
    receipt.seek(0)
    head = receipt.read(8)
    receipt.seek(0)
    if not any(head.startswith(magic) for magic in RECEIPT_KINDS):
        raise DomainError(RECEIPT_TYPE, fields={"receipt": RECEIPT_TYPE})
    return receipt


def _clean_expense(values: dict, today: date) -> dict:
    errors = {}
    category = values.get("category")
    if category not in Expense.Category.values:
        errors["category"] = CATEGORY_INVALID
    incurred_on = values.get("incurred_on")
    if not isinstance(incurred_on, date):
        errors["incurred_on"] = DATE_INVALID
    elif incurred_on > today:
        errors["incurred_on"] = DATE_FUTURE
    description = (values.get("description") or "").strip()
    if not description:
        errors["description"] = DESCRIPTION_REQUIRED
    elif len(description) > 200:
        errors["description"] = DESCRIPTION_TOO_LONG
    supplier = (values.get("supplier") or "").strip()
    if len(supplier) > 200:
        errors["supplier"] = SUPPLIER_TOO_LONG
    elif category == Expense.Category.SUPPLIER and not supplier:
        errors["supplier"] = SUPPLIER_REQUIRED
    amount = None
    try:
        amount = Decimal(str(values.get("amount")).strip())
        if not amount.is_finite() or amount <= 0 or amount >= MAX_AMOUNT:
            raise InvalidOperation
        if amount != amount.quantize(CENT):
            raise InvalidOperation
    except (InvalidOperation, ValueError, TypeError):
        errors["amount"] = AMOUNT_INVALID
    currency = (values.get("currency") or "CNY").strip().upper()
    if len(currency) != 3 or not currency.isalpha():
        errors["currency"] = CURRENCY_INVALID
    if errors:
        raise DomainError(next(iter(errors.values())), fields=errors)
    return {
        "category": category,
        "incurred_on": incurred_on,
        "description": description,
        "supplier": supplier,
        "amount": amount,
        "currency": currency,
        "billable": bool(values.get("billable")),
    }


def _locked_job(job: Job) -> Job:
    return Job.objects.select_for_update(of=("self",)).get(pk=job.pk)


@transaction.atomic
def expense_create(*, actor: User, job: Job, receipt=None, **values) -> Expense:
    """Records an expense or a supplier's bill on the job, with its receipt (a PDF, JPEG
    or PNG up to 10 MB)."""
    require(actor, "finance.expense.record", job)
    cleaned = _clean_expense(values, timezone.localdate())
    receipt = _receipt_checked(receipt)
    job = _locked_job(job)
    if job.stage == Stage.CANCELLED:
        raise DomainError(JOB_CANCELLED)
    if JobCloseOut.objects.filter(job=job).exists():
        raise Conflict(JOB_CARDED)
    expense = Expense(job=job, created_by=actor, **cleaned)
    if receipt is not None:
        expense.receipt.save(receipt.name, receipt, save=False)
    expense.save()
    values = audit.snapshot(expense, [*cleaned, "job"])
    values["receipt"] = expense.receipt.name if expense.receipt else ""
    audit.record(
        actor=actor,
        obj=expense,
        action=AuditEntry.Action.CREATE,
        changes={name: [None, value] for name, value in values.items() if value not in (None, "")},
    )
    return expense


@transaction.atomic
def expense_void(
    *, actor: User, expense: Expense, reason: str, expected_version: int | None = None
) -> Expense:
    """Voids an expense entered wrongly, with the reason; it stays on record."""
    expense = (
        Expense.objects.select_for_update(of=("self",)).select_related("job").get(pk=expense.pk)
    )
    require(actor, "finance.expense.void", expense)
    if expense.voided_at is not None:
        raise Conflict(ALREADY_VOID)
    if expected_version is not None and expected_version != expense.version:
        raise Conflict()
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(REASON_REQUIRED, fields={"reason": REASON_REQUIRED})
    if len(reason) > 200:
        raise DomainError(REASON_TOO_LONG, fields={"reason": REASON_TOO_LONG})
    if JobCloseOut.objects.filter(job_id=expense.job_id).exists():
        raise Conflict(JOB_CARDED)
    expense.voided_at = timezone.now()
    expense.void_reason = reason
    save_versioned(expense, expected_version=expense.version, fields=["voided_at", "void_reason"])
    audit.record_transition(actor=actor, obj=expense, old="recorded", new="void", note=reason)
    return expense


@transaction.atomic
def close_out_create(*, actor: User, job: Job) -> JobCloseOut:
    """Freezes the closed job's close-out card (结卡): its quote against its actual time,
    expenses and external costs, what was invoiced, and the margin. Made once."""
    require(actor, "finance.close_out.make", job)
    job = _locked_job(job)
    if job.stage != Stage.CLOSED:
        raise DomainError(NOT_CLOSED)
    if JobCloseOut.objects.filter(job=job).exists():
        raise Conflict(ALREADY_CARDED)
    return _freeze(job, actor)


@transaction.atomic
def close_out_on_job_closed(*, job: Job, actor: User) -> JobCloseOut:
    """The hook for the job chain: called inside the transaction that closes the job
    (jobs.services.closing.job_close), it freezes the card as whoever closed the job;
    idempotent (an existing card is returned as it is)."""
    job = _locked_job(job)
    card = JobCloseOut.objects.filter(job=job).first()
    return card if card is not None else _freeze(job, actor)


def _freeze(job: Job, actor: User) -> JobCloseOut:
    costing = job_costing(job)
    try:
        with transaction.atomic():
            card = JobCloseOut.objects.create(
                job=job,
                quoted_net=costing.quoted_net or Decimal(0),
                hours=costing.hours,
                time_cost=costing.time_cost,
                expenses=costing.expenses,
                external_costs=costing.external_costs,
                invoiced_net=costing.invoiced_net,
                margin=costing.margin,
                figures=costing.figures(),
                closed_by=actor,
            )
    except IntegrityError:
        raise Conflict(ALREADY_CARDED) from None
    audit.record_create(actor=actor, obj=card)
    return card
