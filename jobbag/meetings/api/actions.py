"""API of the action register under /api/v1/meetings/.

- GET `/actions?mine=1&status=&company=&overdue=1`: the tracked actions you may see,
  open first (paged); client users get their own company's (never a draft report's).
- POST `/actions`: a standalone action for a client (those who work on it).
- GET/PATCH `/actions/{id}`: one action; edit an open one (with `version`; 409 if stale).
- POST `/actions/{id}/close` (`note`): done; ours by its owner or the client's team, the
  client's also by the client's own users. POST `/actions/{id}/cancel` (`reason`).

A closed, cancelled or draft action refuses every change, exactly as on the pages.
"""

from datetime import date, datetime

from django.http import HttpRequest
from django.utils import timezone
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from jobbag.accounts.models import User
from jobbag.clients.models import Company, Contact
from jobbag.core.api_support import PagePagination, caller, errors, get_or_404
from jobbag.core.errors import DomainError
from jobbag.jobs.models import Job
from jobbag.meetings.models import Action, Side
from jobbag.meetings.selectors import actions as selectors
from jobbag.meetings.services import actions as services
from jobbag.meetings.services.common import ACTION_INVALID

router = Router(tags=["meetings"])


class ActionOut(Schema):
    id: int
    company: int = Field(..., alias="company_id")
    company_code: str
    job: int | None = Field(None, alias="job_id")
    report: int | None = Field(None, alias="report_id")
    text: str
    side: str
    owner: int | None = Field(None, alias="owner_id")
    owner_contact: int | None = Field(None, alias="owner_contact_id")
    owner_name: str
    due_on: date
    status: str
    overdue: bool
    closed_at: datetime | None
    closed_by: int | None = Field(None, alias="closed_by_id")
    closed_by_name: str
    closing_note: str
    version: int
    created_at: datetime

    @staticmethod
    def resolve_company_code(obj) -> str:
        return obj.company.code

    @staticmethod
    def resolve_overdue(obj) -> bool:
        return obj.status == Action.Status.OPEN and obj.due_on < timezone.localdate()

    @staticmethod
    def resolve_closed_by_name(obj) -> str:
        return str(obj.closed_by) if obj.closed_by_id else ""


class ActionFilters(Schema):
    mine: bool = False
    status: str = Field("", description="open, done or cancelled; empty for all three")
    company: int | None = None
    overdue: bool = False
    side: str = ""


class ActionIn(Schema):
    company: int
    job: int | None = None
    text: str
    side: Side
    owner: int | None = Field(None, description="Ours: a staff member's id (side agency).")
    owner_contact: int | None = Field(
        None, description="The client's: one of its contacts' ids (side client)."
    )
    due_on: date


class ActionPatch(Schema):
    """Only the fields sent change; `version` is the one the edit was made against."""

    version: int
    job: int | None = None
    text: str | None = None
    side: Side | None = None
    owner: int | None = None
    owner_contact: int | None = None
    due_on: date | None = None


class CloseIn(Schema):
    note: str = Field("", max_length=300)


class CancelIn(Schema):
    reason: str = Field("", max_length=300)


def _action(request: HttpRequest, action_id: int) -> Action:
    return get_or_404(selectors.base(caller(request)), pk=action_id)


def _refs(values: dict) -> dict:
    """Ids sent → rows: an unknown one is a field error (the service checks the rest)."""
    out = dict(values)
    if "owner" in values and values["owner"] is not None:
        out["owner"] = User.objects.filter(pk=values["owner"]).first() or -1
    if "owner_contact" in values and values["owner_contact"] is not None:
        out["owner_contact"] = Contact.objects.filter(pk=values["owner_contact"]).first() or -1
    if "job" in values and values["job"] is not None:
        job = Job.objects.filter(pk=values["job"]).first()
        if job is None:
            raise DomainError(ACTION_INVALID, fields={"job": services.JOB_NOT_OF_CLIENT})
        out["job"] = job
    return out


@router.get("/actions", response={200: list[ActionOut], **errors(403)})
@paginate(PagePagination)
def list_actions(request: HttpRequest, filters: Query[ActionFilters]):
    """The tracked actions you may see, open first (soonest due), then the closed ones."""
    user = caller(request)
    return selectors.actions_for(
        user,
        status=filters.status,
        company=filters.company,
        side=filters.side if filters.side in Side.values else "",
        overdue=filters.overdue,
        mine=filters.mine,
    )


@router.post("/actions", response={201: ActionOut, **errors(400, 403, 404)})
def create_action(request: HttpRequest, payload: ActionIn):
    user = caller(request)
    company = Company.objects.filter(pk=payload.company).first()
    if company is None:
        raise DomainError(ACTION_INVALID, fields={"company": services.COMPANY_UNKNOWN})
    values = _refs(payload.dict(exclude={"company"}))
    action = services.action_create(actor=user, company=company, **values)
    return Status(201, _action(request, action.pk))


@router.get("/actions/{int:action_id}", response={200: ActionOut, **errors(404)})
def get_action(request: HttpRequest, action_id: int):
    return _action(request, action_id)


@router.patch("/actions/{int:action_id}", response={200: ActionOut, **errors(400, 403, 404, 409)})
def update_action(request: HttpRequest, action_id: int, payload: ActionPatch):
    """Edits an open action; 409 when the version is stale or the action is closed."""
    action = _action(request, action_id)
    values = _refs(payload.dict(exclude_unset=True, exclude={"version"}))
    services.action_update(
        actor=caller(request), action=action, expected_version=payload.version, **values
    )
    return _action(request, action_id)


@router.post(
    "/actions/{int:action_id}/close", response={200: ActionOut, **errors(400, 403, 404, 409)}
)
def close_action(request: HttpRequest, action_id: int, payload: CloseIn):
    services.action_close(
        actor=caller(request), action=_action(request, action_id), note=payload.note
    )
    return _action(request, action_id)


@router.post(
    "/actions/{int:action_id}/cancel", response={200: ActionOut, **errors(400, 403, 404, 409)}
)
def cancel_action(request: HttpRequest, action_id: int, payload: CancelIn):
    services.action_cancel(
        actor=caller(request), action=_action(request, action_id), reason=payload.reason
    )
    return _action(request, action_id)
