"""Who may see and do what in the job chain: the job itself here (who sees a job decides
who sees its documents), each step's own rules in the module named after it."""

from jobbag.jobs.permissions import (  # noqa: F401
    changes,
    closing,
    jobs,
    plans,
    quotes,
    reviews,
    work_orders,
)
