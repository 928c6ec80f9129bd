"""The demo agency's time and costs (SPEC §7): a cost rate for every member of staff by
role; the design and copy departments get a task on the two oldest numbered jobs (so
they work on them); then four weeks of time for those who log time (TIME_ROLES) on the
jobs they work on — the two oldest weeks approved by their department heads, last week
waiting for approval, this week a draft — and a few expenses and supplier bills.

Everything goes through the services, so the rules hold and the history is what the
app itself makes. Deterministic (a seeded random), idempotent (nothing is made twice:
`time_loaded` tells), and it needs the demo agency, clients and jobs first.
"""

import random
from datetime import date, timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from jobbag.accounts.models import Department, Role, User
from jobbag.approvals.services import approval_decide
from jobbag.core.errors import DomainError
from jobbag.finance.models import CostRate, Expense, Timesheet
from jobbag.finance.selectors.time import loggable_jobs, monday_of
from jobbag.finance.services import costing as costing_services
from jobbag.finance.services import time as time_services
from jobbag.finance.services.time import RowIn
from jobbag.finance.sweeps.time import TIME_ROLES
from jobbag.jobs.models import Job, Stage
from jobbag.jobs.services.gates import signed_quote
from jobbag.jobs.services.plans import plan_task_create

# What an hour costs the agency, by role (salary and overhead).
COSTS = {
    Role.GM: "800",
    Role.DEPUTY_GM: "650",
    Role.DCS: "450",
    Role.GAD: "380",
    Role.AD: "300",
    Role.AM: "220",
    Role.AE: "150",
    Role.MARKETING_MANAGER: "420",
    Role.CREATIVE_DIRECTOR: "400",
    Role.DEPT_HEAD: "280",
    Role.DESIGNER: "180",
    Role.COPYWRITER: "180",
    Role.PLANNER: "200",
    Role.MEDIA: "170",
    Role.PRODUCER: "160",
    Role.PURCHASER: "140",
    Role.QC: "140",
    Role.FINANCE: "200",
    Role.ADMIN_STAFF: "120",
    Role.STAFF: "120",
}
WEEKS = 4
# The departments given a task on the demo jobs, so that their people log on them.
WORKING_DEPARTMENTS = ["design", "project-copy", "production"]
EXPENSES = [
    ("travel", "客户现场勘查差旅", "", "860.00", True),
    ("supplier", "门店海报印刷", "雅昌印刷", "12800.00", True),
    ("photography", "产品棚拍", "光影摄影工作室", "6500.00", True),
    ("entertainment", "客户提案后工作餐", "", "420.00", False),
]


def time_loaded() -> bool:
    return Timesheet.objects.exists()


def _rates(start: date) -> int:
    made = 0
    people = User.objects.filter(kind=User.Kind.STAFF, is_active=True).select_related("position")
    existing = set(CostRate.objects.values_list("user_id", flat=True))
    rows = [
        CostRate(user=person, hourly_cost=Decimal(COSTS.get(person.role, "120")), valid_from=start)
        for person in people
        if person.pk not in existing
    ]
    CostRate.objects.bulk_create(rows)
    made += len(rows)
    return made


def _give_tasks(jobs: list[Job], today: date) -> None:
    for job in jobs:
        for code in WORKING_DEPARTMENTS:
            department = Department.objects.filter(code=code).first()
            if department is None or department.head is None:
                continue
            if job.plan_tasks.filter(department=department).exists():
                continue
            try:
                plan_task_create(
                    actor=job.owner,
                    job=job,
                    department=department,
                    title=f"{department.name_zh}工作",
                    owner=department.head,
                    starts_on=today - timedelta(days=7 * WEEKS),
                    working_days=20,
                )
            except DomainError:
                continue


def _week_rows(person: User, jobs: list[Job], rng: random.Random) -> list[RowIn]:
    rows = []
    share = [Decimal("5"), Decimal("3")]
    for job, base in zip(jobs[:2], share, strict=False):
        billable = signed_quote(job) is not None
        cells = [str(base + Decimal(rng.choice([-1, 0, 0, 1])) / 2) for _day in range(5)]
        rows.append(
            RowIn(
                job=job,
                task="设计制作" if person.role == Role.DESIGNER else "项目跟进",
                billable=billable,
                hours=[*cells, None, None],
            )
        )
    return rows


@transaction.atomic
def time_build() -> dict:
    """Cost rates, four weeks of time and some expenses on the demo jobs; returns what
    was made (nothing when time is loaded already)."""
    if time_loaded():
        return {"rates": 0, "timesheets": 0, "expenses": 0}
    today = timezone.localdate()
    rates = _rates(date(today.year - 1, 1, 1))
    numbered = list(
        Job.objects.filter(number__isnull=False)
        .exclude(stage__in=[Stage.CLOSED, Stage.CANCELLED])
        .select_related("owner")
        .order_by("received_on", "pk")
    )
    _give_tasks(numbered[:2], today)
    rng = random.Random(7)
    this_week = monday_of(today)
    sheets = 0
    people = User.objects.filter(
        kind=User.Kind.STAFF, is_active=True, position__role__in=TIME_ROLES
    ).order_by("username")
    for person in people:
        jobs = list(loggable_jobs(person).filter(number__isnull=False)[:2])
        if not jobs:
            continue
        approver = time_services.approver_of(person)
        for back in range(WEEKS - 1, -1, -1):
            week = this_week - timedelta(days=7 * back)
            sheet = time_services.timesheet_save(
                actor=person,
                week_start=week,
                rows=_week_rows(person, jobs, rng),
                expected_version=None,
            )
            sheets += 1
            if back == 0 or approver is None:
                continue
            approval = time_services.timesheet_submit(actor=person, timesheet=sheet)
            if back >= 2:
                approval_decide(actor=approver, approval=approval, outcome="approve")
    expenses = 0
    for job in numbered[:3]:
        for n, (category, text, supplier, amount, billable) in enumerate(EXPENSES):
            costing_services.expense_create(
                actor=job.owner,
                job=job,
                category=category,
                incurred_on=today - timedelta(days=3 + 4 * n),
                description=text,
                supplier=supplier,
                amount=amount,
                billable=billable,
            )
            expenses += 1
    return {"rates": rates, "timesheets": sheets, "expenses": Expense.objects.count()}
