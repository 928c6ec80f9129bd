"""API of weekly status reports under /api/v1/meetings/.

- GET `/status-reports`: the reports the caller may see (client users: their company's
  sent ones), filtered by `company`, `week_ending`, `status`; paged.
- POST `/status-reports`: the draft of a client's report for a week (the last Friday by
  default); the existing one if it was drafted already.
- GET/PATCH `/status-reports/{id}`: one report with its content; write the note of a
  draft (with `version`; 409 when stale).
- POST `/status-reports/{id}/refresh`: gather a draft again; POST
  `/status-reports/{id}/send`: send it. A sent report refuses both (409).
- GET `/status-reports/{id}/pdf`: the PDF.
"""

from datetime import date, datetime

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from jobbag.clients.models import Company
from jobbag.core.api_support import PagePagination, caller, errors, get_or_404
from jobbag.core.pdf import pdf_response, render_pdf
from jobbag.core.permissions import require, visible
from jobbag.meetings.models import StatusReport
from jobbag.meetings.selectors import status_reports as selectors
from jobbag.meetings.services import status_reports as services

router = Router(tags=["meetings"])


class StatusReportRow(Schema):
    id: int
    company: int = Field(..., alias="company_id")
    company_code: str
    company_name: str
    week_ending: date
    status: StatusReport.Status
    built_at: datetime
    sent_at: datetime | None
    version: int

    @staticmethod
    def resolve_company_code(obj) -> str:
        return obj.company.code

    @staticmethod
    def resolve_company_name(obj) -> str:
        return obj.company.name


class StatusReportOut(StatusReportRow):
    note: str
    sent_by: int | None = Field(None, alias="sent_by_id")
    content_hash: str
    content: dict


class StatusReportFilters(Schema):
    company: int | None = None
    week_ending: date | None = None
    status: StatusReport.Status | None = None


class StatusReportIn(Schema):
    company: int = Field(..., description="The client company's id.")
    week_ending: date | None = Field(None, description="A Friday; the last one by default.")


class NoteIn(Schema):
    version: int
    note: str = Field("", max_length=services.NOTE_LIMIT)


class VersionIn(Schema):
    """`version` is optional: when sent, a report changed since is refused (409)."""

    version: int | None = None


def _scoped(request: HttpRequest):
    return visible(caller(request), StatusReport.objects.all())


def _report(request: HttpRequest, report_id: int) -> StatusReport:
    return get_or_404(selectors.status_reports(_scoped(request)), pk=report_id)


@router.get("/status-reports", response={200: list[StatusReportRow], **errors(403)})
@paginate(PagePagination)
def list_status_reports(request: HttpRequest, filters: Query[StatusReportFilters]):
    """Newest week first."""
    require(caller(request), "meetings.status_report.view")
    return selectors.status_report_list(
        _scoped(request),
        company=filters.company,
        week_ending=filters.week_ending,
        status=filters.status,
    )


@router.post("/status-reports", response={201: StatusReportOut, **errors(400, 403, 404)})
def create_status_report(request: HttpRequest, payload: StatusReportIn):
    """Drafts the client's report for the week, or returns the one already drafted."""
    company = get_or_404(Company.objects.all(), pk=payload.company)
    report = services.status_report_draft(
        actor=caller(request), company=company, week_ending=payload.week_ending
    )
    return Status(201, _report(request, report.pk))


@router.get("/status-reports/{int:report_id}", response={200: StatusReportOut, **errors(404)})
def get_status_report(request: HttpRequest, report_id: int):
    return _report(request, report_id)


@router.patch(
    "/status-reports/{int:report_id}", response={200: StatusReportOut, **errors(400, 403, 404, 409)}
)
def update_status_report(request: HttpRequest, report_id: int, payload: NoteIn):
    """Writes the note of a draft; 409 when the version is stale or the report was sent."""
    services.status_report_update(
        actor=caller(request),
        report=_report(request, report_id),
        expected_version=payload.version,
        note=payload.note,
    )
    return _report(request, report_id)


@router.post(
    "/status-reports/{int:report_id}/refresh",
    response={200: StatusReportOut, **errors(400, 403, 404, 409)},
)
def refresh_status_report(request: HttpRequest, report_id: int, payload: VersionIn | None = None):
    """Gathers a draft's content again."""
    services.status_report_refresh(
        actor=caller(request),
        report=_report(request, report_id),
        expected_version=payload.version if payload else None,
    )
    return _report(request, report_id)


@router.post(
    "/status-reports/{int:report_id}/send",
    response={200: StatusReportOut, **errors(400, 403, 404, 409)},
)
def send_status_report(request: HttpRequest, report_id: int, payload: VersionIn | None = None):
    """Sends the draft to the client and the team (e-mail with the PDF, portal)."""
    services.status_report_send(
        actor=caller(request),
        report=_report(request, report_id),
        expected_version=payload.version if payload else None,
    )
    return _report(request, report_id)


@router.get(
    "/status-reports/{int:report_id}/pdf",
    response={200: None, **errors(404)},
    openapi_extra={"responses": {200: {"content": {"application/pdf": {}}}}},
)
def status_report_pdf(request: HttpRequest, report_id: int):
    """The report as a PDF."""
    report = _report(request, report_id)
    content = render_pdf(services.PDF_TEMPLATE, services.pdf_context(report))
    return pdf_response(content, services.pdf_filename(report))
