"""Menu items of finance; one module per topic."""

from jobbag.finance.navigation import billing, credit, incentives, reference, time  # noqa: F401
