"""The client page's "won through new business" panel."""

from jobbag.clients.panels import CompanyPanel, register
from jobbag.pipeline.selectors import pipeline_history_for


def won_through(company) -> dict | None:
    prospects = list(pipeline_history_for(company))
    return {"prospects": prospects} if prospects else None


register(CompanyPanel("pipeline/_company_panel.html", won_through, order=50))
