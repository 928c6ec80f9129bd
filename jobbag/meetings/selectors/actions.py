"""Read queries of the action register that pages, the portal, the home card, the API
and the sweep share. Every list is scoped through `visible` and reads its related rows
in the same query, so a page costs the same with 3 rows or 30."""

from datetime import date, timedelta

from django.db.models import Case, Count, F, IntegerField, Q, QuerySet, Value, When
from django.utils import timezone

from jobbag.clients.models import Company
from jobbag.core.permissions import visible
from jobbag.meetings.models import Action

# The status filter: every tracked action, or one status. Drafts are not tracked yet.
OPEN, DONE, CANCELLED = Action.Status.OPEN, Action.Status.DONE, Action.Status.CANCELLED
TRACKED = [OPEN, DONE, CANCELLED]
# The due filter of "my actions".
DUE_OVERDUE, DUE_TODAY, DUE_WEEK = "overdue", "today", "week"

RELATED = (
    "company",
    "job",
    "owner",
    "owner_contact",
    "report",
    "closed_by",
)


def base(user) -> QuerySet[Action]:
    return visible(user, Action.objects.all()).select_related(*RELATED)


def open_first(queryset: QuerySet[Action]) -> QuerySet[Action]:
    """Open ones first, soonest due first; then the closed ones, latest closed first."""
    rank = Case(When(status=OPEN, then=Value(0)), default=Value(1), output_field=IntegerField())
    return queryset.annotate(rank=rank).order_by(
        "rank", F("closed_at").desc(nulls_first=True), "due_on", "pk"
    )


def _status(queryset: QuerySet[Action], status: str) -> QuerySet[Action]:
    if status in TRACKED:
        return queryset.filter(status=status)
    return queryset.filter(status__in=TRACKED)


def _due(queryset: QuerySet[Action], due: str, today: date) -> QuerySet[Action]:
    if due == DUE_OVERDUE:
        return queryset.filter(status=OPEN, due_on__lt=today)
    if due == DUE_TODAY:
        return queryset.filter(status=OPEN, due_on=today)
    if due == DUE_WEEK:
        return queryset.filter(status=OPEN, due_on__gte=today, due_on__lte=today + timedelta(7))
    return queryset


def my_actions(
    user, *, status: str = "", company: int | None = None, due: str = "", today=None
) -> QuerySet[Action]:
    """The tracked actions `user` owns, open first."""
    today = today or timezone.localdate()
    queryset = _status(Action.objects.filter(owner=user).select_related(*RELATED), status)
    if company:
        queryset = queryset.filter(company_id=company)
    return open_first(_due(queryset, due, today))


def my_companies(user) -> QuerySet[Company]:
    """The clients of the actions `user` owns (the filter's choices)."""
    owned = Action.objects.filter(owner=user, status__in=TRACKED).values("company")
    return Company.objects.filter(pk__in=owned).order_by("code")


def actions_for(
    user,
    *,
    status: str = "",
    company: int | None = None,
    job: str = "",
    owner: int | None = None,
    side: str = "",
    overdue: bool = False,
    mine: bool = False,
    today=None,
) -> QuerySet[Action]:
    """The register: the tracked actions `user` may see, filtered, open first."""
    today = today or timezone.localdate()
    queryset = _status(base(user), status)
    if company:
        queryset = queryset.filter(company_id=company)
    if job:
        queryset = queryset.filter(job__number__icontains=job.strip())
    if owner:
        queryset = queryset.filter(owner_id=owner)
    if side:
        queryset = queryset.filter(side=side)
    if overdue:
        queryset = queryset.filter(status=OPEN, due_on__lt=today)
    if mine:
        queryset = queryset.filter(owner=user)
    return open_first(queryset)


def action_for(user, pk: int) -> Action | None:
    """One action `user` may see (drafts included, read only), or None."""
    return base(user).select_related("created_by", "report__created_by").filter(pk=pk).first()


def my_open_actions(user, shown: int, today=None) -> tuple[list[Action], int, int]:
    """The first `shown` open actions `user` owns, soonest due first, how many in all
    and how many of them are overdue (the home card)."""
    today = today or timezone.localdate()
    queryset = Action.objects.filter(owner=user, status=OPEN)
    rows = list(queryset.select_related("company", "job").order_by("due_on", "pk")[:shown])
    counts = queryset.aggregate(total=Count("pk"), overdue=Count("pk", filter=Q(due_on__lt=today)))
    return rows, counts["total"], counts["overdue"]


def portal_actions(company_id: int) -> QuerySet[Action]:
    """The client's tracked actions (never a draft's), for the portal."""
    return Action.objects.filter(company_id=company_id, status__in=[OPEN, DONE]).select_related(
        "owner", "owner_contact", "report", "closed_by", "job"
    )
