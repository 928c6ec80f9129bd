"""API of the job chain: quotes."""

from ninja import Router

router = Router(tags=["jobs"])
