"""The service sweeps: late and severe complaints escalate (hourly), overdue return
visits are told to the account team (daily). Both are idempotent (see services)."""

from jobbag.core.sweeps import daily, hourly
from jobbag.service.escalation import complaints_escalate
from jobbag.service.visits import visits_overdue_notify


@hourly("service.complaints_escalate")
def escalate_complaints(now=None) -> int:
    return complaints_escalate(now=now)


@daily("service.visits_overdue")
def notify_overdue_visits(today=None) -> int:
    return visits_overdue_notify(today=today)


from jobbag.service.health import sweeps as _health  # noqa: E402, F401
from jobbag.service.surveys import sweeps as _surveys  # noqa: E402, F401
