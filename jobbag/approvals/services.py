"""Every state change of the sign-off engine: submit a document revision, decide a step
(approve, reject with a reason, return for revision) in the app, in the portal or by
uploading the client's signed copy, and withdraw.

The approval row is locked for each decision, and decisions are unique per seat, so two
approvers at once, a double click or a replayed request make exactly one decision; the
loser is told it was already decided and nothing of theirs is written.
"""

import hashlib
import json
from dataclasses import dataclass
from decimal import Decimal

from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jobbag.accounts.models import Department, Role, ServiceTeamMembership, User
from jobbag.accounts.selectors import approval_authority
from jobbag.accounts.services import principals_on
from jobbag.approvals import hooks, registry
from jobbag.approvals.models import (
    Approval,
    ApprovalStep,
    Decision,
    MemberKind,
    Policy,
    Seat,
    SignoffStatus,
    Snapshot,
    SnapshotFile,
    StepKind,
)
from jobbag.core import audit
from jobbag.core.errors import Conflict, DomainError, NotAllowed, NotFound
from jobbag.core.notifications import notify

NO_POLICY = _(
    "No sign-off policy covers this document (type, amount, client). Ask an administrator "
    "to set one up."
)
NO_SIGNER = _("Nobody can sign step “%(step)s”: %(seat)s has no one active. Fix the policy.")
ALREADY_PENDING = _("This document is already waiting for sign-off.")
NOT_EDITABLE = _("Only a draft or a returned document can be sent for sign-off.")
CLOSED = _("This sign-off is closed; nothing more can be decided on it.")
NOT_YOUR_STEP = _("This step is not waiting for you: you are not one of its signers.")
ALREADY_DECIDED = _("This has already been decided.")
OVER_LIMIT = _(
    "Your authority limit does not cover %(amount)s %(currency)s for this document type."
)
REASON_REQUIRED = _("Give a reason when you reject or return a document.")
NOT_CLIENT_STEP = _("The step waiting now is not the client's sign-off.")
CLIENT_STEP = _(
    "The step waiting now is the client's: the client signs in the portal, or you upload "
    "their signed copy."
)
SIGNED_COPY_REQUIRED = _("Attach the client's signed copy.")
SIGNER_REQUIRED = _("Name the client's signer.")
SIGNED_ON_REQUIRED = _("Give the date the client signed.")
SIGNED_ON_FUTURE = _("The client cannot have signed in the future.")
STALE = _("The document changed after it was submitted; submit it again.")
NOT_SUBMITTER = _("Only the person who submitted it, or an administrator, can withdraw it.")
MAX_SIGNED_COPY = 20 * 1024 * 1024
SIGNED_COPY_TOO_BIG = _("The signed copy must be 20 MB or smaller.")


# Choosing the policy and filling the seats ---------------------------------------------


def policy_for(subject: registry.Subject, document_type: str) -> Policy | None:
    """The most specific active policy for the document: for its client before one for
    its department before a general one, whose amount band holds the amount."""
    amount = subject.amount or Decimal(0)
    candidates = (
        Policy.objects.filter(document_type=document_type, is_active=True)
        .filter(Q(company__isnull=True) | Q(company=subject.company))
        .filter(Q(department__isnull=True) | Q(department=subject.department))
        .filter(Q(above_amount__isnull=True) | Q(above_amount__lt=amount))
        .filter(Q(up_to_amount__isnull=True) | Q(up_to_amount__gte=amount))
        .prefetch_related("steps__members__user", "steps__members__position")
    )
    if subject.amount is not None:
        candidates = candidates.filter(currency=subject.currency.upper())
    ranked = sorted(candidates, key=lambda p: (p.company_id is None, p.department_id is None, p.pk))
    return ranked[0] if ranked else None


def _department_head(department: Department | None) -> User | None:
    """The head of `department`, or of the nearest department above it that has one."""
    seen = set()
    while department is not None and department.pk not in seen:
        seen.add(department.pk)
        if department.head_id and department.head.is_active:
            return department.head
        department = department.parent
    return None


def _team_members(subject: registry.Subject, team_role: str) -> list[User]:
    """The client's current service team members with `team_role`: those serving the
    brand, else the company, else the company's or brand's client group."""
    if subject.company is None:
        return []
    today = timezone.localdate()
    current = ServiceTeamMembership.objects.filter(
        team_role=team_role, user__is_active=True, starts_on__lte=today
    ).filter(Q(ends_on__isnull=True) | Q(ends_on__gte=today))
    company = subject.company
    layers = []
    if subject.brand is not None:
        layers.append(Q(brand=subject.brand))
    layers.append(Q(company=company))
    groups = {company.client_group_id}
    if subject.brand is not None:
        groups.add(subject.brand.client_group_id)
    groups.discard(None)
    if groups:
        layers.append(Q(client_group__in=groups))
    for layer in layers:
        people = [m.user for m in current.filter(layer).select_related("user")]
        if people:
            return people
    return []


def _seat_people(member, subject: registry.Subject) -> tuple[str, list[User]]:
    if member.kind == MemberKind.USER:
        user = member.user
        return str(user), [user] if user.is_active else []
    if member.kind == MemberKind.POSITION:
        holders = list(
            User.objects.filter(position=member.position, is_active=True, kind=User.Kind.STAFF)
        )
        return str(member.position), holders
    if member.kind == MemberKind.DEPARTMENT_HEAD:
        department = member.department or subject.department
        head = _department_head(department)
        label = _("Head of %(department)s") % {"department": department or "—"}
        return str(label), [head] if head else []
    if member.kind == MemberKind.TEAM_ROLE:
        label = _("%(role)s of the client's team") % {"role": Role(member.team_role).label}
        return str(label), _team_members(subject, member.team_role)
    raise ValueError(member.kind)


# Snapshots -----------------------------------------------------------------------------


def content_hash(html: str, data: dict, file_hashes: list[tuple[str, str]]) -> str:
    """SHA-256 over the rendered content, its data and each attachment's name and hash."""
    canonical = json.dumps(
        {"html": html, "data": data, "files": file_hashes},
        sort_keys=True,
        ensure_ascii=False,
        separators=(",", ":"),
    )
    return hashlib.sha256(canonical.encode()).hexdigest()


def _snapshot(*, actor: User, document, kind: registry.DocumentKind, subject) -> Snapshot:
    content = kind.render(document)
    # Data goes through JSON once so that what is hashed is what is stored.
    data = json.loads(json.dumps(content.data, default=str))
    hashes = [(a.name, hashlib.sha256(a.content).hexdigest()) for a in content.attachments]
    snapshot = Snapshot.objects.create(
        content_type=ContentType.objects.get_for_model(document),
        object_id=document.pk,
        revision=subject.revision,
        title=subject.title[:255],
        html=content.html,
        data=data,
        content_hash=content_hash(content.html, data, hashes),
        created_by=actor,
    )
    for attachment, (_name, sha) in zip(content.attachments, hashes, strict=True):
        row = SnapshotFile(
            snapshot=snapshot, name=attachment.name, sha256=sha, size=len(attachment.content)
        )
        row.file.save(attachment.name, ContentFile(attachment.content), save=False)
        row.save()
    return snapshot


def snapshot_verify(snapshot: Snapshot) -> bool:
    """Whether the stored snapshot and its files still hash to what was signed."""
    hashes = []
    for row in snapshot.files.all():
        with row.file.open("rb") as handle:
            if hashlib.sha256(handle.read()).hexdigest() != row.sha256:
                return False
        hashes.append((row.name, row.sha256))
    return content_hash(snapshot.html, snapshot.data, hashes) == snapshot.content_hash


# Submitting ----------------------------------------------------------------------------


def _set_document_status(document, status: str) -> None:
    document.signoff_status = status
    type(document)._default_manager.filter(pk=document.pk).update(signoff_status=status)


@transaction.atomic
def approval_submit(*, actor: User, document) -> Approval:
    """Sends a draft or returned document revision for sign-off: freezes its content,
    picks the policy, fills each step's seats and notifies the first signers."""
    kind = registry.kind_of(document)
    if not kind.may_submit(actor, document):
        raise NotAllowed()
    document = type(document)._default_manager.select_for_update(of=("self",)).get(pk=document.pk)
    if document.signoff_status == SignoffStatus.SUBMITTED:
        raise Conflict(ALREADY_PENDING)
    if not document.is_editable:
        raise DomainError(NOT_EDITABLE)
    subject = kind.describe(document)
    policy = policy_for(subject, kind.document_type)
    if policy is None:
        raise DomainError(NO_POLICY)
    planned = []
    for policy_step in policy.steps.all():
        seats = []
        if policy_step.kind == StepKind.CLIENT:
            seats.append((str(_("The client")), []))
        else:
            for member in policy_step.members.all():
                label, people = _seat_people(member, subject)
                if not people:
                    raise DomainError(
                        NO_SIGNER % {"step": policy_step.label or policy_step.pk, "seat": label}
                    )
                seats.append((label, people))
        planned.append((policy_step, seats))
    if not planned:
        raise DomainError(NO_POLICY)
    try:
        with transaction.atomic():
            approval = Approval.objects.create(
                content_type=ContentType.objects.get_for_model(document),
                object_id=document.pk,
                document_type=kind.document_type,
                title=subject.title[:255],
                revision=subject.revision,
                amount=subject.amount,
                currency=subject.currency,
                company=subject.company,
                department=subject.department,
                policy=policy,
                policy_name=policy.name,
                snapshot=_snapshot(actor=actor, document=document, kind=kind, subject=subject),
                submitted_by=actor,
            )
    except IntegrityError:
        raise Conflict(ALREADY_PENDING) from None
    for policy_step, seats in planned:
        step = ApprovalStep.objects.create(
            approval=approval,
            order=policy_step.order,
            kind=policy_step.kind,
            label=policy_step.label or policy_step.get_kind_display(),
            checks_authority=policy_step.checks_authority,
        )
        for number, (label, people) in enumerate(seats, start=1):
            seat = Seat.objects.create(step=step, number=number, label=label[:150])
            seat.candidates.set(people)
    _set_document_status(document, SignoffStatus.SUBMITTED)
    audit.record_transition(
        actor=actor,
        obj=document,
        old=SignoffStatus.DRAFT,
        new=SignoffStatus.SUBMITTED,
        note=str(_("Sent for sign-off (revision %(revision)s)") % {"revision": subject.revision}),
    )
    _activate_next(approval, after=None, document=document, kind=kind, actor=actor)
    return approval


def _activate_next(approval: Approval, *, after: int | None, document, kind, actor) -> None:
    """Opens the next step, or signs the approval off when there is none."""
    steps = approval.steps.order_by("order")
    if after is not None:
        steps = steps.filter(order__gt=after)
    step = steps.first()
    if step is None:
        _close(approval, Approval.Status.APPROVED, document=document, kind=kind, actor=actor)
        return
    now = timezone.now()
    step.status = ApprovalStep.Status.ACTIVE
    step.activated_at = now
    step.save(update_fields=["status", "activated_at"])
    approval.current_step = step.order
    approval.save(update_fields=["current_step"])
    notify(
        recipients=step_signers(step),
        message=lambda: _("Waiting for your sign-off: %(title)s") % {"title": approval.title},
        link=evidence_link(approval),
        email=True,
    )


def evidence_link(approval: Approval) -> str:
    from django.urls import reverse

    return reverse("approvals:detail", args=[approval.pk])


def step_signers(step: ApprovalStep) -> list[User]:
    """Who is asked to sign an active step: its candidates, or the client's portal users."""
    if step.kind == StepKind.CLIENT:
        approval = step.approval
        return list(
            User.objects.filter(
                kind=User.Kind.CLIENT, company_id=approval.company_id, is_active=True
            )
        )
    candidates = set(
        User.objects.filter(signoff_seats__step=step, is_active=True).values_list("pk", flat=True)
    )
    today = timezone.localdate()
    deputies = User.objects.filter(
        is_active=True,
        deputising_for__principal__in=candidates,
        deputising_for__starts_on__lte=today,
        deputising_for__ends_on__gte=today,
        deputising_for__cancelled_at__isnull=True,
    ).values_list("pk", flat=True)
    return list(User.objects.filter(pk__in=candidates | set(deputies)))


def _close(approval: Approval, status: str, *, document, kind, actor) -> None:
    approval.status = status
    approval.current_step = None
    approval.closed_at = timezone.now()
    approval.save(update_fields=["status", "current_step", "closed_at"])
    approval.steps.filter(
        status__in=[ApprovalStep.Status.WAITING, ApprovalStep.Status.ACTIVE]
    ).update(status=ApprovalStep.Status.CANCELLED)
    document_status = {
        Approval.Status.APPROVED: SignoffStatus.APPROVED,
        Approval.Status.REJECTED: SignoffStatus.REJECTED,
        Approval.Status.RETURNED: SignoffStatus.RETURNED,
        Approval.Status.WITHDRAWN: SignoffStatus.DRAFT,
    }[status]
    _set_document_status(document, document_status)
    audit.record_transition(
        actor=actor, obj=document, old=SignoffStatus.SUBMITTED, new=document_status
    )
    kind.on_closed(document, approval, actor)
    if status == Approval.Status.APPROVED:
        hooks.approved(approval, document, actor)
    notify(
        recipients=[approval.submitted_by],
        message=lambda: (
            _("%(title)s: %(status)s")
            % {"title": approval.title, "status": Approval.Status(status).label}
        ),
        link=evidence_link(approval),
        email=True,
    )


# Deciding ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Standing:
    """On which seat of the active step a user may sign, and for whom."""

    seat: Seat
    on_behalf_of: User | None


def standing(user: User, step: ApprovalStep) -> Standing | None:
    """The open seat `user` may fill on `step`, by right or as a deputy today; None if
    they may not sign it. Their own seat comes before one they deputise for."""
    if step.status != ApprovalStep.Status.ACTIVE or step.kind == StepKind.CLIENT:
        return None
    if not user.is_active or user.kind != User.Kind.STAFF:
        return None
    decided = set(step.decisions.values_list("seat_id", flat=True))
    if step.kind != StepKind.ALL and decided:
        return None
    principals = {p.pk: p for p in principals_on(timezone.localdate(), deputy=user)}
    best = None
    for seat in step.seats.prefetch_related("candidates"):
        if seat.pk in decided:
            continue
        candidate_ids = {c.pk for c in seat.candidates.all()}
        if user.pk in candidate_ids:
            return Standing(seat=seat, on_behalf_of=None)
        if best is None:
            for pk in candidate_ids & set(principals):
                best = Standing(seat=seat, on_behalf_of=principals[pk])
                break
    return best


def _locked(approval_id: int) -> tuple[Approval, ApprovalStep]:
    approval = Approval.objects.select_for_update(of=("self",)).get(pk=approval_id)
    if approval.status != Approval.Status.PENDING or approval.current_step is None:
        raise Conflict(CLOSED)
    step = approval.steps.get(order=approval.current_step)
    return approval, step


def _record(approval, step, seat, *, actor, outcome, reason, method, on_behalf_of, ip, **extra):
    lock = seat.number if step.kind == StepKind.ALL else 0
    try:
        with transaction.atomic():
            return Decision.objects.create(
                approval=approval,
                step=step,
                seat=seat,
                lock=lock,
                outcome=outcome,
                reason=reason,
                method=method,
                decided_by=actor,
                on_behalf_of=on_behalf_of,
                content_hash=approval.snapshot.content_hash,
                ip_address=ip,
                **extra,
            )
    except IntegrityError:
        raise Conflict(ALREADY_DECIDED) from None


def _after_decision(approval: Approval, step: ApprovalStep, decision: Decision, actor) -> None:
    """Moves the approval on: a reject or return closes it; an approval completes the
    step once every seat of a countersign step (or any seat of the others) has signed."""
    kind = registry.kind_named(approval.document_type)
    document = kind.model._default_manager.select_for_update(of=("self",)).get(
        pk=approval.object_id
    )
    if decision.outcome != Decision.Outcome.APPROVE:
        step.status = (
            ApprovalStep.Status.REJECTED
            if decision.outcome == Decision.Outcome.REJECT
            else ApprovalStep.Status.RETURNED
        )
        step.save(update_fields=["status"])
        status = (
            Approval.Status.REJECTED
            if decision.outcome == Decision.Outcome.REJECT
            else Approval.Status.RETURNED
        )
        _close(approval, status, document=document, kind=kind, actor=actor)
        return
    if step.kind == StepKind.ALL and step.decisions.count() < step.seats.count():
        return
    step.status = ApprovalStep.Status.APPROVED
    step.save(update_fields=["status"])
    _activate_next(approval, after=step.order, document=document, kind=kind, actor=actor)


def _check_reason(outcome: str, reason: str) -> str:
    reason = (reason or "").strip()
    if outcome not in Decision.Outcome.values:
        raise DomainError(fields={"outcome": _("Choose approve, reject or return.")})
    if outcome != Decision.Outcome.APPROVE and not reason:
        raise DomainError(REASON_REQUIRED, fields={"reason": REASON_REQUIRED})
    return reason


def _decided_for(actor: User, approval: Approval, step: ApprovalStep) -> bool:
    """Whether `actor` (or someone they deputise for today) was a signer of a step of
    `approval` that is already decided: this one, or one before it."""
    people = {
        actor.pk,
        *principals_on(timezone.localdate(), deputy=actor).values_list("pk", flat=True),
    }
    if step.decisions.filter(Q(decided_by=actor) | Q(on_behalf_of__in=people)).exists():
        return True
    return (
        approval.steps.filter(order__lt=step.order, seats__candidates__in=people)
        .exclude(kind=StepKind.CLIENT)
        .exists()
    )


@transaction.atomic
def approval_decide(
    *,
    actor: User,
    approval: Approval,
    outcome: str,
    reason: str = "",
    revision: int | None = None,
    ip: str | None = None,
) -> Decision:
    """Approves, rejects or returns the step waiting for `actor` (or for whom they
    deputise today). `revision`, when given, is the revision the signer looked at."""
    reason = _check_reason(outcome, reason)
    approval, step = _locked(approval.pk)
    if revision is not None and revision != approval.revision:
        raise Conflict(STALE)
    where = None if step.kind == StepKind.CLIENT else standing(actor, step)
    if where is None:
        # A signer whose step was decided meanwhile (a double click, a second signer
        # of an ANY step) is told so, whatever step waits now.
        if _decided_for(actor, approval, step):
            raise Conflict(ALREADY_DECIDED)
        if step.kind == StepKind.CLIENT:
            raise DomainError(CLIENT_STEP)
        raise NotAllowed(NOT_YOUR_STEP)
    if step.checks_authority and outcome == Decision.Outcome.APPROVE:
        signer = where.on_behalf_of or actor
        authority = approval_authority(
            signer, approval.document_type, approval.amount or Decimal(0), approval.currency
        )
        if not authority:
            raise NotAllowed(
                OVER_LIMIT % {"amount": approval.amount, "currency": approval.currency}
            )
    decision = _record(
        approval,
        step,
        where.seat,
        actor=actor,
        outcome=outcome,
        reason=reason,
        method=Decision.Method.IN_APP,
        on_behalf_of=where.on_behalf_of,
        ip=ip,
    )
    _after_decision(approval, step, decision, actor)
    return decision


@transaction.atomic
def approval_client_decide(
    *,
    actor: User,
    approval: Approval,
    outcome: str,
    reason: str = "",
    revision: int | None = None,
    ip: str | None = None,
) -> Decision:
    """A client user signs (or returns, with their comments) the client step of a
    document of their own company, in the portal."""
    reason = _check_reason(outcome, reason)
    if actor.kind != User.Kind.CLIENT or not actor.is_active:
        raise NotAllowed()
    approval, step = _locked(approval.pk)
    if approval.company_id is None or approval.company_id != actor.company_id:
        # Another company's document does not exist for this user.
        raise NotFound()
    if revision is not None and revision != approval.revision:
        raise Conflict(STALE)
    if step.kind != StepKind.CLIENT:
        raise DomainError(NOT_CLIENT_STEP)
    decision = _record(
        approval,
        step,
        step.seats.get(number=1),
        actor=actor,
        outcome=outcome,
        reason=reason,
        method=Decision.Method.PORTAL,
        on_behalf_of=None,
        ip=ip,
    )
    _after_decision(approval, step, decision, actor)
    return decision


@transaction.atomic
def approval_record_signed_copy(
    *,
    actor: User,
    approval: Approval,
    file,
    client_signer: str,
    signed_on,
    outcome: str = Decision.Outcome.APPROVE,
    reason: str = "",
    ip: str | None = None,
) -> Decision:
    """Staff record the client's sign-off from the copy the client signed on paper:
    the scan is kept with its hash, with who signed it and when."""
    from jobbag.approvals.permissions import may_record_signed_copy

    reason = _check_reason(outcome, reason)
    errors = {}
    if file is None:
        errors["file"] = SIGNED_COPY_REQUIRED
    elif file.size > MAX_SIGNED_COPY:
        errors["file"] = SIGNED_COPY_TOO_BIG
    if not (client_signer or "").strip():
        errors["client_signer"] = SIGNER_REQUIRED
    if signed_on is None:
        errors["signed_on"] = SIGNED_ON_REQUIRED
    elif signed_on > timezone.localdate():
        errors["signed_on"] = SIGNED_ON_FUTURE
    if errors:
        raise DomainError(next(iter(errors.values())), fields=errors)
    approval, step = _locked(approval.pk)
    if not may_record_signed_copy(actor, approval):
        raise NotAllowed()
    if step.kind != StepKind.CLIENT:
        raise DomainError(NOT_CLIENT_STEP)
    content = file.read()
    decision = Decision(
        approval=approval,
        step=step,
        seat=step.seats.get(number=1),
        lock=0,
        outcome=outcome,
        reason=reason,
        method=Decision.Method.SIGNED_COPY,
        decided_by=actor,
        content_hash=approval.snapshot.content_hash,
        ip_address=ip,
        signed_copy_sha256=hashlib.sha256(content).hexdigest(),
        client_signer=client_signer.strip()[:100],
        client_signed_on=signed_on,
    )
    decision.signed_copy.save(getattr(file, "name", "signed.pdf"), ContentFile(content), False)
    try:
        with transaction.atomic():
            decision.save()
    except IntegrityError:
        raise Conflict(ALREADY_DECIDED) from None
    _after_decision(approval, step, decision, actor)
    return decision


@transaction.atomic
def approval_withdraw(*, actor: User, approval: Approval) -> Approval:
    """Takes a document back out of sign-off (to change it) before it is decided."""
    approval = Approval.objects.select_for_update(of=("self",)).get(pk=approval.pk)
    if approval.status != Approval.Status.PENDING:
        raise Conflict(CLOSED)
    if actor.pk != approval.submitted_by_id and not actor.is_admin:
        raise NotAllowed(NOT_SUBMITTER)
    kind = registry.kind_named(approval.document_type)
    document = kind.model._default_manager.select_for_update(of=("self",)).get(
        pk=approval.object_id
    )
    _close(approval, Approval.Status.WITHDRAWN, document=document, kind=kind, actor=actor)
    return approval
