"""Time and profitability at scale (issue 7): the week grid at 5,000,000 time entries
(ENTRIES_PER_SCALE per scale step at the default scale of 500) and profitability per
client, each beside its raw SQL floor.

The data: weekly timesheets of every member of staff going back week by week, each with
two jobs on five days (10 entries), at the person's cost per hour; the actor (the AE
xuli) has this week's timesheet with ACTOR_ROWS rows; one expense per EXPENSE_EVERY
entries. `time_generate` bulk-creates them; the operations' setup makes them when the
database has none, so nothing depends on the order things were wired in.

Registered when jobbag.bench.operations imports this module.
"""

import random
from datetime import timedelta
from decimal import Decimal

from django.db import connection
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from jobbag.accounts.models import User
from jobbag.bench.operations import (
    BenchData,
    Operation,
    Unavailable,
    Visit,
    get_page,
    register,
    session_floor,
    signed_in,
)
from jobbag.finance.models import Expense, TimeEntry, Timesheet
from jobbag.finance.selectors.time import loggable_jobs, monday_of
from jobbag.jobs.models import Job
from jobbag.jobs.models.jobs import OPEN_STAGES

ENTRIES_PER_SCALE = 10_000
ENTRIES_PER_SHEET = 10
ACTOR_ROWS = 8
EXPENSE_EVERY = 20
BATCH = 5_000
# Who reads profitability per client: the GM sees every client.
PROFIT_READER = "zhangwei"


def entries_count(scale: int) -> int:
    return max(scale, 1) * ENTRIES_PER_SCALE


def _actor_week(actor: User, week, jobs: list[int], cost: Decimal) -> None:
    sheet = Timesheet.objects.create(user=actor, week_start=week)
    entries = [
        TimeEntry(
            timesheet=sheet,
            user=actor,
            job_id=jobs[row % len(jobs)],
            task=f"任务{row}",
            billable=False,
            day=week + timedelta(days=day),
            hours=Decimal("0.5"),
            hourly_cost=cost,
        )
        for row in range(ACTOR_ROWS)
        for day in range(5)
    ]
    TimeEntry.objects.bulk_create(entries)
    Timesheet.objects.filter(pk=sheet.pk).update(total_hours=sum(e.hours for e in entries))


def time_generate(*, count: int, username: str, seed: int = 7) -> int:
    """Bulk-creates about `count` time entries in weekly timesheets, this week's grid
    for `username`, and one expense per EXPENSE_EVERY entries; returns the sheets made."""
    rng = random.Random(seed)
    actor = User.objects.get(username=username)
    staff = list(
        User.objects.filter(kind=User.Kind.STAFF, is_active=True)
        .exclude(pk=actor.pk)
        .values_list("pk", flat=True)
        .order_by("pk")
    )
    jobs = list(Job.objects.values_list("pk", flat=True).order_by("pk")[:5_000])
    if not staff or not jobs:
        raise Unavailable("no staff or jobs to log time on")
    this_week = monday_of(timezone.localdate())
    actor_jobs = list(loggable_jobs(actor).values_list("pk", flat=True)[:ACTOR_ROWS]) or jobs[:1]
    _actor_week(actor, this_week, actor_jobs, Decimal("150"))
    sheets_wanted = max(1, count // ENTRIES_PER_SHEET)
    made = 0
    creator = actor.pk
    while made < sheets_wanted:
        size = min(BATCH // ENTRIES_PER_SHEET, sheets_wanted - made)
        sheets = []
        for n in range(made, made + size):
            person = staff[n % len(staff)]
            week = this_week - timedelta(days=7 * (1 + n // len(staff)))
            sheets.append(
                Timesheet(
                    user_id=person,
                    week_start=week,
                    total_hours=Decimal("40"),
                    signoff_status="approved",
                    locked_at=timezone.now(),
                )
            )
        sheets = Timesheet.objects.bulk_create(sheets)
        entries, expenses = [], []
        for sheet in sheets:
            pair = rng.sample(jobs, 2) if len(jobs) > 1 else jobs * 2
            cost = Decimal(rng.choice(["150", "180", "220", "300"]))
            for day in range(5):
                for job in pair:
                    entries.append(
                        TimeEntry(
                            timesheet_id=sheet.pk,
                            user_id=sheet.user_id,
                            job_id=job,
                            day=sheet.week_start + timedelta(days=day),
                            hours=Decimal("4"),
                            hourly_cost=cost,
                        )
                    )
                    if len(entries) % EXPENSE_EVERY == 0:
                        expenses.append(
                            Expense(
                                job_id=job,
                                category=rng.choice(["travel", "printing", "supplier"]),
                                incurred_on=sheet.week_start + timedelta(days=day),
                                description="差旅及物料",
                                amount=Decimal(rng.randint(100, 5000)),
                                created_by_id=creator,
                            )
                        )
        TimeEntry.objects.bulk_create(entries, batch_size=BATCH)
        Expense.objects.bulk_create(expenses, batch_size=BATCH)
        made += size
    return made


def time_load(data: BenchData) -> None:
    if not TimeEntry.objects.exists():
        time_generate(count=entries_count(data.scale), username=data.username)


# The week grid ------------------------------------------------------------------------------


def week_grid_setup(data: BenchData) -> Visit:
    try:
        url = reverse("finance:time_week")
    except NoReverseMatch as exc:
        raise Unavailable("no week grid (finance:time_week) yet") from exc
    time_load(data)
    return signed_in(data, url)


def week_grid_floor(visit: Visit) -> None:
    """This week's timesheet and its entries with job, client and service; the open jobs
    the actor may log on (their own and their clients'); the hourly services; unread
    notices."""
    user_id = visit.user.pk
    week = monday_of(timezone.localdate())
    stages = ", ".join(["%s"] * len(OPEN_STAGES))
    with connection.cursor() as cursor:
        session_floor(cursor, visit)
        cursor.execute(
            "SELECT id, version, signoff_status, locked_at, total_hours FROM finance_timesheet"
            " WHERE user_id = %s AND week_start = %s",
            [user_id, week],
        )
        (sheet_id, *_rest) = cursor.fetchone()
        cursor.execute(
            "SELECT e.job_id, e.rate_item_id, e.task, e.billable, e.day, e.hours, j.number,"
            " j.title, c.code, r.name_zh FROM finance_timeentry e"
            " JOIN jobs_job j ON j.id = e.job_id JOIN clients_company c ON c.id = j.company_id"
            " LEFT JOIN finance_rateitem r ON r.id = e.rate_item_id"
            " WHERE e.timesheet_id = %s ORDER BY e.id",
            [sheet_id],
        )
        cursor.fetchall()
        cursor.execute(
            "SELECT j.id, j.number, j.title, c.code FROM jobs_job j"
            " JOIN clients_company c ON c.id = j.company_id"
            f" WHERE j.stage IN ({stages}) AND (j.owner_id = %s OR j.company_id IN"
            " (SELECT m.company_id FROM accounts_serviceteammembership m WHERE m.user_id = %s))"
            " ORDER BY c.code, j.number, j.id",
            [*OPEN_STAGES, user_id, user_id],
        )
        cursor.fetchall()
        cursor.execute(
            "SELECT id, code, name_zh FROM finance_rateitem WHERE is_active = %s AND unit = %s"
            " AND company_id IS NULL ORDER BY code",
            [True, "hour"],
        )
        cursor.fetchall()
        cursor.execute(
            "SELECT COUNT(*) FROM core_notification WHERE recipient_id = %s AND read_at IS NULL",
            [user_id],
        )
        cursor.fetchone()


WEEK_GRID = register(Operation("week grid", week_grid_setup, get_page, week_grid_floor))


# Profitability per client ------------------------------------------------------------------


def profit_setup(data: BenchData) -> Visit:
    try:
        url = reverse("finance:profitability")
    except NoReverseMatch as exc:
        raise Unavailable("no profitability report (finance:profitability) yet") from exc
    time_load(data)
    reader = User.objects.filter(username=PROFIT_READER).first()
    if reader is None:
        raise Unavailable("no GM to read profitability")
    visit = signed_in(data, f"{url}?group=client&year={timezone.localdate().year}")
    visit.client.force_login(reader)
    visit.user = reader
    return visit


def profit_floor(visit: Visit) -> None:
    """Per client for the year: time at cost, expenses and supplier costs, issued
    invoices' net, the signed quotes of completed jobs never invoiced; client names."""
    year = timezone.localdate().year
    start, end = f"{year}-01-01", f"{year}-12-31"
    with connection.cursor() as cursor:
        session_floor(cursor, visit)
        cursor.execute(
            "SELECT j.company_id, SUM(e.hours), SUM(e.hours * e.hourly_cost)"
            " FROM finance_timeentry e JOIN jobs_job j ON j.id = e.job_id"
            " WHERE e.day BETWEEN %s AND %s GROUP BY j.company_id",
            [start, end],
        )
        cursor.fetchall()
        cursor.execute(
            "SELECT j.company_id, SUM(CASE WHEN x.category = 'supplier' THEN x.amount END),"
            " SUM(CASE WHEN x.category <> 'supplier' THEN x.amount END)"
            " FROM finance_expense x JOIN jobs_job j ON j.id = x.job_id"
            " WHERE x.incurred_on BETWEEN %s AND %s AND x.voided_at IS NULL"
            " GROUP BY j.company_id",
            [start, end],
        )
        cursor.fetchall()
        cursor.execute(
            "SELECT j.company_id, SUM(i.net_amount) FROM finance_invoice i"
            " JOIN jobs_job j ON j.id = i.job_id WHERE i.status = 'issued'"
            " AND i.issue_date BETWEEN %s AND %s GROUP BY j.company_id",
            [start, end],
        )
        cursor.fetchall()
        cursor.execute(
            "SELECT j.company_id, SUM((SELECT q.net_total FROM jobs_quoteversion q"
            " WHERE q.job_id = j.id AND q.signed_back_at IS NOT NULL"
            " ORDER BY q.number DESC LIMIT 1)) FROM jobs_job j"
            " WHERE j.completed_on BETWEEN %s AND %s AND NOT EXISTS"
            " (SELECT 1 FROM finance_invoice i WHERE i.job_id = j.id AND i.status = 'issued')"
            " GROUP BY j.company_id",
            [start, end],
        )
        cursor.fetchall()
        cursor.execute("SELECT id, code, name FROM clients_company ORDER BY code")
        cursor.fetchall()
        cursor.execute(
            "SELECT COUNT(*) FROM core_notification WHERE recipient_id = %s AND read_at IS NULL",
            [visit.user.pk],
        )
        cursor.fetchone()


PROFITABILITY = register(
    Operation("profitability per client", profit_setup, get_page, profit_floor)
)
