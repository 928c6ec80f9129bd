"""API of client service quality under /api/v1/service/.

- GET `/categories`: the complaint categories.
- GET/POST `/complaints`: the complaints the caller sees (filters: company, status
  ("open" for not yet resolved), severity, category, assignee, late); log one (staff for
  a client they work on; a client user for their own company, through the portal
  channel).
- GET `/complaints/{id}`: one complaint with its escalations and return visits.
- POST `/complaints/{id}/{move}` with `version`: assign, answer, resolve,
  schedule-visit, record-visit, confirm, reopen, cancel. A stale version is 409; a move
  not allowed from the present status is 400; a client user may confirm and reopen only.
- GET `/visits/due`: return visits due or overdue; POST `/visits`: record a routine one.
"""

from datetime import date, datetime
from decimal import Decimal

from django.http import HttpRequest
from django.utils import timezone
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from jobbag.accounts.models import User
from jobbag.clients.models import Brand, Company, Contact
from jobbag.core.api_support import caller, errors, get_or_404
from jobbag.core.errors import DomainError, NotAllowed
from jobbag.core.permissions import can, require, visible
from jobbag.jobs.models import Job
from jobbag.service import selectors, services, visits
from jobbag.service.models import Complaint, ComplaintCategory, ReturnVisit, Severity

router = Router(tags=["service"])

UNKNOWN = "Not found."


class CategoryOut(Schema):
    id: int
    code: str
    name_zh: str
    name_en: str
    is_active: bool


class EscalationOut(Schema):
    level: int
    reason: str
    at: datetime


class VisitOut(Schema):
    id: int
    company: int = Field(..., alias="company_id")
    complaint: int | None = Field(None, alias="complaint_id")
    kind: str
    visited_on: date
    visited_by: int = Field(..., alias="visited_by_id")
    channel: str
    contact: int | None = Field(None, alias="contact_id")
    notes: str
    outcome: str
    satisfied: bool | None


class ComplaintOut(Schema):
    id: int
    number: str
    company: int = Field(..., alias="company_id")
    company_code: str = Field(..., alias="company.code")
    brand: int | None = Field(None, alias="brand_id")
    job: int | None = Field(None, alias="job_id")
    channel: str
    category: int = Field(..., alias="category_id")
    severity: str
    subject: str
    description: str
    contact: int | None = Field(None, alias="contact_id")
    raised_by: int = Field(..., alias="raised_by_id")
    logged_at: datetime
    assigned_to: int | None = Field(None, alias="assigned_to_id")
    status: str
    answer_due_at: datetime
    resolve_due_at: datetime
    first_answer: str
    first_answered_at: datetime | None
    resolution: str
    resolved_at: datetime | None
    hours_to_resolve: Decimal | None
    visit_due_on: date | None
    confirmed_at: datetime | None
    escalation_level: int
    late: bool
    version: int

    @staticmethod
    def resolve_late(obj) -> bool:
        now = timezone.now()
        return obj.is_open and (obj.answer_late(now) or obj.resolve_late(now))


class ComplaintDetailOut(ComplaintOut):
    escalations: list[EscalationOut]
    visits: list[VisitOut]

    @staticmethod
    def resolve_escalations(obj) -> list:
        return list(obj.escalations.all())

    @staticmethod
    def resolve_visits(obj) -> list:
        return list(obj.visits.all())


class ComplaintFilters(Schema):
    company: int | None = None
    status: str | None = None
    severity: Severity | None = None
    category: int | None = None
    assignee: int | None = None
    late: bool = False


class ComplaintIn(Schema):
    company: int | None = Field(None, description="Staff: the client. Client users: omit.")
    channel: Complaint.Channel = Complaint.Channel.OTHER
    category: int
    severity: Severity = Severity.NORMAL
    subject: str = Field(..., max_length=200)
    description: str
    brand: int | None = None
    job: int | None = None
    contact: int | None = None
    assigned_to: int | None = None


class VersionIn(Schema):
    version: int


class AssignIn(VersionIn):
    assignee: int


class AnswerIn(VersionIn):
    answer: str


class ResolveIn(VersionIn):
    resolution: str


class ScheduleIn(VersionIn):
    due_on: date
    visitor: int


class VisitFieldsIn(Schema):
    visited_on: date
    channel: ReturnVisit.Channel = ReturnVisit.Channel.VISIT
    contact: int | None = None
    notes: str
    outcome: str = Field("", max_length=500)


class RecordVisitIn(VisitFieldsIn):
    version: int
    satisfied: bool


class ConfirmIn(VersionIn):
    contact: int | None = None
    channel: Complaint.Channel = Complaint.Channel.PHONE
    confirmed_at: datetime | None = None
    note: str = Field("", max_length=500)


class ReasonIn(VersionIn):
    reason: str = Field(..., max_length=500)


class RoutineVisitIn(VisitFieldsIn):
    company: int
    satisfied: bool | None = None


class DueOut(Schema):
    company: int
    company_code: str
    due_on: date
    overdue: bool
    complaint: int | None
    plan_every_days: int | None


def _field_error(name: str, message=UNKNOWN):
    return DomainError(services.INVALID, fields={name: message})


def _staff_user(pk: int | None, name: str) -> User | None:
    if pk is None:
        return None
    user = User.objects.filter(pk=pk, kind=User.Kind.STAFF, is_active=True).first()
    if user is None:
        raise _field_error(name, services.ASSIGNEE_INVALID)
    return user


def _contact(company_id: int, pk: int | None) -> Contact | None:
    if pk is None:
        return None
    contact = Contact.objects.filter(pk=pk, company_id=company_id).first()
    if contact is None:
        raise _field_error("contact", services.CONTACT_NOT_OF_CLIENT)
    return contact


def _complaint(request: HttpRequest, complaint_id: int) -> Complaint:
    return get_or_404(
        visible(caller(request), Complaint.objects.all()).select_related("company", "assigned_to"),
        pk=complaint_id,
    )


def _detail(request: HttpRequest, complaint_id: int) -> Complaint:
    complaint = selectors.complaint_for(caller(request), complaint_id)
    if complaint is None:
        return get_or_404(Complaint.objects.none(), pk=complaint_id)
    return complaint


def _staff_only(request: HttpRequest) -> User:
    user = caller(request)
    if user.kind != User.Kind.STAFF:
        raise NotAllowed()
    return user


@router.get("/categories", response={200: list[CategoryOut], **errors()})
def list_categories(request: HttpRequest):
    return list(visible(caller(request), ComplaintCategory.objects.all()))


@router.get("/complaints", response={200: list[ComplaintOut], **errors(400)})
@paginate
def list_complaints(request: HttpRequest, filters: Query[ComplaintFilters]):
    """The complaints the caller sees, newest first."""
    values = filters.dict()
    if values.get("status") and values["status"] not in {"open", *Complaint.Status.values}:
        raise _field_error("status", services.INVALID)
    if values.get("company"):
        values["company"] = values["company"]
    return selectors.filtered(selectors.complaints_for(caller(request)), values)


@router.post("/complaints", response={201: ComplaintDetailOut, **errors(400, 403, 404)})
def create_complaint(request: HttpRequest, payload: ComplaintIn):
    user = caller(request)
    if user.kind == User.Kind.CLIENT:
        require(user, "service.complaint.portal")
        company = Company.objects.get(pk=user.company_id)
    else:
        if payload.company is None:
            raise _field_error("company", services.REQUIRED)
        company = get_or_404(visible(user, Company.objects.all()), pk=payload.company)
    category = ComplaintCategory.objects.filter(pk=payload.category).first()
    if category is None:
        raise _field_error("category", services.CATEGORY_INVALID)
    brand = job = None
    if payload.brand is not None:
        brand = Brand.objects.filter(pk=payload.brand, company=company).first()
        if brand is None:
            raise _field_error("brand", services.BRAND_NOT_OF_CLIENT)
    if payload.job is not None and user.kind == User.Kind.STAFF:
        job = Job.objects.filter(pk=payload.job, company=company).first()
        if job is None:
            raise _field_error("job", services.JOB_NOT_OF_CLIENT)
    complaint = services.complaint_create(
        actor=user,
        company=company,
        channel=payload.channel,
        category=category,
        severity=payload.severity,
        subject=payload.subject,
        description=payload.description,
        brand=brand,
        job=job,
        contact=_contact(company.pk, payload.contact) if user.kind == User.Kind.STAFF else None,
        assigned_to=_staff_user(payload.assigned_to, "assigned_to"),
    )
    return Status(201, _detail(request, complaint.pk))


@router.get("/complaints/{int:complaint_id}", response={200: ComplaintDetailOut, **errors(404)})
def get_complaint(request: HttpRequest, complaint_id: int):
    return _detail(request, complaint_id)


MOVE_RESPONSES = {200: ComplaintDetailOut, **errors(400, 403, 404, 409)}


@router.post("/complaints/{int:complaint_id}/assign", response=MOVE_RESPONSES)
def assign(request: HttpRequest, complaint_id: int, payload: AssignIn):
    complaint = _complaint(request, complaint_id)
    services.complaint_assign(
        actor=_staff_only(request),
        complaint=complaint,
        assignee=_staff_user(payload.assignee, "assignee"),
        expected_version=payload.version,
    )
    return _detail(request, complaint_id)


@router.post("/complaints/{int:complaint_id}/answer", response=MOVE_RESPONSES)
def answer(request: HttpRequest, complaint_id: int, payload: AnswerIn):
    complaint = _complaint(request, complaint_id)
    services.complaint_answer(
        actor=_staff_only(request),
        complaint=complaint,
        answer=payload.answer,
        expected_version=payload.version,
    )
    return _detail(request, complaint_id)


@router.post("/complaints/{int:complaint_id}/resolve", response=MOVE_RESPONSES)
def resolve(request: HttpRequest, complaint_id: int, payload: ResolveIn):
    complaint = _complaint(request, complaint_id)
    services.complaint_resolve(
        actor=_staff_only(request),
        complaint=complaint,
        resolution=payload.resolution,
        expected_version=payload.version,
    )
    return _detail(request, complaint_id)


@router.post("/complaints/{int:complaint_id}/schedule-visit", response=MOVE_RESPONSES)
def schedule_visit(request: HttpRequest, complaint_id: int, payload: ScheduleIn):
    complaint = _complaint(request, complaint_id)
    services.complaint_schedule_visit(
        actor=_staff_only(request),
        complaint=complaint,
        due_on=payload.due_on,
        visitor=_staff_user(payload.visitor, "visitor"),
        expected_version=payload.version,
    )
    return _detail(request, complaint_id)


@router.post("/complaints/{int:complaint_id}/record-visit", response=MOVE_RESPONSES)
def record_visit(request: HttpRequest, complaint_id: int, payload: RecordVisitIn):
    complaint = _complaint(request, complaint_id)
    user = _staff_only(request)
    services.complaint_record_visit(
        actor=user,
        complaint=complaint,
        expected_version=payload.version,
        satisfied=payload.satisfied,
        visited_on=payload.visited_on,
        channel=payload.channel,
        contact=_contact(complaint.company_id, payload.contact),
        notes=payload.notes,
        outcome=payload.outcome,
    )
    return _detail(request, complaint_id)


@router.post("/complaints/{int:complaint_id}/confirm", response=MOVE_RESPONSES)
def confirm(request: HttpRequest, complaint_id: int, payload: ConfirmIn):
    """Client users confirm for themselves (the other fields are ignored); staff record
    who confirmed, how and when."""
    complaint = _complaint(request, complaint_id)
    user = caller(request)
    extra = {}
    if user.kind == User.Kind.STAFF:
        extra = {
            "contact": _contact(complaint.company_id, payload.contact),
            "channel": payload.channel,
            "confirmed_at": payload.confirmed_at,
            "note": payload.note,
        }
    services.complaint_confirm(
        actor=user, complaint=complaint, expected_version=payload.version, **extra
    )
    return _detail(request, complaint_id)


@router.post("/complaints/{int:complaint_id}/reopen", response=MOVE_RESPONSES)
def reopen(request: HttpRequest, complaint_id: int, payload: ReasonIn):
    complaint = _complaint(request, complaint_id)
    services.complaint_reopen(
        actor=caller(request),
        complaint=complaint,
        expected_version=payload.version,
        reason=payload.reason,
    )
    return _detail(request, complaint_id)


@router.post("/complaints/{int:complaint_id}/cancel", response=MOVE_RESPONSES)
def cancel(request: HttpRequest, complaint_id: int, payload: ReasonIn):
    complaint = _complaint(request, complaint_id)
    services.complaint_cancel(
        actor=_staff_only(request),
        complaint=complaint,
        expected_version=payload.version,
        reason=payload.reason,
    )
    return _detail(request, complaint_id)


@router.get("/visits/due", response={200: list[DueOut], **errors(403)})
def visits_due(request: HttpRequest, overdue: bool = False):
    user = caller(request)
    require(user, "service.visits.view")
    today = timezone.localdate()
    return [
        {
            "company": item.company.pk,
            "company_code": item.company.code,
            "due_on": item.due_on,
            "overdue": item.overdue(today),
            "complaint": item.complaint.pk if item.complaint else None,
            "plan_every_days": item.plan.every_days if item.plan else None,
        }
        for item in selectors.visits_due(user, today=today, overdue_only=overdue)
    ]


@router.post("/visits", response={201: VisitOut, **errors(400, 403, 404)})
def record_routine_visit(request: HttpRequest, payload: RoutineVisitIn):
    user = caller(request)
    if not can(user, "service.visits.view"):
        raise NotAllowed()
    company = get_or_404(visible(user, Company.objects.all()), pk=payload.company)
    visit = visits.visit_record(
        actor=user,
        company=company,
        visited_on=payload.visited_on,
        channel=payload.channel,
        contact=_contact(company.pk, payload.contact),
        notes=payload.notes,
        outcome=payload.outcome,
        satisfied=payload.satisfied,
    )
    return Status(201, visit)


# Surveys and account health have their own routers.
from jobbag.service.health import api as _health_api  # noqa: E402
from jobbag.service.surveys import api as _survey_api  # noqa: E402

router.add_router("", _survey_api.router)
router.add_router("", _health_api.router)
