"""Credit control (SPEC §4 collection, §7 overdue escalation).

- `credit_notices_send` (the daily sweep): each overdue invoice tells the project owner
  (the job's owner; the client's Account Directors for an invoice without a job) after
  FinanceSettings.notice_owner_days, the Marketing Manager(s) after
  notice_marketing_manager_days, the General Manager after notice_gm_days; each level
  once per invoice (CreditNotice), in the app and by e-mail.
- `require_credit_clear`: the gate that job_create and work_order_create call. A client
  more than credit_hold_days overdue gets no new order or work order unless the GM has
  granted an override still valid and unused; the gate then uses it up, in the same
  transaction, naming what it let through.
- `credit_override_grant`: the GM's override (reason required, valid until a date).
"""

from datetime import date, timedelta

from django.db import transaction
from django.db.models import Model
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jobbag.accounts.models import Role, User
from jobbag.clients.models import Company
from jobbag.clients.permissions import current_memberships
from jobbag.core import audit
from jobbag.core.errors import Conflict, DomainError
from jobbag.core.models import AuditEntry
from jobbag.core.money import format_money
from jobbag.core.notifications import notify
from jobbag.core.permissions import require
from jobbag.finance.models import CreditNotice, CreditOverride, FinanceSettings, Invoice
from jobbag.finance.selectors.credit import credit_status, overdue_invoices

OVERRIDE = "finance.credit.override"
# The longest an override may stay valid: the GM looks again after that.
OVERRIDE_MAX_DAYS = 90

INVALID = _("Please correct the errors below.")
REQUIRED = _("This field is required.")
ON_HOLD = _(
    "%(client)s is on credit hold: %(amount)s overdue, the oldest invoice %(days)s days "
    "past due. A new order or work order needs the General Manager's override."
)
NOT_ON_HOLD = _("This client is not on credit hold: no override is needed.")
ALREADY_GRANTED = _("An unused override for this client is valid until %(date)s already.")
VALID_PAST = _("The override must be valid until today or later.")
VALID_TOO_LONG = _("An override may be valid for at most %(days)s days.")
NOTICE = _(
    "Invoice %(number)s of %(client)s (%(amount)s outstanding) is %(days)s days overdue: "
    "please press for payment."
)
NOTICE_ESCALATED = _(
    "Invoice %(number)s of %(client)s (%(amount)s outstanding, owner %(owner)s) is "
    "%(days)s days overdue."
)
OVERRIDE_GRANTED = _(
    "The General Manager let one new order or work order through for %(client)s until "
    "%(date)s: %(reason)s"
)


def company_link(company: Company) -> str:
    return reverse("finance:credit_company", args=[company.pk])


def _describe(purpose) -> str:
    """What an override let through, e.g. "Job: 冰箱夏季促销 (#12)"."""
    if isinstance(purpose, Model):
        kind = str(purpose._meta.verbose_name).capitalize()
        return f"{kind}: {purpose} (#{purpose.pk})"[:200]
    return str(purpose)[:200]


# The gate -------------------------------------------------------------------------------


@transaction.atomic
def require_credit_clear(*, actor: User, company: Company, purpose) -> CreditOverride | None:
    """Lets new work for `company` start: nothing to do for a client not on hold; for a
    held one, uses up the GM's oldest valid override (returned), else refuses with the
    reason (code "credit_hold"). Called inside the creating service's transaction, so a
    refusal leaves nothing behind and an override is used only by work that was kept."""
    today = timezone.localdate()
    status = credit_status(company, today=today, with_notices=False)
    if not status.on_hold:
        return None
    override = (
        CreditOverride.objects.select_for_update(of=("self",))
        .filter(company=company, used_at__isnull=True, valid_until__gte=today)
        .order_by("valid_until", "pk")
        .first()
    )
    if override is None:
        raise DomainError(
            ON_HOLD
            % {
                "client": company.name,
                "amount": format_money(status.overdue_amount, company.currency),
                "days": status.oldest_days,
            },
            code="credit_hold",
        )
    override.used_at = timezone.now()
    override.used_by = actor
    override.used_for = _describe(purpose)
    override.save(update_fields=["used_at", "used_by", "used_for"])
    audit.record(
        actor=actor,
        obj=override,
        action=AuditEntry.Action.CHANGE,
        changes={"used_for": [None, override.used_for]},
        note="credit hold override used",
    )
    return override


# Overrides ------------------------------------------------------------------------------


@transaction.atomic
def credit_override_grant(
    *, actor: User, company: Company, reason: str, valid_until: date | None
) -> CreditOverride:
    """The GM lets one new order or work order through for a client on credit hold.
    A second grant while one is still unused is refused (a double submit gives one)."""
    require(actor, OVERRIDE)
    today = timezone.localdate()
    errors: dict = {}
    reason = (reason or "").strip()
    if not reason:
        errors["reason"] = REQUIRED
    if valid_until is None:
        errors["valid_until"] = REQUIRED
    elif valid_until < today:
        errors["valid_until"] = VALID_PAST
    elif valid_until > today + timedelta(days=OVERRIDE_MAX_DAYS):
        errors["valid_until"] = VALID_TOO_LONG % {"days": OVERRIDE_MAX_DAYS}
    if errors:
        raise DomainError(INVALID, fields=errors)
    # The client's row serialises two grants at once.
    company = Company.objects.select_for_update(of=("self",)).get(pk=company.pk)
    if not credit_status(company, today=today, with_notices=False).on_hold:
        raise DomainError(NOT_ON_HOLD, code="not_on_hold")
    pending = (
        CreditOverride.objects.filter(company=company, used_at__isnull=True, valid_until__gte=today)
        .order_by("-valid_until")
        .first()
    )
    if pending is not None:
        raise Conflict(ALREADY_GRANTED % {"date": pending.valid_until.isoformat()})
    override = CreditOverride.objects.create(
        company=company, reason=reason, valid_until=valid_until, granted_by=actor
    )
    audit.record_create(actor=actor, obj=override, note="credit hold override granted")
    recipients = {u.pk: u for u in _account_directors(company, today)}
    recipients.update({u.pk: u for u in _finance_people()})
    recipients.pop(actor.pk, None)
    notify(
        recipients=recipients.values(),
        message=lambda: (
            OVERRIDE_GRANTED
            % {"client": company.name, "date": valid_until.isoformat(), "reason": reason}
        ),
        link=company_link(company),
    )
    return override


# Notices (the daily sweep) --------------------------------------------------------------


def _staff_with(role: str) -> list[User]:
    return list(
        User.objects.filter(kind=User.Kind.STAFF, is_active=True, position__role=role).order_by(
            "pk"
        )
    )


def _finance_people() -> list[User]:
    return _staff_with(Role.FINANCE)


def _account_directors(company: Company, on: date) -> list[User]:
    served_company = current_memberships(on).filter(team_role=Role.AD, company=company)
    served_brand = current_memberships(on).filter(team_role=Role.AD, brand__company=company)
    user_ids = set(served_company.values_list("user", flat=True)) | set(
        served_brand.values_list("user", flat=True)
    )
    if company.client_group_id:
        user_ids |= set(
            current_memberships(on)
            .filter(team_role=Role.AD, client_group_id=company.client_group_id)
            .values_list("user", flat=True)
        )
    return list(User.objects.filter(pk__in=user_ids, is_active=True).order_by("pk"))


def _levels(settings: FinanceSettings) -> list[tuple[str, int]]:
    return [
        (CreditNotice.Level.OWNER, settings.notice_owner_days),
        (CreditNotice.Level.MARKETING_MANAGER, settings.notice_marketing_manager_days),
        (CreditNotice.Level.GM, settings.notice_gm_days),
    ]


def credit_notices_send(*, today: date | None = None) -> list[CreditNotice]:
    """Sends every notice now due and not yet sent; returns the notices it sent.

    Idempotent: the overdue invoices are locked while their notices are written, and a
    level already noticed (CreditNotice, unique per invoice and level) is skipped, so a
    second run, or two at once, tells no one twice."""
    today = today or timezone.localdate()
    settings = FinanceSettings.current()
    levels = _levels(settings)
    first_threshold = min(days for _level, days in levels)
    due = overdue_invoices(today=today).filter(
        due_date__lte=today - timedelta(days=max(first_threshold, 0))
    )
    ids = list(due.values_list("pk", flat=True))
    if not ids:
        return []
    invoices = list(
        overdue_invoices(today=today)
        .filter(pk__in=ids)
        .select_related("company", "job__owner")
        .order_by("due_date", "pk")
    )
    # Lock the rows (FOR UPDATE cannot go with the aggregate subquery on PostgreSQL).
    list(Invoice.objects.select_for_update().filter(pk__in=ids).values_list("pk", flat=True))
    sent = set(CreditNotice.objects.filter(invoice_id__in=ids).values_list("invoice_id", "level"))
    managers = _staff_with(Role.MARKETING_MANAGER)
    gms = _staff_with(Role.GM)
    directors: dict[int, list[User]] = {}
    created = []
    for invoice in invoices:
        days = (today - invoice.due_date).days
        for level, threshold in levels:
            if days < threshold or (invoice.pk, level) in sent:
                continue
            if level == CreditNotice.Level.OWNER:
                if invoice.job_id and invoice.job.owner.is_active:
                    recipients = [invoice.job.owner]
                else:
                    if invoice.company_id not in directors:
                        directors[invoice.company_id] = _account_directors(invoice.company, today)
                    recipients = directors[invoice.company_id]
            elif level == CreditNotice.Level.MARKETING_MANAGER:
                recipients = managers
            else:
                recipients = gms
            notice = CreditNotice.objects.create(invoice=invoice, level=level, days_overdue=days)
            created.append(notice)
            _send(invoice, level, days, recipients)
    return created


def _send(invoice: Invoice, level: str, days: int, recipients: list[User]) -> None:
    owner = invoice.job.owner if invoice.job_id else None
    values = {
        "number": invoice.number,
        "client": invoice.company.name,
        "amount": format_money(invoice.overdue_amount, invoice.currency),
        "days": days,
        "owner": owner or "—",
    }
    template = NOTICE if level == CreditNotice.Level.OWNER else NOTICE_ESCALATED
    notify(
        recipients=recipients,
        message=lambda: template % values,
        link=company_link(invoice.company),
        email=True,
    )
