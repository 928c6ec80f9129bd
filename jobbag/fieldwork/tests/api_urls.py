"""The project's URLs plus a test API with the contact log and field work routers mounted
the way jobbag/api.py mounts routers (same authentication and error handlers)."""

from django.urls import path

from jobbag.clients.api_contact_log import router as contact_log_router
from jobbag.core.api_support import (
    JobbagAPI,
    JsonParser,
    SessionAuth,
    TokenAuth,
    install_error_handlers,
)
from jobbag.fieldwork.api import router as fieldwork_router
from jobbag.urls import urlpatterns as project_urlpatterns

test_api = JobbagAPI(
    title="Field work API under test",
    version="test",
    urls_namespace="fieldwork_test_api",
    auth=[TokenAuth(), SessionAuth()],
    parser=JsonParser(),
)
install_error_handlers(test_api)
test_api.add_router("/clients", contact_log_router)
test_api.add_router("/fieldwork", fieldwork_router)

urlpatterns = [path("api/test/", test_api.urls), *project_urlpatterns]
