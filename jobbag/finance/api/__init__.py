"""The finance API under /api/v1/finance/, one router per topic."""

from ninja import Router

from jobbag.finance.api import billing, credit, incentives, reference, time

router = Router()
for module in (reference, time, billing, credit, incentives):
    router.add_router("", module.router)
