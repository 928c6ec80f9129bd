"""Who may see and open the archive. Read as a table:

| action                          | who                                                     |
| ------------------------------- | ------------------------------------------------------- |
| documents.archive.list          | staff: every filed row's classification (client names   |
|                                 | are public to staff); a row they may not open shows its |
|                                 | title only, marked restricted. Client users: nothing.   |
| documents.archive.open (doc)    | whoever signed it (or a deputy for them), else by       |
|                                 | level, or with an approved, unexpired borrowing:        |
|   internal                      | admins, management (GM, deputy GM), whoever sees the    |
|                                 | client confidentially (its service team, their          |
|                                 | superiors, deputies), whoever may view the signed       |
|                                 | document through its kind's `may_view`                 |
|   confidential                  | admins, management, whoever sees the client             |
|                                 | confidentially                                          |
|   secret                        | admins, management                                      |
|                                 |                                                         |
| documents.borrowing.request     | staff who may not open the document by right            |
|   (doc)                         | (approved by the requester's department head through    |
|                                 | the sign-off engine; never by the requester)            |
| documents.access_log.view       | admins                                                  |
| documents.rules.manage          | admins (the default level of each document type)        |

Every view and download of content, allowed or refused, is written to the access log.
"""

from django.db.models import Q
from django.utils import timezone

from jobbag.accounts.models import MANAGEMENT_ROLES, User
from jobbag.approvals import registry
from jobbag.approvals.models import Decision, SignoffStatus
from jobbag.clients.permissions import confidential_company_ids
from jobbag.core.permissions import rule, scope
from jobbag.documents.models import AccessLog, ArchivedDocument, Borrowing, Level


def is_staff(user) -> bool:
    return (
        user is not None
        and user.is_authenticated
        and user.is_active
        and user.kind == User.Kind.STAFF
    )


def is_manager(user) -> bool:
    return is_staff(user) and (user.is_admin or user.role in MANAGEMENT_ROLES)


def _signed_document(document: ArchivedDocument):
    try:
        kind = registry.kind_named(document.document_type)
    except KeyError:
        return None, None
    return kind, kind.model._default_manager.filter(pk=document.object_id).first()


def signed_by(user, approval_ids) -> set[int]:
    """Which of `approval_ids` `user` decided a step of (or a deputy did for them)."""
    return set(
        Decision.objects.filter(approval_id__in=approval_ids)
        .filter(Q(decided_by=user) | Q(on_behalf_of=user))
        .values_list("approval_id", flat=True)
    )


def right_to_open(
    user, document: ArchivedDocument, company_ids=..., *, exact: bool = True, signed=None
):
    """Whether `user` opens `document` by right (without a borrowing). `company_ids` is
    confidential_company_ids(user) and `signed` whether they signed it, when the caller
    has them already. With exact=False an internal document whose answer needs its
    kind's may_view gives None (unknown)."""
    if not is_staff(user):
        return False
    if is_manager(user):
        return True
    if signed is None:
        signed = document.approval_id is not None and bool(signed_by(user, [document.approval_id]))
    if signed:
        return True
    if document.level == Level.SECRET:
        return False
    if company_ids is ...:
        company_ids = confidential_company_ids(user)
    if document.company_id is not None and (
        company_ids is None or document.company_id in company_ids
    ):
        return True
    if document.level == Level.CONFIDENTIAL:
        return False
    if not exact:
        return None
    kind, signed = _signed_document(document)
    return bool(signed is not None and kind.may_view(user, signed))


def open_borrowings(user, now=None):
    """The user's borrowings open at `now`."""
    now = now or timezone.now()
    return Borrowing.objects.filter(
        requester=user,
        signoff_status=SignoffStatus.APPROVED,
        starts_at__lte=now,
        ends_at__gt=now,
    )


def access(user, document: ArchivedDocument, now=None) -> tuple[bool, Borrowing | None]:
    """Whether `user` may open `document` at `now`, and the borrowing it is opened under
    (None when they open it by right)."""
    if not is_staff(user):
        return False, None
    if right_to_open(user, document):
        return True, None
    borrowing = open_borrowings(user, now).filter(document=document).order_by("-ends_at").first()
    return borrowing is not None, borrowing


@rule("documents.archive.list")
def can_list(user, obj=None) -> bool:
    return is_staff(user)


@rule("documents.archive.open")
def can_open(user, obj=None) -> bool:
    if obj is None:
        return is_staff(user)
    return access(user, obj)[0]


@rule("documents.borrowing.request")
def can_request_borrowing(user, obj=None) -> bool:
    if not is_staff(user):
        return False
    return obj is None or not right_to_open(user, obj)


@rule("documents.access_log.view")
def can_view_access_log(user, obj=None) -> bool:
    return is_staff(user) and user.is_admin


@rule("documents.rules.manage")
def can_manage_rules(user, obj=None) -> bool:
    return is_staff(user) and user.is_admin


def may_view_borrowing(user, borrowing: Borrowing) -> bool:
    """The borrowing's own page of evidence: its requester, management and admins (its
    signers see it through the sign-off engine)."""
    return is_staff(user) and (borrowing.requester_id == user.pk or is_manager(user))


@scope(ArchivedDocument)
def visible_documents(user, queryset):
    """Staff see every filed row (its classification); client users none."""
    return queryset if is_staff(user) else queryset.none()


@scope(Borrowing)
def visible_borrowings(user, queryset):
    if not is_staff(user):
        return queryset.none()
    return queryset if is_manager(user) else queryset.filter(requester=user)


@scope(AccessLog)
def visible_access_log(user, queryset):
    return queryset if can_view_access_log(user) else queryset.none()


# The client-side rules of the archive (the portal pages) register with the others.
from jobbag.documents import portal_rules  # noqa: E402, F401
