"""Menu items of meetings and reports (staff and portal); one module per topic."""

from jobbag.meetings.navigation import (  # noqa: F401
    actions,
    forecasts,
    meetings,
    reports,
    settings,
    status_reports,
)
