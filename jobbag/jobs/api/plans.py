"""API of the job chain: plans."""

from ninja import Router

router = Router(tags=["jobs"])
