"""API of the job chain: closing."""

from ninja import Router

router = Router(tags=["jobs"])
