"""API: status_reports. (Being written.)"""

from ninja import Router

router = Router(tags=["meetings"])
