"""API of meetings under /api/v1/meetings/.

- GET/POST `/meetings`: the meetings you may see (`?when=upcoming|past`, `?company=`),
  paged; schedule one with its attendees and agenda.
- GET/PATCH `/meetings/{id}`: one meeting with attendees, agenda and checklist; edit a
  planned one or one whose agenda was sent (with `version`; a stale one answers 409).
- POST `/meetings/{id}/send-agenda`, `/request-topics` (with `version`), `/held`,
  `/cancel`: the meeting's actions.
- PATCH `/meetings/{id}/checklist/{item_id}`: tick a checklist item, set its link or note.
- POST `/meetings/{id}/topics`: a client user proposes a topic.

Client users see only their company's meetings whose agenda was sent (or whose topics
were asked for), without the internal checklist.
"""

from datetime import datetime

from django.http import Http404, HttpRequest
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from jobbag.accounts.models import User
from jobbag.clients.models import Company, Contact
from jobbag.core.api_support import PagePagination, caller, errors, get_or_404
from jobbag.core.errors import DomainError
from jobbag.core.permissions import require
from jobbag.jobs.models import Job
from jobbag.meetings.models import ChecklistItem, Meeting, Side
from jobbag.meetings.permissions.common import is_staff
from jobbag.meetings.selectors import meetings as selectors
from jobbag.meetings.services import meetings as services

router = Router(tags=["meetings"])

VIEW = "meetings.meeting.view"
COMPANY_UNKNOWN = services.REQUIRED


class AttendeeOut(Schema):
    side: Side
    user: int | None = Field(None, alias="user_id")
    contact: int | None = Field(None, alias="contact_id")
    name: str
    role: str

    @staticmethod
    def resolve_name(obj) -> str:
        return str(obj.user or obj.contact)


class AgendaItemOut(Schema):
    id: int
    position: int
    title: str
    details: str
    owner: int | None = Field(None, alias="owner_id")
    owner_contact: int | None = Field(None, alias="owner_contact_id")
    owner_name: str
    minutes: int | None
    from_client: bool
    proposed_by: int | None = Field(None, alias="proposed_by_id")

    @staticmethod
    def resolve_owner_name(obj) -> str:
        owner = obj.owner or obj.owner_contact
        return str(owner) if owner else ""


class ChecklistItemOut(Schema):
    id: int
    kind: ChecklistItem.Kind
    label: str
    done: bool
    link: str
    note: str

    @staticmethod
    def resolve_label(obj) -> str:
        return str(obj.get_kind_display())


class MeetingSummaryOut(Schema):
    id: int
    company: int = Field(..., alias="company_id")
    company_code: str
    job: int | None = Field(None, alias="job_id")
    kind: Meeting.Kind
    purpose: str
    starts_at: datetime
    ends_at: datetime
    room: str
    status: Meeting.Status
    agenda_sent_at: datetime | None
    agenda_late: bool
    agenda_changed_at: datetime | None
    topics_requested_at: datetime | None
    organizer: int = Field(..., alias="organizer_id")
    organizer_name: str
    version: int

    @staticmethod
    def resolve_company_code(obj) -> str:
        return obj.company.code

    @staticmethod
    def resolve_organizer_name(obj) -> str:
        return str(obj.organizer)


class MeetingOut(MeetingSummaryOut):
    attendees: list[AttendeeOut]
    agenda: list[AgendaItemOut]
    checklist: list[ChecklistItemOut] = Field(
        [], description="The pre-meeting checklist; empty for client users."
    )

    @staticmethod
    def resolve_attendees(obj) -> list:
        return list(obj.attendees.all())

    @staticmethod
    def resolve_agenda(obj) -> list:
        return list(obj.agenda.all())

    @staticmethod
    def resolve_checklist(obj, context) -> list:
        return list(obj.checklist.all()) if is_staff(context["request"].auth) else []


class AttendeeIn(Schema):
    user: int | None = Field(None, description="A member of staff's id.")
    contact: int | None = Field(None, description="One of the client's contacts' id.")
    role: str = Field("", max_length=100)


class AgendaItemIn(Schema):
    id: int | None = Field(None, description="An item already on this meeting's agenda.")
    title: str = Field(..., max_length=200)
    details: str = Field("", max_length=2000)
    owner: int | None = Field(None, description="A member of staff's id.")
    owner_contact: int | None = Field(None, description="One of the client's contacts' id.")
    minutes: int | None = Field(None, ge=1, le=600)


class MeetingIn(Schema):
    company: int
    job: int | None = None
    kind: Meeting.Kind = Meeting.Kind.CLIENT
    purpose: str = Field(..., max_length=200)
    starts_at: datetime
    ends_at: datetime
    room: str = Field("", max_length=100)
    attendees: list[AttendeeIn]
    agenda: list[AgendaItemIn] = []


class MeetingPatch(Schema):
    """Only the fields sent change; `version` is the one the edit was made against."""

    version: int
    job: int | None = None
    kind: Meeting.Kind | None = None
    purpose: str | None = Field(None, max_length=200)
    starts_at: datetime | None = None
    ends_at: datetime | None = None
    room: str | None = Field(None, max_length=100)
    attendees: list[AttendeeIn] | None = None
    agenda: list[AgendaItemIn] | None = None


class VersionIn(Schema):
    version: int


class OptionalVersionIn(Schema):
    version: int | None = None


class CancelIn(Schema):
    version: int | None = None
    reason: str = Field("", max_length=200)


class ChecklistPatch(Schema):
    done: bool | None = None
    link: str | None = Field(None, max_length=300)
    note: str | None = Field(None, max_length=200)


class TopicIn(Schema):
    title: str = Field(..., max_length=200)
    details: str = Field("", max_length=2000)


class MeetingFilters(Schema):
    when: str = Field(selectors.UPCOMING, pattern="^(upcoming|past)$")
    company: int | None = None


def _meeting(request: HttpRequest, meeting_id: int) -> Meeting:
    return get_or_404(selectors.meetings_in(caller(request)), pk=meeting_id)


def _people(model, ids: set[int]) -> dict:
    return model.objects.in_bulk([pk for pk in ids if pk is not None])


def attendees_in(items) -> list[dict]:
    """The attendees sent, with ids as people (a field error for an unknown one)."""
    users = _people(User, {item.user for item in items})
    contacts = _people(Contact, {item.contact for item in items})
    rows = []
    for item in items:
        user, contact = users.get(item.user), contacts.get(item.contact)
        if item.user is not None and user is None:
            raise DomainError(services.INVALID, fields={"attendees": services.ATTENDEE_NOT_STAFF})
        if item.contact is not None and contact is None:
            raise DomainError(services.INVALID, fields={"attendees": services.ATTENDEE_NOT_CLIENT})
        if user is not None and contact is not None:
            raise DomainError(services.INVALID, fields={"attendees": services.ATTENDEE_TWICE})
        rows.append({"user": user, "contact": contact, "role": item.role})
    return rows


def agenda_in(items) -> list[dict]:
    """The agenda items sent, with owner ids as people (a field error for an unknown one)."""
    users = _people(User, {item.owner for item in items})
    contacts = _people(Contact, {item.owner_contact for item in items})
    rows = []
    for item in items:
        owner, owner_contact = users.get(item.owner), contacts.get(item.owner_contact)
        unknown = (item.owner is not None and owner is None) or (
            item.owner_contact is not None and owner_contact is None
        )
        if unknown:
            raise DomainError(services.INVALID, fields={"agenda": services.AGENDA_OWNER_INVALID})
        rows.append({**item.dict(), "owner": owner, "owner_contact": owner_contact})
    return rows


def _job(job_id: int | None) -> Job | None:
    if job_id is None:
        return None
    job = Job.objects.filter(pk=job_id).first()
    if job is None:
        raise DomainError(services.INVALID, fields={"job": services.JOB_OTHER_CLIENT})
    return job


@router.get("/meetings", response={200: list[MeetingSummaryOut], **errors(403)})
@paginate(PagePagination)
def list_meetings(request: HttpRequest, filters: Query[MeetingFilters]):
    """Upcoming meetings soonest first, or past ones latest first."""
    user = caller(request)
    return selectors.meetings_for(user, company=filters.company, when=filters.when)


@router.post("/meetings", response={201: MeetingOut, **errors(400, 403)})
def create_meeting(request: HttpRequest, payload: MeetingIn):
    """Schedules a meeting with its attendees (from both sides) and agenda; the
    pre-meeting checklist comes with it."""
    user = caller(request)
    require(user, "meetings.meeting.edit")
    company = Company.objects.filter(pk=payload.company).first()
    if company is None:
        raise DomainError(services.INVALID, fields={"company": COMPANY_UNKNOWN})
    values = payload.dict(exclude={"company", "job", "attendees", "agenda"})
    meeting = services.meeting_create(
        actor=user,
        company=company,
        job=_job(payload.job),
        attendees=attendees_in(payload.attendees),
        agenda=agenda_in(payload.agenda),
        **values,
    )
    return Status(201, _meeting(request, meeting.pk))


@router.get("/meetings/{int:meeting_id}", response={200: MeetingOut, **errors(404)})
def get_meeting(request: HttpRequest, meeting_id: int):
    return _meeting(request, meeting_id)


@router.patch(
    "/meetings/{int:meeting_id}", response={200: MeetingOut, **errors(400, 403, 404, 409)}
)
def update_meeting(request: HttpRequest, meeting_id: int, payload: MeetingPatch):
    """Edits a planned meeting or one whose agenda was sent; 409 when the version is
    stale. Attendees or agenda sent replace the whole list."""
    meeting = _meeting(request, meeting_id)
    values = {name: getattr(meeting, name) for name in services.FIELDS}
    sent = payload.dict(exclude_unset=True, exclude={"version", "attendees", "agenda"})
    if "job" in sent:
        sent["job"] = _job(sent["job"])
    values.update({k: v for k, v in sent.items() if v is not None or k == "job"})
    if payload.attendees is not None:
        attendees = attendees_in(payload.attendees)
    else:
        attendees = [
            {"user": a.user, "contact": a.contact, "role": a.role} for a in meeting.attendees.all()
        ]
    if payload.agenda is not None:
        agenda = agenda_in(payload.agenda)
    else:
        agenda = [
            {
                "id": item.pk,
                "title": item.title,
                "details": item.details,
                "owner": item.owner,
                "owner_contact": item.owner_contact,
                "minutes": item.minutes,
            }
            for item in meeting.agenda.all()
        ]
    services.meeting_update(
        actor=caller(request),
        meeting=meeting,
        expected_version=payload.version,
        attendees=attendees,
        agenda=agenda,
        **values,
    )
    return _meeting(request, meeting_id)


@router.post(
    "/meetings/{int:meeting_id}/send-agenda",
    response={200: MeetingOut, **errors(400, 403, 404, 409)},
)
def send_agenda(request: HttpRequest, meeting_id: int, payload: VersionIn):
    """E-mails the agenda to every attendee; sending again after a change is allowed,
    the same version twice answers 409."""
    services.agenda_send(
        actor=caller(request),
        meeting=_meeting(request, meeting_id),
        expected_version=payload.version,
    )
    return _meeting(request, meeting_id)


@router.post(
    "/meetings/{int:meeting_id}/request-topics",
    response={200: MeetingOut, **errors(400, 403, 404, 409)},
)
def request_topics(request: HttpRequest, meeting_id: int, payload: VersionIn):
    """Asks the client's people for their topics through the portal."""
    services.meeting_topics_request(
        actor=caller(request),
        meeting=_meeting(request, meeting_id),
        expected_version=payload.version,
    )
    return _meeting(request, meeting_id)


@router.post(
    "/meetings/{int:meeting_id}/held", response={200: MeetingOut, **errors(400, 403, 404, 409)}
)
def mark_held(request: HttpRequest, meeting_id: int, payload: OptionalVersionIn):
    services.meeting_mark_held(
        actor=caller(request),
        meeting=_meeting(request, meeting_id),
        expected_version=payload.version,
    )
    return _meeting(request, meeting_id)


@router.post(
    "/meetings/{int:meeting_id}/cancel", response={200: MeetingOut, **errors(400, 403, 404, 409)}
)
def cancel_meeting(request: HttpRequest, meeting_id: int, payload: CancelIn):
    services.meeting_cancel(
        actor=caller(request),
        meeting=_meeting(request, meeting_id),
        reason=payload.reason,
        expected_version=payload.version,
    )
    return _meeting(request, meeting_id)


@router.patch(
    "/meetings/{int:meeting_id}/checklist/{int:item_id}",
    response={200: ChecklistItemOut, **errors(400, 403, 404)},
)
def update_checklist_item(
    request: HttpRequest, meeting_id: int, item_id: int, payload: ChecklistPatch
):
    """Ticks a checklist item or sets its link or note (only the fields sent change)."""
    meeting = _meeting(request, meeting_id)
    item = next((i for i in meeting.checklist.all() if i.pk == item_id), None)
    if item is None:
        raise Http404
    return services.meeting_checklist_update(
        actor=caller(request), item=item, **payload.dict(exclude_unset=True)
    )


@router.post(
    "/meetings/{int:meeting_id}/topics",
    response={201: AgendaItemOut, **errors(400, 403, 404)},
)
def propose_topic(request: HttpRequest, meeting_id: int, payload: TopicIn):
    """A client user proposes a topic for the agenda until the meeting starts."""
    item = services.meeting_topic_propose(
        actor=caller(request),
        meeting=_meeting(request, meeting_id),
        title=payload.title,
        details=payload.details,
    )
    return Status(201, item)
