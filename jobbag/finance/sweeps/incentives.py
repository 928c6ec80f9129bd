"""The daily commissions sweep: every job with a signed quote whose commissions may
still change is refreshed (rows written once the quote is signed back; pending ones made
payable once the client has paid in full). Idempotent, see
finance.services.incentives.commissions_refresh."""

from jobbag.core.sweeps import daily
from jobbag.finance.services.incentives import commissions_refresh_all


@daily("finance.commissions_refresh")
def refresh_commissions() -> None:
    commissions_refresh_all()
