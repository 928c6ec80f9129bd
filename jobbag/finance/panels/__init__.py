"""Job page panels of finance: costing and invoices."""

from jobbag.finance.panels import billing, costing  # noqa: F401
