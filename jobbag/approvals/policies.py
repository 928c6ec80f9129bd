"""Administrators' changes to sign-off policies and settings. Every change is audited
on the policy. Approvals under way copied their steps and seats when they were submitted,
so nothing here changes them.

The shape of a policy is kept valid at every change: a step is added with its first
member, a ONE step never gets a second member, a CLIENT step has none, and the last
member of a step cannot be removed (remove the step instead).
"""

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from jobbag.accounts.models import Department, Position, Role, User
from jobbag.approvals import registry
from jobbag.approvals.models import (
    MemberKind,
    Policy,
    PolicyStep,
    SignoffSettings,
    StepKind,
    StepMember,
)
from jobbag.core import audit
from jobbag.core.errors import DomainError, NotFound
from jobbag.core.models import AuditEntry
from jobbag.core.permissions import require
from jobbag.core.versioning import save_versioned

MANAGE = "approvals.policy.manage"

UNKNOWN_TYPE = _("Choose a document type.")
NAME_REQUIRED = _("Give the policy a name.")
BAND_ORDER = _("“Amount up to” must be more than “amount above”.")
BAND_NEGATIVE = _("Amounts cannot be negative.")
CURRENCY_INVALID = _("Give a three-letter currency code, e.g. CNY.")
KIND_INVALID = _("Choose the kind of step.")
ONE_HAS_ONE = _("A step for one person or position has exactly one member.")
CLIENT_HAS_NONE = _("A client step has no members: any portal user of the client signs it.")
NEEDS_MEMBER = _("A step needs at least one member; remove the step instead.")
MEMBER_USER_REQUIRED = _("Choose the person.")
MEMBER_POSITION_REQUIRED = _("Choose the position.")
MEMBER_ROLE_REQUIRED = _("Choose the team role.")
MEMBER_KIND_INVALID = _("Choose who signs.")
REMIND_RANGE = _("Choose between 1 and 30 working days.")


def _steps_summary(policy: Policy) -> list[str]:
    """The policy's steps in words, for the audit trail."""
    lines = []
    for step in policy.steps.order_by("order").prefetch_related("members"):
        members = ", ".join(_member_words(m) for m in step.members.all())
        lines.append(f"{step.order}. {step.label or step.kind} [{step.kind}] {members}".strip())
    return lines


def _member_words(member: StepMember) -> str:
    target = member.user_id or member.position_id or member.department_id or member.team_role
    return f"{member.kind}:{target or '-'}"


def _audit_steps(*, actor, policy: Policy, before: list[str], note: str) -> None:
    after = _steps_summary(policy)
    if before != after:
        audit.record(
            actor=actor,
            obj=policy,
            action=AuditEntry.Action.CHANGE,
            changes={"steps": [before, after]},
            note=note,
        )
    Policy.objects.filter(pk=policy.pk).update(version=policy.version + 1)
    policy.version += 1


# Policies ------------------------------------------------------------------------------

POLICY_FIELDS = [
    "document_type",
    "name",
    "company",
    "department",
    "above_amount",
    "up_to_amount",
    "currency",
    "is_active",
]


def _clean_policy(values: dict) -> dict:
    errors = {}
    known = {kind.document_type for kind in registry.document_types()}
    if values.get("document_type") not in known:
        errors["document_type"] = UNKNOWN_TYPE
    name = (values.get("name") or "").strip()
    if not name:
        errors["name"] = NAME_REQUIRED
    above, up_to = values.get("above_amount"), values.get("up_to_amount")
    for field, amount in (("above_amount", above), ("up_to_amount", up_to)):
        if amount is not None and amount < 0:
            errors[field] = BAND_NEGATIVE
    if above is not None and up_to is not None and up_to <= above:
        errors["up_to_amount"] = BAND_ORDER
    currency = (values.get("currency") or "CNY").strip().upper()
    if len(currency) != 3 or not currency.isalpha():
        errors["currency"] = CURRENCY_INVALID
    if errors:
        raise DomainError(next(iter(errors.values())), fields=errors)
    return {
        "document_type": values["document_type"],
        "name": name[:100],
        "company": values.get("company"),
        "department": values.get("department"),
        "above_amount": above,
        "up_to_amount": up_to,
        "currency": currency,
        "is_active": bool(values.get("is_active", True)),
    }


@transaction.atomic
def policy_create(*, actor: User, **values) -> Policy:
    require(actor, MANAGE)
    policy = Policy.objects.create(**_clean_policy(values))
    audit.record_create(actor=actor, obj=policy)
    return policy


@transaction.atomic
def policy_update(*, actor: User, policy: Policy, expected_version: int, **values) -> Policy:
    require(actor, MANAGE)
    cleaned = _clean_policy(values)
    before = audit.snapshot(policy, POLICY_FIELDS)
    for field, value in cleaned.items():
        setattr(policy, field, value)
    save_versioned(policy, expected_version=expected_version, fields=POLICY_FIELDS)
    audit.record_change(actor=actor, obj=policy, before=before)
    return policy


def _locked_policy(policy_id: int) -> Policy:
    policy = Policy.objects.select_for_update(of=("self",)).filter(pk=policy_id).first()
    if policy is None:
        raise NotFound()
    return policy


# Members -------------------------------------------------------------------------------


def _clean_member(values: dict) -> dict:
    kind = values.get("member_kind") or values.get("kind")
    if kind not in MemberKind.values:
        raise DomainError(MEMBER_KIND_INVALID, fields={"member_kind": MEMBER_KIND_INVALID})
    member = {"kind": kind, "user": None, "position": None, "department": None, "team_role": ""}
    if kind == MemberKind.USER:
        user = values.get("user")
        if not isinstance(user, User) or user.kind != User.Kind.STAFF or not user.is_active:
            raise DomainError(MEMBER_USER_REQUIRED, fields={"user": MEMBER_USER_REQUIRED})
        member["user"] = user
    elif kind == MemberKind.POSITION:
        position = values.get("position")
        if not isinstance(position, Position):
            raise DomainError(
                MEMBER_POSITION_REQUIRED, fields={"position": MEMBER_POSITION_REQUIRED}
            )
        member["position"] = position
    elif kind == MemberKind.DEPARTMENT_HEAD:
        department = values.get("department")
        member["department"] = department if isinstance(department, Department) else None
    else:
        role = values.get("team_role") or ""
        if role not in Role.values:
            raise DomainError(MEMBER_ROLE_REQUIRED, fields={"team_role": MEMBER_ROLE_REQUIRED})
        member["team_role"] = role
    return member


# Steps ---------------------------------------------------------------------------------


@transaction.atomic
def policy_step_add(
    *,
    actor: User,
    policy: Policy,
    kind: str,
    label: str = "",
    checks_authority: bool = False,
    **member,
) -> PolicyStep:
    """Adds a step at the end, with its first member (none for a client step)."""
    require(actor, MANAGE)
    if kind not in StepKind.values:
        raise DomainError(KIND_INVALID, fields={"kind": KIND_INVALID})
    first = None if kind == StepKind.CLIENT else _clean_member(member)
    policy = _locked_policy(policy.pk)
    before = _steps_summary(policy)
    last = policy.steps.order_by("-order").values_list("order", flat=True).first() or 0
    step = PolicyStep.objects.create(
        policy=policy,
        order=last + 1,
        kind=kind,
        label=(label or "").strip()[:100],
        checks_authority=bool(checks_authority) and kind != StepKind.CLIENT,
    )
    if first is not None:
        StepMember.objects.create(step=step, **first)
    _audit_steps(actor=actor, policy=policy, before=before, note=str(_("Step added")))
    return step


@transaction.atomic
def policy_step_remove(*, actor: User, step: PolicyStep) -> None:
    require(actor, MANAGE)
    policy = _locked_policy(step.policy_id)
    before = _steps_summary(policy)
    order = step.order
    PolicyStep.objects.filter(pk=step.pk).delete()
    # Close the gap, in ascending order so that each step moves into a free place.
    for later in policy.steps.filter(order__gt=order).order_by("order"):
        later.order -= 1
        later.save(update_fields=["order"])
    _audit_steps(actor=actor, policy=policy, before=before, note=str(_("Step removed")))


@transaction.atomic
def policy_step_move(*, actor: User, step: PolicyStep, up: bool) -> None:
    """Swaps the step with the one before it (up) or after it."""
    require(actor, MANAGE)
    policy = _locked_policy(step.policy_id)
    step = policy.steps.get(pk=step.pk)
    neighbours = (
        policy.steps.filter(order__lt=step.order)
        if up
        else policy.steps.filter(order__gt=step.order)
    )
    other = neighbours.order_by("-order" if up else "order").first()
    if other is None:
        return
    before = _steps_summary(policy)
    mine, theirs = step.order, other.order
    # Orders are unique per policy: park one step at 0 (never used) while swapping.
    PolicyStep.objects.filter(pk=step.pk).update(order=0)
    PolicyStep.objects.filter(pk=other.pk).update(order=mine)
    PolicyStep.objects.filter(pk=step.pk).update(order=theirs)
    _audit_steps(actor=actor, policy=policy, before=before, note=str(_("Steps reordered")))


@transaction.atomic
def policy_step_update(
    *, actor: User, step: PolicyStep, label: str = "", checks_authority: bool = False
) -> PolicyStep:
    require(actor, MANAGE)
    policy = _locked_policy(step.policy_id)
    before = _steps_summary(policy)
    step.label = (label or "").strip()[:100]
    step.checks_authority = bool(checks_authority) and step.kind != StepKind.CLIENT
    step.save(update_fields=["label", "checks_authority"])
    _audit_steps(actor=actor, policy=policy, before=before, note=str(_("Step changed")))
    return step


@transaction.atomic
def policy_member_add(*, actor: User, step: PolicyStep, **member) -> StepMember:
    require(actor, MANAGE)
    policy = _locked_policy(step.policy_id)
    step = policy.steps.get(pk=step.pk)
    if step.kind == StepKind.CLIENT:
        raise DomainError(CLIENT_HAS_NONE)
    if step.kind == StepKind.ONE and step.members.exists():
        raise DomainError(ONE_HAS_ONE)
    values = _clean_member(member)
    before = _steps_summary(policy)
    row = StepMember.objects.create(step=step, **values)
    _audit_steps(actor=actor, policy=policy, before=before, note=str(_("Member added")))
    return row


@transaction.atomic
def policy_member_remove(*, actor: User, member: StepMember) -> None:
    require(actor, MANAGE)
    step = member.step
    policy = _locked_policy(step.policy_id)
    if step.members.count() <= 1:
        raise DomainError(NEEDS_MEMBER)
    before = _steps_summary(policy)
    StepMember.objects.filter(pk=member.pk).delete()
    _audit_steps(actor=actor, policy=policy, before=before, note=str(_("Member removed")))


def policy_problems(policy: Policy) -> list[str]:
    """What makes a policy unusable, in words (shown on its page): no steps, or a step
    whose members do not fit its kind (from data made outside these services)."""
    problems = []
    steps = list(policy.steps.all())
    if not steps:
        problems.append(str(_("The policy has no steps.")))
    for step in steps:
        count = len(step.members.all())
        if step.kind == StepKind.ONE and count != 1:
            problems.append(f"{step.order}. {ONE_HAS_ONE}")
        elif step.kind in (StepKind.ALL, StepKind.ANY) and count < 1:
            problems.append(f"{step.order}. {NEEDS_MEMBER}")
        elif step.kind == StepKind.CLIENT and count:
            problems.append(f"{step.order}. {CLIENT_HAS_NONE}")
    return problems


# Settings ------------------------------------------------------------------------------


@transaction.atomic
def signoff_settings_update(
    *, actor: User, expected_version: int, remind_after_days: int
) -> SignoffSettings:
    require(actor, MANAGE)
    if remind_after_days is None or not 1 <= int(remind_after_days) <= 30:
        raise DomainError(REMIND_RANGE, fields={"remind_after_days": REMIND_RANGE})
    row = SignoffSettings.current()
    before = audit.snapshot(row, ["remind_after_days"])
    row.remind_after_days = int(remind_after_days)
    save_versioned(row, expected_version=expected_version, fields=["remind_after_days"])
    audit.record_change(actor=actor, obj=row, before=before)
    return row
