"""The API root at /api/v1/; each app adds its router here.

Every operation needs a session (with its CSRF check on changes) or a personal API token
("Authorization: Bearer <secret>"); every 4xx answers in the one error shape of
core.api_support. OpenAPI at /api/v1/openapi.json, interactive docs at /api/v1/docs
(served from ninja's own static files, never a CDN).
"""

from ninja.openapi.docs import Swagger

from jobbag.accounts.api import router as accounts_router
from jobbag.approvals.api import router as approvals_router
from jobbag.calendar.api import router as calendar_router
from jobbag.clients.api import router as clients_router
from jobbag.clients.api_contact_log import router as contact_log_router
from jobbag.clients.api_dossier import router as dossier_router
from jobbag.core.api import router as core_router
from jobbag.core.api_support import (
    JobbagAPI,
    JsonParser,
    SessionAuth,
    TokenAuth,
    install_error_handlers,
)
from jobbag.documents.api import router as documents_router
from jobbag.fieldwork.api import router as fieldwork_router
from jobbag.finance.api import router as finance_router
from jobbag.jobs.api import router as jobs_router
from jobbag.meetings.api import router as meetings_router
from jobbag.pipeline.api import router as pipeline_router
from jobbag.portal.api import router as portal_router
from jobbag.service.api import router as service_router

api = JobbagAPI(
    title="Jobbag API",
    version="1",
    urls_namespace="api",
    auth=[TokenAuth(), SessionAuth()],
    parser=JsonParser(),
    # Swagger UI would otherwise ask validator.swagger.io about our schema.
    docs=Swagger(settings={"validatorUrl": None}),
)
install_error_handlers(api)

api.add_router("", accounts_router)
api.add_router("", core_router)
api.add_router("/calendar/", calendar_router)
api.add_router("/pipeline/", pipeline_router)
api.add_router("/clients", dossier_router)
api.add_router("/clients", contact_log_router)
api.add_router("/fieldwork/", fieldwork_router)
api.add_router("/clients", clients_router)
api.add_router("/portal/", portal_router)
api.add_router("/signoff/", approvals_router)
api.add_router("/jobs/", jobs_router)
api.add_router("/finance/", finance_router)
api.add_router("/meetings/", meetings_router)
api.add_router("/service/", service_router)
api.add_router("/archive/", documents_router)
