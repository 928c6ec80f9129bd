"""Change notices over the API, under /api/v1/jobs/: a job's notices, writing and editing
one, sending it for sign-off, its PDF.

Edits name the version they were made against: a stale one answers 409 and changes
nothing. A notice is refused (400) before any work order of the job is dispatched.
"""

from datetime import date, datetime

from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from ninja import Field, Router, Schema, Status

from jobbag.accounts.models import Department
from jobbag.core.api_support import caller, errors, get_or_404
from jobbag.core.errors import DomainError
from jobbag.core.pdf import pdf_response, render_pdf
from jobbag.core.permissions import require, visible
from jobbag.jobs.models import Job
from jobbag.jobs.selectors import changes as selectors
from jobbag.jobs.services import changes as services
from jobbag.jobs.services.acknowledgements import is_late
from jobbag.jobs.views.changes import pdf_context

router = Router(tags=["jobs"])

DEPARTMENT_UNKNOWN = _("Choose departments from the list.")


class PersonRef(Schema):
    id: int
    username: str
    full_name: str


class DepartmentRef(Schema):
    id: int
    code: str
    name: str


class AcknowledgementOut(Schema):
    id: int
    department: DepartmentRef
    sent_at: datetime
    due_on: date
    acknowledged_at: datetime | None
    acknowledged_by: PersonRef | None
    note: str
    late: bool

    @staticmethod
    def resolve_late(obj) -> bool:
        return is_late(obj, timezone.localdate())


class ChangeNoticeOut(Schema):
    id: int
    job_id: int
    number: int
    what: str
    why: str
    requested_by: str
    requested_on: date
    changes: dict[str, list[str | None]] = Field(
        ..., description="{requirement: [before, after]}; the launch date as YYYY-MM-DD."
    )
    departments: list[DepartmentRef]
    signoff_status: str
    revision: int
    version: int
    sent_at: datetime | None
    created_by: PersonRef
    created_at: datetime
    acknowledgements: list[AcknowledgementOut]

    @staticmethod
    def resolve_departments(obj) -> list:
        return list(obj.departments.all())

    @staticmethod
    def resolve_acknowledgements(obj) -> list:
        return list(obj.acknowledgements.all())


class SubmittedOut(Schema):
    approval_id: int
    notice: ChangeNoticeOut


class ChangeNoticeIn(Schema):
    what: str
    why: str
    requested_by: str = Field(..., max_length=100)
    requested_on: date
    changes: dict[str, str | None] = Field(
        {}, description="New values by requirement (theme, launch_date, timing, …)."
    )
    departments: list[int] = Field(..., description="Ids of the departments it goes to.")


class ChangeNoticePatch(Schema):
    """Fields not sent keep their value; `changes` replaces the notice's new values."""

    version: int
    what: str | None = None
    why: str | None = None
    requested_by: str | None = Field(None, max_length=100)
    requested_on: date | None = None
    changes: dict[str, str | None] | None = None
    departments: list[int] | None = None


def _job(request: HttpRequest, job_id: int) -> Job:
    require(caller(request), "jobs.view")
    return get_or_404(visible(caller(request), Job.objects.all()), pk=job_id)


def _notice(request: HttpRequest, notice_id: int):
    require(caller(request), "jobs.view")
    return get_or_404(selectors.notices_for(caller(request)), pk=notice_id)


def _fresh(notice_id: int):
    return selectors.change_notice_detail(notice_id)


def _departments(ids: list[int]) -> list[Department]:
    found = list(Department.objects.filter(pk__in=set(ids)))
    if len(found) != len(set(ids)):
        raise DomainError(services.INVALID, fields={"departments": DEPARTMENT_UNKNOWN})
    return found


@router.get(
    "/{int:job_id}/change-notices", response={200: list[ChangeNoticeOut], **errors(403, 404)}
)
def list_change_notices(request: HttpRequest, job_id: int):
    """The job's change notices, newest first, with their acknowledgements."""
    return selectors.change_notices_of(_job(request, job_id))


@router.post(
    "/{int:job_id}/change-notices", response={201: ChangeNoticeOut, **errors(400, 403, 404)}
)
def create_change_notice(request: HttpRequest, job_id: int, payload: ChangeNoticeIn):
    """Writes the job's next notice as a draft; only after a work order was dispatched."""
    job = _job(request, job_id)
    values = payload.dict()
    values["departments"] = _departments(values["departments"])
    notice = services.change_notice_create(actor=caller(request), job=job, **values)
    return Status(201, _fresh(notice.pk))


@router.get("/change-notices/{notice_id}", response={200: ChangeNoticeOut, **errors(403, 404)})
def get_change_notice(request: HttpRequest, notice_id: int):
    return _fresh(_notice(request, notice_id).pk)


@router.patch(
    "/change-notices/{notice_id}", response={200: ChangeNoticeOut, **errors(400, 403, 404, 409)}
)
def update_change_notice(request: HttpRequest, notice_id: int, payload: ChangeNoticePatch):
    """Edits a draft or returned notice; 409 when the version is stale."""
    notice = _notice(request, notice_id)
    sent = payload.dict(exclude_unset=True, exclude={"version"})
    values = {
        "what": notice.what,
        "why": notice.why,
        "requested_by": notice.requested_by,
        "requested_on": notice.requested_on,
        "changes": {name: pair[1] for name, pair in notice.changes.items()},
        "departments": list(notice.departments.all()),
    }
    if "departments" in sent:
        sent["departments"] = _departments(sent["departments"] or [])
    values.update({name: value for name, value in sent.items() if value is not None})
    services.change_notice_update(
        actor=caller(request), notice=notice, expected_version=payload.version, **values
    )
    return _fresh(notice.pk)


@router.post(
    "/change-notices/{notice_id}/submit",
    response={200: SubmittedOut, **errors(400, 403, 404, 409)},
)
def submit_change_notice(request: HttpRequest, notice_id: int):
    """Sends the notice for sign-off; 409 when it already is in sign-off."""
    notice = _notice(request, notice_id)
    approval = services.change_notice_submit(actor=caller(request), notice=notice)
    return {"approval_id": approval.pk, "notice": _fresh(notice.pk)}


@router.get("/change-notices/{notice_id}/pdf", response={200: None, **errors(403, 404)})
def change_notice_pdf(request: HttpRequest, notice_id: int):
    """The printable notice (application/pdf)."""
    notice = _notice(request, notice_id)
    content = render_pdf("jobs/pdf/change_notice.html", pdf_context(notice))
    return pdf_response(content, f"{notice.job.number or notice.job_id}-CN-{notice.number}.pdf")
