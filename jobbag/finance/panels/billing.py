"""The job page's panel of invoices: the job's invoices and what is left to invoice of
its signed quote, for those who see the client's invoices; Finance also gets the button
that makes a new draft."""

from django.utils.translation import gettext_lazy

from jobbag.core.permissions import can
from jobbag.finance.permissions.billing import sees_company
from jobbag.finance.selectors.billing import job_billing
from jobbag.jobs.panels import JobPanel, register


def panel_context(request, job) -> dict | None:
    user = request.user
    if not can(user, "finance.invoice.list") or not sees_company(user, job.company_id):
        return None
    return {"job": job, "can_create": can(user, "finance.invoice.create"), **job_billing(job)}


register(
    JobPanel(
        key="invoices",
        title=gettext_lazy("Invoices"),
        template="finance/billing/_job_panel.html",
        context=panel_context,
        order=90,
    )
)
