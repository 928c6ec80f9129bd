"""`{% signoff_waiting approval as waiting %}`: the active step of a pending approval and
who is asked to sign it, for approvals/_signoff_status.html."""

from django import template

from jobbag.approvals.models import Approval, ApprovalStep, StepKind

register = template.Library()


@register.simple_tag
def signoff_waiting(approval: Approval | None) -> dict | None:
    if approval is None or approval.status != Approval.Status.PENDING:
        return None
    step = (
        ApprovalStep.objects.filter(approval=approval, status=ApprovalStep.Status.ACTIVE)
        .prefetch_related("seats__candidates")
        .first()
    )
    if step is None:
        return None
    if step.kind == StepKind.CLIENT:
        people = [str(approval.company or "")]
    else:
        decided = set(step.decisions.values_list("seat_id", flat=True))
        people = [
            str(person)
            for seat in step.seats.all()
            if seat.pk not in decided
            for person in seat.candidates.all()
        ]
    return {"step": step, "people": sorted(set(people))}
