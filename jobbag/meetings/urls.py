from jobbag.meetings.views import (
    actions,
    feeds,
    forecasts,
    meetings,
    reports,
    settings,
    status_reports,
)

app_name = "meetings"

# Each topic's pages live in their own module.
urlpatterns = [
    *meetings.urlpatterns,
    *reports.urlpatterns,
    *actions.urlpatterns,
    *status_reports.urlpatterns,
    *forecasts.urlpatterns,
    *feeds.urlpatterns,
    *settings.urlpatterns,
]
