"""The job chain's documents registered with the sign-off engine, one module per step."""

from jobbag.jobs.signoffs import (  # noqa: F401
    changes,
    closing,
    quotes,
    reviews,
    work_orders,
)
