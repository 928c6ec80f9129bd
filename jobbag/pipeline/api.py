"""The pipeline over the API, mounted at /pipeline: prospects, their moves, win and loss.

Every change names the version it was made against: a stale one (or a double submit)
answers 409 and records nothing.
"""

from datetime import date, datetime
from decimal import Decimal

from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from jobbag.accounts.models import ClientGroup, User
from jobbag.core.api_support import PagePagination, caller, errors, get_or_404
from jobbag.core.errors import DomainError
from jobbag.core.permissions import require
from jobbag.pipeline import selectors, services
from jobbag.pipeline.models import Source, Stage

router = Router(tags=["pipeline"])

VIEW = "pipeline.view"
GROUP_UNKNOWN = _("Choose one of the client groups.")


class PersonRef(Schema):
    id: int
    username: str
    full_name: str


class CompanyRef(Schema):
    id: int
    code: str
    name: str


class ProspectOut(Schema):
    id: int
    name: str
    industry: str
    source: str
    contact_name: str
    contact_title: str
    contact_phone: str
    contact_email: str
    notes: str
    owner: PersonRef
    stage: Stage
    expected_value: Decimal
    currency: str
    probability: int
    weighted_value: Decimal
    expected_close_on: date | None
    outcome_reason: str
    closed_at: datetime | None
    company: CompanyRef | None
    created_at: datetime
    version: int


class MoveOut(Schema):
    id: int
    from_stage: str
    to_stage: str
    by: PersonRef
    at: datetime
    note: str


class ProspectDetailOut(ProspectOut):
    moves: list[MoveOut] = Field(..., alias="moves_list")


class ProspectFilters(Schema):
    stage: Stage | None = None
    owner: int | None = Field(None, description="Owner's user id.")
    state: str = Field("", pattern="^(|open|won|lost)$", description="open, won or lost.")


class ProspectFields(Schema):
    industry: str = Field("", max_length=100)
    source: Source | None = None
    contact_name: str = Field("", max_length=100)
    contact_title: str = Field("", max_length=100)
    contact_phone: str = Field("", max_length=32)
    contact_email: str = Field("", max_length=254)
    notes: str = ""
    owner: int | None = Field(None, description="Owner's user id; you by default.")
    expected_value: Decimal = Field(Decimal(0), max_digits=14, decimal_places=2)
    currency: str = Field("CNY", max_length=3)
    probability: int = 10
    expected_close_on: date | None = None


class ProspectIn(ProspectFields):
    name: str = Field(..., max_length=200)
    stage: Stage = Stage.COLLECT_INFO


class ProspectPatch(ProspectFields):
    """Only the fields sent are changed; `version` is the one the edit was made against."""

    version: int
    name: str | None = Field(None, max_length=200)


class MoveIn(Schema):
    to: Stage
    version: int
    note: str = ""


class WinIn(Schema):
    version: int
    code: str = Field(..., max_length=12, description="The new client's code, e.g. HAIER.")
    company_name: str = Field("", max_length=200, description="The prospect's name if empty.")
    reason: str = ""
    client_group: int | None = None


class LoseIn(Schema):
    version: int
    reason: str


def _out(prospect):
    """The prospect with its moves read in one more query."""
    prospect.moves_list = list(selectors.moves_of(prospect))
    return prospect


def _visible(request: HttpRequest, pk: int):
    require(caller(request), VIEW)
    return get_or_404(selectors.prospects_for(caller(request)), pk=pk)


def _owner(values: dict) -> None:
    """The owner id as a person; an unknown id is the service's "choose someone" error."""
    if "owner" not in values:
        return
    owner_id = values["owner"]
    if owner_id is None:
        values.pop("owner")
        return
    owner = User.objects.filter(pk=owner_id).first()
    if owner is None:
        raise DomainError(services.INVALID, fields={"owner": services.OWNER_INVALID})
    values["owner"] = owner


def _text(values: dict) -> dict:
    if "source" in values:
        values["source"] = values["source"] or ""
    return values


@router.get("/prospects", response={200: list[ProspectOut], **errors(403)})
@paginate(PagePagination)
def list_prospects(request: HttpRequest, filters: Query[ProspectFilters]):
    """The prospects you may see, newest first."""
    require(caller(request), VIEW)
    return selectors.prospects_for(
        caller(request),
        stage=filters.stage or "",
        owner=filters.owner,
        state=filters.state,
    )


@router.get("/prospects/{prospect_id}", response={200: ProspectDetailOut, **errors(403, 404)})
def get_prospect(request: HttpRequest, prospect_id: int):
    """One prospect with its stage moves; 404 outside what you may see."""
    prospect = _visible(request, prospect_id)
    return _out(prospect)


@router.post("/prospects", response={201: ProspectDetailOut, **errors(400, 403)})
def create_prospect(request: HttpRequest, payload: ProspectIn):
    values = _text(payload.dict())
    _owner(values)
    prospect = services.prospect_create(actor=caller(request), **values)
    return Status(201, _out(_visible(request, prospect.pk)))


@router.patch(
    "/prospects/{prospect_id}", response={200: ProspectDetailOut, **errors(400, 403, 404, 409)}
)
def update_prospect(request: HttpRequest, prospect_id: int, payload: ProspectPatch):
    """Changes the fields sent; 409 when the version is stale."""
    prospect = _visible(request, prospect_id)
    values = _text(payload.dict(exclude_unset=True, exclude={"version"}))
    _owner(values)
    services.prospect_update(
        actor=caller(request), prospect=prospect, expected_version=payload.version, **values
    )
    return _out(_visible(request, prospect_id))


@router.post(
    "/prospects/{prospect_id}/move", response={200: ProspectDetailOut, **errors(400, 403, 404, 409)}
)
def move_prospect(request: HttpRequest, prospect_id: int, payload: MoveIn):
    """Forward one or more stages, or back with a note; won and lost have their own calls."""
    prospect = _visible(request, prospect_id)
    services.prospect_move(
        actor=caller(request),
        prospect=prospect,
        expected_version=payload.version,
        to=payload.to,
        note=payload.note,
    )
    return _out(_visible(request, prospect_id))


@router.post(
    "/prospects/{prospect_id}/win", response={200: ProspectDetailOut, **errors(400, 403, 404, 409)}
)
def win_prospect(request: HttpRequest, prospect_id: int, payload: WinIn):
    """The pitch is won: creates the client (with `code`) and its contact person."""
    prospect = _visible(request, prospect_id)
    group = None
    if payload.client_group is not None:
        group = ClientGroup.objects.filter(pk=payload.client_group).first()
        if group is None:
            raise DomainError(services.INVALID, fields={"client_group": GROUP_UNKNOWN})
    services.prospect_win(
        actor=caller(request),
        prospect=prospect,
        expected_version=payload.version,
        code=payload.code,
        company_name=payload.company_name,
        reason=payload.reason,
        client_group=group,
    )
    return _out(_visible(request, prospect_id))


@router.post(
    "/prospects/{prospect_id}/lose", response={200: ProspectDetailOut, **errors(400, 403, 404, 409)}
)
def lose_prospect(request: HttpRequest, prospect_id: int, payload: LoseIn):
    prospect = _visible(request, prospect_id)
    services.prospect_lose(
        actor=caller(request),
        prospect=prospect,
        expected_version=payload.version,
        reason=payload.reason,
    )
    return _out(_visible(request, prospect_id))
