"""Read queries of the sign-off engine that pages, API and tasks share."""

from django.contrib.contenttypes.models import ContentType
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from jobbag.accounts.models import User
from jobbag.accounts.services import principals_on
from jobbag.approvals.models import Approval, ApprovalStep, Decision, Seat, StepKind


def inbox(user: User) -> QuerySet[ApprovalStep]:
    """The active steps waiting for `user`'s signature, or for someone they deputise
    for today, that they have not yet signed; oldest first."""
    people = [
        user.pk,
        *principals_on(timezone.localdate(), deputy=user).values_list("pk", flat=True),
    ]
    open_seat = Seat.objects.filter(step=OuterRef("pk"), candidates__in=people).exclude(
        Exists(Decision.objects.filter(seat=OuterRef("pk")))
    )
    step_decided = Decision.objects.filter(step=OuterRef("pk"))
    return (
        ApprovalStep.objects.filter(status=ApprovalStep.Status.ACTIVE)
        .exclude(kind=StepKind.CLIENT)
        .filter(Exists(open_seat))
        # A step other than a countersign is done with its first decision.
        .exclude(Q(Exists(step_decided)) & ~Q(kind=StepKind.ALL))
        .select_related("approval", "approval__company", "approval__submitted_by")
        .order_by("activated_at", "pk")
    )


def waiting_for_client(company_id: int) -> QuerySet[Approval]:
    """The company's documents waiting for the client's own sign-off (the portal list)."""
    return (
        Approval.objects.filter(
            company_id=company_id,
            status=Approval.Status.PENDING,
            steps__kind=StepKind.CLIENT,
            steps__status=ApprovalStep.Status.ACTIVE,
        )
        .select_related("snapshot")
        .order_by("submitted_at", "pk")
    )


def approvals_of(document) -> QuerySet[Approval]:
    """Every sign-off of one document, newest first, ready for the evidence page."""
    return (
        Approval.objects.filter(
            content_type=ContentType.objects.get_for_model(document), object_id=document.pk
        )
        .select_related("snapshot", "submitted_by")
        .order_by("-submitted_at", "-pk")
    )


def current_approval(document) -> Approval | None:
    """The document's latest sign-off (pending or closed), if any."""
    return approvals_of(document).first()


def evidence(approval: Approval) -> dict:
    """One approval as the evidence page shows it: steps, seats with their candidates,
    decisions with who, when, how and for whom, and the snapshot with its files."""
    steps = list(approval.steps.prefetch_related("seats__candidates").order_by("order"))
    decisions = list(
        approval.decisions.select_related("decided_by", "on_behalf_of", "seat", "step").order_by(
            "decided_at", "pk"
        )
    )
    return {
        "approval": approval,
        "steps": steps,
        "decisions": decisions,
        "files": list(approval.snapshot.files.all()),
    }
