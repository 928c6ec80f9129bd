"""Home cards of meetings and reports; one module per topic."""

from jobbag.meetings.home_sections import actions, reports, status_reports  # noqa: F401
