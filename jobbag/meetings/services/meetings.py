"""Meetings (SPEC §6): a meeting with the client (or an internal one about the client)
has a purpose, a time and a room, attendees from both sides with their roles, and an
agenda whose items each have an owner on either side. The agenda goes to every attendee
ahead of the meeting (later than MeetingSettings.agenda_lead_hours is flagged late); the
client is asked for their topics in the portal and proposes them there; every meeting
carries the pre-meeting checklist, linked to what Jobbag already holds.

States: planned → agenda sent → held, or cancelled from either open state. A planned
meeting or one whose agenda went out is edited (with the version it was loaded at); an
agenda changed after sending is marked so it can be sent again.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage
from django.core.validators import URLValidator
from django.db import transaction
from django.db.models import F, Max
from django.urls import NoReverseMatch, reverse
from django.utils import timezone, translation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from jobbag.accounts.models import User
from jobbag.clients.models import Brand, Company, Contact
from jobbag.core import audit
from jobbag.core.errors import Conflict, DomainError
from jobbag.core.notifications import notify
from jobbag.core.permissions import require
from jobbag.core.versioning import save_versioned
from jobbag.jobs.models import Job
from jobbag.meetings.models import (
    AgendaItem,
    Attendee,
    ChecklistItem,
    ContactReport,
    Meeting,
    MeetingSettings,
    Side,
)

INVALID = _("The meeting is incomplete: correct the fields marked.")
REQUIRED = _("This field is required.")
KIND_INVALID = _("Choose a meeting with the client or an internal meeting.")
ENDS_BEFORE_START = _("The meeting must end after it starts.")
STARTS_IN_PAST = _("Choose a start in the future.")
JOB_OTHER_CLIENT = _("Choose one of this client's jobs.")
ATTENDEE_NOT_STAFF = _("Choose an active member of staff.")
ATTENDEE_NOT_CLIENT = _("Choose one of this client's active contacts.")
ATTENDEE_TWICE = _("Each person attends once.")
NO_ATTENDEES = _("Name at least one attendee.")
INTERNAL_NO_CLIENT = _("An internal meeting has no attendees or agenda owners from the client.")
AGENDA_TITLE_REQUIRED = _("Each agenda item needs a topic.")
AGENDA_OWNER_INVALID = _(
    "The owner of an agenda item is an active member of staff or one of this client's "
    "active contacts."
)
AGENDA_ITEM_UNKNOWN = _("An agenda item of another meeting was sent.")
MINUTES_INVALID = _("Enter the minutes as a whole number from 1 to 600.")
TOO_LONG = _("Ensure this value has at most %(limit)s characters.")
NOT_OPEN = _("This meeting was held or cancelled: it no longer changes.")
ALREADY_STARTED = _("The meeting has already started.")
AGENDA_EMPTY = _("The agenda has no items yet: add at least one before sending it.")
NOT_CLIENT_MEETING = _("Only a meeting with the client asks the client for topics.")
NO_CLIENT_USERS = _("Nobody at this client uses the portal yet: invite a contact first.")
TOPICS_CLOSED = _("Topics can be proposed only until the meeting starts.")
TOPIC_INVALID = _("The topic is incomplete: correct the fields marked.")
NOT_STARTED = _("A meeting is marked held only once it has started.")
LINK_INVALID = _("Enter an address in Jobbag (starting with /) or a web address (http…).")

FIELDS = ["job", "kind", "purpose", "starts_at", "ends_at", "room"]
OPEN = {Meeting.Status.PLANNED, Meeting.Status.AGENDA_SENT}
MAX_MINUTES = 600


# Cleaning -------------------------------------------------------------------------------


def _text(value, limit: int, name: str, errors: dict, *, required: bool = False) -> str:
    text = value.strip() if isinstance(value, str) else ""
    if required and not text:
        errors[name] = REQUIRED
    elif len(text) > limit:
        errors[name] = TOO_LONG % {"limit": limit}
    return text


def _clean(company: Company, values: dict, *, old: Meeting | None = None) -> dict:
    """The meeting's own fields, checked; a DomainError with a field error for each
    problem. A start is in the future unless an edit leaves it as it was."""
    errors: dict = {}
    kind = values.get("kind") or Meeting.Kind.CLIENT
    if kind not in Meeting.Kind.values:
        errors["kind"] = KIND_INVALID
    purpose = _text(values.get("purpose"), 200, "purpose", errors, required=True)
    room = _text(values.get("room"), 100, "room", errors)
    starts_at, ends_at = values.get("starts_at"), values.get("ends_at")
    for name, value in (("starts_at", starts_at), ("ends_at", ends_at)):
        if not isinstance(value, datetime):
            errors[name] = REQUIRED
    if isinstance(starts_at, datetime) and isinstance(ends_at, datetime):
        if ends_at <= starts_at:
            errors["ends_at"] = ENDS_BEFORE_START
        unchanged = old is not None and old.starts_at == starts_at
        if not unchanged and starts_at <= timezone.now():
            errors["starts_at"] = STARTS_IN_PAST
    job = values.get("job")
    if job is not None and (not isinstance(job, Job) or job.company_id != company.pk):
        errors["job"] = JOB_OTHER_CLIENT
    if errors:
        raise DomainError(INVALID, fields=errors)
    return {
        "job": job,
        "kind": kind,
        "purpose": purpose,
        "starts_at": starts_at,
        "ends_at": ends_at,
        "room": room,
    }


def _is_staff(person) -> bool:
    return isinstance(person, User) and person.is_active and person.kind == User.Kind.STAFF


def _is_contact_of(person, company: Company) -> bool:
    return isinstance(person, Contact) and person.company_id == company.pk and person.is_active


@dataclass
class AttendeeRow:
    side: str
    user: User | None
    contact: Contact | None
    role: str


def _clean_attendees(company: Company, kind: str, rows) -> list[AttendeeRow]:
    """Attendees as {"user": staff member} or {"contact": the client's contact}, each with
    an optional "role"; each person once; at least one."""
    cleaned, seen = [], set()
    for row in rows or []:
        user, contact = row.get("user"), row.get("contact")
        errors: dict = {}
        role = _text(row.get("role"), 100, "attendees", errors)
        if errors:
            raise DomainError(INVALID, fields=errors)
        if user is not None:
            if not _is_staff(user):
                raise DomainError(INVALID, fields={"attendees": ATTENDEE_NOT_STAFF})
            key, side, contact = ("user", user.pk), Side.AGENCY, None
        elif contact is not None:
            if not _is_contact_of(contact, company):
                raise DomainError(INVALID, fields={"attendees": ATTENDEE_NOT_CLIENT})
            if kind == Meeting.Kind.INTERNAL:
                raise DomainError(INVALID, fields={"attendees": INTERNAL_NO_CLIENT})
            key, side = ("contact", contact.pk), Side.CLIENT
        else:
            continue
        if key in seen:
            raise DomainError(INVALID, fields={"attendees": ATTENDEE_TWICE})
        seen.add(key)
        cleaned.append(AttendeeRow(side, user, contact, role))
    if not cleaned:
        raise DomainError(INVALID, fields={"attendees": NO_ATTENDEES})
    return cleaned


@dataclass
class AgendaRow:
    id: int | None
    title: str
    details: str
    owner: User | None
    owner_contact: Contact | None
    minutes: int | None


def _clean_agenda(company: Company, kind: str, rows, existing_ids: set[int]) -> list[AgendaRow]:
    """Agenda items in order: a topic, details, an owner on either side ("owner", a staff
    member, or "owner_contact", the client's contact) and minutes; "id" names an item
    already on this meeting's agenda (kept with who proposed it)."""
    cleaned = []
    for row in rows or []:
        errors: dict = {}
        title = _text(row.get("title"), 200, "agenda", errors)
        details = _text(row.get("details"), 2000, "agenda", errors)
        owner, owner_contact = row.get("owner"), row.get("owner_contact")
        minutes, item_id = row.get("minutes"), row.get("id")
        if errors:
            raise DomainError(INVALID, fields=errors)
        if not title:
            if details or owner or owner_contact or minutes:
                raise DomainError(INVALID, fields={"agenda": AGENDA_TITLE_REQUIRED})
            continue
        if owner is not None and owner_contact is not None:
            raise DomainError(INVALID, fields={"agenda": AGENDA_OWNER_INVALID})
        if owner is not None and not _is_staff(owner):
            raise DomainError(INVALID, fields={"agenda": AGENDA_OWNER_INVALID})
        if owner_contact is not None:
            if not _is_contact_of(owner_contact, company):
                raise DomainError(INVALID, fields={"agenda": AGENDA_OWNER_INVALID})
            if kind == Meeting.Kind.INTERNAL:
                raise DomainError(INVALID, fields={"agenda": INTERNAL_NO_CLIENT})
        whole = isinstance(minutes, int) and not isinstance(minutes, bool)
        if minutes is not None and (not whole or not 0 < minutes <= MAX_MINUTES):
            raise DomainError(INVALID, fields={"agenda": MINUTES_INVALID})
        if item_id is not None and item_id not in existing_ids:
            raise DomainError(INVALID, fields={"agenda": AGENDA_ITEM_UNKNOWN})
        cleaned.append(AgendaRow(item_id, title, details, owner, owner_contact, minutes))
    return cleaned


def _write_attendees(meeting: Meeting, rows: list[AttendeeRow]) -> None:
    meeting.attendees.all().delete()
    Attendee.objects.bulk_create(
        Attendee(meeting=meeting, side=r.side, user=r.user, contact=r.contact, role=r.role)
        for r in rows
    )


def _write_agenda(meeting: Meeting, rows: list[AgendaRow]) -> None:
    """The agenda as sent, in order: items named by id keep who proposed them; items left
    out are removed."""
    kept = {row.id for row in rows if row.id is not None}
    meeting.agenda.exclude(pk__in=kept).delete()
    existing = meeting.agenda.in_bulk(kept)
    for position, row in enumerate(rows, start=1):
        item = existing.get(row.id) if row.id is not None else None
        item = item or AgendaItem(meeting=meeting)
        item.position = position
        item.title = row.title
        item.details = row.details
        item.owner = row.owner
        item.owner_contact = row.owner_contact
        item.minutes = row.minutes
        item.save()


def _people_plain(meeting: Meeting) -> dict:
    attendees = [
        f"{a.get_side_display()}: {a.user or a.contact}" + (f" ({a.role})" if a.role else "")
        for a in meeting.attendees.select_related("user", "contact")
    ]
    agenda = [
        f"{item.title} · {item.owner or item.owner_contact or '—'}"
        for item in meeting.agenda.select_related("owner", "owner_contact")
    ]
    return {"attendees": attendees, "agenda": agenda}


# The pre-meeting checklist --------------------------------------------------------------


def _url(name: str, *args, **kwargs) -> str:
    """The page's address, or nothing while the page does not exist."""
    try:
        return reverse(name, args=args or None, kwargs=kwargs or None)
    except NoReverseMatch:
        return ""


def _budget_brand(meeting: Meeting) -> Brand | None:
    """The brand whose dossier holds the budget: the job's, else the client's brand with
    budgets (an active one first)."""
    if meeting.job_id and meeting.job.brand_id:
        return meeting.job.brand
    return (
        Brand.objects.filter(company_id=meeting.company_id)
        .order_by("-is_active", F("budgets__year").desc(nulls_last=True), "pk")
        .first()
    )


def checklist_links(meeting: Meeting) -> dict[str, str]:
    """Where Jobbag already holds each checklist item for this meeting ("" where not)."""
    links = {kind: "" for kind in ChecklistItem.Kind.values}
    last_report = (
        ContactReport.objects.filter(
            company_id=meeting.company_id, status=ContactReport.Status.SENT
        )
        .order_by("-sent_at", "-pk")
        .first()
    )
    if last_report is not None:
        links[ChecklistItem.Kind.LAST_REPORT] = _url("meetings:report_detail", last_report.pk)
    brand = _budget_brand(meeting)
    if brand is not None:
        links[ChecklistItem.Kind.BUDGET] = _url(
            "clients:dossier_section", pk=brand.pk, section="budgets"
        )
    jobs = _url("jobs:list")
    if jobs:
        wip = f"{jobs}?company={meeting.company_id}&stage=open"
        links[ChecklistItem.Kind.WORK_IN_PROGRESS] = wip
    if meeting.job_id:
        job_page = _url("jobs:detail", meeting.job_id)
        links[ChecklistItem.Kind.QUOTES_TIMELINE] = f"{job_page}#quotes"
        links[ChecklistItem.Kind.APPROVALS] = f"{job_page}#work_orders"
    else:
        links[ChecklistItem.Kind.APPROVALS] = _url("approvals:inbox")
    return links


def _fill_checklist(meeting: Meeting, previous: dict[str, str] | None = None) -> None:
    """Makes the eight items of SPEC §6 (once) with their links; on an edit, an item not
    yet ticked whose link was empty or the one Jobbag suggested gets the new suggestion."""
    links = checklist_links(meeting)
    existing = {item.kind: item for item in meeting.checklist.all()}
    missing = [
        ChecklistItem(meeting=meeting, kind=kind, link=links[kind])
        for kind in ChecklistItem.Kind.values
        if kind not in existing
    ]
    ChecklistItem.objects.bulk_create(missing)
    if previous is None:
        return
    for kind, item in existing.items():
        if item.done or item.link == links[kind]:
            continue
        if item.link in ("", previous.get(kind, "")):
            item.link = links[kind]
            item.save(update_fields=["link"])


def _clean_link(link: str) -> str:
    link = (link or "").strip()
    if not link:
        return ""
    if len(link) > 300:
        raise DomainError(INVALID, fields={"link": TOO_LONG % {"limit": 300}})
    if link.startswith("/") and not link.startswith("//"):
        return link
    try:
        URLValidator(schemes=["http", "https"])(link)
    except ValidationError:
        raise DomainError(INVALID, fields={"link": LINK_INVALID}) from None
    return link


# Services -------------------------------------------------------------------------------


def _lock(meeting: Meeting) -> Meeting:
    return (
        Meeting.objects.select_for_update(of=("self",))
        .select_related("company", "job", "organizer")
        .get(pk=meeting.pk)
    )


def _require_open(meeting: Meeting) -> None:
    if meeting.status not in OPEN:
        raise DomainError(NOT_OPEN, code="not_open")


def _check_version(meeting: Meeting, expected_version: int | None) -> None:
    if expected_version is not None and meeting.version != expected_version:
        raise Conflict()


@transaction.atomic
def meeting_create(
    *, actor: User, company: Company, attendees=None, agenda=None, **values
) -> Meeting:
    """Schedules a meeting with (or about) the client, organised by `actor`, with its
    attendees, agenda and the pre-meeting checklist."""
    require(actor, "meetings.meeting.edit", company)
    cleaned = _clean(company, values)
    people = _clean_attendees(company, cleaned["kind"], attendees)
    items = _clean_agenda(company, cleaned["kind"], agenda, set())
    meeting = Meeting.objects.create(company=company, organizer=actor, **cleaned)
    _write_attendees(meeting, people)
    _write_agenda(meeting, items)
    _fill_checklist(meeting)
    audit.record_create(actor=actor, obj=meeting)
    return meeting


@transaction.atomic
def meeting_update(
    *, actor: User, meeting: Meeting, expected_version: int, attendees=None, agenda=None, **values
) -> Meeting:
    """Edits a planned meeting, or one whose agenda went out (which is then marked as
    changed since sending); 409 when someone changed it since `expected_version`."""
    require(actor, "meetings.meeting.edit", meeting)
    meeting = _lock(meeting)
    if meeting.version != expected_version:
        raise Conflict()
    _require_open(meeting)
    cleaned = _clean(meeting.company, values, old=meeting)
    people = _clean_attendees(meeting.company, cleaned["kind"], attendees)
    existing_ids = set(meeting.agenda.values_list("pk", flat=True))
    items = _clean_agenda(meeting.company, cleaned["kind"], agenda, existing_ids)
    previous_links = checklist_links(meeting)
    before = {**audit.snapshot(meeting, FIELDS), **_people_plain(meeting)}
    for name, value in cleaned.items():
        setattr(meeting, name, value)
    _write_attendees(meeting, people)
    _write_agenda(meeting, items)
    after = {**audit.snapshot(meeting, FIELDS), **_people_plain(meeting)}
    changes = audit.diff(before, after)
    fields = list(FIELDS)
    if changes and meeting.agenda_sent_at is not None:
        meeting.agenda_changed_at = timezone.now()
        fields.append("agenda_changed_at")
    save_versioned(meeting, expected_version=expected_version, fields=fields)
    _fill_checklist(meeting, previous_links)
    if changes:
        audit.record(actor=actor, obj=meeting, action="change", changes=changes)
    return meeting


def is_agenda_late(meeting: Meeting, sent_at: datetime, lead_hours: int | None = None) -> bool:
    """Whether an agenda sent at `sent_at` came later than the lead time before the start."""
    if lead_hours is None:
        lead_hours = MeetingSettings.current().agenda_lead_hours
    return sent_at > meeting.starts_at - timedelta(hours=lead_hours)


def _when(meeting: Meeting) -> str:
    starts, ends = timezone.localtime(meeting.starts_at), timezone.localtime(meeting.ends_at)
    end_format = "%H:%M" if starts.date() == ends.date() else "%Y-%m-%d %H:%M"
    return f"{starts:%Y-%m-%d %H:%M}–{ends.strftime(end_format)}"


def _owner_text(item: AgendaItem) -> str:
    if item.owner_id:
        return f"{item.owner} ({gettext('Agency')})"
    if item.owner_contact_id:
        return f"{item.owner_contact} ({gettext('Client')})"
    return gettext("no owner yet")


def agenda_text(
    meeting: Meeting, items, attendees, *, resent: bool, link: str = ""
) -> tuple[str, str]:
    """The agenda e-mail's subject and body in the active language: `items` are the agenda
    items in order, `attendees` everyone attending."""
    heading = gettext("Updated agenda") if resent else gettext("Agenda")
    subject = f"{heading}: {meeting.purpose} · {_when(meeting)}"
    lines = [
        f"{heading}: {meeting.purpose}",
        "",
        f"{gettext('Client')}: {meeting.company}",
    ]
    if meeting.job_id:
        lines.append(f"{gettext('Job')}: {meeting.job}")
    lines += [
        f"{gettext('When')}: {_when(meeting)}",
        f"{gettext('Room')}: {meeting.room or '—'}",
        f"{gettext('Organiser')}: {meeting.organizer}",
    ]
    if resent:
        lines += ["", gettext("This agenda replaces the one sent before.")]
    lines += ["", gettext("Agenda"), ""]
    for number, item in enumerate(items, start=1):
        minutes = (
            " · " + gettext("%(minutes)s min") % {"minutes": item.minutes} if item.minutes else ""
        )
        proposed = f" · {gettext('proposed by the client')}" if item.from_client else ""
        lines.append(f"{number}. {item.title} — {_owner_text(item)}{minutes}{proposed}")
        if item.details:
            lines += [f"   {line}" for line in item.details.splitlines()]
    ours = [a for a in attendees if a.side == Side.AGENCY]
    theirs = [a for a in attendees if a.side == Side.CLIENT]

    def names(rows) -> str:
        return (
            ", ".join(f"{a.user or a.contact}" + (f" ({a.role})" if a.role else "") for a in rows)
            or "—"
        )

    lines += [
        "",
        gettext("Attendees"),
        f"{gettext('Agency')}: {names(ours)}",
    ]
    if meeting.kind == Meeting.Kind.CLIENT:
        lines.append(f"{gettext('Client')}: {names(theirs)}")
    if link:
        lines += ["", f"{settings.SITE_URL.rstrip('/')}{link}"]
    return subject, "\n".join(lines) + "\n"


def _contact_languages(contact_ids: list[int]) -> dict[int, str]:
    """The language of each contact's portal user; contacts without one get the default."""
    return dict(
        User.objects.filter(contact_id__in=contact_ids, is_active=True).values_list(
            "contact_id", "language"
        )
    )


def _send_agenda_mail(meeting: Meeting, *, resent: bool) -> int:
    """E-mails the agenda to every attendee with an address, in their own language."""
    sent = 0
    attendees = list(meeting.attendees.select_related("user", "contact"))
    items = list(meeting.agenda.select_related("owner", "owner_contact"))
    languages = _contact_languages([a.contact_id for a in attendees if a.contact_id])
    for attendee in attendees:
        if attendee.user_id:
            address, language = attendee.user.email, attendee.user.language
            link = reverse("meetings:meeting_detail", args=[meeting.pk])
        else:
            address = attendee.contact.email
            language = languages.get(attendee.contact_id)
            link = reverse("portal:meeting_detail", args=[meeting.pk]) if language else ""
        if not address:
            continue
        with translation.override(language or settings.LANGUAGE_CODE):
            subject, body = agenda_text(meeting, items, attendees, resent=resent, link=link)
        EmailMessage(subject=subject[:200], body=body, to=[address]).send()
        sent += 1
    return sent


AGENDA_SENT = _("The agenda of %(meeting)s was sent to you.")
AGENDA_RESENT = _("The updated agenda of %(meeting)s was sent to you.")


@transaction.atomic
def agenda_send(*, actor: User, meeting: Meeting, expected_version: int) -> Meeting:
    """E-mails the agenda to every attendee (staff also get a notice in Jobbag); the first
    sending later than the lead time before the start is flagged late. Sending again
    after a change is allowed and says it replaces the earlier one; a repeated request
    with the same version (a double submit) is refused with 409."""
    require(actor, "meetings.meeting.edit", meeting)
    meeting = _lock(meeting)
    if meeting.version != expected_version:
        raise Conflict()
    _require_open(meeting)
    now = timezone.now()
    if meeting.starts_at <= now:
        raise DomainError(ALREADY_STARTED, code="started")
    if not meeting.agenda.exists():
        raise DomainError(AGENDA_EMPTY, code="agenda_empty")
    resent = meeting.agenda_sent_at is not None
    old = meeting.status
    if not resent:
        meeting.agenda_late = is_agenda_late(meeting, now)
    meeting.agenda_sent_at = now
    meeting.agenda_changed_at = None
    meeting.status = Meeting.Status.AGENDA_SENT
    save_versioned(
        meeting,
        expected_version=expected_version,
        fields=["agenda_sent_at", "agenda_late", "agenda_changed_at", "status"],
    )
    _send_agenda_mail(meeting, resent=resent)
    staff = [
        a.user for a in meeting.attendees.select_related("user") if a.user_id and a.user != actor
    ]
    message = AGENDA_RESENT if resent else AGENDA_SENT
    notify(
        recipients=staff,
        message=lambda: message % {"meeting": meeting},
        link=reverse("meetings:meeting_detail", args=[meeting.pk]),
    )
    note = gettext("Agenda re-sent") if resent else gettext("Agenda sent")
    if meeting.agenda_late and not resent:
        note = gettext("Agenda sent late")
    audit.record_transition(actor=actor, obj=meeting, old=old, new=meeting.status, note=note)
    return meeting


def client_topic_recipients(meeting: Meeting) -> list[User]:
    """The portal users of the client who attend; all of the client's if none does."""
    users = User.objects.filter(
        kind=User.Kind.CLIENT, is_active=True, company_id=meeting.company_id
    ).order_by("pk")
    attending = users.filter(contact__meeting_attendances__meeting=meeting)
    return list(attending) or list(users)


TOPICS_ASKED = _(
    "%(client)s: the agency asks for your topics for the meeting “%(purpose)s” on "
    "%(when)s. Propose them in the portal."
)


@transaction.atomic
def meeting_topics_request(*, actor: User, meeting: Meeting, expected_version: int) -> Meeting:
    """Asks the client's people (those who attend, else all portal users of the client)
    for their topics through the portal, before the meeting starts."""
    require(actor, "meetings.meeting.edit", meeting)
    meeting = _lock(meeting)
    if meeting.version != expected_version:
        raise Conflict()
    _require_open(meeting)
    if meeting.kind != Meeting.Kind.CLIENT:
        raise DomainError(NOT_CLIENT_MEETING, code="internal")
    if meeting.starts_at <= timezone.now():
        raise DomainError(ALREADY_STARTED, code="started")
    recipients = client_topic_recipients(meeting)
    if not recipients:
        raise DomainError(NO_CLIENT_USERS, code="no_client_users")
    meeting.topics_requested_at = timezone.now()
    save_versioned(meeting, expected_version=expected_version, fields=["topics_requested_at"])
    values = {"client": meeting.company, "purpose": meeting.purpose, "when": _when(meeting)}
    notify(
        recipients=recipients,
        message=lambda: TOPICS_ASKED % values,
        link=reverse("portal:meeting_detail", args=[meeting.pk]),
        email=True,
    )
    audit.record(
        actor=actor,
        obj=meeting,
        action="change",
        changes={"topics_requested_at": [None, meeting.topics_requested_at.isoformat()]},
        note=gettext("Client asked for topics"),
    )
    return meeting


TOPIC_PROPOSED = _("%(client)s proposed a topic for “%(purpose)s”: %(title)s")


@transaction.atomic
def meeting_topic_propose(
    *, actor: User, meeting: Meeting, title: str, details: str = ""
) -> AgendaItem:
    """A client user adds a topic to the agenda until the meeting starts; the organiser
    is told. The meeting's version moves on, so an edit loaded before cannot drop it."""
    require(actor, "meetings.meeting.propose_topic", meeting)
    meeting = _lock(meeting)
    _require_open(meeting)
    if meeting.starts_at <= timezone.now():
        raise DomainError(TOPICS_CLOSED, code="started")
    errors: dict = {}
    title = _text(title, 200, "title", errors, required=True)
    details = _text(details, 2000, "details", errors)
    if errors:
        raise DomainError(TOPIC_INVALID, fields=errors)
    contact = actor.contact if actor.contact_id else None
    if contact is not None and not _is_contact_of(contact, meeting.company):
        contact = None
    position = (meeting.agenda.aggregate(last=Max("position"))["last"] or 0) + 1
    item = AgendaItem.objects.create(
        meeting=meeting,
        position=position,
        title=title,
        details=details,
        owner_contact=contact,
        proposed_by=actor,
        from_client=True,
    )
    fields = []
    if meeting.agenda_sent_at is not None:
        meeting.agenda_changed_at = timezone.now()
        fields.append("agenda_changed_at")
    save_versioned(meeting, expected_version=meeting.version, fields=fields)
    audit.record_create(actor=actor, obj=item, note=gettext("Topic proposed by the client"))
    values = {"client": meeting.company, "purpose": meeting.purpose, "title": title}
    notify(
        recipients=[meeting.organizer],
        message=lambda: TOPIC_PROPOSED % values,
        link=reverse("meetings:meeting_detail", args=[meeting.pk]),
        email=True,
    )
    return item


@transaction.atomic
def meeting_mark_held(
    *, actor: User, meeting: Meeting, expected_version: int | None = None
) -> Meeting:
    """Records that the meeting took place (once it has started); the contact report
    follows."""
    require(actor, "meetings.meeting.edit", meeting)
    meeting = _lock(meeting)
    _check_version(meeting, expected_version)
    _require_open(meeting)
    if meeting.starts_at > timezone.now():
        raise DomainError(NOT_STARTED, code="not_started")
    old = meeting.status
    meeting.status = Meeting.Status.HELD
    save_versioned(meeting, expected_version=meeting.version, fields=["status"])
    audit.record_transition(actor=actor, obj=meeting, old=old, new=meeting.status)
    return meeting


CANCELLED = _("The meeting “%(purpose)s” on %(when)s was cancelled.")
CANCELLED_BECAUSE = _("The meeting “%(purpose)s” on %(when)s was cancelled: %(reason)s")


@transaction.atomic
def meeting_cancel(
    *, actor: User, meeting: Meeting, reason: str = "", expected_version: int | None = None
) -> Meeting:
    """Cancels a meeting that has not been held. Staff who attend are told; once the
    agenda went out, every attendee who received it gets the cancellation by e-mail."""
    require(actor, "meetings.meeting.edit", meeting)
    meeting = _lock(meeting)
    _check_version(meeting, expected_version)
    _require_open(meeting)
    errors: dict = {}
    reason = _text(reason, 200, "reason", errors)
    if errors:
        raise DomainError(INVALID, fields=errors)
    old = meeting.status
    meeting.status = Meeting.Status.CANCELLED
    save_versioned(meeting, expected_version=meeting.version, fields=["status"])
    audit.record_transition(actor=actor, obj=meeting, old=old, new=meeting.status, note=reason)
    values = {"purpose": meeting.purpose, "when": _when(meeting), "reason": reason}
    template = CANCELLED_BECAUSE if reason else CANCELLED
    attendees = list(meeting.attendees.select_related("user", "contact"))
    staff = [a.user for a in attendees if a.user_id and a.user_id != actor.pk]
    agenda_out = meeting.agenda_sent_at is not None
    notify(
        recipients=staff,
        message=lambda: template % values,
        link=reverse("meetings:meeting_detail", args=[meeting.pk]),
        email=agenda_out,
    )
    if agenda_out:
        contacts = [a.contact for a in attendees if a.contact_id and a.contact.email]
        languages = _contact_languages([c.pk for c in contacts])
        for contact in contacts:
            with translation.override(languages.get(contact.pk) or settings.LANGUAGE_CODE):
                text = str(template % values)
            EmailMessage(subject=text[:200], body=text + "\n", to=[contact.email]).send()
    return meeting


@transaction.atomic
def meeting_checklist_update(
    *,
    actor: User,
    item: ChecklistItem,
    done: bool | None = None,
    link: str | None = None,
    note: str | None = None,
) -> ChecklistItem:
    """Ticks a pre-meeting checklist item, or sets its link or note (only what is given
    changes) while the meeting is still to be held."""
    meeting = item.meeting
    require(actor, "meetings.meeting.edit", meeting)
    meeting = _lock(meeting)
    _require_open(meeting)
    item = ChecklistItem.objects.select_for_update(of=("self",)).get(pk=item.pk)
    before = audit.snapshot(item, ["done", "link", "note"])
    fields = []
    if done is not None:
        item.done = bool(done)
        fields.append("done")
    if link is not None:
        item.link = _clean_link(link)
        fields.append("link")
    if note is not None:
        errors: dict = {}
        item.note = _text(note, 200, "note", errors)
        if errors:
            raise DomainError(INVALID, fields=errors)
        fields.append("note")
    if fields:
        item.save(update_fields=fields)
        changes = audit.diff(before, audit.snapshot(item, ["done", "link", "note"]))
        if changes:
            audit.record(
                actor=actor,
                obj=meeting,
                action="change",
                changes={f"checklist.{item.kind}.{k}": v for k, v in changes.items()},
            )
    return item
