"""Read queries of work orders and acknowledgements that pages, API and sweeps share."""

from django.db.models import Prefetch, QuerySet
from django.utils import timezone

from jobbag.accounts.models import Department, User
from jobbag.approvals.models import Approval
from jobbag.approvals.selectors import evidence
from jobbag.jobs.models import Acknowledgement, Job, WorkOrder
from jobbag.jobs.services.acknowledgements import is_late


def _acknowledgements() -> QuerySet[Acknowledgement]:
    return Acknowledgement.objects.select_related("department", "acknowledged_by").order_by(
        "department__code"
    )


def work_orders_in(job_ids) -> QuerySet[WorkOrder]:
    """Work orders of the jobs in `job_ids` with their departments and receipts."""
    departments = Department.objects.order_by("code")
    return (
        WorkOrder.objects.filter(job__in=job_ids)
        .select_related("job", "job__company", "created_by", "dispatched_by")
        .prefetch_related(
            Prefetch("departments", queryset=departments),
            Prefetch("acknowledgements", queryset=_acknowledgements()),
        )
    )


def work_orders_of(job: Job) -> QuerySet[WorkOrder]:
    return work_orders_in([job.pk]).order_by("number")


def acknowledging_departments(user: User) -> list[int]:
    """The departments `user` acknowledges for: their own and those it is a team of,
    and the departments they head."""
    ids = set(Department.objects.filter(head=user).values_list("pk", flat=True))
    department = user.department
    seen = set()
    while department is not None and department.pk not in seen:
        seen.add(department.pk)
        ids.add(department.pk)
        department = department.parent
    return sorted(ids)


def acknowledgements_for(user: User, *, pending: bool = True) -> QuerySet[Acknowledgement]:
    """What the user's departments have to acknowledge (or, with pending=False, what they
    acknowledged), oldest due first, with the document and job read in the same query."""
    rows = Acknowledgement.objects.filter(department__in=acknowledging_departments(user))
    rows = rows.filter(acknowledged_at__isnull=pending)
    return rows.select_related(
        "department",
        "job",
        "job__company",
        "work_order",
        "work_order__job",
        "change_notice",
        "change_notice__job",
        "acknowledged_by",
    ).order_by(*(["due_on", "pk"] if pending else ["-acknowledged_at", "-pk"]))


def late_unreminded(today) -> QuerySet[Acknowledgement]:
    """Acknowledgements past their day, still not given, whose lateness nobody was told."""
    return Acknowledgement.objects.filter(
        acknowledged_at__isnull=True, due_on__lt=today, reminded_on__isnull=True
    ).select_related(
        "department",
        "department__head",
        "job",
        "job__owner",
        "work_order",
        "work_order__job",
        "change_notice",
        "change_notice__job",
    )


def receipts(work_order: WorkOrder, today=None) -> list[dict]:
    """Each department's receipt of a dispatched work order, with its late flag."""
    today = today or timezone.localdate()
    return [{"row": row, "late": is_late(row, today)} for row in work_order.acknowledgements.all()]


def signatures(approval: Approval | None) -> list:
    """The decisions of a sign-off (who, when, as whom), for the page and the PDF."""
    if approval is None:
        return []
    return evidence(approval)["decisions"]
