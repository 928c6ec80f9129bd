"""The meetings API under /api/v1/meetings/, one router per topic."""

from ninja import Router

from jobbag.meetings.api import actions, feeds, forecasts, meetings, reports, status_reports

router = Router()
for module in (meetings, reports, actions, status_reports, forecasts, feeds):
    router.add_router("", module.router)
