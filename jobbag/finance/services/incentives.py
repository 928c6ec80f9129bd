"""Sales incentives (SPEC §7): commission rules as data, the commissions they earn, who
was who on a job, targets and bonus tiers.

When commission rows exist: `commissions_refresh(job)` derives them from the job's
signed quote (its net total is the contract) and every active rule, once the client has
signed the quote back. It is called by the daily sweep for every job with a signed quote
not yet paid out, and the payment services may call it after recording a payment, so
nothing depends on them. A commission is *pending* until every issued invoice of the job
is settled and the job's issued total (less credit notes) covers the signed quote's
total; it is then *payable*, dated (`payable_on`) by the last settling date. Pending
rows follow the job (a new signed version, a changed credit or rule); payable rows keep
their amount, and fall back to pending only if a later credit note uncovers the quote;
paid rows never change.
"""

import re
from datetime import date
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jobbag.accounts.models import Role, User
from jobbag.clients.permissions import current_memberships
from jobbag.core import audit
from jobbag.core.errors import Conflict, DomainError
from jobbag.core.models import AuditEntry
from jobbag.core.money import format_money
from jobbag.core.notifications import notify
from jobbag.core.permissions import require
from jobbag.core.versioning import save_versioned
from jobbag.finance.models import (
    BonusTier,
    Commission,
    CommissionRule,
    CommissionShare,
    Invoice,
    Participant,
    Target,
)
from jobbag.finance.models.incentives import CommissionCredit
from jobbag.jobs.models import Job, Stage
from jobbag.jobs.services.gates import signed_quote

CENT = Decimal("0.01")
HUNDRED = Decimal(100)

RULES = "finance.commission.rules"
PAY = "finance.commission.pay"
CREDIT = "finance.commission.credit"
TARGETS = "finance.target.edit"

INVALID = _("Please correct the errors below.")
REQUIRED = _("This field is required.")
NOT_A_NUMBER = _("Enter a number.")
CODE_FORMAT = _("Use letters, digits, hyphens or underscores for the code.")
CODE_TAKEN = _("A commission rule with this code exists already.")
RATE_RANGE = _("Enter a rate above 0 and at most 100.")
SHARE_RANGE = _("Each share must be above 0 and at most 100.")
SHARES_TOTAL = _("The shares of a rule must add up to 100%% (they add up to %(total)s%%).")
UNKNOWN_PARTICIPANT = _("Choose a participant from the list.")
NOT_PAYABLE = _("Only a payable commission can be marked paid out.")
ALREADY_PAID = _("This commission was paid out already.")
PAID_BEFORE_PAYABLE = _("The payout date cannot be before the commission became payable.")
CREDITS_FIXED = _("The job's first invoice is issued: who earns its commissions is fixed.")
NOT_STAFF = _("Choose a staff member.")
AMOUNT_POSITIVE = _("Enter an amount above 0.")
AMOUNT_NEGATIVE = _("The amount cannot be negative.")
MINIMUM_ABOVE_TARGET = _("The quarterly minimum cannot exceed the annual target.")
YEAR_RANGE = _("Enter a year from 2000 to 2100.")
TIER_TAKEN = _("This year already has a tier from this margin.")
BECAME_PAYABLE = _("Your commission of %(amount)s on “%(job)s” is payable: the client has paid.")

CODE_RE = re.compile(r"^[-a-zA-Z0-9_]+$")


def _decimal(value, errors: dict, name: str, message=NOT_A_NUMBER) -> Decimal | None:
    if value in (None, ""):
        errors[name] = REQUIRED
        return None
    try:
        number = Decimal(str(value))
    except (InvalidOperation, ValueError, TypeError):
        errors[name] = message
        return None
    if not number.is_finite():
        errors[name] = message
        return None
    return number.quantize(CENT, rounding=ROUND_HALF_UP)


def money(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


# Rules ----------------------------------------------------------------------------------


def _clean_shares(shares, errors: dict) -> dict[str, Decimal]:
    """{participant: percent}; each in (0, 100], adding up to exactly 100."""
    cleaned: dict[str, Decimal] = {}
    items = shares.items() if isinstance(shares, dict) else shares or []
    for participant, share in items:
        if participant not in Participant.values:
            errors["shares"] = UNKNOWN_PARTICIPANT
            return {}
        if share in (None, "", 0, "0"):
            continue
        value = _decimal(share, errors, "shares", SHARE_RANGE)
        if value is None:
            return {}
        if not Decimal(0) < value <= HUNDRED:
            errors["shares"] = SHARE_RANGE
            return {}
        cleaned[participant] = value
    total = sum(cleaned.values(), Decimal(0))
    if total != HUNDRED:
        errors["shares"] = SHARES_TOTAL % {"total": total}
    return cleaned


def _clean_rule(values: dict, errors: dict, *, pk: int | None) -> dict:
    values = {k: v.strip() if isinstance(v, str) else v for k, v in values.items()}
    if "code" in values:
        if not values["code"]:
            errors["code"] = REQUIRED
        elif not CODE_RE.match(values["code"]):
            errors["code"] = CODE_FORMAT
        elif CommissionRule.objects.filter(code=values["code"]).exclude(pk=pk).exists():
            errors["code"] = CODE_TAKEN
    if "name" in values and not values["name"]:
        errors["name"] = REQUIRED
    if "rate" in values:
        rate = _decimal(values["rate"], errors, "rate", RATE_RANGE)
        if rate is not None and not Decimal(0) < rate <= HUNDRED:
            errors["rate"] = RATE_RANGE
        values["rate"] = rate
    if "is_active" in values:
        values["is_active"] = bool(values["is_active"])
    return values


def _write_shares(rule: CommissionRule, shares: dict[str, Decimal]) -> None:
    rule.shares.all().delete()
    CommissionShare.objects.bulk_create(
        CommissionShare(rule=rule, participant=participant, share=share)
        for participant, share in shares.items()
    )


def _shares_text(shares: dict[str, Decimal]) -> str:
    return ", ".join(f"{p} {s}%" for p, s in sorted(shares.items()))


@transaction.atomic
def commission_rule_create(
    *, actor: User, code: str, name: str, rate, shares, is_active: bool = True
) -> CommissionRule:
    """A rule: `rate`% of a job's contract shared among participants by `shares`
    ({participant: percent}, adding up to 100)."""
    require(actor, RULES)
    errors: dict = {}
    values = _clean_rule(
        {"code": code, "name": name, "rate": rate, "is_active": is_active}, errors, pk=None
    )
    cleaned = _clean_shares(shares, errors)
    if errors:
        raise DomainError(INVALID, fields=errors)
    rule = CommissionRule.objects.create(**values)
    _write_shares(rule, cleaned)
    audit.record_create(actor=actor, obj=rule, note=_shares_text(cleaned))
    return rule


@transaction.atomic
def commission_rule_update(
    *, actor: User, rule: CommissionRule, expected_version: int, shares=None, **fields
) -> CommissionRule:
    """Changes a rule; jobs whose commissions are still pending follow it at the next
    refresh, payable and paid ones keep what they earned."""
    require(actor, RULES)
    unknown = set(fields) - {"code", "name", "rate", "is_active"}
    if unknown:
        raise TypeError(f"Unknown commission rule fields: {sorted(unknown)}")
    errors: dict = {}
    values = _clean_rule(fields, errors, pk=rule.pk)
    cleaned = _clean_shares(shares, errors) if shares is not None else None
    if errors:
        raise DomainError(INVALID, fields=errors)
    before = audit.snapshot(rule, list(values))
    before_shares = _shares_text({s.participant: s.share for s in rule.shares.all()})
    for name, value in values.items():
        setattr(rule, name, value)
    save_versioned(rule, expected_version=expected_version, fields=list(values))
    if cleaned is not None:
        _write_shares(rule, cleaned)
        after_shares = _shares_text(cleaned)
        if after_shares != before_shares:
            audit.record(
                actor=actor,
                obj=rule,
                action=AuditEntry.Action.CHANGE,
                changes={"shares": [before_shares, after_shares]},
            )
    audit.record_change(actor=actor, obj=rule, before=before)
    return rule


# Who was who on a job -------------------------------------------------------------------


def _team_member(job: Job, role: str) -> User | None:
    """The client's current service team member in `role` (on the company, one of its
    brands or its client group), the longest-serving first."""
    company = job.company
    memberships = current_memberships().filter(team_role=role, user__is_active=True)
    for served in (
        {"brand_id": job.brand_id} if job.brand_id else None,
        {"company_id": company.pk},
        {"client_group_id": company.client_group_id} if company.client_group_id else None,
    ):
        if served is None:
            continue
        found = memberships.filter(**served).select_related("user").order_by("starts_on", "pk")
        membership = found.first()
        if membership is not None:
            return membership.user
    return None


def job_participants(job: Job) -> dict[str, User | None]:
    """Who earns each participant's share on `job`: the credits its Account people set,
    else the job's owner (project owner; AE when the owner is an AE) and the client's
    service team (AE, client director = the AD); copy, design and CD only when named."""
    credits = {
        credit.participant: credit.user
        for credit in CommissionCredit.objects.filter(job=job).select_related("user")
    }
    owner = job.owner
    people: dict[str, User | None] = {
        Participant.OWNER: owner,
        Participant.AE: owner if owner.role == Role.AE else None,
        Participant.CLIENT_DIRECTOR: None,
        Participant.COPYWRITER: None,
        Participant.DESIGNER: None,
        Participant.CREATIVE_DIRECTOR: None,
    }
    if people[Participant.AE] is None and Participant.AE not in credits:
        people[Participant.AE] = _team_member(job, Role.AE)
    if Participant.CLIENT_DIRECTOR not in credits:
        people[Participant.CLIENT_DIRECTOR] = _team_member(job, Role.AD)
    people.update(credits)
    return people


def _has_issued_invoice(job: Job) -> bool:
    return Invoice.objects.filter(job=job, status=Invoice.Status.ISSUED).exists()


@transaction.atomic
def commission_credit_set(
    *, actor: User, job: Job, participant: str, user: User | None
) -> CommissionCredit | None:
    """Names who was `participant` on the job (None: back to the default), until the
    job's first invoice is issued; its pending commissions follow at once."""
    require(actor, CREDIT, job)
    if participant not in Participant.values:
        raise DomainError(INVALID, fields={"participant": UNKNOWN_PARTICIPANT})
    if user is not None and (user.kind != User.Kind.STAFF or not user.is_active):
        raise DomainError(INVALID, fields={"user": NOT_STAFF})
    job = Job.objects.select_for_update(of=("self",)).get(pk=job.pk)
    if _has_issued_invoice(job):
        raise DomainError(CREDITS_FIXED, code="credits_fixed")
    existing = CommissionCredit.objects.filter(job=job, participant=participant).first()
    old = str(existing.user) if existing else None
    credit = None
    if user is None:
        if existing:
            existing.delete()
    elif existing:
        existing.user = user
        existing.set_by = actor
        existing.save(update_fields=["user", "set_by", "set_at"])
        credit = existing
    else:
        credit = CommissionCredit.objects.create(
            job=job, participant=participant, user=user, set_by=actor
        )
    audit.record(
        actor=actor,
        obj=job,
        action=AuditEntry.Action.CHANGE,
        changes={f"commission {participant}": [old, str(user) if user else None]},
    )
    commissions_refresh(job)
    return credit


# Commissions ----------------------------------------------------------------------------


def payment_state(job: Job, quote) -> date | None:
    """The day the job's commissions became payable, or None while they are pending:
    every issued invoice settled (credit notes count) and the issued total, less credit
    notes, covering the signed quote's total."""
    invoices = list(
        Invoice.objects.filter(job=job, status=Invoice.Status.ISSUED).only(
            "pk", "kind", "total", "paid_amount", "settled_on", "credit_of_id", "issue_date"
        )
    )
    regular = [i for i in invoices if i.kind != Invoice.Kind.CREDIT_NOTE]
    if not regular:
        return None
    notes = [i for i in invoices if i.kind == Invoice.Kind.CREDIT_NOTE]
    credited: dict[int, Decimal] = {}
    for note in notes:
        credited[note.credit_of_id] = credited.get(note.credit_of_id, Decimal(0)) + note.total
    last = None
    for invoice in regular:
        if invoice.settled_on is not None:
            day = invoice.settled_on
        elif invoice.total + credited.get(invoice.pk, Decimal(0)) - invoice.paid_amount <= 0:
            # Settled by a credit note rather than a payment.
            day = max(
                (n.issue_date for n in notes if n.credit_of_id == invoice.pk),
                default=invoice.issue_date,
            )
        else:
            return None
        last = day if last is None or day > last else last
    issued_total = sum((i.total for i in invoices), Decimal(0))
    if issued_total < quote.total:
        return None
    return last


def _desired(job: Job, basis: Decimal) -> dict[tuple, tuple]:
    """{(rule_id, user_id, participant): (rule, user, amount)} the job earns now."""
    people = job_participants(job)
    desired = {}
    rules = CommissionRule.objects.filter(is_active=True).prefetch_related("shares")
    for rule in rules:
        for share in rule.shares.all():
            user = people.get(share.participant)
            if user is None:
                continue
            amount = money(basis * rule.rate / HUNDRED * share.share / HUNDRED)
            desired[(rule.pk, user.pk, share.participant)] = (rule, user, amount)
    return desired


@transaction.atomic
def commissions_refresh(job: Job, *, today: date | None = None) -> list[Commission]:
    """Brings the job's commissions up to date (see the module's docstring) and returns
    them. Idempotent; the job's row is locked so two refreshes at once write once."""
    job = (
        Job.objects.select_for_update(of=("self",))
        .select_related("owner__position", "company")
        .get(pk=job.pk)
    )
    existing = {
        (c.rule_id, c.user_id, c.participant): c
        for c in Commission.objects.filter(job=job).select_related("user")
    }
    quote = signed_quote(job)
    if quote is None or job.stage == Stage.CANCELLED:
        # Nothing is earned without a signed contract: drop what was only pending.
        Commission.objects.filter(job=job, status=Commission.Status.PENDING).delete()
        return list(Commission.objects.filter(job=job))
    basis = quote.net_total
    desired = _desired(job, basis)
    payable_on = payment_state(job, quote)
    for key, commission in existing.items():
        if commission.status == Commission.Status.PENDING and key not in desired:
            commission.delete()
    for key, (rule, user, amount) in desired.items():
        commission = existing.get(key)
        if commission is None:
            commission = Commission.objects.create(
                job=job,
                rule=rule,
                user=user,
                participant=key[2],
                basis=basis,
                amount=amount,
            )
            existing[key] = commission
        elif commission.status == Commission.Status.PENDING and (
            commission.basis != basis or commission.amount != amount
        ):
            commission.basis, commission.amount = basis, amount
            commission.save(update_fields=["basis", "amount"])
    for commission in existing.values():
        if commission.pk is None:
            continue
        _settle(commission, job, payable_on)
    return list(Commission.objects.filter(job=job).order_by("pk"))


def _settle(commission: Commission, job: Job, payable_on: date | None) -> None:
    status = commission.status
    if status == Commission.Status.PENDING and payable_on is not None:
        commission.status = Commission.Status.PAYABLE
        commission.payable_on = payable_on
        commission.save(update_fields=["status", "payable_on"])
        audit.record_transition(actor=None, obj=commission, old=status, new=commission.status)
        notify(
            recipients=[commission.user],
            message=lambda: (
                BECAME_PAYABLE
                % {"amount": format_money(commission.amount, job.currency), "job": job.title}
            ),
            link=reverse("finance:my_commissions"),
        )
    elif status == Commission.Status.PAYABLE and payable_on is None:
        commission.status = Commission.Status.PENDING
        commission.payable_on = None
        commission.save(update_fields=["status", "payable_on"])
        audit.record_transition(actor=None, obj=commission, old=status, new=commission.status)
    elif status == Commission.Status.PAYABLE and commission.payable_on != payable_on:
        commission.payable_on = payable_on
        commission.save(update_fields=["payable_on"])


def jobs_to_refresh():
    """Jobs whose commissions may still change: a signed quote, and not only paid-out
    commissions."""
    signed = Job.objects.filter(quotes__signed_back_at__isnull=False).values("pk")
    still_open = Commission.objects.filter(
        status__in=[Commission.Status.PENDING, Commission.Status.PAYABLE]
    ).values("job")
    paid_out = (
        Commission.objects.filter(status=Commission.Status.PAID)
        .exclude(job__in=still_open)
        .values("job")
    )
    return Job.objects.filter(pk__in=signed).exclude(pk__in=paid_out).order_by("pk")


def commissions_refresh_all(*, today: date | None = None) -> int:
    """The daily sweep: refreshes every job whose commissions may still change."""
    count = 0
    for job in jobs_to_refresh():
        commissions_refresh(job, today=today)
        count += 1
    return count


@transaction.atomic
def commission_mark_paid(
    *, actor: User, commission: Commission, paid_on: date | None = None
) -> Commission:
    """Finance records that a payable commission was paid out (once)."""
    require(actor, PAY)
    commission = Commission.objects.select_for_update(of=("self",)).get(pk=commission.pk)
    if commission.status == Commission.Status.PAID:
        raise Conflict(ALREADY_PAID)
    if commission.status != Commission.Status.PAYABLE:
        raise DomainError(NOT_PAYABLE, code="not_payable")
    paid_on = paid_on or timezone.localdate()
    if paid_on < commission.payable_on:
        raise DomainError(INVALID, fields={"paid_on": PAID_BEFORE_PAYABLE})
    old = commission.status
    commission.status = Commission.Status.PAID
    commission.paid_on = paid_on
    commission.save(update_fields=["status", "paid_on"])
    audit.record_transition(actor=actor, obj=commission, old=old, new=commission.status)
    return commission


# Targets and bonus tiers ----------------------------------------------------------------


def _check_year(year, errors: dict) -> int | None:
    try:
        year = int(year)
    except (TypeError, ValueError):
        errors["year"] = YEAR_RANGE
        return None
    if not 2000 <= year <= 2100:
        errors["year"] = YEAR_RANGE
        return None
    return year


@transaction.atomic
def target_save(
    *,
    actor: User,
    user: User,
    year: int,
    annual_amount,
    quarterly_minimum=0,
    expected_version: int | None = None,
) -> Target:
    """Sets a person's contract target for a year (annual, with a quarterly minimum).
    Editing an existing target names the version it was made against."""
    require(actor, TARGETS)
    errors: dict = {}
    year = _check_year(year, errors)
    if user is None or user.kind != User.Kind.STAFF:
        errors["user"] = NOT_STAFF
    annual = _decimal(annual_amount, errors, "annual_amount")
    if annual is not None and annual <= 0:
        errors["annual_amount"] = AMOUNT_POSITIVE
    minimum = _decimal(
        Decimal(0) if quarterly_minimum in (None, "") else quarterly_minimum,
        errors,
        "quarterly_minimum",
    )
    if minimum is not None and minimum < 0:
        errors["quarterly_minimum"] = AMOUNT_NEGATIVE
    if annual is not None and minimum is not None and minimum > annual:
        errors["quarterly_minimum"] = MINIMUM_ABOVE_TARGET
    if errors:
        raise DomainError(INVALID, fields=errors)
    target = Target.objects.select_for_update(of=("self",)).filter(user=user, year=year).first()
    if target is None:
        if expected_version:
            raise Conflict()
        target = Target.objects.create(
            user=user, year=year, annual_amount=annual, quarterly_minimum=minimum
        )
        audit.record_create(actor=actor, obj=target)
        return target
    if expected_version is None:
        expected_version = target.version
    before = audit.snapshot(target, ["annual_amount", "quarterly_minimum"])
    target.annual_amount, target.quarterly_minimum = annual, minimum
    save_versioned(
        target, expected_version=expected_version, fields=["annual_amount", "quarterly_minimum"]
    )
    audit.record_change(actor=actor, obj=target, before=before)
    return target


@transaction.atomic
def bonus_tier_add(*, actor: User, year: int, min_margin, rate) -> BonusTier:
    """A year-end bonus tier: from `min_margin` of gross margin, `rate`% of the margin."""
    require(actor, TARGETS)
    errors: dict = {}
    year = _check_year(year, errors)
    floor = _decimal(min_margin, errors, "min_margin")
    if floor is not None and floor < 0:
        errors["min_margin"] = AMOUNT_NEGATIVE
    value = _decimal(rate, errors, "rate", RATE_RANGE)
    if value is not None and not Decimal(0) < value <= HUNDRED:
        errors["rate"] = RATE_RANGE
    if not errors and BonusTier.objects.filter(year=year, min_margin=floor).exists():
        errors["min_margin"] = TIER_TAKEN
    if errors:
        raise DomainError(INVALID, fields=errors)
    tier = BonusTier.objects.create(year=year, min_margin=floor, rate=value)
    audit.record_create(actor=actor, obj=tier)
    return tier


@transaction.atomic
def bonus_tier_remove(*, actor: User, tier: BonusTier) -> None:
    require(actor, TARGETS)
    audit.record(
        actor=actor,
        obj=tier,
        action=AuditEntry.Action.CHANGE,
        changes={"tier": [str(tier), None]},
        note="bonus tier removed",
    )
    tier.delete()
