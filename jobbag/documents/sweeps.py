"""The archive's daily sweep: loans that ended are marked expired and the borrower is
told (access itself ends at `ends_at` whatever the sweep does: it is checked on every
opening). Idempotent: `expired_at` marks what was done."""

from jobbag.core.sweeps import daily
from jobbag.documents.services.borrowing import borrowings_expire


@daily("documents.borrowings_expire")
def expire_borrowings() -> None:
    borrowings_expire()
