"""The benchmark's weekly report operation: gathering one client's weekly status report
with 300 open items (open jobs, open actions on both sides, sign-offs waiting on each
side, department tasks due), timed as the AE's refresh request through the API, beside
a raw SQL floor that reads the same rows.

`open_work_build` makes such a client's open work in bulk; the tests use it too.
"""

import hashlib
from dataclasses import dataclass
from datetime import date, timedelta

from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.http import HttpResponse
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from jobbag.accounts.models import Department, Role, ServiceTeamMembership, User
from jobbag.approvals.models import Approval, ApprovalStep, Seat, Snapshot, StepKind
from jobbag.bench.operations import (
    BenchData,
    Operation,
    Unavailable,
    Visit,
    register,
    served_companies_floor,
    session_floor,
    signed_in,
)
from jobbag.calendar.services import add_working_days
from jobbag.clients.models import Company, Contact
from jobbag.jobs.models import Job, OrderKind, PlanTask, QuoteVersion, Stage
from jobbag.meetings.models import Action, MeetingSettings, Side
from jobbag.meetings.selectors.status_reports import last_friday

BENCH_CLIENT = "WEEKLY"
# 300 open items: 100 jobs, 100 actions, 50 sign-offs, 50 department tasks.
OPEN_JOBS = 100
OPEN_ACTIONS = 100
PENDING_SIGNOFFS = 50
TASKS_DUE = 50


@dataclass(frozen=True)
class OpenWork:
    jobs: list[Job]
    actions: list[Action]
    approvals: list[Approval]
    tasks: list[PlanTask]


def _department() -> Department:
    department = Department.objects.filter(kind=Department.Kind.DESIGN, is_active=True).first()
    if department is None:
        department, _made = Department.objects.get_or_create(
            code="weekly-design",
            defaults={"name_zh": "设计部", "name_en": "Design", "kind": Department.Kind.DESIGN},
        )
    return department


def _order_kind() -> OrderKind:
    return OrderKind.objects.get_or_create(
        code="intent", defaults={"name_zh": "意向订单", "name_en": "Intent order", "order": 20}
    )[0]


def approvals_pending_make(
    *, jobs: list[Job], client_side: list[bool], submitted_by: User
) -> list[Approval]:
    """A quote of each job waiting for sign-off: at the client's step where
    `client_side` says so, else at a step of ours; each with its snapshot and seat."""
    quotes = QuoteVersion.objects.bulk_create(
        QuoteVersion(
            job=job,
            number=QuoteVersion.objects.filter(job=job).count() + 1,
            signoff_status="submitted",
            net_total=10000,
            total=10000,
            created_by=submitted_by,
        )
        for job in jobs
    )
    quote_type = ContentType.objects.get_for_model(QuoteVersion)
    snapshots = Snapshot.objects.bulk_create(
        Snapshot(
            content_type=quote_type,
            object_id=quote.pk,
            revision=1,
            title=f"{quote.job.title} 报价 V{quote.number}",
            html=f"<h1>{quote.job.title}</h1>",
            data={"total": str(quote.total)},
            content_hash=hashlib.sha256(str(quote.pk).encode()).hexdigest(),
            created_by=submitted_by,
        )
        for quote in quotes
    )
    approvals = Approval.objects.bulk_create(
        Approval(
            content_type=quote_type,
            object_id=quote.pk,
            document_type="quote",
            title=snapshot.title,
            revision=1,
            amount=quote.total,
            company=quote.job.company,
            policy_name="报价",
            snapshot=snapshot,
            current_step=1,
            submitted_by=submitted_by,
        )
        for quote, snapshot in zip(quotes, snapshots, strict=True)
    )
    now = timezone.now()
    steps = ApprovalStep.objects.bulk_create(
        ApprovalStep(
            approval=approval,
            order=1,
            kind=StepKind.CLIENT if client else StepKind.ONE,
            label="客户签字" if client else "部门经理审批",
            status=ApprovalStep.Status.ACTIVE,
            activated_at=now,
        )
        for approval, client in zip(approvals, client_side, strict=True)
    )
    Seat.objects.bulk_create(Seat(step=step, number=1, label=step.label) for step in steps)
    return approvals


def open_work_build(
    *,
    company: Company,
    owner: User,
    contact: Contact,
    week_ending: date,
    jobs: int = OPEN_JOBS,
    actions: int = OPEN_ACTIONS,
    signoffs: int = PENDING_SIGNOFFS,
    tasks: int = TASKS_DUE,
) -> OpenWork:
    """Open work of `company` in bulk: jobs in production (every fifth launching in the
    coming days), actions on both sides (every fourth overdue), sign-offs waiting on
    each side and department tasks due in the coming days."""
    kind = _order_kind()
    today = timezone.localdate()
    job_rows = Job.objects.bulk_create(
        Job(
            number=f"{company.code}-W-{n:05d}",
            title=f"周报测试项目{n}",
            company=company,
            order_kind=kind,
            received_on=today,
            owner=owner,
            stage=Stage.PRODUCTION,
            launch_date=week_ending + timedelta(days=3 + n % 7) if n % 5 == 0 else None,
            created_by=owner,
        )
        for n in range(max(jobs, 1))
    )
    action_rows = Action.objects.bulk_create(
        Action(
            company=company,
            job=job_rows[n % len(job_rows)],
            text=f"跟进事项{n}",
            side=Side.AGENCY if n % 2 == 0 else Side.CLIENT,
            owner=owner if n % 2 == 0 else None,
            owner_contact=None if n % 2 == 0 else contact,
            due_on=week_ending - timedelta(days=1) if n % 4 == 0 else week_ending + timedelta(3),
            status=Action.Status.OPEN,
            created_by=owner,
        )
        for n in range(actions)
    )
    approvals = approvals_pending_make(
        jobs=[job_rows[n % len(job_rows)] for n in range(signoffs)],
        client_side=[n % 2 == 0 for n in range(signoffs)],
        submitted_by=owner,
    )
    department = _department()
    task_rows = PlanTask.objects.bulk_create(
        PlanTask(
            job=job_rows[n % len(job_rows)],
            department=department,
            title=f"设计稿{n}",
            owner=owner,
            starts_on=week_ending,
            working_days=2,
            due_on=week_ending + timedelta(days=4),
            created_by=owner,
        )
        for n in range(tasks)
    )
    return OpenWork(jobs=job_rows, actions=action_rows, approvals=approvals, tasks=task_rows)


def bench_client(owner: User, week_ending: date) -> Company:
    """The benchmark's client with its 300 open items, served by `owner` (made once)."""
    company = Company.objects.filter(code=BENCH_CLIENT).first()
    if company is not None:
        return company
    company = Company.objects.create(code=BENCH_CLIENT, name="周报基准客户")
    ServiceTeamMembership.objects.create(user=owner, team_role=Role.AE, company=company)
    contact = Contact.objects.create(company=company, name="周经理", email="zhou@weekly.example")
    open_work_build(
        company=company,
        owner=owner,
        contact=contact,
        week_ending=week_ending,
        jobs=OPEN_JOBS,
        actions=OPEN_ACTIONS,
        signoffs=PENDING_SIGNOFFS,
        tasks=TASKS_DUE,
    )
    return company


@dataclass
class ReportVisit(Visit):
    report_id: int = 0
    company_id: int = 0
    week_ending: date | None = None
    window_until: date | None = None


def weekly_report_setup(data: BenchData) -> ReportVisit:
    # Imported here: the service module pulls in the PDF and mail plumbing.
    from jobbag.meetings.services.status_reports import status_report_draft

    try:
        reverse("meetings:status_report_list")
    except NoReverseMatch as exc:
        raise Unavailable("no weekly reports (meetings:status_report_list) yet") from exc
    visit = signed_in(data)
    week_ending = last_friday(timezone.localdate())
    company = bench_client(visit.user, week_ending)
    report = status_report_draft(actor=visit.user, company=company, week_ending=week_ending)
    window = add_working_days(week_ending, MeetingSettings.current().deadline_window_days)
    return ReportVisit(
        client=visit.client,
        user=visit.user,
        url=f"/api/v1/meetings/status-reports/{report.pk}/refresh",
        report_id=report.pk,
        company_id=company.pk,
        week_ending=week_ending,
        window_until=window,
    )


def weekly_report_request(visit: ReportVisit) -> HttpResponse:
    return visit.client.post(visit.url, data={}, content_type="application/json")


def weekly_report_floor(visit: ReportVisit) -> None:
    """The report, the settings and the calendar, then every row the report lists: the
    open jobs with their owner, signed quote and signed internal review; the active
    steps of pending sign-offs; the open actions with their owner and job; the
    department tasks due in the window with their job, owner and department."""
    company_id = visit.company_id
    with connection.cursor() as cursor:
        session_floor(cursor, visit)
        served_companies_floor(cursor, visit)
        cursor.execute(
            "SELECT id, company_id, week_ending, status, version FROM meetings_statusreport"
            " WHERE id = %s",
            [visit.report_id],
        )
        cursor.fetchone()
        cursor.execute("SELECT * FROM meetings_meetingsettings WHERE id = 1")
        cursor.fetchone()
        cursor.execute("SELECT internal_review_above FROM jobs_jobsettings WHERE id = 1")
        cursor.fetchone()
        cursor.execute(
            "SELECT date, kind FROM calendar_calendarday WHERE date BETWEEN %s AND %s",
            [visit.week_ending, visit.window_until],
        )
        cursor.fetchall()
        cursor.execute(
            "SELECT j.id, j.number, j.title, j.stage, j.launch_date, j.estimated_amount,"
            " j.currency, j.prepayment_required, j.prepayment_received_on, u.full_name,"
            " (SELECT q.total FROM jobs_quoteversion q WHERE q.job_id = j.id"
            " AND q.signed_back_at IS NOT NULL ORDER BY q.number DESC LIMIT 1),"
            " EXISTS (SELECT 1 FROM jobs_review r WHERE r.job_id = j.id"
            " AND r.kind = 'internal' AND r.signoff_status = 'approved')"
            " FROM jobs_job j JOIN accounts_user u ON u.id = j.owner_id"
            " WHERE j.company_id = %s AND j.stage NOT IN ('closed', 'cancelled')",
            [company_id],
        )
        cursor.fetchall()
        cursor.execute(
            "SELECT s.kind, s.label, s.activated_at, a.id, a.title, a.document_type,"
            " a.revision, a.amount, a.currency, a.submitted_at"
            " FROM approvals_approvalstep s JOIN approvals_approval a ON a.id = s.approval_id"
            " WHERE a.company_id = %s AND a.status = 'pending' AND s.status = 'active'",
            [company_id],
        )
        cursor.fetchall()
        cursor.execute(
            "SELECT a.id, a.text, a.side, a.due_on, u.full_name, c.name, j.number"
            " FROM meetings_action a LEFT JOIN accounts_user u ON u.id = a.owner_id"
            " LEFT JOIN clients_contact c ON c.id = a.owner_contact_id"
            " LEFT JOIN jobs_job j ON j.id = a.job_id"
            " WHERE a.company_id = %s AND a.status = 'open'",
            [company_id],
        )
        cursor.fetchall()
        cursor.execute(
            "SELECT t.id, t.title, t.due_on, j.number, u.full_name, d.name_zh, d.name_en"
            " FROM jobs_plantask t JOIN jobs_job j ON j.id = t.job_id"
            " LEFT JOIN accounts_user u ON u.id = t.owner_id"
            " JOIN accounts_department d ON d.id = t.department_id"
            " WHERE j.company_id = %s AND t.status <> 'done' AND t.due_on > %s"
            " AND t.due_on <= %s AND j.stage NOT IN ('closed', 'cancelled')",
            [company_id, visit.week_ending, visit.window_until],
        )
        cursor.fetchall()


register(
    Operation(
        "weekly report build", weekly_report_setup, weekly_report_request, weekly_report_floor
    )
)
