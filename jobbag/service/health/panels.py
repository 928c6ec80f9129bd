"""The client page's account-health panel: its signals, loaded after the page through
htmx (service:health_badges, which checks who may see them), so the client page reads
nothing more; without script, a link to the health page."""

from jobbag.clients.models import Company
from jobbag.clients.panels import CompanyPanel, register


def health_panel(company: Company) -> dict | None:
    if company.status != Company.Status.ACTIVE:
        return None
    return {"company": company}


register(CompanyPanel("service/health/_company_panel.html", health_panel, order=60))
