"""The archive in the client portal: which archived documents a client user sees, and
their opening, logged in the archive's access log like every staff opening.

A client user sees a filed document only when all of these hold:

| condition             | rule                                                          |
| --------------------- | ------------------------------------------------------------- |
| client                | the document's client is the user's own company               |
| document type         | one meant for the client (CLIENT_TYPES below)                 |
| confidentiality       | confidential: the business secrets that belong to the client  |
|                       | (SPEC §9: quotes, contracts, … leave the agency only to their |
|                       | client). Internal documents (staff only) and secret ones      |
|                       | (management only) never reach the portal.                     |

Document types and whether the client sees them:

| type            | portal | why                                                      |
| --------------- | ------ | -------------------------------------------------------- |
| quote           | yes    | the estimate the client signed back                      |
| contract        | yes    | signed by both parties                                   |
| contact_report  | yes    | sent to the client's people after every decision        |
| creative_final  | yes    | the final artwork the client countersigned               |
| media_schedule  | yes    | the media schedule the client confirmed                  |
| work_order      | no     | the agency's instructions to its departments             |
| change_notice   | no     | the agency's notice to its departments                   |
| review          | no     | the agency's review minutes                              |
| acceptance      | no     | the agency's own check of produced items                 |
| summary         | no     | the project summary to the Marketing Manager             |
| borrowing       | no     | the archive's own loans                                  |
| anything else   | no     | (a new type is internal until it is added here)          |

Admins change a type's confidentiality on the archive's rules page: a client type set
to internal or secret leaves the portal at once.

| action                      | who                                                     |
| --------------------------- | ------------------------------------------------------- |
| documents.portal.list       | client users of a company                               |
| documents.portal.open (doc) | client users of its company, when the tables above let  |
|                             | them; staff never (they use the archive)                |

Anything else is a 404 in the portal, and an attempt on an existing document is logged
as refused.
"""

from django.db.models import QuerySet

from jobbag.accounts.models import User
from jobbag.core.errors import NotFound
from jobbag.core.permissions import rule
from jobbag.documents.models import AccessLog, ArchivedDocument, Level

CLIENT_TYPES = frozenset(
    {"quote", "contract", "contact_report", "creative_final", "media_schedule"}
)
CLIENT_LEVELS = frozenset({Level.CONFIDENTIAL})


def is_client_user(user) -> bool:
    return (
        user is not None
        and user.is_authenticated
        and user.is_active
        and user.kind == User.Kind.CLIENT
        and user.company_id is not None
    )


def portal_documents(user, queryset: QuerySet[ArchivedDocument]) -> QuerySet[ArchivedDocument]:
    """The rows of `queryset` that `user` sees in the portal."""
    if not is_client_user(user):
        return queryset.none()
    return queryset.filter(
        company_id=user.company_id, document_type__in=CLIENT_TYPES, level__in=CLIENT_LEVELS
    )


def shown_to_client(user, document: ArchivedDocument) -> bool:
    return (
        is_client_user(user)
        and document.company_id == user.company_id
        and document.document_type in CLIENT_TYPES
        and document.level in CLIENT_LEVELS
    )


@rule("documents.portal.list")
def can_list(user, obj=None) -> bool:
    return is_client_user(user)


@rule("documents.portal.open")
def can_open(user, obj=None) -> bool:
    if obj is None:
        return is_client_user(user)
    return shown_to_client(user, obj)


def portal_document_open(
    *,
    actor,
    document: ArchivedDocument,
    action: str = AccessLog.Action.VIEW,
    file_name: str = "",
    ip: str | None = None,
) -> AccessLog:
    """Logs a client user's opening of `document` (via the portal), then refuses it as
    not found unless they may open it. Not atomic on purpose: a refusal is logged too."""
    allowed = shown_to_client(actor, document)
    log = AccessLog.objects.create(
        user=actor,
        document=document,
        action=action,
        outcome=AccessLog.Outcome.ALLOWED if allowed else AccessLog.Outcome.REFUSED,
        file_name=file_name[:255],
        via="portal",
        ip_address=ip,
    )
    if not allowed:
        raise NotFound()
    return log
