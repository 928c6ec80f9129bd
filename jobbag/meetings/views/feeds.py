"""Pages of calendar feeds: the page where a staff member makes, replaces or revokes
their secret link, and the feed itself (.ics) that calendar programs read without
signing in."""

from datetime import UTC, timedelta

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST, require_safe
from icalendar import Calendar, Event

from jobbag.accounts.models import User
from jobbag.core.forms import act
from jobbag.core.permissions import can
from jobbag.meetings.models import CalendarFeed
from jobbag.meetings.selectors.feeds import FeedItems, feed_items
from jobbag.meetings.services import feeds as services

OWN = "meetings.feeds.own"
UID_DOMAIN = "jobbag"


def _page(request, *, token: str | None = None, status: int = 200):
    feed = CalendarFeed.objects.filter(user=request.user).first()
    link = None
    if token:
        link = request.build_absolute_uri(reverse("meetings:feed", args=[token]))
    context = {
        "feed": feed,
        "link": link,
        "webcal": "webcal://" + link.split("://", 1)[1] if link else None,
    }
    response = render(request, "meetings/feeds/calendar_feed.html", context, status=status)
    if token:
        # The link is shown on this answer only: no cache may keep it.
        response["Cache-Control"] = "no-store"
    return response


@login_required
@never_cache
def calendar_feed(request):
    if not can(request.user, OWN):
        raise PermissionDenied
    return _page(request)


@login_required
@require_POST
def calendar_feed_create(request):
    if not can(request.user, OWN):
        raise PermissionDenied
    token = None

    def make() -> None:
        nonlocal token
        _feed, token = services.feed_create(actor=request.user)

    if not act(request, make, _("Your new calendar link is below. It is shown only this once.")):
        return redirect("meetings:calendar_feed")
    return _page(request, token=token)


@login_required
@require_POST
def calendar_feed_revoke(request):
    if not can(request.user, OWN):
        raise PermissionDenied
    act(
        request,
        lambda: services.feed_revoke(actor=request.user),
        _("Your calendar link was revoked: calendars using it get nothing more."),
    )
    return redirect("meetings:calendar_feed")


def _link(request, name: str, pk: int) -> str:
    """The page of an item, as an absolute address."""
    return request.build_absolute_uri(reverse(name, args=[pk]))


def _event(uid: str, summary: str, *, start, end=None, all_day=False, **extra) -> Event:
    event = Event()
    event.add("uid", f"{uid}@{UID_DOMAIN}")
    event.add("dtstamp", timezone.now().astimezone(UTC))
    event.add("summary", summary)
    if all_day:
        event.add("dtstart", start)
        event.add("dtend", start + timedelta(days=1))
        event.add("transp", "TRANSPARENT")
    else:
        event.add("dtstart", start.astimezone(UTC))
        if end is not None:
            event.add("dtend", end.astimezone(UTC))
    for name, value in extra.items():
        if value not in (None, ""):
            event.add(name, value)
    return event


def build_calendar(request, user: User, items: FeedItems) -> bytes:
    """The iCalendar text of `items`, worded in `user`'s language, times in UTC."""
    calendar = Calendar()
    calendar.add("prodid", "-//Jobbag//Meetings and deadlines//ZH")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", _("Jobbag · %(name)s") % {"name": user.display_name})
    calendar.add("x-wr-timezone", settings.TIME_ZONE)
    calendar.add("x-published-ttl", "PT1H")
    for meeting in items.meetings:
        calendar.add_component(
            _event(
                f"meeting-{meeting.pk}",
                f"{meeting.purpose} · {meeting.company}",
                start=meeting.starts_at,
                end=meeting.ends_at,
                location=meeting.room,
                description=f"{meeting.company} · {meeting.get_kind_display()} · "
                f"{meeting.get_status_display()}",
                sequence=meeting.version,
                url=_link(request, "meetings:meeting_detail", meeting.pk),
            )
        )
    for action in items.actions:
        calendar.add_component(
            _event(
                f"action-{action.pk}",
                _("Action due: %(text)s") % {"text": action.text[:120]},
                start=action.due_on,
                all_day=True,
                description=f"{action.company} · {action.text}",
                sequence=action.version,
                url=_link(request, "meetings:action_detail", action.pk),
            )
        )
    for report in items.reports:
        calendar.add_component(
            _event(
                f"report-{report.pk}",
                _("Contact report due: %(subject)s") % {"subject": report.subject},
                start=report.due_at,
                description=f"{report.company} · {report.subject}",
                sequence=report.version,
                url=_link(request, "meetings:report_detail", report.pk),
            )
        )
    for task in items.tasks:
        calendar.add_component(
            _event(
                f"plan-task-{task.pk}",
                _("Task due: %(task)s · %(job)s") % {"task": task.title, "job": task.job},
                start=task.due_on,
                all_day=True,
                description=f"{task.job} · {task.get_status_display()}",
                sequence=task.version,
                url=_link(request, "jobs:detail", task.job_id),
            )
        )
    for job in items.launches:
        calendar.add_component(
            _event(
                f"job-launch-{job.pk}",
                _("Launch: %(job)s") % {"job": job},
                start=job.launch_date,
                all_day=True,
                description=f"{job.company} · {job}",
                url=_link(request, "jobs:detail", job.pk),
            )
        )
    return calendar.to_ical()


@require_safe
def feed(request, token: str):
    """The calendar at a secret link: no session needed, 404 for an unknown or revoked
    link."""
    user = services.feed_open(token=token)
    if user is None:
        raise Http404
    with translation.override(user.language or settings.LANGUAGE_CODE):
        body = build_calendar(request, user, feed_items(user))
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="jobbag.ics"'
    response["Cache-Control"] = "private, no-store"
    return response


urlpatterns = [
    path("calendar-feed/", calendar_feed, name="calendar_feed"),
    path("calendar-feed/new/", calendar_feed_create, name="calendar_feed_create"),
    path("calendar-feed/revoke/", calendar_feed_revoke, name="calendar_feed_revoke"),
    path("feed/<str:token>.ics", feed, name="feed"),
]
