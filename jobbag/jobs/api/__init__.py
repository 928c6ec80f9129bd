"""The job chain's API under /api/v1/jobs/, one router per step."""

from ninja import Router

from jobbag.jobs.api import changes, closing, jobs, plans, quotes, reviews, work_orders

router = Router()
for module in (jobs, quotes, reviews, work_orders, changes, plans, closing):
    router.add_router("", module.router)
