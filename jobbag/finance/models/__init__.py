"""Finance data, one module per topic: the rate card and tax profiles (reference), time
(time), expenses and close-out cards (costs), invoices and payments (billing), credit
control (credit), commissions, targets and bonuses (incentives)."""

from jobbag.finance.models.billing import (
    ClosedPeriod,
    FinanceSettings,
    Invoice,
    InvoiceLine,
    InvoiceSeries,
    Payment,
    PaymentAllocation,
    Retainer,
)
from jobbag.finance.models.costs import Expense, JobCloseOut
from jobbag.finance.models.credit import CreditNotice, CreditOverride
from jobbag.finance.models.incentives import (
    BonusTier,
    Commission,
    CommissionCredit,
    CommissionRule,
    CommissionShare,
    Participant,
    Target,
)
from jobbag.finance.models.reference import RateItem, TaxComponent, TaxProfile
from jobbag.finance.models.time import CostRate, TimeEntry, Timesheet

__all__ = [
    "BonusTier",
    "ClosedPeriod",
    "Commission",
    "CommissionCredit",
    "CommissionRule",
    "CommissionShare",
    "CostRate",
    "CreditNotice",
    "CreditOverride",
    "Expense",
    "FinanceSettings",
    "Invoice",
    "InvoiceLine",
    "InvoiceSeries",
    "JobCloseOut",
    "Participant",
    "Payment",
    "PaymentAllocation",
    "RateItem",
    "Retainer",
    "Target",
    "TaxComponent",
    "TaxProfile",
    "TimeEntry",
    "Timesheet",
]
