"""Weekly status reports (SPEC §6): every Monday, per client, a draft of all open work to
last Friday; the account executive reviews it, may refresh it and add a note, and sends
it — by e-mail with a PDF to the client's key people and the service team, and in the
portal. A sent report is frozen: its content and note never change again.

DRAFT → SENT is the only move (`status_report_send`).
"""

import hashlib
import json
from datetime import date

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from jobbag.accounts.models import User
from jobbag.clients.models import Company
from jobbag.core import audit
from jobbag.core.errors import Conflict, DomainError
from jobbag.core.notifications import notify
from jobbag.core.pdf import render_pdf
from jobbag.core.permissions import require
from jobbag.core.versioning import save_versioned
from jobbag.meetings.models import StatusReport
from jobbag.meetings.selectors.status_reports import (
    FRIDAY,
    content_view,
    last_friday,
    report_recipients,
    reviewers_of,
    status_report_gather,
)

ALREADY_SENT = _("This weekly report has been sent: it can no longer be refreshed or changed.")
NOT_A_FRIDAY = _("A weekly report runs to a Friday: choose a Friday.")
WEEK_NOT_OVER = _("That week has not ended yet: choose a Friday on or before today.")
NOTE_TOO_LONG = _("Keep the note under %(limit)s characters.")
INVALID = _("The weekly report could not be saved: correct the fields marked.")

NOTE_LIMIT = 5000
PDF_TEMPLATE = "meetings/status_reports/pdf.html"


def _clean_week(week_ending: date | None, today: date) -> date:
    if week_ending is None:
        return last_friday(today)
    if not isinstance(week_ending, date) or week_ending.weekday() != FRIDAY:
        raise DomainError(NOT_A_FRIDAY, fields={"week_ending": NOT_A_FRIDAY})
    if week_ending > today:
        raise DomainError(WEEK_NOT_OVER, fields={"week_ending": WEEK_NOT_OVER})
    return week_ending


def draft_for(company: Company, week_ending: date, *, actor: User | None = None):
    """The report of `company` for `week_ending`, gathered now if there is none yet, and
    whether it was made now. Two callers at once make one: the unique constraint refuses
    the second, which then reads the first's."""
    existing = StatusReport.objects.filter(company=company, week_ending=week_ending).first()
    if existing is not None:
        return existing, False
    content = status_report_gather(company, week_ending)
    try:
        with transaction.atomic():
            report = StatusReport.objects.create(
                company=company, week_ending=week_ending, content=content, built_at=timezone.now()
            )
    except IntegrityError:
        return StatusReport.objects.get(company=company, week_ending=week_ending), False
    audit.record(
        actor=actor,
        obj=report,
        action="create",
        changes={"week_ending": [None, week_ending.isoformat()], "status": [None, report.status]},
    )
    return report, True


@transaction.atomic
def status_report_draft(
    *, actor: User, company: Company, week_ending: date | None = None
) -> StatusReport:
    """The draft of the client's report for the week ending `week_ending` (by default
    the last Friday before today): made now, or the one already there."""
    require(actor, "meetings.status_report.draft", company)
    week_ending = _clean_week(week_ending, timezone.localdate())
    report, _made = draft_for(company, week_ending, actor=actor)
    return report


def _locked(report: StatusReport, expected_version: int | None) -> StatusReport:
    report = (
        StatusReport.objects.select_for_update(of=("self",))
        .select_related("company")
        .get(pk=report.pk)
    )
    if report.is_sent:
        raise Conflict(ALREADY_SENT, code="report_sent")
    if expected_version is not None and report.version != expected_version:
        raise Conflict()
    return report


@transaction.atomic
def status_report_refresh(
    *, actor: User, report: StatusReport, expected_version: int | None = None
) -> StatusReport:
    """Gathers a draft's content again (what changed since it was drafted shows)."""
    require(actor, "meetings.status_report.edit", report)
    report = _locked(report, expected_version)
    report.content = status_report_gather(report.company, report.week_ending)
    report.built_at = timezone.now()
    save_versioned(report, expected_version=report.version, fields=["content", "built_at"])
    audit.record(
        actor=actor, obj=report, action="change", changes={"built_at": [None, _iso_now(report)]}
    )
    return report


def _iso_now(report: StatusReport) -> str:
    return timezone.localtime(report.built_at).isoformat(timespec="seconds")


@transaction.atomic
def status_report_update(
    *, actor: User, report: StatusReport, expected_version: int, note: str
) -> StatusReport:
    """Writes the account executive's note on a draft; 409 when the version is stale."""
    require(actor, "meetings.status_report.edit", report)
    report = _locked(report, expected_version)
    note = (note or "").strip()
    if len(note) > NOTE_LIMIT:
        message = NOTE_TOO_LONG % {"limit": NOTE_LIMIT}
        raise DomainError(INVALID, fields={"note": message})
    before = audit.snapshot(report, ["note"])
    report.note = note
    save_versioned(report, expected_version=expected_version, fields=["note"])
    audit.record_change(actor=actor, obj=report, before=before)
    return report


def content_hash(content: dict, note: str) -> str:
    """SHA-256 of the content as JSON with sorted keys, then the note."""
    encoded = json.dumps(content, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(f"{encoded}\n{note}".encode()).hexdigest()


def pdf_context(report: StatusReport) -> dict:
    """What the PDF shows, in the active language."""
    return {
        "report": report,
        "company": report.company,
        "view": content_view(report.content),
        "printed_at": timezone.localtime(),
    }


def pdf_filename(report: StatusReport) -> str:
    return f"{report.company.code}-weekly-{report.week_ending:%Y%m%d}.pdf"


@transaction.atomic
def status_report_send(
    *, actor: User, report: StatusReport, expected_version: int | None = None
) -> StatusReport:
    """Sends the draft as it stands: freezes its content and note under a hash, e-mails
    the PDF (in each reader's language) to the client's key people and the service team,
    and tells the client's portal users it is there. A second send is refused."""
    require(actor, "meetings.status_report.send", report)
    report = _locked(report, expected_version)
    report.status = StatusReport.Status.SENT
    report.sent_at = timezone.now()
    report.sent_by = actor
    report.content_hash = content_hash(report.content, report.note)
    save_versioned(
        report,
        expected_version=report.version,
        fields=["status", "sent_at", "sent_by", "content_hash"],
    )
    audit.record_transition(
        actor=actor, obj=report, old=StatusReport.Status.DRAFT, new=StatusReport.Status.SENT
    )
    addresses, portal_users, _team = report_recipients(report.company)
    _email_pdf(report, addresses)
    week = report.week_ending.isoformat()
    company = report.company
    notify(
        recipients=portal_users,
        message=lambda: (
            gettext(
                "The weekly report of %(client)s for the week ending %(week)s is in your portal."
            )
            % {"client": company.name, "week": week}
        ),
        link=reverse("portal:status_report_detail", args=[report.pk]),
    )
    return report


def _email_pdf(report: StatusReport, addresses: list[tuple[str, str]]) -> None:
    """One e-mail per address with the PDF in the reader's language (one PDF per
    language); queued in this transaction, so a rolled-back send mails nothing."""
    pdfs: dict[str, bytes] = {}
    filename = pdf_filename(report)
    for address, language in addresses:
        with translation.override(language or settings.LANGUAGE_CODE):
            if language not in pdfs:
                pdfs[language] = render_pdf(PDF_TEMPLATE, pdf_context(report))
            subject = gettext("Weekly status report: %(client)s, week ending %(week)s") % {
                "client": report.company.name,
                "week": report.week_ending.isoformat(),
            }
            body = gettext(
                "Please find attached the weekly status report of %(client)s for the week "
                "ending %(week)s: open jobs, sign-offs waiting on each side, open actions "
                "and coming deadlines."
            ) % {"client": report.company.name, "week": report.week_ending.isoformat()}
        message = EmailMessage(subject=subject, body=body, to=[address])
        message.attach(filename, pdfs[language], "application/pdf")
        message.send()


def notify_reviewers(report: StatusReport) -> None:
    """Tells the client's AE and AM that the week's draft is ready to review."""
    company = report.company
    notify(
        recipients=reviewers_of(company),
        message=lambda: (
            gettext("The weekly report for %(client)s is ready to review.")
            % {"client": company.name}
        ),
        link=reverse("meetings:status_report_detail", args=[report.pk]),
        email=True,
    )
