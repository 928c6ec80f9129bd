"""API of the job chain: reviews."""

from ninja import Router

router = Router(tags=["jobs"])
