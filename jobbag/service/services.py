"""Every change to complaints and return visits.

Each move of a complaint locks its row, checks the version the user acted on (a stale
one is a Conflict, 409: a double submit or two people at once) and then the status the
move starts from (an illegal move is refused and changes nothing); it records the audit
entry and notifies who must know.

Promises are counted in working hours through office hours (ServiceSettings) on the
working-day calendar; the targets per severity are data (SeverityTarget).
"""

from datetime import date, datetime

from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from jobbag.accounts.models import User
from jobbag.clients.models import Brand, Company, Contact
from jobbag.core import audit
from jobbag.core.errors import Conflict, DomainError, NotAllowed
from jobbag.core.notifications import notify
from jobbag.core.permissions import can, require
from jobbag.core.versioning import save_versioned
from jobbag.jobs.models import Job
from jobbag.service.escalation import escalate
from jobbag.service.models import (
    OPEN_STATUSES,
    SETTLING_STATUSES,
    URGENT_SEVERITIES,
    Complaint,
    ComplaintCategory,
    ComplaintEscalation,
    ReturnVisit,
    ReturnVisitPlan,
    ServiceSettings,
    Severity,
    SeverityTarget,
)
from jobbag.service.team import staff_link, team
from jobbag.service.workhours import WorkingCalendar, add_working_hours, working_hours_between

S = Complaint.Status

INVALID = _("The complaint is incomplete: correct the fields marked.")
REQUIRED = _("This field is required.")
CATEGORY_INVALID = _("Choose an active category.")
SEVERITY_INVALID = _("Choose a severity.")
CHANNEL_INVALID = _("Choose how the complaint came in.")
BRAND_NOT_OF_CLIENT = _("The brand is not one of this client's.")
JOB_NOT_OF_CLIENT = _("The job is not one of this client's.")
CONTACT_NOT_OF_CLIENT = _("The contact is not one of this client's people.")
ASSIGNEE_INVALID = _("Choose an active staff member.")
NOT_NEW_OR_ASSIGNED = _("Only a new or assigned complaint can be (re)assigned.")
NOT_ASSIGNED = _("Only an assigned complaint gets its first answer; assign it first.")
NOT_ANSWERED = _("Only a complaint with a first answer can be resolved; answer it first.")
NOT_RESOLVED = _("A return visit is scheduled and recorded only after the complaint is resolved.")
NOT_SETTLING = _("Only a resolved complaint can be confirmed or reopened.")
NOT_CANCELLABLE = _("Only a complaint not yet resolved can be cancelled.")
VISIT_BEFORE_RESOLUTION = _("The return visit cannot be before the resolution.")
DATE_IN_FUTURE = _("The date cannot be in the future.")
VISIT_INVALID = _("The return visit is incomplete: correct the fields marked.")
PLAN_DAYS_INVALID = _("Enter a number of days from 1 to 366.")
COMPLAINT_NOT_OF_CLIENT = _("The complaint is not one of this client's.")


def office() -> ServiceSettings:
    return ServiceSettings.current()


def _client_users(complaint: Complaint) -> list[User]:
    """The client's portal users this complaint concerns: who logged it, the contact's."""
    whom = Q(pk=complaint.raised_by_id)
    if complaint.contact_id:
        whom |= Q(contact_id=complaint.contact_id)
    return list(
        User.objects.filter(
            whom, kind=User.Kind.CLIENT, is_active=True, company_id=complaint.company_id
        )
    )


def _portal_link(complaint: Complaint) -> str:
    return reverse("portal:complaint_detail", args=[complaint.pk])


def _tell_staff(complaint: Complaint, actor, text, *, extra=(), email=False) -> None:
    recipients = {user.pk: user for user in team(complaint.company)}
    for user in extra:
        if user is not None:
            recipients[user.pk] = user
    if complaint.assigned_to_id and complaint.assigned_to_id not in recipients:
        recipients[complaint.assigned_to_id] = complaint.assigned_to
    recipients.pop(getattr(actor, "pk", None), None)
    if recipients:
        notify(
            recipients=recipients.values(),
            message=text,
            link=staff_link(complaint),
            email=email,
        )


def _tell_client(complaint: Complaint, actor, text) -> None:
    users = [user for user in _client_users(complaint) if user.pk != getattr(actor, "pk", None)]
    if users:
        notify(recipients=users, message=text, link=_portal_link(complaint), email=True)


def promises(logged_at: datetime, severity: str) -> tuple[int, int, datetime, datetime]:
    """(answer hours, resolve hours, first answer due, resolution due) for a complaint of
    `severity` logged at `logged_at`."""
    target = SeverityTarget.objects.filter(severity=severity).first()
    answer_hours, resolve_days = (target.answer_hours, target.resolve_days) if target else (8, 5)
    settings = office()
    resolve_hours = int(round(resolve_days * settings.day_hours))
    calendar = WorkingCalendar(timezone.localdate(logged_at))
    hours = {"opens": settings.opens_at, "closes": settings.closes_at, "calendar": calendar}
    return (
        answer_hours,
        resolve_hours,
        add_working_hours(logged_at, answer_hours, **hours),
        add_working_hours(logged_at, resolve_hours, **hours),
    )


def _text(value) -> str:
    return value.strip() if isinstance(value, str) else ""


def _clean(company: Company, values: dict) -> tuple[dict, dict]:
    errors = {}
    cleaned = {
        "subject": _text(values.get("subject")),
        "description": _text(values.get("description")),
    }
    for name in ("subject", "description"):
        if not cleaned[name]:
            errors[name] = REQUIRED
    category = values.get("category")
    if not isinstance(category, ComplaintCategory) or not category.is_active:
        errors["category"] = CATEGORY_INVALID
    cleaned["category"] = category
    severity = values.get("severity") or Severity.NORMAL
    if severity not in Severity.values:
        errors["severity"] = SEVERITY_INVALID
    cleaned["severity"] = severity
    brand, job, contact = values.get("brand"), values.get("job"), values.get("contact")
    if brand is not None and (not isinstance(brand, Brand) or brand.company_id != company.pk):
        errors["brand"] = BRAND_NOT_OF_CLIENT
    if job is not None and (not isinstance(job, Job) or job.company_id != company.pk):
        errors["job"] = JOB_NOT_OF_CLIENT
    if contact is not None and (
        not isinstance(contact, Contact) or contact.company_id != company.pk
    ):
        errors["contact"] = CONTACT_NOT_OF_CLIENT
    cleaned.update(brand=brand, job=job, contact=contact)
    return cleaned, errors


def _active_staff(user) -> bool:
    return isinstance(user, User) and user.is_active and user.kind == User.Kind.STAFF


@transaction.atomic
def complaint_create(
    *,
    actor: User,
    company: Company,
    channel: str = "",
    assigned_to: User | None = None,
    now: datetime | None = None,
    **values,
) -> Complaint:
    """Logs a complaint: staff for a client they work on (from any channel), or a client
    user for their own company (through the portal). Critical and high complaints go to
    the client's AD at once."""
    now = now or timezone.now()
    if actor.kind == User.Kind.CLIENT:
        require(actor, "service.complaint.portal")
        if company.pk != actor.company_id:
            raise NotAllowed()
        channel, assigned_to = Complaint.Channel.PORTAL, None
        values["contact"] = actor.contact if actor.contact_id else None
        values["job"] = None
    else:
        require(actor, "service.complaint.create", company)
    cleaned, errors = _clean(company, values)
    if channel not in Complaint.Channel.values:
        errors["channel"] = CHANNEL_INVALID
    if assigned_to is not None and not _active_staff(assigned_to):
        errors["assigned_to"] = ASSIGNEE_INVALID
    if errors:
        raise DomainError(INVALID, fields=errors)
    answer_hours, resolve_hours, answer_due, resolve_due = promises(now, cleaned["severity"])
    complaint = Complaint.objects.create(
        company=company,
        channel=channel,
        raised_by=actor,
        logged_at=now,
        assigned_to=assigned_to,
        status=S.ASSIGNED if assigned_to else S.NEW,
        answer_hours=answer_hours,
        resolve_hours=resolve_hours,
        answer_due_at=answer_due,
        resolve_due_at=resolve_due,
        **cleaned,
    )
    audit.record_create(actor=actor, obj=complaint)
    _tell_staff(
        complaint,
        actor,
        lambda: (
            gettext("New complaint from %(client)s: %(subject)s")
            % {"client": company, "subject": complaint.subject}
        ),
        email=True,
    )
    if complaint.severity in URGENT_SEVERITIES:
        escalate(complaint, level=1, reason=ComplaintEscalation.Reason.SEVERE, now=now)
    return complaint


def _locked(actor, complaint: Complaint, rule: str, expected_version, allowed) -> Complaint:
    require(actor, rule, complaint)
    locked = (
        Complaint.objects.select_for_update(of=("self",))
        .select_related("company", "assigned_to")
        .get(pk=complaint.pk)
    )
    if expected_version is None or locked.version != expected_version:
        raise Conflict()
    if locked.status not in allowed:
        raise DomainError(allowed.message)
    return locked


class _From(frozenset):
    """The statuses a move starts from, with the message refusing any other."""

    def __new__(cls, statuses, message):
        instance = super().__new__(cls, statuses)
        instance.message = message
        return instance


ASSIGNABLE = _From({S.NEW, S.ASSIGNED}, NOT_NEW_OR_ASSIGNED)
ANSWERABLE = _From({S.ASSIGNED}, NOT_ASSIGNED)
RESOLVABLE = _From({S.ANSWERED}, NOT_ANSWERED)
VISITABLE = _From({S.RESOLVED}, NOT_RESOLVED)
SETTLING = _From(SETTLING_STATUSES, NOT_SETTLING)
CANCELLABLE = _From(OPEN_STATUSES, NOT_CANCELLABLE)


def _save(complaint: Complaint, old: str, *, actor, fields: list[str], note: str = ""):
    save_versioned(complaint, expected_version=complaint.version, fields=fields)
    if complaint.status != old:
        audit.record_transition(
            actor=actor, obj=complaint, old=old, new=complaint.status, note=note
        )


@transaction.atomic
def complaint_assign(
    *, actor: User, complaint: Complaint, assignee: User, expected_version: int | None
) -> Complaint:
    complaint = _locked(actor, complaint, "service.complaint.handle", expected_version, ASSIGNABLE)
    if not _active_staff(assignee):
        raise DomainError(ASSIGNEE_INVALID, fields={"assignee": ASSIGNEE_INVALID})
    old, before = complaint.status, audit.snapshot(complaint, ["assigned_to"])
    complaint.assigned_to, complaint.status = assignee, S.ASSIGNED
    save_versioned(complaint, expected_version=complaint.version, fields=["assigned_to", "status"])
    if old != complaint.status:
        audit.record_transition(
            actor=actor, obj=complaint, old=old, new=complaint.status, note=str(assignee)
        )
    else:
        audit.record_change(actor=actor, obj=complaint, before=before)
    if assignee.pk != actor.pk:
        notify(
            recipients=[assignee],
            message=lambda: (
                gettext("A complaint was assigned to you: %(subject)s")
                % {"subject": complaint.subject}
            ),
            link=staff_link(complaint),
            email=True,
        )
    return complaint


@transaction.atomic
def complaint_answer(
    *,
    actor: User,
    complaint: Complaint,
    answer: str,
    expected_version: int | None,
    now: datetime | None = None,
) -> Complaint:
    """Records the first answer given to the client."""
    complaint = _locked(actor, complaint, "service.complaint.work", expected_version, ANSWERABLE)
    answer = _text(answer)
    if not answer:
        raise DomainError(REQUIRED, fields={"answer": REQUIRED})
    old = complaint.status
    complaint.first_answer, complaint.first_answered_at = answer, now or timezone.now()
    complaint.status = S.ANSWERED
    _save(complaint, old, actor=actor, fields=["first_answer", "first_answered_at", "status"])
    _tell_client(
        complaint,
        actor,
        lambda: gettext("We answered your complaint: %(subject)s") % {"subject": complaint.subject},
    )
    _tell_staff(
        complaint,
        actor,
        lambda: gettext("First answer given: %(subject)s") % {"subject": complaint.subject},
    )
    return complaint


@transaction.atomic
def complaint_resolve(
    *,
    actor: User,
    complaint: Complaint,
    resolution: str,
    expected_version: int | None,
    now: datetime | None = None,
) -> Complaint:
    complaint = _locked(actor, complaint, "service.complaint.work", expected_version, RESOLVABLE)
    resolution = _text(resolution)
    if not resolution:
        raise DomainError(REQUIRED, fields={"resolution": REQUIRED})
    now = now or timezone.now()
    settings = office()
    old = complaint.status
    complaint.resolution, complaint.resolved_at, complaint.resolved_by = resolution, now, actor
    complaint.hours_to_resolve = working_hours_between(
        complaint.logged_at, now, opens=settings.opens_at, closes=settings.closes_at
    )
    complaint.resolved_within_promise = now <= complaint.resolve_due_at
    complaint.status = S.RESOLVED
    _save(
        complaint,
        old,
        actor=actor,
        fields=[
            "resolution",
            "resolved_at",
            "resolved_by",
            "hours_to_resolve",
            "resolved_within_promise",
            "status",
        ],
    )
    _tell_client(
        complaint,
        actor,
        lambda: (
            gettext(
                "Your complaint is resolved: %(subject)s. Please confirm, or tell us it is not."
            )
            % {"subject": complaint.subject}
        ),
    )
    _tell_staff(
        complaint,
        actor,
        lambda: gettext("Complaint resolved: %(subject)s") % {"subject": complaint.subject},
    )
    return complaint


@transaction.atomic
def complaint_schedule_visit(
    *,
    actor: User,
    complaint: Complaint,
    due_on: date,
    visitor: User,
    expected_version: int | None,
) -> Complaint:
    """Schedules the return visit (回访) after resolution: when, and by whom."""
    complaint = _locked(actor, complaint, "service.complaint.handle", expected_version, VISITABLE)
    errors = {}
    if not isinstance(due_on, date):
        errors["due_on"] = REQUIRED
    elif due_on < timezone.localdate(complaint.resolved_at):
        errors["due_on"] = VISIT_BEFORE_RESOLUTION
    if not _active_staff(visitor):
        errors["visitor"] = ASSIGNEE_INVALID
    if errors:
        raise DomainError(VISIT_INVALID, fields=errors)
    before = audit.snapshot(complaint, ["visit_due_on", "visit_assignee"])
    complaint.visit_due_on, complaint.visit_assignee = due_on, visitor
    save_versioned(
        complaint,
        expected_version=complaint.version,
        fields=["visit_due_on", "visit_assignee"],
    )
    audit.record_change(actor=actor, obj=complaint, before=before, note=gettext("Return visit"))
    if visitor.pk != actor.pk:
        notify(
            recipients=[visitor],
            message=lambda: (
                gettext("Return visit to make by %(day)s: %(subject)s")
                % {"day": due_on.isoformat(), "subject": complaint.subject}
            ),
            link=staff_link(complaint),
            email=True,
        )
    return complaint


def _clean_visit(company: Company, values: dict, *, today: date) -> dict:
    errors = {}
    visited_on = values.get("visited_on")
    if not isinstance(visited_on, date):
        errors["visited_on"] = REQUIRED
    elif visited_on > today:
        errors["visited_on"] = DATE_IN_FUTURE
    notes = _text(values.get("notes"))
    if not notes:
        errors["notes"] = REQUIRED
    channel = values.get("channel") or ReturnVisit.Channel.VISIT
    if channel not in ReturnVisit.Channel.values:
        errors["channel"] = CHANNEL_INVALID
    contact = values.get("contact")
    if contact is not None and (
        not isinstance(contact, Contact) or contact.company_id != company.pk
    ):
        errors["contact"] = CONTACT_NOT_OF_CLIENT
    satisfied = values.get("satisfied")
    if errors:
        raise DomainError(VISIT_INVALID, fields=errors)
    return {
        "visited_on": visited_on,
        "notes": notes,
        "channel": channel,
        "contact": contact,
        "outcome": _text(values.get("outcome")),
        "satisfied": satisfied if isinstance(satisfied, bool) else None,
    }


def _visited(company: Company, day: date) -> None:
    """Moves the client's plan on: its next visit counts from this one."""
    plan = ReturnVisitPlan.objects.select_for_update().filter(company=company).first()
    if plan and (plan.last_visit_on is None or plan.last_visit_on < day):
        plan.last_visit_on = day
        save_versioned(plan, expected_version=plan.version, fields=["last_visit_on"])


@transaction.atomic
def complaint_record_visit(
    *,
    actor: User,
    complaint: Complaint,
    expected_version: int | None,
    satisfied: bool,
    now: datetime | None = None,
    **values,
) -> ReturnVisit:
    """Records the return visit after resolution: satisfied moves the complaint to
    revisited; not satisfied reopens it (back to answered, with a new promise)."""
    complaint = _locked(actor, complaint, "service.complaint.work", expected_version, VISITABLE)
    now = now or timezone.now()
    if not isinstance(satisfied, bool):
        raise DomainError(VISIT_INVALID, fields={"satisfied": REQUIRED})
    cleaned = _clean_visit(
        complaint.company, {**values, "satisfied": satisfied}, today=timezone.localdate(now)
    )
    visit = ReturnVisit.objects.create(
        company=complaint.company,
        complaint=complaint,
        kind=ReturnVisit.Kind.COMPLAINT,
        visited_by=actor,
        recorded_by=actor,
        **cleaned,
    )
    audit.record_create(actor=actor, obj=visit)
    _visited(complaint.company, cleaned["visited_on"])
    if satisfied:
        old = complaint.status
        complaint.status = S.REVISITED
        _save(complaint, old, actor=actor, fields=["status"], note=gettext("Return visit"))
        _tell_staff(
            complaint,
            actor,
            lambda: (
                gettext("Return visit recorded, the client is satisfied: %(subject)s")
                % {"subject": complaint.subject}
            ),
        )
    else:
        _reopen(complaint, actor=actor, now=now, note=cleaned["notes"])
    return visit


def _reopen(complaint: Complaint, *, actor, now: datetime, note: str) -> None:
    old = complaint.status
    _a, _r, _answer_due, resolve_due = promises(now, complaint.severity)
    complaint.status = S.ANSWERED
    complaint.resolved_at = complaint.resolved_by = None
    complaint.hours_to_resolve = complaint.resolved_within_promise = None
    complaint.resolve_due_at = resolve_due
    complaint.visit_due_on = complaint.visit_assignee = None
    complaint.reopen_count += 1
    _save(
        complaint,
        old,
        actor=actor,
        fields=[
            "status",
            "resolved_at",
            "resolved_by",
            "hours_to_resolve",
            "resolved_within_promise",
            "resolve_due_at",
            "visit_due_on",
            "visit_assignee",
            "reopen_count",
        ],
        note=(gettext("Reopened: not resolved") + " · " + note)[:255],
    )
    _tell_staff(
        complaint,
        actor,
        lambda: (
            gettext("The client says the complaint is not resolved: %(subject)s")
            % {"subject": complaint.subject}
        ),
        email=True,
    )


@transaction.atomic
def complaint_confirm(
    *,
    actor: User,
    complaint: Complaint,
    expected_version: int | None,
    contact: Contact | None = None,
    channel: str = "",
    note: str = "",
    confirmed_at: datetime | None = None,
) -> Complaint:
    """Closes a resolved complaint with the client's confirmation: the client user in the
    portal, or staff recording who confirmed, when and how."""
    rule = (
        "service.complaint.portal" if actor.kind == User.Kind.CLIENT else "service.complaint.handle"
    )
    complaint = _locked(actor, complaint, rule, expected_version, SETTLING)
    now = timezone.now()
    if actor.kind == User.Kind.CLIENT:
        contact = actor.contact if actor.contact_id else None
        channel, confirmed_at = Complaint.Channel.PORTAL, now
    else:
        errors = {}
        if contact is not None and (
            not isinstance(contact, Contact) or contact.company_id != complaint.company_id
        ):
            errors["contact"] = CONTACT_NOT_OF_CLIENT
        if channel not in Complaint.Channel.values:
            errors["channel"] = CHANNEL_INVALID
        confirmed_at = confirmed_at or now
        if confirmed_at > now:
            errors["confirmed_at"] = DATE_IN_FUTURE
        if errors:
            raise DomainError(INVALID, fields=errors)
    old = complaint.status
    complaint.confirmed_at, complaint.confirmed_by = confirmed_at, actor
    complaint.confirmed_contact, complaint.confirmation_channel = contact, channel
    complaint.confirmation_note = _text(note)[:500]
    complaint.status = S.CLOSED
    _save(
        complaint,
        old,
        actor=actor,
        fields=[
            "confirmed_at",
            "confirmed_by",
            "confirmed_contact",
            "confirmation_channel",
            "confirmation_note",
            "status",
        ],
        note=gettext("Confirmed by the client"),
    )
    _tell_staff(
        complaint,
        actor,
        lambda: (
            gettext("The client confirmed the resolution; complaint closed: %(subject)s")
            % {"subject": complaint.subject}
        ),
    )
    return complaint


@transaction.atomic
def complaint_reopen(
    *, actor: User, complaint: Complaint, expected_version: int | None, reason: str
) -> Complaint:
    """The client says it is not resolved (in the portal, or staff record it)."""
    rule = (
        "service.complaint.portal" if actor.kind == User.Kind.CLIENT else "service.complaint.handle"
    )
    complaint = _locked(actor, complaint, rule, expected_version, SETTLING)
    reason = _text(reason)
    if not reason:
        raise DomainError(REQUIRED, fields={"reason": REQUIRED})
    _reopen(complaint, actor=actor, now=timezone.now(), note=reason)
    return complaint


@transaction.atomic
def complaint_cancel(
    *, actor: User, complaint: Complaint, expected_version: int | None, reason: str
) -> Complaint:
    complaint = _locked(actor, complaint, "service.complaint.handle", expected_version, CANCELLABLE)
    reason = _text(reason)
    if not reason:
        raise DomainError(REQUIRED, fields={"reason": REQUIRED})
    old = complaint.status
    complaint.status, complaint.cancel_reason = S.CANCELLED, reason[:500]
    _save(complaint, old, actor=actor, fields=["status", "cancel_reason"], note=reason)
    _tell_staff(
        complaint,
        actor,
        lambda: gettext("Complaint cancelled: %(subject)s") % {"subject": complaint.subject},
    )
    return complaint


def may_act(user, complaint: Complaint) -> dict[str, bool]:
    """What the page offers `user` on this complaint."""
    handle = can(user, "service.complaint.handle", complaint)
    work = handle or can(user, "service.complaint.work", complaint)
    status = complaint.status
    return {
        "assign": handle and status in ASSIGNABLE,
        "answer": work and status in ANSWERABLE,
        "resolve": work and status in RESOLVABLE,
        "schedule_visit": handle and status in VISITABLE,
        "record_visit": work and status in VISITABLE,
        "confirm": handle and status in SETTLING,
        "reopen": handle and status in SETTLING,
        "cancel": handle and status in CANCELLABLE,
    }
