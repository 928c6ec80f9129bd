"""The read queries that the service pages, the portal and the API share."""

import statistics
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone
from django.utils.translation import get_language

from jobbag.core.permissions import visible
from jobbag.service.models import (
    OPEN_STATUSES,
    Complaint,
    ComplaintEscalation,
    ReturnVisit,
    ReturnVisitPlan,
)

LIST_RELATED = ["company", "category", "assigned_to", "brand"]


def complaints_for(user) -> QuerySet[Complaint]:
    return visible(user, Complaint.objects.all()).select_related(*LIST_RELATED)


def late_q(now: datetime) -> Q:
    """Open complaints past their first-answer or resolution promise."""
    return Q(status__in=OPEN_STATUSES) & (
        Q(first_answered_at__isnull=True, answer_due_at__lt=now) | Q(resolve_due_at__lt=now)
    )


def filtered(queryset: QuerySet[Complaint], filters: dict, *, now: datetime | None = None):
    """Applies the list's filters (each optional): client, status, severity, category,
    assignee, late, q (subject)."""
    now = now or timezone.now()
    if filters.get("company"):
        queryset = queryset.filter(company=filters["company"])
    status = filters.get("status")
    if status == "open":
        queryset = queryset.filter(status__in=OPEN_STATUSES)
    elif status:
        queryset = queryset.filter(status=status)
    if filters.get("severity"):
        queryset = queryset.filter(severity=filters["severity"])
    if filters.get("category"):
        queryset = queryset.filter(category=filters["category"])
    if filters.get("assignee"):
        queryset = queryset.filter(assigned_to=filters["assignee"])
    if filters.get("late"):
        queryset = queryset.filter(late_q(now))
    if filters.get("q"):
        queryset = queryset.filter(subject__icontains=filters["q"])
    return queryset


def complaint_for(user, pk: int) -> Complaint | None:
    """One complaint the user may see, with everything its page shows."""
    return (
        visible(user, Complaint.objects.filter(pk=pk))
        .select_related(
            "company",
            "brand",
            "job",
            "category",
            "contact",
            "raised_by",
            "assigned_to",
            "resolved_by",
            "visit_assignee",
            "confirmed_by",
            "confirmed_contact",
        )
        .prefetch_related(
            Prefetch(
                "escalations",
                queryset=ComplaintEscalation.objects.prefetch_related("notified"),
            ),
            Prefetch(
                "visits", queryset=ReturnVisit.objects.select_related("visited_by", "contact")
            ),
        )
        .first()
    )


def my_complaints(user, *, now: datetime, shown: int) -> tuple[list[Complaint], int]:
    """Open complaints assigned to the user, the late ones first."""
    queryset = (
        Complaint.objects.filter(assigned_to=user, status__in=OPEN_STATUSES)
        .select_related("company")
        .order_by("resolve_due_at", "pk")
    )
    return list(queryset[:shown]), queryset.count()


def late_complaints(user, *, now: datetime, shown: int) -> tuple[list[Complaint], int]:
    queryset = (
        visible(user, Complaint.objects.filter(late_q(now)))
        .select_related("company")
        .order_by("answer_due_at", "pk")
    )
    return list(queryset[:shown]), queryset.count()


# The report --------------------------------------------------------------------------


@dataclass
class Figures:
    """Counts and times to resolve (in working hours) of one group of complaints."""

    label: str
    count: int = 0
    open: int = 0
    resolved: int = 0
    within_promise: int = 0
    hours: list[Decimal] = field(default_factory=list)

    @property
    def average_hours(self) -> Decimal | None:
        if not self.hours:
            return None
        return (sum(self.hours) / len(self.hours)).quantize(Decimal("0.1"))

    @property
    def median_hours(self) -> Decimal | None:
        if not self.hours:
            return None
        return Decimal(statistics.median(self.hours)).quantize(Decimal("0.1"))

    @property
    def within_rate(self) -> int | None:
        """Percent of the resolved complaints resolved within their promise."""
        if not self.resolved:
            return None
        return round(100 * self.within_promise / self.resolved)

    def add(self, row: dict) -> None:
        self.count += 1
        if row["status"] in OPEN_STATUSES:
            self.open += 1
        if row["hours_to_resolve"] is not None and row["status"] != Complaint.Status.CANCELLED:
            self.resolved += 1
            self.hours.append(row["hours_to_resolve"])
            if row["resolved_within_promise"]:
                self.within_promise += 1


@dataclass
class Report:
    total: Figures
    by_client: list[Figures]
    by_category: list[Figures]
    by_month: list[Figures]


def report(user, *, start: date, end: date) -> Report:
    """Complaints logged from `start` to `end` (inclusive) that the user sees: by client,
    by category and per month; counts, median and average working hours to resolve and
    the share resolved within the promise. One query."""
    rows = (
        visible(user, Complaint.objects.all())
        .filter(logged_at__date__range=(start, end))
        .exclude(status=Complaint.Status.CANCELLED)
        .values(
            "company__code",
            "company__name",
            "category__name_zh",
            "category__name_en",
            "category__order",
            "logged_at",
            "status",
            "hours_to_resolve",
            "resolved_within_promise",
        )
    )
    english = (get_language() or "").startswith("en")
    total = Figures(label="")
    clients: dict[str, Figures] = {}
    categories: dict[tuple, Figures] = {}
    months: dict[str, Figures] = {}
    for row in rows:
        total.add(row)
        client = f"{row['company__code']} {row['company__name']}"
        clients.setdefault(client, Figures(label=client)).add(row)
        name = (english and row["category__name_en"]) or row["category__name_zh"]
        categories.setdefault((row["category__order"], name), Figures(label=name)).add(row)
        month = timezone.localtime(row["logged_at"]).strftime("%Y-%m")
        months.setdefault(month, Figures(label=month)).add(row)
    return Report(
        total=total,
        by_client=sorted(clients.values(), key=lambda f: (-f.count, f.label)),
        by_category=[categories[key] for key in sorted(categories)],
        by_month=[months[key] for key in sorted(months)],
    )


# Return visits -----------------------------------------------------------------------


@dataclass
class DueVisit:
    """A return visit to make: a client's routine one (plan) or a complaint's."""

    company: object
    due_on: date
    plan: ReturnVisitPlan | None = None
    complaint: Complaint | None = None

    def overdue(self, today: date) -> bool:
        return self.due_on < today


def visits_due(user, *, today: date, within_days: int = 30, overdue_only: bool = False):
    """Routine visits due within `within_days` (or overdue) and complaints' scheduled
    return visits not yet recorded, soonest first. Two queries."""
    plans = visible(user, ReturnVisitPlan.objects.filter(is_active=True)).select_related("company")
    due = []
    for plan in plans:
        if (plan.next_due_on - today).days <= within_days:
            due.append(DueVisit(company=plan.company, due_on=plan.next_due_on, plan=plan))
    complaints = (
        visible(user, Complaint.objects.all())
        .filter(status=Complaint.Status.RESOLVED, visit_due_on__isnull=False)
        .select_related("company", "visit_assignee")
    )
    for complaint in complaints:
        due.append(
            DueVisit(company=complaint.company, due_on=complaint.visit_due_on, complaint=complaint)
        )
    if overdue_only:
        due = [item for item in due if item.overdue(today)]
    return sorted(due, key=lambda item: (item.due_on, str(item.company)))


def recent_visits(user, *, limit: int = 20) -> list[ReturnVisit]:
    return list(
        visible(user, ReturnVisit.objects.all()).select_related(
            "company", "visited_by", "contact", "complaint"
        )[:limit]
    )
