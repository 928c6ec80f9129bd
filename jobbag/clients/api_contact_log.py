"""The contact log over the API, mounted in jobbag/api.py at /clients/.

A company's log is read and added to by its team (404 for anyone else, as on the pages:
the selectors raise Http404, which the API answers in its error shape);
an entry is edited by its author or an admin, naming the version it was loaded at.
"""

from datetime import date, datetime

from django.http import HttpRequest
from ninja import Field, Router, Schema, Status
from ninja.pagination import paginate

from jobbag.clients import selectors_contact_log as selectors
from jobbag.clients.services import contact_log as services
from jobbag.core.api_support import PagePagination, caller, errors

router = Router(tags=["contact log"])


class PersonRef(Schema):
    id: int
    name: str


class EntryOut(Schema):
    id: int
    company_id: int
    brand_id: int | None
    kind: str
    occurred_at: datetime
    staff: list[PersonRef]
    contacts: list[PersonRef]
    discussed: str
    next_step: str
    next_step_due: date | None
    next_step_done_at: datetime | None
    created_by_id: int
    version: int

    @staticmethod
    def resolve_staff(entry) -> list[dict]:
        return [{"id": user.pk, "name": str(user)} for user in entry.staff.all()]

    @staticmethod
    def resolve_contacts(entry) -> list[dict]:
        return [{"id": contact.pk, "name": contact.name} for contact in entry.contacts.all()]


class EntryIn(Schema):
    kind: str = Field(..., description="visit, call or received")
    occurred_at: datetime
    discussed: str = Field(..., max_length=10_000)
    staff: list[int] = Field([], description="Our people (user ids); you are always included.")
    contacts: list[int] = Field([], description="The client's people (contact ids).")
    brand: int | None = None
    next_step: str = Field("", max_length=10_000)
    next_step_due: date | None = None


class EntryPatch(Schema):
    """Only the fields sent are changed; `version` is the one the edit was made against."""

    version: int
    kind: str | None = None
    occurred_at: datetime | None = None
    discussed: str | None = Field(None, max_length=10_000)
    staff: list[int] | None = None
    contacts: list[int] | None = None
    brand: int | None = None
    next_step: str | None = Field(None, max_length=10_000)
    next_step_due: date | None = None


@router.get("/{int:company_id}/log", response={200: list[EntryOut], **errors(404)})
@paginate(PagePagination)
def list_entries(request: HttpRequest, company_id: int):
    """A company's contact log, newest first."""
    return selectors.entries_of_company(selectors.company_for_log(caller(request), company_id))


@router.post("/{int:company_id}/log", response={201: EntryOut, **errors(400, 403, 404)})
def create_entry(request: HttpRequest, company_id: int, payload: EntryIn):
    """Logs a visit made, a call or a visit received."""
    entry = services.contact_log_add(
        actor=caller(request),
        company=selectors.company_for_log(caller(request), company_id),
        **payload.dict(),
    )
    return Status(201, selectors.entry_for_user(caller(request), entry.pk))


@router.patch("/log-entries/{int:entry_id}", response={200: EntryOut, **errors(400, 403, 404, 409)})
def edit_entry(request: HttpRequest, entry_id: int, payload: EntryPatch):
    """Changes the fields sent; 409 when the version is stale."""
    fields = payload.dict(exclude_unset=True, exclude={"version"})
    services.contact_log_edit(
        actor=caller(request),
        entry=selectors.entry_for_user(caller(request), entry_id),
        expected_version=payload.version,
        **fields,
    )
    return selectors.entry_for_user(caller(request), entry_id)


@router.post(
    "/log-entries/{int:entry_id}/next-step-done",
    response={200: EntryOut, **errors(400, 403, 404, 409)},
)
def next_step_done(request: HttpRequest, entry_id: int):
    services.contact_log_next_step_done(
        actor=caller(request), entry=selectors.entry_for_user(caller(request), entry_id)
    )
    return selectors.entry_for_user(caller(request), entry_id)
