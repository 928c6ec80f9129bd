"""Borrowing (借阅) a restricted archived document: the request goes through the
sign-off engine (the requester's department head signs); approved, it opens the
document from the moment of approval for the days asked; the daily sweep marks ended
loans expired and tells the borrower. Access itself is re-checked on every opening."""

from datetime import timedelta

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jobbag.accounts.models import Department, User
from jobbag.approvals.models import SignoffStatus
from jobbag.approvals.services import approval_submit
from jobbag.core import audit
from jobbag.core.errors import Conflict, DomainError
from jobbag.core.notifications import notify
from jobbag.core.permissions import require
from jobbag.documents.models import ArchivedDocument, Borrowing
from jobbag.documents.permissions import open_borrowings, right_to_open

MIN_DAYS, MAX_DAYS = 1, 30
REASON_MAX = 1000
REASON_REQUIRED = _("Say why you need the document.")
REASON_TOO_LONG = _("Keep the reason to 1,000 characters or fewer.")
DAYS_RANGE = _("Ask for 1 to 30 days.")
ALREADY_OPEN = _("You can open this document already; there is nothing to borrow.")
ALREADY_PENDING = _("Your request to borrow this document is already waiting for sign-off.")
ALREADY_BORROWED = _("You have borrowed this document already and the loan is still open.")
NO_LEADER = _(
    "Nobody above you can approve the request: your department has no head other than "
    "you. Ask an administrator to set the department heads."
)


def leader_department(user: User) -> Department | None:
    """The department whose head signs `user`'s request: the nearest one up from theirs
    with an active head who is not `user` themselves."""
    pk, seen = user.department_id, set()
    while pk is not None and pk not in seen:
        seen.add(pk)
        department = Department.objects.select_related("head").filter(pk=pk).first()
        if department is None:
            return None
        head = department.head
        if head is not None and head.is_active and head.pk != user.pk:
            return department
        pk = department.parent_id
    return None


def _days(value) -> int | None:
    try:
        days = int(value)
    except (TypeError, ValueError):
        return None
    return days if MIN_DAYS <= days <= MAX_DAYS else None


@transaction.atomic
def borrowing_request(
    *, actor: User, document: ArchivedDocument, reason: str, days, now=None
) -> Borrowing:
    """Asks to borrow `document` for `days` (1–30) and sends the request for sign-off."""
    require(actor, "documents.archive.list")
    reason = (reason or "").strip()
    errors = {}
    if not reason:
        errors["reason"] = REASON_REQUIRED
    elif len(reason) > REASON_MAX:
        errors["reason"] = REASON_TOO_LONG
    days = _days(days)
    if days is None:
        errors["days"] = DAYS_RANGE
    if errors:
        raise DomainError(next(iter(errors.values())), fields=errors)
    # One request at a time per document: the row lock orders two at once.
    document = ArchivedDocument.objects.select_for_update(of=("self",)).get(pk=document.pk)
    if right_to_open(actor, document):
        raise DomainError(ALREADY_OPEN)
    mine = Borrowing.objects.filter(requester=actor, document=document)
    if mine.filter(signoff_status=SignoffStatus.SUBMITTED).exists():
        raise Conflict(ALREADY_PENDING)
    if open_borrowings(actor, now).filter(document=document).exists():
        raise Conflict(ALREADY_BORROWED)
    department = leader_department(actor)
    if department is None:
        raise DomainError(NO_LEADER)
    borrowing = Borrowing.objects.create(
        document=document, requester=actor, department=department, reason=reason, days=days
    )
    audit.record_create(actor=actor, obj=borrowing)
    approval_submit(actor=actor, document=borrowing)
    borrowing.refresh_from_db()
    return borrowing


def borrowing_on_closed(borrowing: Borrowing, approval, actor) -> None:
    """Approved: the loan opens now for the days asked. Otherwise nothing opens."""
    from jobbag.approvals.models import Approval

    if approval.status != Approval.Status.APPROVED:
        return
    starts = approval.closed_at or timezone.now()
    borrowing.starts_at = starts
    borrowing.ends_at = starts + timedelta(days=borrowing.days)
    Borrowing.objects.filter(pk=borrowing.pk).update(
        starts_at=borrowing.starts_at, ends_at=borrowing.ends_at
    )
    ends = borrowing.ends_at
    title = borrowing.document.title
    notify(
        recipients=[borrowing.requester],
        message=lambda: (
            _("You may open %(title)s until %(ends)s.")
            % {"title": title, "ends": timezone.localtime(ends).strftime("%Y-%m-%d %H:%M")}
        ),
        link=reverse("documents:archive_detail", args=[borrowing.document_id]),
    )


def borrowings_expire(*, now=None) -> int:
    """Marks the loans that ended by `now` expired and tells each borrower, once."""
    now = now or timezone.now()
    ended = Borrowing.objects.filter(
        signoff_status=SignoffStatus.APPROVED, ends_at__lte=now, expired_at__isnull=True
    ).values_list("pk", flat=True)
    count = 0
    for pk in list(ended):
        with transaction.atomic():
            borrowing = (
                Borrowing.objects.select_for_update(of=("self",))
                .select_related("document", "requester")
                .get(pk=pk)
            )
            if borrowing.expired_at is not None:
                continue
            borrowing.expired_at = now
            borrowing.save(update_fields=["expired_at"])
            title = borrowing.document.title
            notify(
                recipients=[borrowing.requester],
                message=lambda title=title: (
                    _("Your loan of %(title)s has ended; the document is closed to you again.")
                    % {"title": title}
                ),
                link=reverse("documents:borrowings"),
                email=True,
            )
            count += 1
    return count
