"""The job page's costing panel: the quote against actual time at cost, expenses and
external costs, invoiced and margin, live; and the close-out card once the job is closed.
Shown to those who see the job's money (finance.costs.view)."""

from django.utils.translation import gettext_lazy

from jobbag.core.permissions import can
from jobbag.finance.selectors.costing import close_out_for, job_costing
from jobbag.jobs.models import Stage
from jobbag.jobs.panels import JobPanel, register


def panel_context(request, job) -> dict | None:
    user = request.user
    if not can(user, "finance.costs.view", job):
        return None
    card = close_out_for(job) if job.stage == Stage.CLOSED else None
    return {
        "job": job,
        "costing": job_costing(job),
        "card": card,
        "can_make_card": job.stage == Stage.CLOSED
        and card is None
        and can(user, "finance.close_out.make", job),
    }


register(
    JobPanel(
        key="costing",
        title=gettext_lazy("Costing"),
        template="finance/costing/_panel.html",
        context=panel_context,
        order=88,
    )
)
