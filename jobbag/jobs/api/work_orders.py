"""API of the job chain: work orders (工作单) and acknowledgements (签收) under
/api/v1/jobs/.

- GET/POST `/{job_id}/work-orders`: the job's work orders; write a new one (WO-n).
- GET/PATCH `/work-orders/{id}`: one work order with its receipts; edit a draft or
  returned one (with `version`).
- POST `/work-orders/{id}/submit`, `/dispatch`, `/revise`; GET `/work-orders/{id}/pdf`.
- GET `/acknowledgements`: what my department(s) have to acknowledge;
  POST `/acknowledgements/{id}/confirm`.
"""

from datetime import date, datetime
from decimal import Decimal

from django.http import Http404, HttpRequest
from django.utils import timezone
from ninja import Field, Router, Schema, Status
from ninja.pagination import paginate

from jobbag.accounts.models import Department
from jobbag.core.api_support import PagePagination, caller, errors, get_or_404
from jobbag.core.errors import DomainError
from jobbag.core.pdf import pdf_response, render_pdf
from jobbag.core.permissions import require, visible
from jobbag.jobs.api.reviews import SubmittedOut
from jobbag.jobs.models import Acknowledgement, Job, WorkOrder
from jobbag.jobs.selectors.reviews import latest_approvals
from jobbag.jobs.selectors.work_orders import (
    acknowledgements_for,
    receipts,
    signatures,
    work_orders_in,
    work_orders_of,
)
from jobbag.jobs.services import work_orders as services
from jobbag.jobs.services.acknowledgements import acknowledgement_confirm, is_late, may_acknowledge

router = Router(tags=["jobs"])


class DepartmentRef(Schema):
    id: int
    code: str
    name: str


class AcknowledgementOut(Schema):
    id: int
    job: int = Field(..., alias="job_id")
    work_order: int | None = Field(None, alias="work_order_id")
    change_notice: int | None = Field(None, alias="change_notice_id")
    document: str
    department: DepartmentRef
    sent_at: datetime
    due_on: date
    acknowledged_at: datetime | None
    acknowledged_by: str | None
    note: str
    is_late: bool

    @staticmethod
    def resolve_document(obj) -> str:
        return str(obj.work_order or obj.change_notice)

    @staticmethod
    def resolve_acknowledged_by(obj) -> str | None:
        return str(obj.acknowledged_by) if obj.acknowledged_by_id else None

    @staticmethod
    def resolve_is_late(obj) -> bool:
        return is_late(obj)


class WorkOrderOut(Schema):
    id: int
    job: int = Field(..., alias="job_id")
    number: int
    client_request: str
    specification: str
    quantity: str
    quality_standard: str
    packaging: str
    logistics: str
    delivery_place: str
    delivery_due: date
    budget: Decimal | None
    notes: str
    departments: list[DepartmentRef]
    signoff_status: str
    revision: int
    version: int
    dispatched_at: datetime | None
    acknowledgements: list[AcknowledgementOut]
    created_at: datetime

    @staticmethod
    def resolve_departments(obj) -> list:
        return list(obj.departments.all())

    @staticmethod
    def resolve_acknowledgements(obj) -> list:
        return list(obj.acknowledgements.all())


class WorkOrderIn(Schema):
    client_request: str
    specification: str
    quantity: str = Field(..., max_length=100)
    quality_standard: str
    packaging: str = ""
    logistics: str = ""
    delivery_place: str = Field(..., max_length=200)
    delivery_due: date
    budget: Decimal | None = Field(None, max_digits=14, decimal_places=2)
    notes: str = ""
    departments: list[int] = Field(..., description="The receiving departments' ids.")


class WorkOrderPatch(Schema):
    """Only the fields sent change; `version` is the one the edit was made against."""

    version: int
    client_request: str | None = None
    specification: str | None = None
    quantity: str | None = Field(None, max_length=100)
    quality_standard: str | None = None
    packaging: str | None = None
    logistics: str | None = None
    delivery_place: str | None = Field(None, max_length=200)
    delivery_due: date | None = None
    budget: Decimal | None = Field(None, max_digits=14, decimal_places=2)
    notes: str | None = None
    departments: list[int] | None = None


class ConfirmIn(Schema):
    note: str = Field("", max_length=300)


def _job(request: HttpRequest, job_id: int) -> Job:
    return get_or_404(visible(caller(request), Job.objects.all()), pk=job_id)


def _work_order(request: HttpRequest, work_order_id: int) -> WorkOrder:
    jobs = visible(caller(request), Job.objects.all()).values("pk")
    return get_or_404(work_orders_in(jobs), pk=work_order_id)


def _departments(ids: list[int]) -> list[Department]:
    found = Department.objects.in_bulk(set(ids))
    if len(found) != len(set(ids)):
        raise DomainError(services.INVALID, fields={"departments": services.DEPARTMENT_INACTIVE})
    return list(found.values())


@router.get("/{int:job_id}/work-orders", response={200: list[WorkOrderOut], **errors(403, 404)})
def list_work_orders(request: HttpRequest, job_id: int):
    """The job's work orders with their departments and receipts."""
    job = _job(request, job_id)
    require(caller(request), "jobs.work_order.view", job)
    return list(work_orders_of(job))


@router.post("/{int:job_id}/work-orders", response={201: WorkOrderOut, **errors(400, 403, 404)})
def create_work_order(request: HttpRequest, job_id: int, payload: WorkOrderIn):
    """Writes the job's next work order (WO-n) as a draft."""
    job = _job(request, job_id)
    values = payload.dict(exclude={"departments"})
    work_order = services.work_order_create(
        actor=caller(request), job=job, departments=_departments(payload.departments), **values
    )
    return Status(201, _work_order(request, work_order.pk))


@router.get("/work-orders/{int:work_order_id}", response={200: WorkOrderOut, **errors(403, 404)})
def get_work_order(request: HttpRequest, work_order_id: int):
    return _work_order(request, work_order_id)


@router.patch(
    "/work-orders/{int:work_order_id}",
    response={200: WorkOrderOut, **errors(400, 403, 404, 409)},
)
def update_work_order(request: HttpRequest, work_order_id: int, payload: WorkOrderPatch):
    """Edits a draft or returned work order; 409 when the version is stale."""
    work_order = _work_order(request, work_order_id)
    values = {name: getattr(work_order, name) for name in services.FIELDS}
    values.update(payload.dict(exclude_unset=True, exclude={"version", "departments"}))
    if payload.departments is not None:
        departments = _departments(payload.departments)
    else:
        departments = list(work_order.departments.all())
    services.work_order_update(
        actor=caller(request),
        work_order=work_order,
        expected_version=payload.version,
        departments=departments,
        **values,
    )
    return _work_order(request, work_order_id)


@router.post(
    "/work-orders/{int:work_order_id}/submit",
    response={200: SubmittedOut, **errors(400, 403, 404, 409)},
)
def submit_work_order(request: HttpRequest, work_order_id: int):
    """Sends the work order for signature: the client's AD, then the head of Account."""
    work_order = _work_order(request, work_order_id)
    approval = services.work_order_submit(actor=caller(request), work_order=work_order)
    return {"approval": approval.pk, "status": approval.status}


@router.post(
    "/work-orders/{int:work_order_id}/dispatch",
    response={200: WorkOrderOut, **errors(400, 403, 404, 409)},
)
def dispatch_work_order(request: HttpRequest, work_order_id: int):
    """Sends a signed-off work order to its departments, once; refused (400, with the
    reason) before the client signed the quote back; 409 when already dispatched."""
    work_order = _work_order(request, work_order_id)
    services.work_order_dispatch(actor=caller(request), work_order=work_order)
    return _work_order(request, work_order_id)


@router.post(
    "/work-orders/{int:work_order_id}/revise",
    response={200: WorkOrderOut, **errors(400, 403, 404, 409)},
)
def revise_work_order(request: HttpRequest, work_order_id: int):
    """Starts the next revision of a signed work order not yet dispatched."""
    work_order = _work_order(request, work_order_id)
    services.work_order_revise(actor=caller(request), work_order=work_order)
    return _work_order(request, work_order_id)


@router.get(
    "/work-orders/{int:work_order_id}/pdf",
    response={200: None, **errors(403, 404)},
    openapi_extra={"responses": {200: {"content": {"application/pdf": {}}}}},
)
def work_order_pdf(request: HttpRequest, work_order_id: int):
    """The printable work order (PDF)."""
    work_order = _work_order(request, work_order_id)
    approval = latest_approvals([work_order]).get(work_order.pk)
    context = {
        "work_order": work_order,
        "job": work_order.job,
        "approval": approval,
        "signatures": signatures(approval),
        "receipts": receipts(work_order),
        "printed_at": timezone.localtime(),
    }
    content = render_pdf("jobs/pdf/work_order.html", context)
    number = work_order.job.number or work_order.job_id
    return pdf_response(content, f"{number}-WO-{work_order.number}.pdf")


@router.get("/acknowledgements", response={200: list[AcknowledgementOut], **errors(403)})
@paginate(PagePagination)
def my_acknowledgements(request: HttpRequest):
    """What my department(s) still have to acknowledge, oldest due first."""
    require(caller(request), "jobs.acknowledgements.view")
    return acknowledgements_for(caller(request))


@router.post(
    "/acknowledgements/{int:acknowledgement_id}/confirm",
    response={200: AcknowledgementOut, **errors(400, 403, 404, 409)},
)
def confirm_acknowledgement(request: HttpRequest, acknowledgement_id: int, payload: ConfirmIn):
    """My department acknowledges the document; 409 when it already has."""
    user = caller(request)
    require(user, "jobs.acknowledgements.view")
    row = get_or_404(Acknowledgement.objects.select_related("department"), pk=acknowledgement_id)
    if (
        not may_acknowledge(user, row)
        and not visible(user, Job.objects.filter(pk=row.job_id)).exists()
    ):
        raise Http404
    acknowledgement_confirm(actor=user, acknowledgement=row, note=payload.note)
    return get_or_404(acknowledgements_for(user, pending=False), pk=acknowledgement_id)
