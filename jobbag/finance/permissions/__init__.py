"""Permission rules of finance, one module per topic, each with its table."""

from jobbag.finance.permissions import billing, credit, incentives, reference, time  # noqa: F401
