from jobbag.service import configuration, views
from jobbag.service.health import views as health_views
from jobbag.service.surveys import views as survey_views

app_name = "service"

urlpatterns = [
    *views.urlpatterns,
    *survey_views.urlpatterns,
    *health_views.urlpatterns,
    *configuration.urlpatterns,
]
