"""The daily account-health record (idempotent: once per client and day)."""

from jobbag.core.sweeps import daily
from jobbag.service.health.services import health_record


@daily("service.health_record")
def record_health(now=None) -> int:
    return health_record(now=now)
