"""The job chain's daily sweeps, one module per step (registered on import)."""

from jobbag.jobs import sweeps_closing, sweeps_work_orders  # noqa: F401
