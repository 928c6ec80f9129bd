"""Work orders (工作单): filled completely per the client's request, signed by the AD and
the head of Account, then dispatched to the receiving departments, each of which
acknowledges receipt (签收).

Dispatch is gated: only a signed-off work order, only once, and only when the job's work
may start (`gates.require_work_may_start`: no work before the client signed the quote
back). A signed work order not yet dispatched changes through `work_order_revise` (the
next revision, signed again); after dispatch, changes go out as change notices.
"""

from datetime import date
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jobbag.accounts.models import Department, User
from jobbag.approvals.models import Approval, SignoffStatus
from jobbag.approvals.services import approval_submit
from jobbag.core import audit
from jobbag.core.errors import Conflict, DomainError
from jobbag.core.notifications import notify
from jobbag.core.permissions import require
from jobbag.core.versioning import save_versioned
from jobbag.finance.services import credit
from jobbag.jobs.models import Acknowledgement, Job, Stage, WorkOrder
from jobbag.jobs.services.acknowledgements import acknowledgements_send
from jobbag.jobs.services.gates import require_work_may_start

INVALID = _("The work order is incomplete: correct the fields marked.")
REQUIRED = _("This field is required.")
DUE_IN_PAST = _("The delivery date cannot be in the past.")
BUDGET_INVALID = _("Enter a budget of zero or more, or leave it empty.")
DEPARTMENTS_REQUIRED = _("Choose at least one receiving department.")
DEPARTMENT_INACTIVE = _("Choose active departments only.")
NOT_EDITABLE = _(
    "Only a draft or returned work order can be edited; revise a signed one to change it."
)
NOT_SIGNED = _("The work order must be signed off by the AD and the head of Account first.")
ALREADY_DISPATCHED = _("This work order has already been dispatched.")
DISPATCHED_USE_CHANGE = _(
    "This work order has been dispatched: changes now go to the departments as a change notice."
)
NOT_REVISABLE = _("Only a signed or rejected work order is revised; this one can still be edited.")
JOB_CLOSED = _("The job is closed or cancelled.")

TEXT_FIELDS = [
    "client_request",
    "specification",
    "quantity",
    "quality_standard",
    "packaging",
    "logistics",
    "delivery_place",
    "notes",
]
FIELDS = [*TEXT_FIELDS, "delivery_due", "budget"]
# SPEC §4: filled completely. Packaging, logistics, budget and notes may be empty.
REQUIRED_FIELDS = [
    "client_request",
    "specification",
    "quantity",
    "quality_standard",
    "delivery_place",
    "delivery_due",
]
CLOSED_STAGES = {Stage.CLOSED, Stage.CANCELLED}
# The stages a job leaves for production when its first work order goes out.
BEFORE_PRODUCTION = {Stage.INTAKE, Stage.REVIEW, Stage.QUOTE}


def _clean(values: dict, departments) -> tuple[dict, list[Department]]:
    """The work order's fields, trimmed, with a field error for each gap."""
    cleaned, errors = {}, {}
    for name in TEXT_FIELDS:
        value = values.get(name)
        cleaned[name] = (value or "").strip() if isinstance(value, str) or value is None else value
    due = values.get("delivery_due")
    cleaned["delivery_due"] = due
    if due is not None and not isinstance(due, date):
        errors["delivery_due"] = REQUIRED
    elif due is not None and due < timezone.localdate():
        errors["delivery_due"] = DUE_IN_PAST
    budget = values.get("budget")
    if budget in ("", None):
        cleaned["budget"] = None
    else:
        try:
            budget = Decimal(str(budget))
        except InvalidOperation:
            budget = None
            errors["budget"] = BUDGET_INVALID
        if budget is not None and (not budget.is_finite() or budget < 0):
            errors["budget"] = BUDGET_INVALID
        cleaned["budget"] = budget
    for name in REQUIRED_FIELDS:
        if not cleaned.get(name) and name not in errors:
            errors[name] = REQUIRED
    chosen = list(departments or [])
    if not chosen:
        errors["departments"] = DEPARTMENTS_REQUIRED
    elif any(not isinstance(d, Department) or not d.is_active for d in chosen):
        errors["departments"] = DEPARTMENT_INACTIVE
    if errors:
        raise DomainError(INVALID, fields=errors)
    unique = list({d.pk: d for d in chosen}.values())
    return cleaned, unique


def _plain(work_order: WorkOrder) -> dict:
    data = audit.snapshot(work_order, FIELDS)
    data["departments"] = sorted(str(d) for d in work_order.departments.all())
    return data


def _move_stage(*, actor: User, job: Job, to: str, allowed_from: set) -> None:
    if job.stage in allowed_from:
        old = job.stage
        Job.objects.filter(pk=job.pk).update(stage=to)
        job.stage = to
        audit.record_transition(actor=actor, obj=job, old=old, new=to)


@transaction.atomic
def work_order_create(*, actor: User, job: Job, departments, **values) -> WorkOrder:
    """Writes the next work order of the job (WO-1, WO-2, …) as a draft. The job row is
    locked while the number is taken, so two at once never get one number."""
    require(actor, "jobs.work_order.edit", job)
    job = Job.objects.select_for_update(of=("self",)).get(pk=job.pk)
    if job.stage in CLOSED_STAGES:
        raise DomainError(JOB_CLOSED)
    cleaned, chosen = _clean(values, departments)
    last = WorkOrder.objects.filter(job=job).aggregate(last=Max("number"))["last"] or 0
    work_order = WorkOrder.objects.create(job=job, number=last + 1, created_by=actor, **cleaned)
    credit.require_credit_clear(actor=actor, company=job.company, purpose=work_order)
    work_order.departments.set(chosen)
    audit.record_create(actor=actor, obj=work_order)
    return work_order


@transaction.atomic
def work_order_update(
    *, actor: User, work_order: WorkOrder, expected_version: int, departments, **values
) -> WorkOrder:
    """Edits a draft or returned work order; a returned one becomes the next revision."""
    require(actor, "jobs.work_order.edit", work_order.job)
    work_order = (
        WorkOrder.objects.select_for_update(of=("self",))
        .select_related("job")
        .get(pk=work_order.pk)
    )
    if work_order.version != expected_version:
        raise Conflict()
    if not work_order.is_editable:
        raise DomainError(NOT_EDITABLE)
    cleaned, chosen = _clean(values, departments)
    before = _plain(work_order)
    for name, value in cleaned.items():
        setattr(work_order, name, value)
    fields = list(FIELDS)
    if work_order.signoff_status == SignoffStatus.RETURNED:
        work_order.revision += 1
        work_order.signoff_status = SignoffStatus.DRAFT
        fields += ["revision", "signoff_status"]
    save_versioned(work_order, expected_version=expected_version, fields=fields)
    work_order.departments.set(chosen)
    changes = audit.diff(before, _plain(work_order))
    if changes:
        audit.record(actor=actor, obj=work_order, action="change", changes=changes)
    return work_order


@transaction.atomic
def work_order_submit(*, actor: User, work_order: WorkOrder) -> Approval:
    """Sends the work order for signature: the client's AD, then the head of Account."""
    require(actor, "jobs.work_order.edit", work_order.job)
    if work_order.job.stage in CLOSED_STAGES:
        raise DomainError(JOB_CLOSED)
    if work_order.is_editable and work_order.delivery_due < timezone.localdate():
        raise DomainError(INVALID, fields={"delivery_due": DUE_IN_PAST})
    return approval_submit(actor=actor, document=work_order)


@transaction.atomic
def work_order_revise(*, actor: User, work_order: WorkOrder) -> WorkOrder:
    """Starts the next revision of a signed (or rejected) work order not yet dispatched:
    back to draft, to be edited and signed again."""
    require(actor, "jobs.work_order.edit", work_order.job)
    work_order = WorkOrder.objects.select_for_update(of=("self",)).get(pk=work_order.pk)
    if work_order.dispatched_at is not None:
        raise DomainError(DISPATCHED_USE_CHANGE, code="dispatched")
    if work_order.signoff_status not in {SignoffStatus.APPROVED, SignoffStatus.REJECTED}:
        raise DomainError(NOT_REVISABLE)
    old = work_order.signoff_status
    work_order.revision += 1
    work_order.signoff_status = SignoffStatus.DRAFT
    save_versioned(
        work_order, expected_version=work_order.version, fields=["revision", "signoff_status"]
    )
    audit.record_transition(
        actor=actor,
        obj=work_order,
        old=old,
        new=SignoffStatus.DRAFT,
        note=str(_("Revision %(revision)s started") % {"revision": work_order.revision}),
    )
    return work_order


@transaction.atomic
def work_order_dispatch(*, actor: User, work_order: WorkOrder) -> list[Acknowledgement]:
    """Sends a signed-off work order to its departments, once, when the job's work may
    start; each department is asked to acknowledge it and its people are told (in the app
    and by e-mail). The job moves to production."""
    require(actor, "jobs.work_order.edit", work_order.job)
    work_order = WorkOrder.objects.select_for_update(of=("self",)).get(pk=work_order.pk)
    job = Job.objects.select_for_update(of=("self",)).get(pk=work_order.job_id)
    if work_order.dispatched_at is not None:
        raise Conflict(ALREADY_DISPATCHED)
    if work_order.signoff_status != SignoffStatus.APPROVED:
        raise DomainError(NOT_SIGNED, code="not_signed")
    require_work_may_start(job)
    now = timezone.now()
    work_order.dispatched_at = now
    work_order.dispatched_by = actor
    save_versioned(
        work_order,
        expected_version=work_order.version,
        fields=["dispatched_at", "dispatched_by"],
    )
    departments = list(work_order.departments.order_by("code"))
    rows = acknowledgements_send(
        job=job, departments=departments, work_order=work_order, sent_at=now
    )
    audit.record(
        actor=actor,
        obj=work_order,
        action="transition",
        changes={"dispatched": [None, [str(d) for d in departments]]},
    )
    _move_stage(actor=actor, job=job, to=Stage.PRODUCTION, allowed_from=BEFORE_PRODUCTION)
    owner_message = _("%(document)s was dispatched to %(departments)s.")
    names = ", ".join(str(d) for d in departments)
    if job.owner_id != actor.pk:
        notify(
            recipients=[job.owner],
            message=lambda: owner_message % {"document": work_order, "departments": names},
            link=reverse("jobs:detail", args=[job.pk]),
        )
    return rows
