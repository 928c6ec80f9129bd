"""Read queries of the sign-off engine that pages, API and tasks share."""

from dataclasses import dataclass
from datetime import date, timedelta

from django.contrib.contenttypes.models import ContentType
from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet
from django.utils import timezone

from jobbag.accounts.models import User
from jobbag.accounts.services import principals_on
from jobbag.approvals import registry
from jobbag.approvals.models import (
    Approval,
    ApprovalStep,
    Decision,
    Policy,
    PolicyStep,
    Seat,
    StepKind,
    StepMember,
)
from jobbag.calendar.services import _Exceptions


def inbox(user: User) -> QuerySet[ApprovalStep]:
    """The active steps waiting for `user`'s signature, or for someone they deputise
    for today, that they have not yet signed; oldest first."""
    # The people they sign for, as a subquery: counting the inbox is one query.
    principals = principals_on(timezone.localdate(), deputy=user).values("pk")
    open_seat = (
        Seat.objects.filter(step=OuterRef("pk"))
        .filter(Q(candidates=user) | Q(candidates__in=principals))
        .exclude(Exists(Decision.objects.filter(seat=OuterRef("pk"))))
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


# Pages: the inbox rows, the evidence of a document, the policies --------------------


@dataclass(frozen=True)
class InboxRow:
    """One line of a signer's inbox: the step, and for whom they sign it."""

    step: ApprovalStep
    approval: Approval
    document_label: str
    # The absent signers the user deputises for on this step; empty when it is theirs.
    deputy_for: list[User]
    waiting_days: int


def _working_days_since(days: list[date], today: date) -> dict[date, int]:
    """Working days in (day, today] for each of `days`, from one load of the calendar."""
    past = [day for day in days if day < today]
    if not past:
        return {day: 0 for day in days}
    table = _Exceptions(min(past) + timedelta(days=1), today)
    result = {}
    for day in days:
        if day >= today:
            result[day] = 0
            continue
        count, current = 0, day + timedelta(days=1)
        while current <= today:
            count += table.is_working(current)
            current += timedelta(days=1)
        result[day] = count
    return result


def inbox_rows(user: User, today: date | None = None, steps=None) -> list[InboxRow]:
    """The inbox as its page shows it (all of it, or the `steps` of one page of it), in a
    fixed number of queries however long it is."""
    today = today or timezone.localdate()
    principals = {p.pk: p for p in principals_on(today, deputy=user)}
    steps = list(inbox(user) if steps is None else steps)
    mine: dict[int, set[int]] = {}
    if steps:
        through = Seat.candidates.through.objects.filter(
            seat__step__in=steps, user_id__in=[user.pk, *principals]
        ).exclude(Exists(Decision.objects.filter(seat=OuterRef("seat_id"))))
        for step_id, user_id in through.values_list("seat__step_id", "user_id"):
            mine.setdefault(step_id, set()).add(user_id)
    waited = _working_days_since(
        [timezone.localtime(s.activated_at or s.approval.submitted_at).date() for s in steps],
        today,
    )
    rows = []
    for step in steps:
        people = mine.get(step.pk, set())
        deputy_for = (
            []
            if user.pk in people
            else [principals[pk] for pk in sorted(people) if pk in principals]
        )
        rows.append(
            InboxRow(
                step=step,
                approval=step.approval,
                document_label=_document_label(step.approval.document_type),
                deputy_for=deputy_for,
                waiting_days=waited[
                    timezone.localtime(step.activated_at or step.approval.submitted_at).date()
                ],
            )
        )
    return rows


def _document_label(document_type: str) -> str:
    try:
        return str(registry.kind_named(document_type).label)
    except KeyError:
        return document_type


def evidence_of(approvals) -> list[Approval]:
    """Approvals with everything the evidence page shows prefetched: the snapshot and its
    files, the steps with their seats and candidates, the decisions with their people."""
    return list(
        Approval.objects.filter(pk__in=[a.pk for a in approvals])
        .select_related("snapshot", "submitted_by", "company")
        .prefetch_related(
            "snapshot__files",
            Prefetch(
                "steps",
                queryset=ApprovalStep.objects.order_by("order").prefetch_related(
                    Prefetch("seats", queryset=Seat.objects.prefetch_related("candidates"))
                ),
            ),
            Prefetch(
                "decisions",
                queryset=Decision.objects.select_related(
                    "decided_by", "on_behalf_of", "seat", "step"
                ).order_by("decided_at", "pk"),
            ),
        )
        .order_by("-submitted_at", "-pk")
    )


def document_of(approval: Approval):
    """The signed document of `approval` (None if it is gone) and its kind."""
    kind = registry.kind_named(approval.document_type)
    return kind, kind.model._default_manager.filter(pk=approval.object_id).first()


def approvals_for(document_type: str, object_id: int) -> QuerySet[Approval]:
    return Approval.objects.filter(document_type=document_type, object_id=object_id).order_by(
        "-submitted_at", "-pk"
    )


def policies() -> QuerySet[Policy]:
    """Every policy with its steps and members, for the administration page."""
    return (
        Policy.objects.select_related("company", "department")
        .prefetch_related(
            Prefetch(
                "steps",
                queryset=PolicyStep.objects.order_by("order").prefetch_related(
                    Prefetch(
                        "members",
                        queryset=StepMember.objects.select_related(
                            "user", "position", "department"
                        ),
                    )
                ),
            )
        )
        .order_by("document_type", "company_id", "department_id", "above_amount", "pk")
    )


def client_approvals(company_id: int) -> QuerySet[Approval]:
    """The company's approvals that ask for the client's own signature (portal pages)."""
    return (
        Approval.objects.filter(company_id=company_id, steps__kind=StepKind.CLIENT)
        .distinct()
        .select_related("snapshot")
    )
