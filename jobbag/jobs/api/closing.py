"""The closing steps over the API, under /api/v1/jobs/: a job's acceptances, checking
their items, sending them for sign-off and printing them; the job's summary, edited
against its version and sent for sign-off."""

from datetime import date, datetime
from typing import Literal

from django.http import Http404, HttpRequest
from ninja import Field, Router, Schema, Status

from jobbag.core.api_support import caller, errors, get_or_404
from jobbag.core.errors import NotAllowed
from jobbag.core.pdf import pdf_response, render_pdf
from jobbag.core.permissions import can, require, visible
from jobbag.jobs.models import Acceptance, Job
from jobbag.jobs.selectors import closing as selectors
from jobbag.jobs.services import closing as services

router = Router(tags=["jobs"])


class PersonRef(Schema):
    id: int
    username: str
    full_name: str


class AcceptanceItemOut(Schema):
    id: int
    description: str
    quantity: str
    result: str
    remark: str
    checked_by: PersonRef | None
    checked_at: datetime | None


class AcceptanceOut(Schema):
    id: int
    job_id: int
    number: int
    place: str
    planned_on: date
    notes: str
    signoff_status: str
    revision: int
    version: int
    items: list[AcceptanceItemOut] = Field(..., alias="item_list")
    approval_id: int | None = None
    created_at: datetime


class ItemIn(Schema):
    description: str = Field(..., max_length=200)
    quantity: str = Field("", max_length=50)


class AcceptanceIn(Schema):
    place: str = Field(..., max_length=200)
    planned_on: date
    notes: str = ""
    items: list[ItemIn]


class CheckIn(Schema):
    result: Literal["passed", "failed"]
    remark: str = Field("", max_length=300)


class ApprovalRef(Schema):
    id: int
    document_type: str
    status: str
    revision: int


class SummaryOut(Schema):
    id: int
    job_id: int
    due_on: date
    late: bool
    introduction: str
    schedule: str
    execution: str
    problems: str
    improvements: str
    client_satisfaction: str
    satisfaction_score: int | None
    signoff_status: str
    revision: int
    version: int
    approval_id: int | None = None


class SummaryPatch(Schema):
    """Only the sections sent change; `version` is the one the edit was made against."""

    version: int
    introduction: str | None = None
    schedule: str | None = None
    execution: str | None = None
    problems: str | None = None
    improvements: str | None = None
    client_satisfaction: str | None = None
    satisfaction_score: int | None = Field(None, ge=1, le=5)


def _job(request: HttpRequest, job_id: int) -> Job:
    require(caller(request), "jobs.view")
    return get_or_404(visible(caller(request), Job.objects.all()), pk=job_id)


def _acceptances_out(acceptances: list[Acceptance]) -> list[Acceptance]:
    approvals = selectors.latest_approvals(acceptances)
    for acceptance in acceptances:
        acceptance.item_list = list(acceptance.items.all())
        approval = approvals.get(acceptance.pk)
        acceptance.approval_id = approval.pk if approval else None
    return acceptances


def _acceptance(request: HttpRequest, acceptance_id: int) -> Acceptance:
    acceptance = selectors.acceptance_for(caller(request), acceptance_id)
    if acceptance is None:
        raise Http404
    return acceptance


def _summary_out(job: Job):
    summary = selectors.summary_of(job)
    if summary is None:
        raise Http404
    summary.late = selectors.is_late(summary)
    approval = selectors.latest_approvals([summary]).get(summary.pk)
    summary.approval_id = approval.pk if approval else None
    return summary


@router.get("/{job_id}/acceptances", response={200: list[AcceptanceOut], **errors(403, 404)})
def list_acceptances(request: HttpRequest, job_id: int):
    """The job's acceptances with their items."""
    job = _job(request, job_id)
    return _acceptances_out(list(selectors.acceptances_of(job)))


@router.post("/{job_id}/acceptances", response={201: AcceptanceOut, **errors(400, 403, 404)})
def create_acceptance(request: HttpRequest, job_id: int, payload: AcceptanceIn):
    """Writes an acceptance; refused (400, code work_not_started) before a work order of
    the job has been dispatched."""
    job = _job(request, job_id)
    acceptance = services.acceptance_create(
        actor=caller(request),
        job=job,
        place=payload.place,
        planned_on=payload.planned_on,
        notes=payload.notes,
        items=[(item.description, item.quantity) for item in payload.items],
    )
    return Status(201, _acceptances_out([_acceptance(request, acceptance.pk)])[0])


@router.get("/acceptances/{acceptance_id}", response={200: AcceptanceOut, **errors(403, 404)})
def get_acceptance(request: HttpRequest, acceptance_id: int):
    return _acceptances_out([_acceptance(request, acceptance_id)])[0]


@router.post(
    "/acceptance-items/{item_id}/check",
    response={200: AcceptanceOut, **errors(400, 403, 404, 409)},
)
def check_item(request: HttpRequest, item_id: int, payload: CheckIn):
    """Passes or fails an item (QC staff or the job's editors); 409 once the acceptance
    is in sign-off or signed."""
    item = selectors.item_for(caller(request), item_id)
    if item is None:
        raise Http404
    services.acceptance_item_check(
        actor=caller(request), item=item, result=payload.result, remark=payload.remark
    )
    return _acceptances_out([_acceptance(request, item.acceptance_id)])[0]


@router.post(
    "/acceptances/{acceptance_id}/submit",
    response={200: ApprovalRef, **errors(400, 403, 404, 409)},
)
def submit_acceptance(request: HttpRequest, acceptance_id: int):
    """Sends the acceptance for sign-off; refused unless every item is checked and
    passed (the unchecked and failed ones are named under `fields.items`)."""
    acceptance = _acceptance(request, acceptance_id)
    return services.acceptance_submit(actor=caller(request), acceptance=acceptance)


@router.get("/acceptances/{acceptance_id}/pdf", response={200: None, **errors(403, 404)})
def acceptance_pdf(request: HttpRequest, acceptance_id: int):
    """The printable acceptance record (application/pdf)."""
    context = selectors.acceptance_print(_acceptance(request, acceptance_id))
    return pdf_response(render_pdf("jobs/pdf/acceptance.html", context), context["filename"])


@router.get("/{job_id}/summary", response={200: SummaryOut, **errors(403, 404)})
def get_summary(request: HttpRequest, job_id: int):
    """The job's summary; 404 while the job has none."""
    return _summary_out(_job(request, job_id))


@router.patch("/{job_id}/summary", response={200: SummaryOut, **errors(400, 403, 404, 409)})
def update_summary(request: HttpRequest, job_id: int, payload: SummaryPatch):
    """Changes the sections sent; 409 when the version is stale."""
    job = _job(request, job_id)
    summary = _summary_out(job)
    if not can(caller(request), "jobs.summary.edit", summary):
        raise NotAllowed()
    values = {name: getattr(summary, name) for name in services.SUMMARY_SECTIONS}
    values["satisfaction_score"] = summary.satisfaction_score
    values.update(payload.dict(exclude_unset=True, exclude={"version"}))
    for name in services.SUMMARY_SECTIONS:
        values[name] = values[name] or ""
    services.summary_update(
        actor=caller(request), summary=summary, expected_version=payload.version, **values
    )
    return _summary_out(job)


@router.post("/{job_id}/summary/submit", response={200: ApprovalRef, **errors(400, 403, 404, 409)})
def submit_summary(request: HttpRequest, job_id: int):
    """Sends the summary to the Marketing Manager; refused with a field error for each
    empty section."""
    summary = _summary_out(_job(request, job_id))
    return services.summary_submit(actor=caller(request), summary=summary)


class RequireOut(Schema):
    is_important: bool
    summary: SummaryOut | None = None


@router.post("/{job_id}/summary/require", response={200: RequireOut, **errors(400, 403, 404)})
def require_summary(request: HttpRequest, job_id: int):
    """Marks the job important so that it needs a summary (created now when the job is
    already completed)."""
    job = _job(request, job_id)
    job = services.job_summary_require(actor=caller(request), job=job)
    has_summary = selectors.summary_of(job) is not None
    return {"is_important": job.is_important, "summary": _summary_out(job) if has_summary else None}
