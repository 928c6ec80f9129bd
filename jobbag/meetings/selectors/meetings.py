"""Read queries of meetings that pages, the portal and the API share."""

from datetime import datetime, timedelta

from django.db.models import Prefetch, QuerySet
from django.utils import timezone

from jobbag.accounts.models import User
from jobbag.clients.models import Company, Contact
from jobbag.core.permissions import visible
from jobbag.jobs.models import Job
from jobbag.jobs.models.jobs import OPEN_STAGES
from jobbag.meetings.models import AgendaItem, Attendee, ChecklistItem, Meeting, MeetingSettings
from jobbag.meetings.permissions.meetings import full_company_ids

UPCOMING = "upcoming"
PAST = "past"
OPEN = [Meeting.Status.PLANNED, Meeting.Status.AGENDA_SENT]


def meetings_for(
    user, *, company: Company | int | None = None, when: str = UPCOMING, now=None
) -> QuerySet[Meeting]:
    """The meetings `user` may see: upcoming (not yet over) soonest first, or past ones
    latest first; of one client if given."""
    now = now or timezone.now()
    meetings = visible(user, Meeting.objects.all()).select_related("company", "job", "organizer")
    if company:
        meetings = meetings.filter(company=company)
    if when == PAST:
        return meetings.filter(ends_at__lt=now).order_by("-starts_at", "-pk")
    return meetings.filter(ends_at__gte=now).order_by("starts_at", "pk")


def _details(meetings: QuerySet[Meeting]) -> QuerySet[Meeting]:
    return meetings.select_related("company", "job", "organizer").prefetch_related(
        Prefetch("attendees", queryset=Attendee.objects.select_related("user", "contact")),
        Prefetch(
            "agenda",
            queryset=AgendaItem.objects.select_related("owner", "owner_contact", "proposed_by"),
        ),
        Prefetch("checklist", queryset=ChecklistItem.objects.order_by("pk")),
    )


def meeting_of(user, pk: int) -> Meeting | None:
    """One meeting `user` may see, with its attendees, agenda and checklist; None if not."""
    return _details(visible(user, Meeting.objects.filter(pk=pk))).first()


def meetings_in(user) -> QuerySet[Meeting]:
    """The meetings `user` may see, with their details (for the API)."""
    return _details(visible(user, Meeting.objects.all()))


def agenda_overdue(meeting: Meeting, lead_hours: int, now: datetime | None = None) -> bool:
    """A planned meeting whose agenda has not gone out although the lead time before its
    start has been reached."""
    now = now or timezone.now()
    return (
        meeting.status == Meeting.Status.PLANNED
        and meeting.agenda_sent_at is None
        and meeting.starts_at - timedelta(hours=lead_hours) <= now
    )


def flag(meetings, now: datetime | None = None) -> list[Meeting]:
    """The meetings with `agenda_overdue` set on each (one settings query)."""
    meetings = list(meetings)
    lead = MeetingSettings.current().agenda_lead_hours
    for meeting in meetings:
        meeting.agenda_overdue = agenda_overdue(meeting, lead, now)
    return meetings


def companies_for(user) -> QuerySet[Company]:
    """The clients `user` sees in full: the list's filter and the new meeting's choice."""
    ids = full_company_ids(user)
    companies = Company.objects.all() if ids is None else Company.objects.filter(pk__in=ids)
    return companies.order_by("code")


def staff_people() -> QuerySet[User]:
    """Who may attend or own an agenda item on our side: active staff."""
    return User.objects.filter(kind=User.Kind.STAFF, is_active=True).order_by(
        "full_name", "username"
    )


def client_people(company: Company | int) -> QuerySet[Contact]:
    """Who may attend or own an agenda item on the client's side: its active contacts."""
    return Contact.objects.filter(company=company, is_active=True).order_by("name", "pk")


def jobs_of(company: Company | int, current: Job | None = None) -> QuerySet[Job]:
    """The client's open jobs a meeting may be about (and the one it is about already)."""
    jobs = Job.objects.filter(company=company, stage__in=OPEN_STAGES)
    if current is not None:
        jobs = jobs | Job.objects.filter(pk=current.pk)
    return jobs.order_by("-pk")


def portal_meetings(user, *, now=None) -> tuple[list[Meeting], list[Meeting]]:
    """A client user's upcoming and recent meetings (visible ones only)."""
    upcoming = list(meetings_for(user, when=UPCOMING, now=now))
    past = list(meetings_for(user, when=PAST, now=now)[:20])
    return upcoming, past
