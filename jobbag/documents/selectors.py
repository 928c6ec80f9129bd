"""Read queries of the archive that pages, API and the benchmark share.

The list is read newest first in keyset pages (after the last row of the page before),
so no page counts the whole table and every filter walks an index in the list's order.
"""

from dataclasses import dataclass, field
from datetime import date

from django.db.models import Q, QuerySet
from django.utils import timezone

from jobbag.approvals.models import Decision, SignoffStatus
from jobbag.clients.models import Company
from jobbag.clients.permissions import confidential_company_ids
from jobbag.core.permissions import visible
from jobbag.documents.models import AccessLog, ArchivedDocument, Borrowing
from jobbag.documents.permissions import (
    is_manager,
    open_borrowings,
    right_to_open,
    signed_by,
)

PAGE_SIZE = 30
LOG_PAGE_SIZE = 50


@dataclass
class Filters:
    q: str = ""
    client: str = ""
    company: int | None = None
    job: str = ""
    document_type: str = ""
    level: str = ""
    since: date | None = None
    until: date | None = None


def filtered(queryset: QuerySet[ArchivedDocument], filters: Filters) -> QuerySet:
    if filters.q.strip():
        queryset = queryset.filter(search__contains=filters.q.strip().lower())
    if filters.company:
        queryset = queryset.filter(company_id=filters.company)
    if filters.client.strip():
        text = filters.client.strip()
        queryset = queryset.filter(
            company__in=Company.objects.filter(Q(code__iexact=text) | Q(name__icontains=text))
        )
    if filters.job.strip():
        queryset = queryset.filter(job_number=filters.job.strip())
    if filters.document_type:
        queryset = queryset.filter(document_type=filters.document_type)
    if filters.level:
        queryset = queryset.filter(level=filters.level)
    if filters.since:
        queryset = queryset.filter(signed_on__gte=filters.since)
    if filters.until:
        queryset = queryset.filter(signed_on__lte=filters.until)
    return queryset


def cursor_of(document: ArchivedDocument) -> str:
    return f"{document.signed_on.isoformat()}_{document.pk}"


def _after(queryset, cursor: str):
    try:
        day, pk = cursor.split("_", 1)
        day, pk = date.fromisoformat(day), int(pk)
    except (ValueError, AttributeError):
        return queryset
    return queryset.filter(Q(signed_on__lt=day) | Q(signed_on=day, pk__lt=pk))


@dataclass
class Row:
    document: ArchivedDocument
    # False when the user may not open it (shown as its title only, marked restricted);
    # None when only the document's own rules can tell (decided on its page).
    opens: bool | None
    borrowed_until: object = None


@dataclass
class Page:
    rows: list[Row] = field(default_factory=list)
    next_cursor: str = ""


def archive_page(
    user, filters: Filters, *, after: str = "", size: int = PAGE_SIZE, now=None
) -> Page:
    """One page of the archive as `user` sees it, newest first, after `after`."""
    queryset = filtered(visible(user, ArchivedDocument.objects.all()), filters)
    if after:
        queryset = _after(queryset, after)
    documents = list(
        queryset.select_related("company", "brand").order_by("-signed_on", "-pk")[: size + 1]
    )
    more = len(documents) > size
    documents = documents[:size]
    ids = None if is_manager(user) else confidential_company_ids(user)
    borrowed = dict(
        open_borrowings(user, now)
        .filter(document__in=[d.pk for d in documents])
        .values_list("document_id", "ends_at")
    )
    signed = signed_by(user, [d.approval_id for d in documents if d.approval_id])
    rows = []
    for document in documents:
        opens = right_to_open(
            user, document, ids, exact=False, signed=document.approval_id in signed
        )
        if document.pk in borrowed:
            opens = True
        rows.append(Row(document=document, opens=opens, borrowed_until=borrowed.get(document.pk)))
    return Page(rows=rows, next_cursor=cursor_of(documents[-1]) if more else "")


def document_for(user, pk: int) -> ArchivedDocument | None:
    return (
        visible(user, ArchivedDocument.objects.filter(pk=pk))
        .select_related("company", "brand", "job", "snapshot", "approval__submitted_by")
        .prefetch_related("snapshot__files")
        .first()
    )


def decisions_of(document: ArchivedDocument) -> list[Decision]:
    """Who signed the document's sign-off, in order (its evidence)."""
    if document.approval_id is None:
        return []
    return list(
        Decision.objects.filter(approval_id=document.approval_id)
        .select_related("step", "decided_by", "on_behalf_of")
        .order_by("decided_at", "pk")
    )


def borrowings_of(user, document: ArchivedDocument) -> list[Borrowing]:
    return list(
        Borrowing.objects.filter(requester=user, document=document).order_by("-created_at", "-pk")
    )


def my_borrowings(user) -> QuerySet[Borrowing]:
    return (
        Borrowing.objects.filter(requester=user)
        .select_related("document", "department")
        .order_by("-created_at", "-pk")
    )


def borrowing_state(borrowing: Borrowing, now=None) -> str:
    return borrowing.state(now or timezone.now())


def pending_borrowings(user) -> QuerySet[Borrowing]:
    return my_borrowings(user).filter(signoff_status=SignoffStatus.SUBMITTED)


@dataclass
class LogFilters:
    document: int | None = None
    user: int | None = None


def access_log(user, filters: LogFilters) -> QuerySet[AccessLog]:
    queryset = visible(user, AccessLog.objects.all())
    if filters.document:
        queryset = queryset.filter(document_id=filters.document)
    if filters.user:
        queryset = queryset.filter(user_id=filters.user)
    return queryset.select_related("user", "document", "borrowing").order_by("-at", "-pk")
