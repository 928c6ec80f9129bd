"""The archive in the sign-off engine: borrowing requests are a document kind (signed by
the requester's department head), and every approved document of every kind is filed
by the `on_approved` hook, inside the transaction that approves it."""

from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from jobbag.approvals.hooks import on_approved
from jobbag.approvals.registry import Content, DocumentKind, Subject, register
from jobbag.documents.models import Borrowing
from jobbag.documents.permissions import may_view_borrowing
from jobbag.documents.services.borrowing import borrowing_on_closed
from jobbag.documents.services.filing import archive_file


def describe(borrowing: Borrowing) -> Subject:
    # No client: a borrowing is an internal request, never shown in the portal.
    return Subject(
        title=f"{borrowing.document.number} {borrowing.document.title} · {borrowing.requester}",
        revision=borrowing.revision,
        department=borrowing.department,
    )


def render(borrowing: Borrowing) -> Content:
    document = borrowing.document
    data = {
        "document": document.pk,
        "number": document.number,
        "title": document.title,
        "level": document.level,
        "requester": borrowing.requester.username,
        "reason": borrowing.reason,
        "days": borrowing.days,
    }
    html = render_to_string(
        "documents/signed/borrowing.html", {"borrowing": borrowing, "document": document}
    )
    return Content(html=html, data=data)


def url(borrowing: Borrowing) -> str:
    return reverse("documents:archive_detail", args=[borrowing.document_id])


def may_submit(user, borrowing: Borrowing) -> bool:
    return borrowing.requester_id == user.pk


register(
    DocumentKind(
        document_type="borrowing",
        model=Borrowing,
        label=_("Archive borrowing"),
        describe=describe,
        render=render,
        url=url,
        on_closed=borrowing_on_closed,
        may_submit=may_submit,
        may_view=may_view_borrowing,
    )
)


@on_approved
def file_approved(approval, document, actor) -> None:
    archive_file(approval=approval, document=document)
