"""The survey sweeps (daily, idempotent): the completion survey of each job completed
lately that has none (one per job is a database constraint), and each client's periodic
survey when its plan is due (the plan claims its due date before sending)."""

from jobbag.core.sweeps import daily
from jobbag.service.surveys import panels as _panels  # noqa: F401
from jobbag.service.surveys.plans import completion_surveys_send, periodic_surveys_send


@daily("service.surveys_completion")
def send_completion_surveys(today=None) -> int:
    return completion_surveys_send(today=today)


@daily("service.surveys_periodic")
def send_periodic_surveys(today=None) -> int:
    return periodic_surveys_send(today=today)
