"""Home cards of finance; one module per topic."""

from jobbag.finance.home_sections import billing, credit, incentives, time  # noqa: F401
