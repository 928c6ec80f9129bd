"""API of the job chain: work_orders."""

from ninja import Router

router = Router(tags=["jobs"])
