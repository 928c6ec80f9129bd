from django.urls import include, path
from django.views.i18n import JavaScriptCatalog

from jobbag.api import api
from jobbag.core import health

urlpatterns = [
    path("", include("jobbag.core.urls")),
    path("accounts/", include("jobbag.accounts.urls")),
    path("calendar/", include("jobbag.calendar.urls")),
    path("clients/", include("jobbag.clients.urls")),
    path("portal/", include("jobbag.portal.urls")),
    path("fieldwork/", include("jobbag.fieldwork.urls")),
    path("pipeline/", include("jobbag.pipeline.urls")),
    path("jobs/", include("jobbag.jobs.urls")),
    path("signoff/", include("jobbag.approvals.urls")),
    path("finance/", include("jobbag.finance.urls")),
    path("meetings/", include("jobbag.meetings.urls")),
    path("service/", include("jobbag.service.urls")),
    path("archive/", include("jobbag.documents.urls")),
    path("api/v1/", api.urls),
    path("healthz", health.healthz, name="healthz"),
    path("jsi18n/", JavaScriptCatalog.as_view(), name="javascript-catalog"),
]
