"""The client's side of meetings and reports, under /portal/ in the portal's namespace
(so PortalIsolationMiddleware lets client users through)."""

from jobbag.meetings.portal import actions, meetings, reports, status_reports

urlpatterns = [
    *meetings.urlpatterns,
    *reports.urlpatterns,
    *actions.urlpatterns,
    *status_reports.urlpatterns,
]
