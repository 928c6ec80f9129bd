"""Periodic sweeps of meetings and reports; one module per topic."""

from jobbag.meetings.sweeps import actions, meetings, reports, status_reports  # noqa: F401
