"""API of my calendar feed under /api/v1/meetings/.

- GET `/calendar-feed`: whether I have a feed link, when it was made and last read.
- POST `/calendar-feed`: makes a new secret link (replacing any old one) and answers it
  once (`Cache-Control: no-store`; an Idempotency-Key replay withholds it).
- DELETE `/calendar-feed`: revokes it (404 when there is none).

Staff only; client users get 403.
"""

from datetime import datetime

from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from ninja import Router, Schema, Status

from jobbag.core.api_support import caller, errors
from jobbag.core.permissions import require
from jobbag.meetings.models import CalendarFeed
from jobbag.meetings.services import feeds as services

router = Router(tags=["meetings"])
OWN = "meetings.feeds.own"


class FeedStateOut(Schema):
    exists: bool
    created_at: datetime | None = None
    last_fetched_at: datetime | None = None


class NewFeedOut(Schema):
    link: str
    created_at: datetime


@router.get("/calendar-feed", response={200: FeedStateOut, **errors(403)})
def get_feed(request: HttpRequest):
    user = caller(request)
    require(user, OWN)
    feed = CalendarFeed.objects.filter(user=user).first()
    if feed is None:
        return {"exists": False}
    return {"exists": True, "created_at": feed.created_at, "last_fetched_at": feed.last_fetched_at}


@router.post("/calendar-feed", response={201: NewFeedOut, **errors(403, 409)})
def create_feed(request: HttpRequest, response: HttpResponse):
    """A new secret link, shown this once; the old link stops working."""
    feed, token = services.feed_create(actor=caller(request))
    response["Cache-Control"] = "no-store"
    link = request.build_absolute_uri(reverse("meetings:feed", args=[token]))
    return Status(201, {"link": link, "created_at": feed.created_at})


@router.delete("/calendar-feed", response={204: None, **errors(403, 404)})
def revoke_feed(request: HttpRequest):
    services.feed_revoke(actor=caller(request))
    return Status(204, None)
