"""Field work over the API, mounted in jobbag/api.py at /fieldwork/: my outings, my
daily reports, handing one in, and a manager's review."""

from datetime import date, datetime

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from jobbag.core.api_support import PagePagination, caller, errors
from jobbag.core.permissions import require
from jobbag.fieldwork import selectors, services
from jobbag.fieldwork.models import DailyReport, Outing, ReportStatus

router = Router(tags=["field work"])


class OutingOut(Schema):
    id: int
    staff_id: int
    destination: str
    whom: str
    company_id: int | None
    contact_ids: list[int]
    purpose: str
    leaves_at: datetime
    back_by: datetime
    returned_at: datetime | None
    is_overdue: bool
    version: int

    @staticmethod
    def resolve_contact_ids(outing: Outing) -> list[int]:
        return [contact.pk for contact in outing.contacts.all()]


class OutingIn(Schema):
    destination: str = Field(..., max_length=200)
    whom: str = Field("", max_length=200)
    company: int | None = Field(None, description="Client company id.")
    contacts: list[int] = Field([], description="The client's people (contact ids).")
    purpose: str = Field(..., max_length=5000)
    leaves_at: datetime
    back_by: datetime


class OutingReturnIn(Schema):
    returned_at: datetime | None = Field(None, description="Now when left out.")


class OutingFilters(Schema):
    open: bool | None = Field(None, description="Only outings not yet returned (true).")


class ReportOut(Schema):
    id: int
    staff_id: int
    day: date
    status: str
    summary: str
    problems: str
    plan: str
    activities: list[dict]
    visits: int
    submitted_at: datetime | None
    reviewed_by_id: int | None
    reviewed_at: datetime | None
    review_comment: str
    version: int


class ReportIn(Schema):
    """Starts the report of `day` (no version) or changes it (the version loaded)."""

    day: date
    version: int | None = None
    summary: str = Field("", max_length=10_000)
    problems: str = Field("", max_length=10_000)
    plan: str = Field("", max_length=10_000)


class VersionIn(Schema):
    version: int


class ReviewIn(Schema):
    version: int
    decision: ReportStatus = Field(..., description="reviewed or returned")
    comment: str = Field("", max_length=5000)


class ReportFilters(Schema):
    status: ReportStatus | None = None


def _outing(request: HttpRequest, outing_id: int) -> Outing:
    return selectors.outing_for_user(caller(request), outing_id)


@router.get("/outings", response={200: list[OutingOut], **errors(403)})
@paginate(PagePagination)
def list_outings(request: HttpRequest, filters: Query[OutingFilters]):
    """My outings, the latest first."""
    require(caller(request), "fieldwork.use")
    outings = Outing.objects.filter(staff=caller(request)).prefetch_related("contacts")
    if filters.open is not None:
        outings = outings.filter(returned_at__isnull=filters.open)
    return outings


@router.post("/outings", response={201: OutingOut, **errors(400, 403)})
def register_outing(request: HttpRequest, payload: OutingIn):
    """Registers an outing (外出登记) of mine."""
    outing = services.outing_register(actor=caller(request), **payload.dict())
    return Status(201, _outing(request, outing.pk))


@router.post(
    "/outings/{int:outing_id}/return", response={200: OutingOut, **errors(400, 403, 404, 409)}
)
def return_from_outing(request: HttpRequest, outing_id: int, payload: OutingReturnIn):
    services.outing_return(
        actor=caller(request), outing=_outing(request, outing_id), returned_at=payload.returned_at
    )
    return _outing(request, outing_id)


@router.get("/daily-reports", response={200: list[ReportOut], **errors(403)})
@paginate(PagePagination)
def list_reports(request: HttpRequest, filters: Query[ReportFilters]):
    """My daily reports, the latest first."""
    require(caller(request), "fieldwork.use")
    reports = DailyReport.objects.filter(staff=caller(request))
    if filters.status:
        reports = reports.filter(status=filters.status)
    return reports


@router.post("/daily-reports", response={200: ReportOut, **errors(400, 403, 409)})
def save_report(request: HttpRequest, payload: ReportIn):
    """Starts or changes my report for a day (a draft, or one returned for changes)."""
    return services.daily_report_save(
        actor=caller(request),
        day=payload.day,
        expected_version=payload.version,
        summary=payload.summary,
        problems=payload.problems,
        plan=payload.plan,
    )


@router.get("/daily-reports/{int:report_id}", response={200: ReportOut, **errors(404)})
def get_report(request: HttpRequest, report_id: int):
    """A report of mine or of someone below me."""
    return selectors.report_for_user(caller(request), report_id)


@router.post(
    "/daily-reports/{int:report_id}/submit", response={200: ReportOut, **errors(400, 403, 404, 409)}
)
def submit_report(request: HttpRequest, report_id: int, payload: VersionIn):
    """Hands my report in; its manager is told."""
    return services.daily_report_submit(
        actor=caller(request),
        report=selectors.report_for_user(caller(request), report_id),
        expected_version=payload.version,
    )


@router.post(
    "/daily-reports/{int:report_id}/review", response={200: ReportOut, **errors(400, 403, 404, 409)}
)
def review_report(request: HttpRequest, report_id: int, payload: ReviewIn):
    """A manager marks a submitted report reviewed, or returns it with a comment."""
    return services.daily_report_review(
        actor=caller(request),
        report=selectors.report_for_user(caller(request), report_id),
        decision=payload.decision,
        comment=payload.comment,
        expected_version=payload.version,
    )
