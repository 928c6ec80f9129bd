"""Read queries of weekly status reports that pages, API, PDF, sweep and benchmark share.

`status_report_gather` reads all open work of one client in a fixed number of queries,
whatever the row counts, into JSON-safe content (ISO dates, codes rather than labels):
the content is frozen as it was when the report went out, and each reader sees its
labels in their own language (`content_view`).
"""

from datetime import date, timedelta
from decimal import Decimal

from django.conf import settings
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import get_language, gettext

from jobbag.accounts.models import Role, User
from jobbag.approvals import registry
from jobbag.approvals.models import Approval, ApprovalStep, StepKind
from jobbag.calendar.services import add_working_days
from jobbag.clients.models import Company, Contact
from jobbag.clients.selectors import team_of
from jobbag.core.money import format_money
from jobbag.jobs.models import Job, JobSettings, PlanTask, Stage
from jobbag.jobs.selectors.jobs import with_blockers
from jobbag.jobs.services import gates
from jobbag.meetings.models import Action, MeetingSettings, Side, StatusReport

CLOSED_STAGES = [Stage.CLOSED, Stage.CANCELLED]
FRIDAY = 4

# The reasons a job's work is held, by the code the content stores.
HELD_MESSAGES = {
    "no_number": gates.NO_NUMBER,
    "quote_not_signed": gates.QUOTE_NOT_SIGNED,
    "prepayment_missing": gates.PREPAYMENT_MISSING,
    "review_missing": gates.REVIEW_MISSING,
}


def last_friday(day: date) -> date:
    """The last Friday before `day` (for a Monday, the Friday three days before; for a
    Friday, the one a week before)."""
    back = (day.weekday() - FRIDAY) % 7 or 7
    return day - timedelta(days=back)


def _iso(value) -> str | None:
    return value.isoformat() if value is not None else None


def _money(value) -> str | None:
    return str(value) if value is not None else None


def _held(job: Job, review_above: Decimal) -> list[dict]:
    """What holds the work of a job annotated by `with_blockers`: the reasons of
    jobs.services.gates.work_blockers, read in bulk, as codes."""
    held = []
    if not job.number:
        held.append({"code": "no_number"})
    if job.signed_total is None:
        held.append({"code": "quote_not_signed"})
    if job.prepayment_required and job.prepayment_received_on is None:
        held.append(
            {
                "code": "prepayment_missing",
                "amount": _money(job.prepayment_required),
                "currency": job.currency,
            }
        )
    amount = job.signed_total if job.signed_total is not None else job.estimated_amount or 0
    if amount > review_above and not job.review_signed:
        held.append(
            {"code": "review_missing", "amount": _money(review_above), "currency": job.currency}
        )
    return held


def _person(user: User | None) -> str:
    return str(user) if user is not None else ""


def status_report_gather(company: Company, week_ending: date) -> dict:
    """All open work of `company` to the Friday `week_ending`, JSON-safe: open jobs with
    their stage, owner, launch date and what holds their work; sign-offs waiting on the
    agency and on the client; open actions by side; deadlines in the configured number of
    working days after the Friday. Eight queries (ten the first time a year of the
    calendar is read), whatever the number of rows."""
    window_until = add_working_days(week_ending, MeetingSettings.current().deadline_window_days)
    review_above = JobSettings.current().internal_review_above

    jobs = list(
        with_blockers(Job.objects.filter(company=company).exclude(stage__in=CLOSED_STAGES))
        .select_related("owner")
        .order_by("received_on", "number", "pk")
    )
    job_rows = [
        {
            "id": job.pk,
            "number": job.number or "",
            "title": job.title,
            "stage": job.stage,
            "owner": _person(job.owner),
            "launch_date": _iso(job.launch_date),
            "held": _held(job, review_above),
        }
        for job in jobs
    ]

    steps = (
        ApprovalStep.objects.filter(
            approval__company=company,
            approval__status=Approval.Status.PENDING,
            status=ApprovalStep.Status.ACTIVE,
        )
        .select_related("approval")
        .order_by("approval__submitted_at", "approval_id", "order")
    )
    signoffs = {"agency": [], "client": []}
    for step in steps:
        approval = step.approval
        side = "client" if step.kind == StepKind.CLIENT else "agency"
        signoffs[side].append(
            {
                "id": approval.pk,
                "title": approval.title,
                "document_type": approval.document_type,
                "revision": approval.revision,
                "step": step.label,
                "amount": _money(approval.amount),
                "currency": approval.currency,
                "submitted_at": _iso(approval.submitted_at),
                "waiting_since": _iso(step.activated_at or approval.submitted_at),
            }
        )

    actions = (
        Action.objects.filter(company=company, status=Action.Status.OPEN)
        .select_related("owner", "owner_contact", "job")
        .order_by("due_on", "pk")
    )
    action_rows = {"agency": [], "client": []}
    deadlines = []
    for action in actions:
        if action.side == Side.AGENCY:
            owner = _person(action.owner)
        else:
            owner = action.owner_contact.name if action.owner_contact_id else ""
        row = {
            "id": action.pk,
            "text": action.text,
            "owner": owner,
            "due_on": _iso(action.due_on),
            "overdue": action.due_on <= week_ending,
            "job": action.job.number or action.job.title if action.job_id else "",
        }
        action_rows[action.side].append(row)
        if week_ending < action.due_on <= window_until:
            deadlines.append(
                {
                    "kind": "action",
                    "date": row["due_on"],
                    "title": action.text,
                    "job": row["job"],
                    "owner": row["owner"],
                    "side": action.side,
                }
            )

    tasks = (
        PlanTask.objects.filter(
            job__company=company,
            due_on__gt=week_ending,
            due_on__lte=window_until,
        )
        .exclude(status=PlanTask.Status.DONE)
        .exclude(job__stage__in=CLOSED_STAGES)
        .select_related("job", "owner", "department")
        .order_by("due_on", "pk")
    )
    for task in tasks:
        deadlines.append(
            {
                "kind": "task",
                "date": _iso(task.due_on),
                "title": task.title,
                "job": task.job.number or task.job.title,
                "owner": _person(task.owner),
                "department": [task.department.name_zh, task.department.name_en],
                "side": "agency",
            }
        )
    for job in jobs:
        if job.launch_date and week_ending < job.launch_date <= window_until:
            deadlines.append(
                {
                    "kind": "launch",
                    "date": _iso(job.launch_date),
                    "title": job.title,
                    "job": job.number or "",
                    "owner": _person(job.owner),
                    "side": "agency",
                }
            )
    deadlines.sort(key=lambda d: (d["date"], d["kind"], d["title"]))

    return {
        "company": {"id": company.pk, "code": company.code, "name": company.name},
        "week_ending": _iso(week_ending),
        "window_until": _iso(window_until),
        "jobs": job_rows,
        "signoffs": signoffs,
        "actions": action_rows,
        "deadlines": deadlines,
        "counts": {
            "jobs": len(job_rows),
            "held": sum(1 for row in job_rows if row["held"]),
            "signoffs_agency": len(signoffs["agency"]),
            "signoffs_client": len(signoffs["client"]),
            "actions_agency": len(action_rows["agency"]),
            "actions_client": len(action_rows["client"]),
            "overdue": sum(1 for side in action_rows.values() for row in side if row["overdue"]),
            "deadlines": len(deadlines),
        },
    }


# Showing the content --------------------------------------------------------------------


def _date(value) -> date | None:
    return parse_date(value) if value else None


def _datetime(value):
    parsed = parse_datetime(value) if value else None
    return timezone.localtime(parsed) if parsed and timezone.is_aware(parsed) else parsed


def held_text(held: dict) -> str:
    """One reason that holds a job's work, in the active language."""
    message = HELD_MESSAGES.get(held.get("code"))
    if message is None:
        return held.get("code", "")
    if held["code"] == "prepayment_missing":
        return str(message) % {"amount": format_money(held.get("amount"), held.get("currency"))}
    if held["code"] == "review_missing":
        return str(message) % {"threshold": format_money(held.get("amount"), held.get("currency"))}
    return str(message)


def _document_label(document_type: str) -> str:
    try:
        return str(registry.kind_named(document_type).label)
    except KeyError:
        return document_type


def _department(names) -> str:
    """A department's name stored in both languages, in the active one."""
    if not names:
        return ""
    zh, en = (list(names) + ["", ""])[:2]
    return en if (get_language() or "").startswith("en") and en else zh


def content_view(content: dict) -> dict:
    """The stored content ready for a template, in the active language: dates as dates,
    stage and document labels, the reasons that hold each job as sentences."""
    stage_labels = dict(Stage.choices)
    kind_labels = {
        "task": gettext("Department task due"),
        "action": gettext("Action due"),
        "launch": gettext("Launch date"),
    }
    jobs = [
        {
            **row,
            "stage_label": str(stage_labels.get(row.get("stage"), row.get("stage", ""))),
            "launch_date": _date(row.get("launch_date")),
            "held_texts": [held_text(held) for held in row.get("held", [])],
        }
        for row in content.get("jobs", [])
    ]
    signoffs = {
        side: [
            {
                **row,
                "document_label": _document_label(row.get("document_type", "")),
                "submitted_at": _datetime(row.get("submitted_at")),
                "waiting_since": _datetime(row.get("waiting_since")),
            }
            for row in content.get("signoffs", {}).get(side, [])
        ]
        for side in ("agency", "client")
    }
    actions = {
        side: [
            {**row, "due_on": _date(row.get("due_on"))}
            for row in content.get("actions", {}).get(side, [])
        ]
        for side in ("agency", "client")
    }
    deadlines = [
        {
            **row,
            "date": _date(row.get("date")),
            "kind_label": kind_labels.get(row.get("kind"), row.get("kind", "")),
            "department": _department(row.get("department")),
        }
        for row in content.get("deadlines", [])
    ]
    return {
        "week_ending": _date(content.get("week_ending")),
        "window_until": _date(content.get("window_until")),
        "jobs": jobs,
        "signoffs": signoffs,
        "actions": actions,
        "deadlines": deadlines,
        "counts": content.get("counts", {}),
    }


# Reports --------------------------------------------------------------------------------


def status_reports(queryset: QuerySet[StatusReport]) -> QuerySet[StatusReport]:
    """Reports with what a list shows, newest week first."""
    return queryset.select_related("company", "sent_by").order_by(
        "-week_ending", "company__code", "pk"
    )


def status_report_list(
    queryset: QuerySet[StatusReport],
    *,
    company: int | None = None,
    week_ending: date | None = None,
    status: str | None = None,
) -> QuerySet[StatusReport]:
    """The list page's and the API's reports (already scoped to the user), filtered."""
    rows = status_reports(queryset).defer("content")
    if company:
        rows = rows.filter(company_id=company)
    if week_ending:
        rows = rows.filter(week_ending=week_ending)
    if status:
        rows = rows.filter(status=status)
    return rows


def status_report_of(queryset: QuerySet[StatusReport], pk: int) -> StatusReport | None:
    return status_reports(queryset).filter(pk=pk).first()


def companies_with_open_work(week_ending: date) -> QuerySet[Company]:
    """Clients with open jobs, open actions or sign-offs pending and no report for the
    week ending `week_ending` yet, in one query."""
    return (
        Company.objects.filter(
            Q(Exists(Job.objects.filter(company=OuterRef("pk")).exclude(stage__in=CLOSED_STAGES)))
            | Q(Exists(Action.objects.filter(company=OuterRef("pk"), status=Action.Status.OPEN)))
            | Q(
                Exists(
                    Approval.objects.filter(company=OuterRef("pk"), status=Approval.Status.PENDING)
                )
            )
        )
        .exclude(
            Exists(StatusReport.objects.filter(company=OuterRef("pk"), week_ending=week_ending))
        )
        .order_by("code", "pk")
    )


def report_recipients(company: Company) -> tuple[list[tuple[str, str]], list[User], list[User]]:
    """Who receives a sent report: (e-mail address, language) pairs of the client's
    active contacts who have a portal user or decide and have an address, and of the
    service team; the client's active portal users; the service team's staff."""
    contacts = (
        Contact.objects.filter(company=company, is_active=True)
        .filter(Q(is_decision_maker=True) | Q(portal_user__is_active=True))
        .select_related("portal_user")
        .order_by("name", "pk")
    )
    addresses: dict[str, str] = {}
    default = settings.LANGUAGE_CODE
    for contact in contacts:
        user = getattr(contact, "portal_user", None)
        address = contact.email or (user.email if user else "")
        if address:
            language = user.language if user and user.is_active and user.language else default
            addresses.setdefault(address.lower(), (address, language))
    team = []
    for membership in team_of(company=company):
        user = membership.user
        if user.is_active and user not in team:
            team.append(user)
            if user.email:
                addresses.setdefault(user.email.lower(), (user.email, user.language or default))
    portal_users = list(
        User.objects.filter(company=company, kind=User.Kind.CLIENT, is_active=True).order_by("pk")
    )
    return list(addresses.values()), portal_users, team


def reviewers_of(company: Company) -> list[User]:
    """The AE and AM of the client's service team: who are told a draft is ready."""
    people = []
    for membership in team_of(company=company):
        user = membership.user
        if membership.team_role in {Role.AE, Role.AM} and user.is_active and user not in people:
            people.append(user)
    return people
