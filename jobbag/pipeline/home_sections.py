"""The home card for account people: my open prospects and what they are worth."""

from django.http import HttpRequest

from jobbag.core.home import HomeSection, register
from jobbag.pipeline import selectors
from jobbag.pipeline.permissions import PIPELINE_ROLES, works_pipeline

SHOWN = 5


def my_pipeline(request: HttpRequest) -> dict | None:
    user = request.user
    if not user.is_authenticated or not works_pipeline(user) or user.role not in PIPELINE_ROLES:
        return None
    mine = selectors.my_open_prospects(user)
    return {
        "prospects": list(mine.select_related(None)[:SHOWN]),
        "totals": selectors.weighted_totals(mine),
    }


register(HomeSection("pipeline/_home_pipeline.html", my_pipeline, order=35))
