"""Jobs over the API, under /api/v1/jobs/: the list, taking a job, one job, editing it
(with the version it was made against: a stale one answers 409), the brief reviewed
(the job number), cancelling, and the kinds of order."""

from datetime import date, datetime
from decimal import Decimal

from django.http import Http404, HttpRequest
from django.utils.translation import gettext_lazy as _
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from jobbag.accounts.models import User
from jobbag.clients.models import Brand, Company, Contact
from jobbag.core.api_support import PagePagination, caller, errors
from jobbag.core.errors import DomainError
from jobbag.core.permissions import require
from jobbag.jobs.models import OrderKind, Stage
from jobbag.jobs.selectors import jobs as selectors
from jobbag.jobs.services import jobs as services
from jobbag.jobs.services.gates import work_blockers

router = Router(tags=["jobs"])

VIEW = "jobs.view"
UNKNOWN = _("Choose one of the offered values.")


class PersonRef(Schema):
    id: int
    username: str
    full_name: str


class CompanyRef(Schema):
    id: int
    code: str
    name: str


class NamedRef(Schema):
    id: int
    name: str


class OrderKindOut(Schema):
    id: int
    code: str
    name: str
    name_zh: str
    name_en: str
    is_formal: bool
    is_active: bool


class JobOut(Schema):
    id: int
    number: str | None
    title: str
    company: CompanyRef
    brand: NamedRef | None
    client_contact: NamedRef | None
    order_kind: OrderKindOut
    owner: PersonRef
    department_id: int | None
    stage: Stage
    is_important: bool
    received_on: date
    estimated_amount: Decimal | None
    currency: str
    theme: str
    launch_date: date | None
    timing: str
    quality: str
    packaging: str
    logistics: str
    materials: str
    effect: str
    brief_reviewed_at: datetime | None
    prepayment_required: Decimal | None
    prepayment_received_on: date | None
    created_at: datetime
    version: int


class JobDetailOut(JobOut):
    work_blockers: list[str] = Field(..., alias="blockers")


class JobFilters(Schema):
    stage: str = Field("", description="A stage, or `open` for every open stage.")
    company: int | None = Field(None, description="The client's id.")
    owner: int | None = Field(None, description="The project owner's user id.")
    order_kind: int | None = None
    q: str = Field("", max_length=100, description="Part of the job number or title.")
    received_from: date | None = None
    received_to: date | None = None
    mine: bool = Field(False, description="Only the jobs you own.")


class JobFields(Schema):
    brand: int | None = None
    client_contact: int | None = None
    owner: int | None = Field(None, description="The project owner's user id; you by default.")
    received_on: date | None = None
    is_important: bool = False
    estimated_amount: Decimal | None = Field(None, max_digits=14, decimal_places=2)
    currency: str = Field("CNY", max_length=3)
    theme: str = Field("", max_length=200)
    launch_date: date | None = None
    timing: str = ""
    quality: str = ""
    packaging: str = ""
    logistics: str = ""
    materials: str = ""
    effect: str = ""


class JobIn(JobFields):
    company: int
    order_kind: int
    title: str = Field(..., max_length=200)


class JobPatch(JobFields):
    """Only the fields sent are changed; `version` is the one the edit was made against."""

    version: int
    company: int | None = None
    order_kind: int | None = None
    title: str | None = Field(None, max_length=200)
    is_important: bool | None = None
    currency: str | None = Field(None, max_length=3)


class VersionIn(Schema):
    version: int | None = None


class CancelIn(Schema):
    reason: str
    version: int | None = None


def _detail(request: HttpRequest, job_id: int):
    require(caller(request), VIEW)
    job = selectors.job_for(caller(request), job_id)
    if job is None:
        raise Http404
    job.blockers = work_blockers(job) if job.stage not in {Stage.CLOSED, Stage.CANCELLED} else []
    return job


# Reference ids sent by the client, as rows; an unknown id is a field error.
REFERENCES = {
    "company": Company,
    "brand": Brand,
    "client_contact": Contact,
    "order_kind": OrderKind,
    "owner": User,
}


def _rows(values: dict, *, nullable: set[str]) -> dict:
    problems = {}
    for name, model in REFERENCES.items():
        if name not in values:
            continue
        if values[name] is None:
            if name not in nullable:
                values.pop(name)
            continue
        row = model.objects.filter(pk=values[name]).first()
        if row is None:
            problems[name] = UNKNOWN
        values[name] = row
    if problems:
        raise DomainError(services.INVALID, fields=problems)
    return values


@router.get("/order-kinds", response={200: list[OrderKindOut], **errors(403)})
def list_order_kinds(request: HttpRequest):
    """The kinds of order a job may be taken as (retired ones included, marked)."""
    require(caller(request), VIEW)
    return list(OrderKind.objects.all())


@router.get("", response={200: list[JobOut], **errors(403)})
@paginate(PagePagination)
def list_jobs(request: HttpRequest, filters: Query[JobFilters]):
    """The jobs you may see, newest first."""
    require(caller(request), VIEW)
    return selectors.jobs_for(caller(request), **filters.dict())


@router.post("", response={201: JobDetailOut, **errors(400, 403)})
def create_job(request: HttpRequest, payload: JobIn):
    """Takes a job (接单) at intake; the number comes when the brief is reviewed."""
    values = _rows(payload.dict(), nullable={"brand", "client_contact", "owner"})
    job = services.job_create(actor=caller(request), **values)
    return Status(201, _detail(request, job.pk))


@router.get("/{int:job_id}", response={200: JobDetailOut, **errors(403, 404)})
def get_job(request: HttpRequest, job_id: int):
    """One job with what holds its work; 404 outside what you may see."""
    return _detail(request, job_id)


@router.patch("/{int:job_id}", response={200: JobDetailOut, **errors(400, 403, 404, 409)})
def update_job(request: HttpRequest, job_id: int, payload: JobPatch):
    """Changes the fields sent; 409 when the version is stale. After a work order is
    dispatched the requirements change only through change notices."""
    job = _detail(request, job_id)
    values = _rows(
        payload.dict(exclude_unset=True, exclude={"version"}),
        nullable={"brand", "client_contact", "estimated_amount", "launch_date"},
    )
    for name in ("title", "is_important", "currency", "received_on"):
        if name in values and values[name] is None:
            values.pop(name)
    services.job_update(actor=caller(request), job=job, expected_version=payload.version, **values)
    return _detail(request, job_id)


@router.post(
    "/{int:job_id}/brief-reviewed", response={200: JobDetailOut, **errors(400, 403, 404, 409)}
)
def brief_reviewed(request: HttpRequest, job_id: int, payload: VersionIn):
    """The project lead has reviewed the brief: issues the job number (409 if issued).
    The body is `{}`, or names the version the lead reviewed."""
    job = _detail(request, job_id)
    services.job_brief_review(actor=caller(request), job=job, expected_version=payload.version)
    return _detail(request, job_id)


@router.post("/{int:job_id}/cancel", response={200: JobDetailOut, **errors(400, 403, 404, 409)})
def cancel_job(request: HttpRequest, job_id: int, payload: CancelIn):
    """Cancels the job with a reason; it keeps its number."""
    job = _detail(request, job_id)
    services.job_cancel(
        actor=caller(request), job=job, reason=payload.reason, expected_version=payload.version
    )
    return _detail(request, job_id)
