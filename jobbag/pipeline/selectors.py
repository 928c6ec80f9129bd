"""Read queries that the pages, the API and the home card share."""

from decimal import Decimal

from django.db.models import (
    Count,
    DecimalField,
    ExpressionWrapper,
    F,
    Prefetch,
    QuerySet,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce

from jobbag.accounts.models import User
from jobbag.core.permissions import visible
from jobbag.pipeline.models import (
    CLOSED_STAGES,
    OPEN_STAGES,
    WON_STAGES,
    Prospect,
    ProspectStageMove,
    Stage,
)
from jobbag.pipeline.permissions import PIPELINE_ROLES

# How many closed prospects the board lists below its columns.
BOARD_CLOSED = 20

STATES = {"open": OPEN_STAGES, "won": WON_STAGES, "lost": [Stage.LOST]}


def prospects_for(
    user: User, *, stage: str = "", owner: int | None = None, state: str = ""
) -> QuerySet[Prospect]:
    """The prospects `user` may see, filtered, newest first, with owner and client."""
    queryset = visible(user, Prospect.objects.select_related("owner", "company"))
    if stage:
        queryset = queryset.filter(stage=stage)
    if owner:
        queryset = queryset.filter(owner_id=owner)
    if state in STATES:
        queryset = queryset.filter(stage__in=STATES[state])
    return queryset.order_by("-created_at", "-pk")


def weighted_totals(queryset: QuerySet[Prospect]) -> list[dict]:
    """Per currency: how many, the expected value and the weighted value (value ×
    probability)."""
    weighted = ExpressionWrapper(
        F("expected_value") * F("probability") / Value(Decimal(100)),
        output_field=DecimalField(max_digits=20, decimal_places=4),
    )
    zero = Value(Decimal(0), output_field=DecimalField(max_digits=20, decimal_places=4))
    rows = (
        queryset.order_by()
        .values("currency")
        .annotate(
            count=Count("pk"),
            value=Coalesce(Sum("expected_value"), zero),
            weighted=Coalesce(Sum(weighted), zero),
        )
        .order_by("currency")
    )
    return list(rows)


def board_for(user: User) -> dict:
    """The open prospects in one column per stage, and the latest closed ones."""
    open_prospects = list(prospects_for(user, state="open"))
    columns = [
        {
            "stage": stage,
            "prospects": [p for p in open_prospects if p.stage == stage],
        }
        for stage in OPEN_STAGES
    ]
    closed = list(
        visible(user, Prospect.objects.select_related("owner", "company"))
        .filter(stage__in=CLOSED_STAGES)
        .order_by("-closed_at", "-pk")[:BOARD_CLOSED]
    )
    return {"columns": columns, "closed": closed}


def prospect_for(user: User, pk: int) -> Prospect | None:
    """One prospect the user may see, or None (the caller answers 404)."""
    return (
        visible(user, Prospect.objects.select_related("owner", "company", "created_by"))
        .filter(pk=pk)
        .first()
    )


def moves_of(prospect: Prospect) -> QuerySet[ProspectStageMove]:
    return prospect.moves.select_related("by").order_by("at", "pk")


def owners_for_choice() -> QuerySet[User]:
    """Active staff who work the pipeline, for the owner filter and field."""
    return (
        User.objects.filter(kind=User.Kind.STAFF, is_active=True)
        .filter(position__role__in=PIPELINE_ROLES)
        .order_by("full_name", "username")
    )


def pipeline_history_for(company) -> QuerySet[Prospect]:
    """How a client was won: the prospects that became `company`, each with its moves
    (and who made them) prefetched. Show it only to those who may see the company's
    confidential file."""
    return (
        Prospect.objects.filter(company=company)
        .select_related("owner")
        .prefetch_related(
            Prefetch("moves", queryset=ProspectStageMove.objects.select_related("by"))
        )
        .order_by("created_at", "pk")
    )


def my_open_prospects(user: User) -> QuerySet[Prospect]:
    return Prospect.objects.filter(owner=user, stage__in=OPEN_STAGES).order_by(
        "expected_close_on", "-created_at"
    )
