"""The client's archive in the portal, read the way the staff archive is: the same text
search and filters (documents.selectors.filtered), newest first in keyset pages (the
same cursor), over the rows portal_rules lets the client user see."""

from dataclasses import dataclass

from jobbag.documents import selectors
from jobbag.documents.models import ArchivedDocument
from jobbag.documents.portal_rules import portal_documents

PAGE_SIZE = 20


@dataclass
class PortalPage:
    documents: list[ArchivedDocument]
    next_cursor: str


def portal_page(user, filters: selectors.Filters, *, after: str = "", size: int = PAGE_SIZE):
    """One page of the client's archive, newest first, after `after`. One query."""
    queryset = selectors.filtered(portal_documents(user, ArchivedDocument.objects.all()), filters)
    if after:
        # The staff archive's own keyset step, so both read the same cursor.
        queryset = selectors._after(queryset, after)
    documents = list(queryset.select_related("brand").order_by("-signed_on", "-pk")[: size + 1])
    more = len(documents) > size
    documents = documents[:size]
    return PortalPage(documents, selectors.cursor_of(documents[-1]) if more else "")
