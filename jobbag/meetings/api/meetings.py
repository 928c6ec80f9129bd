"""API: meetings. (Being written.)"""

from ninja import Router

router = Router(tags=["meetings"])
