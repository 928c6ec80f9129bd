"""The job chain (SPEC §4): 接单 → 评审 → 下单 → 跟单 → 验收 → 小结. One module per step."""

from jobbag.jobs.models.acceptance import Acceptance, AcceptanceItem
from jobbag.jobs.models.changes import ChangeNotice
from jobbag.jobs.models.jobs import (
    REQUIREMENT_FIELDS,
    Job,
    JobNumberCounter,
    JobSettings,
    OrderKind,
    Stage,
)
from jobbag.jobs.models.plans import FollowUpIssue, PlanTask
from jobbag.jobs.models.quotes import QuoteLine, QuoteVersion
from jobbag.jobs.models.reviews import Review, ReviewDuty
from jobbag.jobs.models.summaries import JobSummary
from jobbag.jobs.models.work_orders import Acknowledgement, WorkOrder

__all__ = [
    "REQUIREMENT_FIELDS",
    "Acceptance",
    "AcceptanceItem",
    "Acknowledgement",
    "ChangeNotice",
    "FollowUpIssue",
    "Job",
    "JobNumberCounter",
    "JobSettings",
    "JobSummary",
    "OrderKind",
    "PlanTask",
    "QuoteLine",
    "QuoteVersion",
    "Review",
    "ReviewDuty",
    "Stage",
    "WorkOrder",
]
