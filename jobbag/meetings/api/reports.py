"""API of contact reports (客户会议报告) under /api/v1/meetings/.

- GET `/reports`: the reports you see (a client user: their company's sent reports);
  POST `/reports`: start one from a meeting (`meeting`) or a call (`company`, …).
- GET/PATCH `/reports/{id}`: one report; edit a draft (with `version`; a sent report is
  refused with 400, stale version 409).
- POST `/reports/{id}/send`; POST `/reports/{id}/addenda`; GET `/reports/{id}/pdf`.
- POST `/reports/{id}/acknowledge`: a client user acknowledges a sent report.
"""

from datetime import date, datetime

from django.http import Http404, HttpRequest
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from jobbag.accounts.models import User
from jobbag.clients.models import Company, Contact
from jobbag.core.api_support import PagePagination, caller, errors, get_or_404
from jobbag.core.errors import DomainError
from jobbag.core.pdf import pdf_response
from jobbag.core.permissions import require
from jobbag.jobs.models import Job
from jobbag.meetings.models import ContactReport, Meeting, Side
from jobbag.meetings.permissions.common import sees_company
from jobbag.meetings.selectors import reports as selectors
from jobbag.meetings.services import reports as services

router = Router(tags=["meetings"])

UNKNOWN = services.INVALID


class DecisionOut(Schema):
    position: int
    text: str


class ActionOut(Schema):
    id: int
    position: int
    text: str
    side: str
    owner: int | None = Field(None, alias="owner_id")
    owner_contact: int | None = Field(None, alias="owner_contact_id")
    owner_name: str
    due_on: date
    status: str


class AddendumOut(Schema):
    number: int
    text: str
    content_hash: str
    created_by: int = Field(..., alias="created_by_id")
    created_at: datetime


class ReceiptOut(Schema):
    contact: int = Field(..., alias="contact_id")
    contact_name: str
    emailed_to: str
    acknowledged_at: datetime | None
    acknowledged_by: int | None = Field(None, alias="acknowledged_by_id")

    @staticmethod
    def resolve_contact_name(obj) -> str:
        return obj.contact.name


class ReportListOut(Schema):
    id: int
    company: int = Field(..., alias="company_id")
    job: int | None = Field(None, alias="job_id")
    meeting: int | None = Field(None, alias="meeting_id")
    source: str
    subject: str
    occurred_at: datetime
    due_at: datetime
    status: str
    sent_at: datetime | None
    version: int


class ReportOut(ReportListOut):
    place: str
    discussion: str
    staff: list[int]
    contacts: list[int]
    decisions: list[DecisionOut]
    actions: list[ActionOut]
    addenda: list[AddendumOut]
    receipts: list[ReceiptOut]
    staff_recipients: list[int]
    content_hash: str
    sent_late: bool
    created_by: int = Field(..., alias="created_by_id")

    @staticmethod
    def resolve_staff(obj) -> list[int]:
        return [u.pk for u in obj.staff.all()]

    @staticmethod
    def resolve_contacts(obj) -> list[int]:
        return [c.pk for c in obj.contacts.all()]

    @staticmethod
    def resolve_staff_recipients(obj) -> list[int]:
        return [u.pk for u in obj.staff_recipients.all()]

    @staticmethod
    def resolve_decisions(obj) -> list:
        return list(obj.decisions.all())

    @staticmethod
    def resolve_actions(obj) -> list:
        return list(obj.actions.all())

    @staticmethod
    def resolve_addenda(obj) -> list:
        return list(obj.addenda.all())

    @staticmethod
    def resolve_receipts(obj) -> list:
        return list(obj.receipts.all())

    @staticmethod
    def resolve_sent_late(obj) -> bool:
        return obj.sent_at is not None and obj.sent_at > obj.due_at


class ReportFilters(Schema):
    client: int | None = None
    status: ContactReport.Status | None = None
    overdue: bool = False


class ReportIn(Schema):
    """From a meeting: `meeting` only. From a call or other contact: the rest."""

    meeting: int | None = None
    company: int | None = None
    job: int | None = None
    source: ContactReport.Source | None = None
    occurred_at: datetime | None = None
    subject: str = Field("", max_length=200)
    place: str = Field("", max_length=100)
    staff: list[int] = []
    contacts: list[int] = []


class ActionIn(Schema):
    text: str
    side: Side
    owner: int | None = Field(None, description="A staff user's id (side agency).")
    owner_contact: int | None = Field(None, description="A client contact's id (side client).")
    due_on: date


class ReportPatch(Schema):
    """Only the fields sent change; lists sent replace the whole list, in order."""

    version: int
    subject: str | None = Field(None, max_length=200)
    place: str | None = Field(None, max_length=100)
    discussion: str | None = None
    staff: list[int] | None = None
    contacts: list[int] | None = None
    decisions: list[str] | None = None
    actions: list[ActionIn] | None = None


class AddendumIn(Schema):
    text: str


class ReceiptAckOut(Schema):
    report: int = Field(..., alias="report_id")
    contact: int = Field(..., alias="contact_id")
    acknowledged_at: datetime
    acknowledged_by: int = Field(..., alias="acknowledged_by_id")


def _report(request: HttpRequest, report_id: int) -> ContactReport:
    report = selectors.report_for(caller(request), report_id)
    if report is None:
        raise Http404
    return report


def _rows(model, ids, field: str, message) -> list:
    ids = list(dict.fromkeys(ids or []))
    found = model.objects.in_bulk(ids)
    if len(found) != len(ids):
        raise DomainError(UNKNOWN, fields={field: message})
    return [found[pk] for pk in ids]


def _one(model, pk, field: str, message):
    if pk is None:
        return None
    row = model.objects.filter(pk=pk).first()
    if row is None:
        raise DomainError(UNKNOWN, fields={field: message})
    return row


def _actions_in(items) -> list[dict]:
    staff = User.objects.in_bulk([a.owner for a in items if a.owner is not None])
    contacts = Contact.objects.in_bulk(
        [a.owner_contact for a in items if a.owner_contact is not None]
    )
    return [
        {
            "text": item.text,
            "side": item.side,
            # An unknown id is no owner: clean_action names the field.
            "owner": staff.get(item.owner),
            "owner_contact": contacts.get(item.owner_contact),
            "due_on": item.due_on,
        }
        for item in items
    ]


@router.get("/reports", response={200: list[ReportListOut], **errors(403)})
@paginate(PagePagination)
def list_reports(request: HttpRequest, filters: Query[ReportFilters]):
    """The reports you see, newest contact first (a client user: their company's sent
    reports)."""
    user = caller(request)
    return selectors.reports_for(
        user, company_id=filters.client, status=filters.status, overdue=filters.overdue
    )


@router.post("/reports", response={201: ReportOut, **errors(400, 403, 404, 409)})
def create_report(request: HttpRequest, payload: ReportIn):
    user = caller(request)
    if payload.meeting is not None:
        meeting = Meeting.objects.select_related("company").filter(pk=payload.meeting).first()
        if meeting is None or not sees_company(user, meeting.company_id):
            raise Http404
        report = services.report_create(actor=user, meeting=meeting)
    else:
        require(user, "meetings.report.write")
        report = services.report_create(
            actor=user,
            company=_one(Company, payload.company, "company", services.COMPANY_INVALID),
            job=_one(Job, payload.job, "job", services.JOB_INVALID),
            source=payload.source,
            occurred_at=payload.occurred_at,
            subject=payload.subject,
            place=payload.place,
            staff=_rows(User, payload.staff, "staff", services.STAFF_INVALID),
            contacts=_rows(Contact, payload.contacts, "contacts", services.CONTACTS_INVALID),
        )
    return Status(201, _report(request, report.pk))


@router.get("/reports/{int:report_id}", response={200: ReportOut, **errors(404)})
def get_report(request: HttpRequest, report_id: int):
    return _report(request, report_id)


@router.patch("/reports/{int:report_id}", response={200: ReportOut, **errors(400, 403, 404, 409)})
def update_report(request: HttpRequest, report_id: int, payload: ReportPatch):
    """Edits a draft; a sent report is refused (400), a stale version is 409."""
    report = _report(request, report_id)
    values = {
        "subject": report.subject,
        "place": report.place,
        "discussion": report.discussion,
        "staff": list(report.staff.all()),
        "contacts": list(report.contacts.all()),
        "decisions": [d.text for d in report.decisions.all()],
        "actions": [
            {
                "text": a.text,
                "side": a.side,
                "owner": a.owner,
                "owner_contact": a.owner_contact,
                "due_on": a.due_on,
            }
            for a in report.actions.all()
        ],
    }
    sent = payload.dict(exclude_unset=True, exclude={"version", "actions", "staff", "contacts"})
    values.update({name: value for name, value in sent.items() if value is not None})
    if payload.staff is not None:
        values["staff"] = _rows(User, payload.staff, "staff", services.STAFF_INVALID)
    if payload.contacts is not None:
        values["contacts"] = _rows(Contact, payload.contacts, "contacts", services.CONTACTS_INVALID)
    if payload.actions is not None:
        values["actions"] = _actions_in(payload.actions)
    services.report_update(
        actor=caller(request), report=report, expected_version=payload.version, **values
    )
    return _report(request, report_id)


@router.post(
    "/reports/{int:report_id}/send", response={200: ReportOut, **errors(400, 403, 404, 409)}
)
def send_report(request: HttpRequest, report_id: int):
    """Sends a draft once, with its PDF, to its recipients; a second time is 409."""
    services.report_send(actor=caller(request), report=_report(request, report_id))
    return _report(request, report_id)


@router.post(
    "/reports/{int:report_id}/addenda",
    response={201: AddendumOut, **errors(400, 403, 404, 409)},
)
def add_addendum(request: HttpRequest, report_id: int, payload: AddendumIn):
    """Adds the next correction to a sent report and sends the report with it."""
    addendum = services.addendum_add(
        actor=caller(request), report=_report(request, report_id), text=payload.text
    )
    return Status(201, addendum)


@router.get("/reports/{int:report_id}/pdf", response={200: None, **errors(404)})
def report_pdf(request: HttpRequest, report_id: int):
    """The report (with its addenda) as a PDF."""
    report = _report(request, report_id)
    return pdf_response(services.report_pdf(report), services.pdf_filename(report))


@router.post(
    "/reports/{int:report_id}/acknowledge",
    response={200: ReceiptAckOut, **errors(400, 403, 404)},
)
def acknowledge_report(request: HttpRequest, report_id: int):
    """A client user acknowledges a sent report of their company (again: no change)."""
    report = get_or_404(selectors.portal_reports(caller(request).company_id or 0), pk=report_id)
    return services.report_acknowledge(actor=caller(request), report=report)
