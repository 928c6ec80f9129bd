"""Opening an archived document's content or one of its files: checked on every
request (level, client, borrowing window) and logged whether allowed or refused."""

from django.utils.translation import gettext_lazy as _

from jobbag.core.errors import NotAllowed
from jobbag.documents.models import AccessLog, ArchivedDocument
from jobbag.documents.permissions import access

RESTRICTED = _(
    "This document is restricted. Ask to borrow it; once your department head approves, "
    "you can open it for the days approved."
)


def document_open(
    *,
    actor,
    document: ArchivedDocument,
    action: str = AccessLog.Action.VIEW,
    file_name: str = "",
    via: str = "page",
    ip: str | None = None,
    now=None,
) -> AccessLog:
    """Logs the attempt, then refuses it (NotAllowed) unless `actor` may open the
    document at `now`. Not atomic on purpose: a refusal is logged too."""
    allowed, borrowing = access(actor, document, now)
    log = AccessLog.objects.create(
        user=actor,
        document=document,
        action=action,
        outcome=AccessLog.Outcome.ALLOWED if allowed else AccessLog.Outcome.REFUSED,
        borrowing=borrowing,
        file_name=file_name[:255],
        via=via,
        ip_address=ip,
    )
    if not allowed:
        raise NotAllowed(RESTRICTED)
    return log
