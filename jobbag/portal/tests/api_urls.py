"""The project's URLs plus a test API with the portal router mounted the way jobbag/api.py
mounts routers (same authentication and error handlers), under /api/v1/ so that the
isolation middleware treats it as the API."""

from django.urls import path

from jobbag.core.api_support import (
    JobbagAPI,
    JsonParser,
    SessionAuth,
    TokenAuth,
    install_error_handlers,
)
from jobbag.portal.api import router
from jobbag.urls import urlpatterns as project_urlpatterns

test_api = JobbagAPI(
    title="Portal API under test",
    version="test",
    urls_namespace="portal_test_api",
    auth=[TokenAuth(), SessionAuth()],
    parser=JsonParser(),
)
install_error_handlers(test_api)
test_api.add_router("/portal/", router)

API = "/api/v1/portal-test"
urlpatterns = [path("api/v1/portal-test/", test_api.urls), *project_urlpatterns]
