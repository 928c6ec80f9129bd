"""The project's URLs plus a test API with the pipeline router mounted the way
jobbag/api.py mounts routers (same authentication and error handlers)."""

from django.urls import path

from jobbag.core.api_support import (
    JobbagAPI,
    JsonParser,
    SessionAuth,
    TokenAuth,
    install_error_handlers,
)
from jobbag.pipeline.api import router
from jobbag.urls import urlpatterns as project_urlpatterns

test_api = JobbagAPI(
    title="Pipeline API under test",
    version="test",
    urls_namespace="pipeline_test_api",
    auth=[TokenAuth(), SessionAuth()],
    parser=JsonParser(),
)
install_error_handlers(test_api)
test_api.add_router("/pipeline/", router)

urlpatterns = [path("api/test/", test_api.urls), *project_urlpatterns]
