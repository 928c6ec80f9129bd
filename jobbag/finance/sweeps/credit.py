"""The daily credit-control sweep: overdue invoices escalate to the project owner, the
Marketing Manager and the General Manager, each level once per invoice
(finance.services.credit.credit_notices_send, idempotent)."""

from jobbag.core.sweeps import daily
from jobbag.finance.services.credit import credit_notices_send


@daily("finance.credit_notices")
def send_credit_notices() -> None:
    credit_notices_send()
