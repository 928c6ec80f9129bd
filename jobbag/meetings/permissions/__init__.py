"""Who may see and do what with meetings, contact reports, actions, weekly reports,
forecasts and calendar feeds; one module per topic."""

from jobbag.meetings.permissions import (  # noqa: F401
    actions,
    feeds,
    forecasts,
    meetings,
    reports,
    settings,
    status_reports,
)
