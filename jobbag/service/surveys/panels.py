"""The job page's panel of the job's satisfaction surveys (the completion survey and any
sent by hand), for those who see the client's surveys."""

from django.utils.translation import gettext_lazy

from jobbag.jobs.panels import JobPanel, register
from jobbag.service.models import Survey
from jobbag.service.surveys.permissions import survey_company_ids


def panel_context(request, job) -> dict | None:
    ids = survey_company_ids(request.user)
    if ids is not None and job.company_id not in ids:
        return None
    surveys = list(Survey.objects.filter(job=job).select_related("contact").order_by("-sent_at"))
    return {"job": job, "surveys": surveys}


register(
    JobPanel(
        key="surveys",
        title=gettext_lazy("Satisfaction surveys"),
        template="service/surveys/_job_panel.html",
        context=panel_context,
        order=95,
    )
)
