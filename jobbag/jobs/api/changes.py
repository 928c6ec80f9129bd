"""API of the job chain: changes."""

from ninja import Router

router = Router(tags=["jobs"])
