"""Client service data, one module per topic: complaints, return visits and the
service settings (complaints), satisfaction surveys (surveys), account health (health)."""

from jobbag.service.models.complaints import (
    OPEN_STATUSES,
    SETTLING_STATUSES,
    URGENT_SEVERITIES,
    Complaint,
    ComplaintCategory,
    ComplaintEscalation,
    ReturnVisit,
    ReturnVisitPlan,
    ServiceSettings,
    Severity,
    SeverityTarget,
)

__all__ = [
    "OPEN_STATUSES",
    "SETTLING_STATUSES",
    "URGENT_SEVERITIES",
    "Complaint",
    "ComplaintCategory",
    "ComplaintEscalation",
    "ReturnVisit",
    "ReturnVisitPlan",
    "ServiceSettings",
    "Severity",
    "SeverityTarget",
]

# Surveys and account health export their models through their own __all__.
from jobbag.service.models.health import *  # noqa: E402, F403
from jobbag.service.models.surveys import *  # noqa: E402, F403
