"""Sign-off over the API, mounted at /signoff: my inbox, an approval's evidence, deciding
and withdrawing; for client users, their company's documents waiting for them and the
client's decision.

Errors come in the one error shape: 403 for the wrong person or an amount over their
authority, 409 for something already decided or a stale revision, 400 for a missing
reason, 404 for an approval the caller may not see.
"""

from datetime import date, datetime
from decimal import Decimal

from django.http import Http404, HttpRequest
from ninja import Router, Schema, Status

from jobbag.approvals import selectors, services
from jobbag.approvals.models import Approval, Decision
from jobbag.core.api_support import caller, errors, get_or_404
from jobbag.core.permissions import can, require

router = Router(tags=["signoff"])


class PersonRef(Schema):
    id: int
    username: str
    full_name: str


def _person(user) -> dict | None:
    if user is None:
        return None
    return {"id": user.pk, "username": user.username, "full_name": str(user)}


class InboxItemOut(Schema):
    approval_id: int
    step_id: int
    step: str
    document_type: str
    document_label: str
    title: str
    revision: int
    company: str | None
    amount: Decimal | None
    currency: str
    submitted_by: PersonRef
    submitted_at: datetime
    waiting_days: int
    deputy_for: list[PersonRef]


class SeatOut(Schema):
    number: int
    label: str
    candidates: list[PersonRef]


class StepOut(Schema):
    order: int
    kind: str
    label: str
    status: str
    checks_authority: bool
    seats: list[SeatOut]


class DecisionOut(Schema):
    id: int
    step: int
    seat: int
    outcome: str
    reason: str
    method: str
    decided_by: PersonRef
    on_behalf_of: PersonRef | None
    decided_at: datetime
    content_hash: str
    ip_address: str | None
    client_signer: str
    client_signed_on: date | None
    signed_copy_sha256: str


class EvidenceOut(Schema):
    id: int
    document_type: str
    object_id: int
    title: str
    revision: int
    status: str
    amount: Decimal | None
    currency: str
    policy_name: str
    submitted_by: PersonRef
    submitted_at: datetime
    closed_at: datetime | None
    content_hash: str
    snapshot_verified: bool
    steps: list[StepOut]
    decisions: list[DecisionOut]


class ClientApprovalOut(Schema):
    id: int
    title: str
    revision: int
    amount: Decimal | None
    currency: str
    submitted_at: datetime
    content_hash: str


class DecisionIn(Schema):
    outcome: Decision.Outcome
    reason: str = ""
    revision: int | None = None


class ApprovalStatusOut(Schema):
    id: int
    status: str


def _decision_out(decision: Decision) -> dict:
    return {
        "id": decision.pk,
        "step": decision.step.order,
        "seat": decision.seat.number,
        "outcome": decision.outcome,
        "reason": decision.reason,
        "method": decision.method,
        "decided_by": _person(decision.decided_by),
        "on_behalf_of": _person(decision.on_behalf_of),
        "decided_at": decision.decided_at,
        "content_hash": decision.content_hash,
        "ip_address": decision.ip_address,
        "client_signer": decision.client_signer,
        "client_signed_on": decision.client_signed_on,
        "signed_copy_sha256": decision.signed_copy_sha256,
    }


def _evidence_out(approval: Approval) -> dict:
    return {
        "id": approval.pk,
        "document_type": approval.document_type,
        "object_id": approval.object_id,
        "title": approval.title,
        "revision": approval.revision,
        "status": approval.status,
        "amount": approval.amount,
        "currency": approval.currency,
        "policy_name": approval.policy_name,
        "submitted_by": _person(approval.submitted_by),
        "submitted_at": approval.submitted_at,
        "closed_at": approval.closed_at,
        "content_hash": approval.snapshot.content_hash,
        "snapshot_verified": services.snapshot_verify(approval.snapshot),
        "steps": [
            {
                "order": step.order,
                "kind": step.kind,
                "label": step.label,
                "status": step.status,
                "checks_authority": step.checks_authority,
                "seats": [
                    {
                        "number": seat.number,
                        "label": seat.label,
                        "candidates": [_person(c) for c in seat.candidates.all()],
                    }
                    for seat in step.seats.all()
                ],
            }
            for step in approval.steps.all()
        ],
        "decisions": [_decision_out(d) for d in approval.decisions.all()],
    }


def _visible_approval(request: HttpRequest, approval_id: int) -> Approval:
    approval = Approval.objects.select_related("snapshot").filter(pk=approval_id).first()
    if approval is None or not can(caller(request), "approvals.view", approval):
        raise Http404
    return approval


@router.get("/inbox", response={200: list[InboxItemOut], **errors(403)})
def inbox(request: HttpRequest):
    """What waits for my signature, or for whom I deputise today; oldest first."""
    user = caller(request)
    require(user, "approvals.inbox")
    return [
        {
            "approval_id": row.approval.pk,
            "step_id": row.step.pk,
            "step": row.step.label,
            "document_type": row.approval.document_type,
            "document_label": row.document_label,
            "title": row.approval.title,
            "revision": row.approval.revision,
            "company": str(row.approval.company) if row.approval.company else None,
            "amount": row.approval.amount,
            "currency": row.approval.currency,
            "submitted_by": _person(row.approval.submitted_by),
            "submitted_at": row.approval.submitted_at,
            "waiting_days": row.waiting_days,
            "deputy_for": [_person(p) for p in row.deputy_for],
        }
        for row in selectors.inbox_rows(user)
    ]


@router.get("/portal/waiting", response={200: list[ClientApprovalOut], **errors(403)})
def portal_waiting(request: HttpRequest):
    """Client users: their company's documents waiting for the client's signature."""
    user = caller(request)
    require(user, "approvals.portal")
    return [
        {
            "id": a.pk,
            "title": a.title,
            "revision": a.revision,
            "amount": a.amount,
            "currency": a.currency,
            "submitted_at": a.submitted_at,
            "content_hash": a.snapshot.content_hash,
        }
        for a in selectors.waiting_for_client(user.company_id)
    ]


@router.get("/{approval_id}", response={200: EvidenceOut, **errors(404)})
def evidence(request: HttpRequest, approval_id: int):
    """One approval as evidence: its steps and seats, every decision, the snapshot hash."""
    approval = _visible_approval(request, approval_id)
    return _evidence_out(selectors.evidence_of([approval])[0])


@router.post("/{approval_id}/decisions", response={201: DecisionOut, **errors(400, 403, 404, 409)})
def decide(request: HttpRequest, approval_id: int, payload: DecisionIn):
    """Approve, reject (reason required) or return (reason required) the step waiting
    for me. `revision` is the revision I looked at: a stale one answers 409."""
    user = caller(request)
    require(user, "approvals.inbox")
    approval = get_or_404(Approval.objects.all(), pk=approval_id)
    decision = services.approval_decide(
        actor=user,
        approval=approval,
        outcome=payload.outcome,
        reason=payload.reason,
        revision=payload.revision,
        ip=request.META.get("REMOTE_ADDR") or None,
    )
    return Status(201, _decision_out(decision))


@router.post("/{approval_id}/withdraw", response={200: ApprovalStatusOut, **errors(403, 404, 409)})
def withdraw(request: HttpRequest, approval_id: int):
    """The submitter (or an administrator) takes the document back out of sign-off."""
    approval = _visible_approval(request, approval_id)
    approval = services.approval_withdraw(actor=caller(request), approval=approval)
    return {"id": approval.pk, "status": approval.status}


@router.post(
    "/{approval_id}/client-decisions",
    response={201: DecisionOut, **errors(400, 403, 404, 409)},
)
def client_decide(request: HttpRequest, approval_id: int, payload: DecisionIn):
    """Client users: approve, or return with comments, their company's document."""
    user = caller(request)
    require(user, "approvals.portal")
    approval = get_or_404(Approval.objects.filter(company_id=user.company_id), pk=approval_id)
    decision = services.approval_client_decide(
        actor=user,
        approval=approval,
        outcome=payload.outcome,
        reason=payload.reason,
        revision=payload.revision,
        ip=request.META.get("REMOTE_ADDR") or None,
    )
    return Status(201, _decision_out(decision))
