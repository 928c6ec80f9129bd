"""API of the job chain: reviews (评审) under /api/v1/jobs/.

- GET/POST `/{job_id}/reviews`: the job's review minutes; write new ones.
- GET/PATCH `/reviews/{id}`: one review; edit a draft or returned one (with `version`).
- POST `/reviews/{id}/submit`: send for sign-off; POST `/reviews/{id}/revise`: start the
  next revision of a signed one.
"""

from datetime import date, datetime

from django.http import HttpRequest
from ninja import Field, Router, Schema, Status

from jobbag.accounts.models import Department
from jobbag.core.api_support import caller, errors, get_or_404
from jobbag.core.errors import DomainError
from jobbag.core.permissions import require, visible
from jobbag.jobs.models import Job, Review
from jobbag.jobs.selectors.reviews import reviews_in, reviews_of
from jobbag.jobs.services import reviews as services

router = Router(tags=["jobs"])


class DutyOut(Schema):
    department: int = Field(..., alias="department_id")
    department_name: str
    duties: str

    @staticmethod
    def resolve_department_name(obj) -> str:
        return str(obj.department)


class ReviewOut(Schema):
    id: int
    job: int = Field(..., alias="job_id")
    kind: Review.Kind
    held_on: date
    place: str
    attendees: str
    minutes: str
    open_questions: str
    duties: list[DutyOut]
    signoff_status: str
    revision: int
    version: int
    created_at: datetime

    @staticmethod
    def resolve_duties(obj) -> list:
        return list(obj.duties.all())


class DutyIn(Schema):
    department: int = Field(..., description="The department's id.")
    duties: str


class ReviewIn(Schema):
    kind: Review.Kind
    held_on: date
    place: str = Field("", max_length=100)
    attendees: str
    minutes: str
    open_questions: str = ""
    duties: list[DutyIn] = []


class ReviewPatch(Schema):
    """Only the fields sent change; `version` is the one the edit was made against."""

    version: int
    kind: Review.Kind | None = None
    held_on: date | None = None
    place: str | None = Field(None, max_length=100)
    attendees: str | None = None
    minutes: str | None = None
    open_questions: str | None = None
    duties: list[DutyIn] | None = None


class SubmittedOut(Schema):
    approval: int
    status: str


def _job(request: HttpRequest, job_id: int) -> Job:
    return get_or_404(visible(caller(request), Job.objects.all()), pk=job_id)


def _review(request: HttpRequest, review_id: int) -> Review:
    jobs = visible(caller(request), Job.objects.all()).values("pk")
    return get_or_404(reviews_in(jobs), pk=review_id)


def duties_in(items) -> list[dict]:
    """The duties sent, with each department id as a department (a field error if unknown)."""
    ids = {item.department for item in items}
    departments = Department.objects.in_bulk(ids)
    if len(departments) != len(ids):
        raise DomainError(services.INVALID, fields={"duties": services.DUTY_DEPARTMENT_UNKNOWN})
    return [{"department": departments[item.department], "duties": item.duties} for item in items]


@router.get("/{int:job_id}/reviews", response={200: list[ReviewOut], **errors(403, 404)})
def list_reviews(request: HttpRequest, job_id: int):
    """The job's review minutes, oldest first."""
    job = _job(request, job_id)
    require(caller(request), "jobs.review.view", job)
    return list(reviews_of(job))


@router.post("/{int:job_id}/reviews", response={201: ReviewOut, **errors(400, 403, 404)})
def create_review(request: HttpRequest, job_id: int, payload: ReviewIn):
    job = _job(request, job_id)
    values = payload.dict(exclude={"duties"})
    review = services.review_create(
        actor=caller(request), job=job, duties=duties_in(payload.duties), **values
    )
    return Status(201, _review(request, review.pk))


@router.get("/reviews/{int:review_id}", response={200: ReviewOut, **errors(403, 404)})
def get_review(request: HttpRequest, review_id: int):
    return _review(request, review_id)


@router.patch("/reviews/{int:review_id}", response={200: ReviewOut, **errors(400, 403, 404, 409)})
def update_review(request: HttpRequest, review_id: int, payload: ReviewPatch):
    """Edits a draft or returned review; 409 when the version is stale."""
    review = _review(request, review_id)
    values = {name: getattr(review, name) for name in services.FIELDS}
    values.update(payload.dict(exclude_unset=True, exclude={"version", "duties"}))
    if payload.duties is not None:
        duties = duties_in(payload.duties)
    else:
        duties = [{"department": d.department, "duties": d.duties} for d in review.duties.all()]
    services.review_update(
        actor=caller(request),
        review=review,
        expected_version=payload.version,
        duties=duties,
        **values,
    )
    return _review(request, review_id)


@router.post(
    "/reviews/{int:review_id}/submit", response={200: SubmittedOut, **errors(400, 403, 404, 409)}
)
def submit_review(request: HttpRequest, review_id: int):
    """Sends the minutes for sign-off (the client's AD in the demo policy)."""
    approval = services.review_submit(actor=caller(request), review=_review(request, review_id))
    return {"approval": approval.pk, "status": approval.status}


@router.post(
    "/reviews/{int:review_id}/revise", response={200: ReviewOut, **errors(400, 403, 404, 409)}
)
def revise_review(request: HttpRequest, review_id: int):
    """Starts the next revision of a signed review, back to draft."""
    services.review_revise(actor=caller(request), review=_review(request, review_id))
    return _review(request, review_id)
