"""API of the job chain: jobs."""

from ninja import Router

router = Router(tags=["jobs"])
