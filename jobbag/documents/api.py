"""API of the archive under /api/v1/archive/.

- GET `/documents`: search (q, client, company, job, type, level, since, until), newest
  first, in keyset pages: `next` is the `after` of the following page.
- GET `/documents/{id}`: one document's classification, and whether the caller opens it.
- GET `/documents/{id}/content`: the signed HTML and hash (logged; 403, logged, when
  restricted).
- POST `/documents/{id}/borrowings`: ask to borrow it (reason, days 1–30).
- GET `/borrowings`: the caller's borrowings.
- GET `/access-log`: who opened what (admins; filter by document or user).
"""

from datetime import date, datetime

from django.http import HttpRequest
from django.utils import timezone
from ninja import Field, Query, Router, Schema, Status

from jobbag.core.api_support import caller, errors, get_or_404
from jobbag.core.permissions import require, visible
from jobbag.documents import selectors
from jobbag.documents.models import AccessLog, ArchivedDocument, Borrowing
from jobbag.documents.permissions import access
from jobbag.documents.services import borrowing as borrowing_services
from jobbag.documents.services.access import document_open

router = Router(tags=["archive"])


class DocumentRowOut(Schema):
    id: int
    number: str
    title: str
    document_type: str
    type_label: str
    signed_on: date
    level: str
    restricted: bool
    # Empty for a restricted row: its title only.
    company: str = ""
    job_number: str = ""


class PageOut(Schema):
    items: list[DocumentRowOut]
    next: str = Field("", description="Pass as `after` for the next page; empty at the end.")


class DocumentOut(Schema):
    id: int
    number: str
    title: str
    document_type: str
    type_label: str
    revision: int
    signed_on: date
    level: str
    may_open: bool
    borrowed_until: datetime | None = None
    company: str = ""
    brand: str = ""
    job_number: str = ""
    content_hash: str = ""


class ContentOut(Schema):
    id: int
    title: str
    html: str
    content_hash: str


class FilterIn(Schema):
    q: str = ""
    client: str = ""
    company: int | None = None
    job: str = ""
    type: str = ""
    level: str = ""
    since: date | None = None
    until: date | None = None
    after: str = ""


class BorrowIn(Schema):
    reason: str = Field(..., max_length=1000)
    days: int


class BorrowingOut(Schema):
    id: int
    document: int = Field(..., alias="document_id")
    document_title: str
    reason: str
    days: int
    signoff_status: str
    state: str
    created_at: datetime
    starts_at: datetime | None
    ends_at: datetime | None

    @staticmethod
    def resolve_document_title(obj) -> str:
        return obj.document.title

    @staticmethod
    def resolve_state(obj) -> str:
        return obj.state(timezone.now())


class LogOut(Schema):
    id: int
    at: datetime
    user: int = Field(..., alias="user_id")
    user_name: str
    document: int = Field(..., alias="document_id")
    action: str
    outcome: str
    borrowing: int | None = Field(None, alias="borrowing_id")
    file_name: str
    via: str

    @staticmethod
    def resolve_user_name(obj) -> str:
        return str(obj.user)


def _document(request: HttpRequest, document_id: int) -> ArchivedDocument:
    return get_or_404(
        visible(caller(request), ArchivedDocument.objects.select_related("company", "brand")),
        pk=document_id,
    )


@router.get("/documents", response={200: PageOut, **errors(403)})
def search(request: HttpRequest, filters: Query[FilterIn]):
    """A page of the archive, newest first."""
    user = caller(request)
    require(user, "documents.archive.list")
    page = selectors.archive_page(
        user,
        selectors.Filters(
            q=filters.q,
            client=filters.client,
            company=filters.company,
            job=filters.job,
            document_type=filters.type,
            level=filters.level,
            since=filters.since,
            until=filters.until,
        ),
        after=filters.after,
    )
    items = []
    for row in page.rows:
        document, restricted = row.document, row.opens is False
        items.append(
            {
                "id": document.pk,
                "number": document.number,
                "title": document.title,
                "document_type": document.document_type,
                "type_label": document.type_label,
                "signed_on": document.signed_on,
                "level": document.level,
                "restricted": restricted,
                "company": "" if restricted or not document.company else document.company.name,
                "job_number": "" if restricted else document.job_number,
            }
        )
    return {"items": items, "next": page.next_cursor}


@router.get("/documents/{int:document_id}", response={200: DocumentOut, **errors(403, 404)})
def detail(request: HttpRequest, document_id: int):
    user = caller(request)
    document = _document(request, document_id)
    allowed, borrowing = access(user, document)
    out = {
        "id": document.pk,
        "number": document.number,
        "title": document.title,
        "document_type": document.document_type,
        "type_label": document.type_label,
        "revision": document.revision,
        "signed_on": document.signed_on,
        "level": document.level,
        "may_open": allowed,
        "borrowed_until": borrowing.ends_at if borrowing else None,
    }
    if allowed:
        out.update(
            company=document.company.name if document.company else "",
            brand=document.brand.name if document.brand else "",
            job_number=document.job_number,
            content_hash=document.snapshot.content_hash,
        )
    return out


@router.get("/documents/{int:document_id}/content", response={200: ContentOut, **errors(403, 404)})
def content(request: HttpRequest, document_id: int):
    """The signed content; every call is logged, a refused one too (403)."""
    document = _document(request, document_id)
    document_open(
        actor=caller(request),
        document=document,
        action=AccessLog.Action.VIEW,
        via="api",
        ip=request.META.get("REMOTE_ADDR") or None,
    )
    snapshot = document.snapshot
    return {
        "id": document.pk,
        "title": document.title,
        "html": snapshot.html,
        "content_hash": snapshot.content_hash,
    }


@router.post(
    "/documents/{int:document_id}/borrowings",
    response={201: BorrowingOut, **errors(400, 403, 404, 409)},
)
def borrow(request: HttpRequest, document_id: int, payload: BorrowIn):
    """Asks to borrow the document; the requester's department head signs it off."""
    borrowing = borrowing_services.borrowing_request(
        actor=caller(request),
        document=_document(request, document_id),
        reason=payload.reason,
        days=payload.days,
    )
    return Status(201, Borrowing.objects.select_related("document").get(pk=borrowing.pk))


@router.get("/borrowings", response={200: list[BorrowingOut], **errors(403)})
def my_borrowings(request: HttpRequest):
    user = caller(request)
    require(user, "documents.archive.list")
    return list(selectors.my_borrowings(user)[:200])


@router.get("/access-log", response={200: list[LogOut], **errors(403)})
def access_log(request: HttpRequest, document: int | None = None, user: int | None = None):
    """The latest 200 openings (admins), optionally of one document or one user."""
    me = caller(request)
    require(me, "documents.access_log.view")
    filters = selectors.LogFilters(document=document, user=user)
    return list(selectors.access_log(me, filters)[:200])
