"""The project's URLs plus a test API with the clients router mounted the way
jobbag/api.py mounts routers (same authentication and error handlers)."""

from django.urls import path

from jobbag.clients.api import router
from jobbag.core.api_support import (
    JobbagAPI,
    JsonParser,
    SessionAuth,
    TokenAuth,
    install_error_handlers,
)
from jobbag.urls import urlpatterns as project_urlpatterns

test_api = JobbagAPI(
    title="Clients API under test",
    version="test",
    urls_namespace="clients_test_api",
    auth=[TokenAuth(), SessionAuth()],
    parser=JsonParser(),
)
install_error_handlers(test_api)
test_api.add_router("/clients", router)

# Under /api/v1/ like the real API, which the portal lets client users reach.
urlpatterns = [path("api/v1/test/", test_api.urls), *project_urlpatterns]
