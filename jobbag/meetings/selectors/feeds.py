"""What a person's calendar feed holds, read in five queries whatever the numbers:
meetings they organise or attend (not cancelled), open actions they own, draft contact
reports they wrote (due time), open job plan tasks they own, launch dates of open jobs
they own — from WINDOW_BEFORE ago to WINDOW_AFTER ahead."""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from jobbag.accounts.models import User
from jobbag.jobs.models import Job, PlanTask
from jobbag.jobs.models.jobs import OPEN_STAGES
from jobbag.meetings.models import Action, Attendee, ContactReport, Meeting

WINDOW_BEFORE = timedelta(days=90)
WINDOW_AFTER = timedelta(days=365)


@dataclass
class FeedItems:
    meetings: list[Meeting]
    actions: list[Action]
    reports: list[ContactReport]
    tasks: list[PlanTask]
    launches: list[Job]


def window(today: date) -> tuple[date, date]:
    return today - WINDOW_BEFORE, today + WINDOW_AFTER


def feed_items(user: User, *, today: date | None = None) -> FeedItems:
    today = today or timezone.localdate()
    first, last = window(today)
    zone = timezone.get_current_timezone()
    starts = datetime.combine(first, time.min, tzinfo=zone)
    ends = datetime.combine(last + timedelta(days=1), time.min, tzinfo=zone)
    attending = Attendee.objects.filter(meeting=OuterRef("pk"), user=user)
    meetings = (
        Meeting.objects.filter(Q(organizer=user) | Q(Exists(attending)))
        .exclude(status=Meeting.Status.CANCELLED)
        .filter(starts_at__gte=starts, starts_at__lt=ends)
        .select_related("company")
        .order_by("starts_at", "pk")
    )
    actions = (
        Action.objects.filter(owner=user, status=Action.Status.OPEN)
        .filter(due_on__gte=first, due_on__lte=last)
        .select_related("company")
        .order_by("due_on", "pk")
    )
    reports = (
        ContactReport.objects.filter(created_by=user, status=ContactReport.Status.DRAFT)
        .filter(due_at__gte=starts, due_at__lt=ends)
        .select_related("company")
        .order_by("due_at", "pk")
    )
    tasks = (
        PlanTask.objects.filter(owner=user)
        .exclude(status=PlanTask.Status.DONE)
        .filter(due_on__gte=first, due_on__lte=last)
        .select_related("job")
        .order_by("due_on", "pk")
    )
    launches = (
        Job.objects.filter(owner=user, stage__in=OPEN_STAGES)
        .filter(launch_date__gte=first, launch_date__lte=last)
        .select_related("company")
        .order_by("launch_date", "pk")
    )
    return FeedItems(
        meetings=list(meetings),
        actions=list(actions),
        reports=list(reports),
        tasks=list(tasks),
        launches=list(launches),
    )
