"""Periodic sweeps of finance; one module per topic."""

from jobbag.finance.sweeps import billing, credit, incentives, time  # noqa: F401
