"""Contact reports (客户会议报告, SPEC §6): written from a meeting (one report per
meeting) or from a phone call or other contact; due MeetingSettings.report_due_hours
after it; decisions and actions (owner on either side, due date) are edited while the
report is a draft; sending it opens its actions, fixes its SHA-256 and e-mails it with a
PDF to the people listed, the client's key people and the service team; the client
acknowledges it in the portal. A sent report is never edited: corrections are addenda.
"""

import hashlib
from datetime import datetime, timedelta

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from jobbag.accounts.models import Role, User
from jobbag.clients.models import Company, Contact
from jobbag.clients.selectors import team_of
from jobbag.core import audit
from jobbag.core.errors import Conflict, DomainError
from jobbag.core.notifications import notify
from jobbag.core.pdf import render_pdf
from jobbag.core.permissions import require
from jobbag.core.versioning import save_versioned
from jobbag.jobs.models import Job
from jobbag.meetings.models import (
    Action,
    Addendum,
    ContactReport,
    Meeting,
    MeetingSettings,
    ReportDecision,
    ReportReceipt,
    Side,
)
from jobbag.meetings.services.common import clean_action

INVALID = _("The contact report is incomplete: correct the fields marked.")
REQUIRED = _("This field is required.")
ALREADY_REPORTED = _("This meeting already has its report; add an addendum to correct it.")
MEETING_CANCELLED = _("The meeting was cancelled: there is nothing to report.")
SOURCE_INVALID = _("Choose a phone call or another contact (reports of meetings start there).")
COMPANY_INVALID = _("Choose a client you work on.")
JOB_INVALID = _("Choose one of this client's jobs, or none.")
IN_FUTURE = _("The contact cannot be in the future.")
STAFF_INVALID = _("Choose active members of staff only.")
CONTACTS_INVALID = _("Choose this client's active contacts only.")
SENT_NO_EDIT = _(
    "This contact report has been sent and can no longer be edited; add an addendum to correct it."
)
ALREADY_SENT = _("This contact report has already been sent.")
EMPTY = _("Write at least one decision, action or discussion before sending the report.")
NOT_SENT = _("Only a sent report takes addenda; edit the draft instead.")
ADDENDUM_EMPTY = _("Write the correction.")
NO_CONTACT = _("Your user is not linked to one of your company's contacts: ask your agency.")

# A little slack for clocks: a call "just now" entered from a phone a minute ahead.
FUTURE_SLACK = timedelta(minutes=5)


# Reading ----------------------------------------------------------------------------------


def due_at_for(occurred_at: datetime) -> datetime:
    return occurred_at + timedelta(hours=MeetingSettings.current().report_due_hours)


def is_late(report: ContactReport, now: datetime | None = None) -> bool:
    """Sent after its due time, or (a draft) past it now."""
    if report.sent_at is not None:
        return report.sent_at > report.due_at
    return (now or timezone.now()) > report.due_at


def _contents(report: ContactReport) -> dict:
    """The report's rows for rendering: people, decisions, actions, addenda, receipts."""
    return {
        "report": report,
        "staff": sorted(report.staff.all(), key=lambda u: (str(u), u.pk)),
        "contacts": sorted(report.contacts.all(), key=lambda c: (c.name, c.pk)),
        "decisions": list(report.decisions.all()),
        "actions": list(
            report.actions.select_related("owner", "owner_contact").order_by("position", "pk")
        ),
        "addenda": list(report.addenda.select_related("created_by").order_by("number")),
    }


def plain_text(report: ContactReport) -> str:
    """The report as sent (without addenda) as plain text in the default language: what
    its hash is taken of, so the hash can be checked again at any time."""
    context = {**_contents(report), "addenda": []}
    with translation.override(settings.LANGUAGE_CODE):
        return render_to_string("meetings/reports/report.txt", context)


def pdf_context(report: ContactReport) -> dict:
    context = _contents(report)
    context["late"] = report.sent_at is not None and report.sent_at > report.due_at
    context["receipts"] = list(
        report.receipts.select_related("contact", "acknowledged_by").order_by("pk")
    )
    return context


def report_pdf(report: ContactReport) -> bytes:
    return render_pdf("meetings/reports/pdf.html", pdf_context(report))


def pdf_filename(report: ContactReport) -> str:
    return f"contact-report-{report.company.code}-{report.pk}.pdf"


def _sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


# Checking input ---------------------------------------------------------------------------


def _clean_people(company: Company, staff, contacts) -> tuple[list[User], list[Contact], dict]:
    errors = {}
    staff = list({u.pk: u for u in staff or []}.values())
    contacts = list({c.pk: c for c in contacts or []}.values())
    if any(not isinstance(u, User) or not u.is_active or u.kind != User.Kind.STAFF for u in staff):
        errors["staff"] = STAFF_INVALID
    if any(
        not isinstance(c, Contact) or c.company_id != company.pk or not c.is_active
        for c in contacts
    ):
        errors["contacts"] = CONTACTS_INVALID
    return staff, contacts, errors


def _clean_decisions(decisions) -> list[str]:
    return [text.strip() for text in decisions or [] if text and text.strip()]


def _clean_actions(company: Company, actions) -> tuple[list[dict], dict]:
    """Each action checked by clean_action; errors keyed `actions.<n>.<field>` (n from 0)."""
    cleaned, errors = [], {}
    for index, values in enumerate(actions or []):
        try:
            cleaned.append(clean_action(company, values))
        except DomainError as error:
            for field, message in error.fields.items():
                errors[f"actions.{index}.{field}"] = message
    return cleaned, errors


def _plain(report: ContactReport) -> dict:
    data = audit.snapshot(report, ["subject", "place", "discussion"])
    data["staff"] = sorted(str(u) for u in report.staff.all())
    data["contacts"] = sorted(str(c) for c in report.contacts.all())
    data["decisions"] = [d.text for d in report.decisions.order_by("position", "pk")]
    data["actions"] = [
        f"{a.text} · {a.owner_name} · {a.due_on:%Y-%m-%d}"
        for a in report.actions.select_related("owner", "owner_contact").order_by("position")
    ]
    return data


# Writing ----------------------------------------------------------------------------------


def _create(*, actor: User, staff, contacts, **fields) -> ContactReport:
    try:
        with transaction.atomic():
            report = ContactReport.objects.create(created_by=actor, **fields)
    except IntegrityError:
        # Two people at once: the other one's report of this meeting won.
        raise Conflict(ALREADY_REPORTED) from None
    report.staff.set(staff)
    report.contacts.set(contacts)
    audit.record_create(actor=actor, obj=report)
    return report


@transaction.atomic
def report_create(
    *,
    actor: User,
    meeting: Meeting | None = None,
    company: Company | None = None,
    job: Job | None = None,
    source: str | None = None,
    occurred_at: datetime | None = None,
    subject: str = "",
    place: str = "",
    staff=(),
    contacts=(),
) -> ContactReport:
    """Starts the draft report of a meeting (its client, job, purpose, room, end and
    attendees; one report per meeting) or of a phone call or other contact."""
    if meeting is not None:
        return _create_from_meeting(actor=actor, meeting=meeting)
    if not isinstance(company, Company):
        require(actor, "meetings.report.write")
        raise DomainError(INVALID, fields={"company": COMPANY_INVALID})
    require(actor, "meetings.report.write", company)
    errors = {}
    if source not in {ContactReport.Source.PHONE, ContactReport.Source.OTHER}:
        errors["source"] = SOURCE_INVALID
    if job is not None and (not isinstance(job, Job) or job.company_id != company.pk):
        errors["job"] = JOB_INVALID
    if not isinstance(occurred_at, datetime):
        errors["occurred_at"] = REQUIRED
    elif occurred_at > timezone.now() + FUTURE_SLACK:
        errors["occurred_at"] = IN_FUTURE
    subject = (subject or "").strip()
    if not subject:
        errors["subject"] = REQUIRED
    staff, contacts, people_errors = _clean_people(company, staff, contacts)
    errors.update(people_errors)
    if errors:
        raise DomainError(INVALID, fields=errors)
    return _create(
        actor=actor,
        staff=staff,
        contacts=contacts,
        company=company,
        job=job,
        source=source,
        occurred_at=occurred_at,
        due_at=due_at_for(occurred_at),
        subject=subject,
        place=(place or "").strip(),
    )


def _create_from_meeting(*, actor: User, meeting: Meeting) -> ContactReport:
    require(actor, "meetings.report.write", meeting.company)
    meeting = Meeting.objects.select_for_update(of=("self",)).get(pk=meeting.pk)
    if ContactReport.objects.filter(meeting=meeting).exists():
        raise DomainError(ALREADY_REPORTED, code="already_reported")
    if meeting.status == Meeting.Status.CANCELLED:
        raise DomainError(MEETING_CANCELLED)
    attendees = list(meeting.attendees.select_related("user", "contact"))
    staff = [a.user for a in attendees if a.side == Side.AGENCY and a.user.is_active]
    contacts = [a.contact for a in attendees if a.side == Side.CLIENT]
    return _create(
        actor=actor,
        staff=staff,
        contacts=contacts,
        company=meeting.company,
        job=meeting.job,
        meeting=meeting,
        source=ContactReport.Source.MEETING,
        occurred_at=meeting.ends_at,
        due_at=due_at_for(meeting.ends_at),
        subject=meeting.purpose,
        place=meeting.room,
    )


def _lock(report: ContactReport) -> ContactReport:
    return (
        ContactReport.objects.select_for_update(of=("self",))
        .select_related("company", "job", "created_by")
        .get(pk=report.pk)
    )


@transaction.atomic
def report_update(
    *,
    actor: User,
    report: ContactReport,
    expected_version: int,
    subject: str = "",
    place: str = "",
    discussion: str = "",
    staff=(),
    contacts=(),
    decisions=(),
    actions=(),
) -> ContactReport:
    """Edits a draft: subject, place, discussion, people, decisions and actions (in
    order). A sent report refuses every edit."""
    require(actor, "meetings.report.write", report)
    report = _lock(report)
    if report.is_sent:
        raise DomainError(SENT_NO_EDIT, code="sent")
    if report.version != expected_version:
        raise Conflict()
    errors = {}
    subject = (subject or "").strip()
    if not subject:
        errors["subject"] = REQUIRED
    staff, contacts, people_errors = _clean_people(report.company, staff, contacts)
    errors.update(people_errors)
    texts = _clean_decisions(decisions)
    cleaned_actions, action_errors = _clean_actions(report.company, actions)
    errors.update(action_errors)
    if errors:
        raise DomainError(INVALID, fields=errors)
    before = _plain(report)
    report.subject = subject
    report.place = (place or "").strip()
    report.discussion = (discussion or "").strip()
    save_versioned(
        report, expected_version=expected_version, fields=["subject", "place", "discussion"]
    )
    report.staff.set(staff)
    report.contacts.set(contacts)
    report.decisions.all().delete()
    ReportDecision.objects.bulk_create(
        ReportDecision(report=report, position=index, text=text) for index, text in enumerate(texts)
    )
    # Draft actions are part of the draft; they become tracked actions when it is sent.
    Action.objects.filter(report=report, status=Action.Status.DRAFT).delete()
    Action.objects.bulk_create(
        Action(
            company_id=report.company_id,
            job_id=report.job_id,
            report=report,
            position=index,
            status=Action.Status.DRAFT,
            created_by=actor,
            **values,
        )
        for index, values in enumerate(cleaned_actions)
    )
    changes = audit.diff(before, _plain(report))
    if changes:
        audit.record(actor=actor, obj=report, action="change", changes=changes)
    return report


# Sending ----------------------------------------------------------------------------------


def _language(user: User | None) -> str:
    return (user.language if user is not None else None) or settings.LANGUAGE_CODE


class _Mailer:
    """E-mails a report's PDF, rendered once per language, to staff and client people."""

    def __init__(self, report: ContactReport, *, subject, intro):
        self.report = report
        self.subject = subject
        self.intro = intro
        self._pdfs: dict[str, bytes] = {}
        self._text: dict[str, str] = {}

    def _pdf(self, language: str) -> bytes:
        if language not in self._pdfs:
            with translation.override(language):
                self._pdfs[language] = report_pdf(self.report)
        return self._pdfs[language]

    def send(self, address: str, language: str, link: str) -> None:
        with translation.override(language):
            values = {"subject": self.report.subject, "client": self.report.company}
            subject = str(self.subject) % values
            body = render_to_string(
                "meetings/reports/email.txt",
                {
                    "intro": str(self.intro) % values,
                    "text": plain_text_in(self.report, language, self._text),
                    "link": f"{settings.SITE_URL.rstrip('/')}{link}" if link else "",
                    "report": self.report,
                },
            )
        message = EmailMessage(subject=" ".join(subject.split())[:200], body=body, to=[address])
        message.attach(pdf_filename(self.report), self._pdf(language), "application/pdf")
        message.send()


def plain_text_in(report: ContactReport, language: str, cache: dict) -> str:
    if language not in cache:
        with translation.override(language):
            cache[language] = render_to_string("meetings/reports/report.txt", _contents(report))
    return cache[language]


def _portal_users(contacts) -> dict[int, User]:
    """The active portal users of these contacts, by contact id."""
    users = User.objects.filter(
        contact__in=[c.pk for c in contacts], kind=User.Kind.CLIENT, is_active=True
    )
    return {user.contact_id: user for user in users}


def _deliver(report: ContactReport, *, staff, contacts, subject, intro, message) -> None:
    """E-mails the report's PDF to `staff` and `contacts` (with an address) and tells the
    staff and the contacts' portal users in the app."""
    mailer = _Mailer(report, subject=subject, intro=intro)
    staff_link = reverse("meetings:report_detail", args=[report.pk])
    portal_link = reverse("portal:report_detail", args=[report.pk])
    for user in staff:
        if user.email:
            mailer.send(user.email, _language(user), staff_link)
    users = _portal_users(contacts)
    for contact in contacts:
        if contact.email:
            user = users.get(contact.pk)
            mailer.send(contact.email, _language(user), portal_link if user else "")
    values = {"subject": report.subject, "client": report.company}
    notify(recipients=staff, message=lambda: message % values, link=staff_link)
    notify(recipients=users.values(), message=lambda: message % values, link=portal_link)


SENT_SUBJECT = _("Contact report: %(subject)s (%(client)s)")
SENT_INTRO = _("The contact report “%(subject)s” of %(client)s is attached as a PDF.")
SENT_MESSAGE = _("Contact report sent: %(subject)s (%(client)s).")
ADDENDUM_SUBJECT = _("Addendum to the contact report: %(subject)s (%(client)s)")
ADDENDUM_INTRO = _(
    "An addendum corrects the contact report “%(subject)s” of %(client)s; the report "
    "with its addenda is attached as a PDF."
)
ADDENDUM_MESSAGE = _("Addendum to the contact report: %(subject)s (%(client)s).")


def recipients_of(report: ContactReport) -> tuple[list[User], list[Contact]]:
    """Who a report goes to when sent: the staff listed and the client's current service
    team; the client people listed and the client's active decision makers."""
    staff = {u.pk: u for u in report.staff.all() if u.is_active}
    for membership in team_of(company=report.company):
        if membership.user.is_active:
            staff.setdefault(membership.user_id, membership.user)
    contacts = {c.pk: c for c in report.contacts.all()}
    for contact in Contact.objects.filter(
        company_id=report.company_id, is_active=True, is_decision_maker=True
    ):
        contacts.setdefault(contact.pk, contact)
    return list(staff.values()), list(contacts.values())


@transaction.atomic
def report_send(*, actor: User, report: ContactReport) -> ContactReport:
    """Sends a draft, once: its actions open, its text is hashed, and it goes by e-mail
    with its PDF to its recipients (and into the portal)."""
    require(actor, "meetings.report.write", report)
    report = _lock(report)
    if report.is_sent:
        raise Conflict(ALREADY_SENT)
    has_content = (
        report.discussion.strip()
        or report.decisions.exists()
        or report.actions.filter(status=Action.Status.DRAFT).exists()
    )
    if not has_content:
        raise DomainError(EMPTY, code="empty")
    Action.objects.filter(report=report, status=Action.Status.DRAFT).update(
        status=Action.Status.OPEN
    )
    report.status = ContactReport.Status.SENT
    report.sent_at = timezone.now()
    report.sent_by = actor
    report.content_hash = _sha256(plain_text(report))
    save_versioned(
        report,
        expected_version=report.version,
        fields=["status", "sent_at", "sent_by", "content_hash"],
    )
    staff, contacts = recipients_of(report)
    report.staff_recipients.set(staff)
    ReportReceipt.objects.bulk_create(
        ReportReceipt(report=report, contact=contact, emailed_to=contact.email)
        for contact in contacts
    )
    audit.record_transition(
        actor=actor,
        obj=report,
        old=ContactReport.Status.DRAFT,
        new=ContactReport.Status.SENT,
        note=f"sha256 {report.content_hash}",
    )
    _deliver(
        report,
        staff=staff,
        contacts=contacts,
        subject=SENT_SUBJECT,
        intro=SENT_INTRO,
        message=SENT_MESSAGE,
    )
    return report


@transaction.atomic
def addendum_add(*, actor: User, report: ContactReport, text: str) -> Addendum:
    """Adds the next numbered correction to a sent report and sends the report with its
    addenda to the same people it went to."""
    require(actor, "meetings.report.write", report)
    report = _lock(report)
    if not report.is_sent:
        raise DomainError(NOT_SENT, code="not_sent")
    text = (text or "").strip()
    if not text:
        raise DomainError(INVALID, fields={"text": ADDENDUM_EMPTY})
    number = (report.addenda.aggregate(last=Max("number"))["last"] or 0) + 1
    digest = _sha256(f"{report.content_hash}\n{number}\n{text}")
    addendum = Addendum.objects.create(
        report=report, number=number, text=text, content_hash=digest, created_by=actor
    )
    audit.record_create(actor=actor, obj=addendum)
    audit.record(
        actor=actor,
        obj=report,
        action="change",
        changes={"addenda": [number - 1, number]},
    )
    staff = [u for u in report.staff_recipients.all() if u.is_active]
    contacts = [r.contact for r in report.receipts.select_related("contact").order_by("pk")]
    _deliver(
        report,
        staff=staff,
        contacts=contacts,
        subject=ADDENDUM_SUBJECT,
        intro=ADDENDUM_INTRO,
        message=ADDENDUM_MESSAGE,
    )
    return addendum


ACKNOWLEDGED = _("%(person)s acknowledged the contact report “%(subject)s”.")


@transaction.atomic
def report_acknowledge(*, actor: User, report: ContactReport) -> ReportReceipt:
    """The client user acknowledges a sent report of their company for their contact
    (a receipt is made if the contact was not sent it). A second time changes nothing."""
    require(actor, "meetings.report.acknowledge", report)
    if actor.contact_id is None:
        raise DomainError(NO_CONTACT, code="no_contact")
    report = ContactReport.objects.select_for_update(of=("self",)).get(pk=report.pk)
    receipt, _created = ReportReceipt.objects.get_or_create(report=report, contact=actor.contact)
    receipt = ReportReceipt.objects.select_for_update(of=("self",)).get(pk=receipt.pk)
    if receipt.acknowledged_at is not None:
        return receipt
    receipt.acknowledged_at = timezone.now()
    receipt.acknowledged_by = actor
    receipt.save(update_fields=["acknowledged_at", "acknowledged_by"])
    audit.record(
        actor=actor,
        obj=report,
        action="change",
        changes={"acknowledged": [None, str(actor.contact)]},
    )
    values = {"person": str(actor), "subject": report.subject}
    author = report.created_by
    if author.is_active:
        notify(
            recipients=[author],
            message=lambda: ACKNOWLEDGED % values,
            link=reverse("meetings:report_detail", args=[report.pk]),
        )
    return receipt


# The sweep's helpers (sweeps/reports.py) ---------------------------------------------------


def escalation_recipients(report: ContactReport) -> list[User]:
    """The client's ADs in the service team, the author's superior, and the author."""
    people = {}
    for membership in team_of(company=report.company):
        if membership.team_role == Role.AD and membership.user.is_active:
            people[membership.user_id] = membership.user
    author = report.created_by
    if author.reports_to_id and author.reports_to.is_active:
        people[author.reports_to_id] = author.reports_to
    if author.is_active:
        people[author.pk] = author
    return list(people.values())
