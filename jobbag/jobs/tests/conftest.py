"""The job chain's cast, on top of the shared `cast` and `clientele` (conftest.py):

- account head `dcs` (Director of Client Service) heads the "account" department, in
  which cast.ae and cast.ad work, so they are the department head for their quotes;
- `manager`, the Marketing Manager; cast.gm signs the largest quotes;
- heads of design (with cast.designer in it), process, purchasing, QC and planning, the
  departments a work order reaches;
- the demo sign-off policies and authority limits (approvals.demo, accounts.demo).
"""

from dataclasses import dataclass
from decimal import Decimal

import pytest

from jobbag.accounts.models import AuthorityLimit, Department, Position, Role, User
from jobbag.accounts.tests.factories import DepartmentFactory, staff
from jobbag.approvals.demo import policies_build
from jobbag.jobs.models import Job
from jobbag.jobs.tests.factories import JobFactory

LIMITS = [
    ("dept-head", "quote", Decimal("50000")),
    ("dcs", "quote", Decimal("50000")),
    ("marketing-manager", "quote", Decimal("200000")),
    ("gm", "quote", None),
    ("ad", "work_order", None),
    ("dcs", "work_order", None),
]


@dataclass
class Chain:
    dcs: User  # Heads the account department: first signer of quotes; signs work orders.
    manager: User  # Marketing Manager: signs quotes up to 200,000 and job summaries.
    design_head: User  # Head of design; cast.designer works in design.
    process_head: User
    purchasing_head: User
    qc_head: User  # Signs acceptance before the client does.
    planning_head: User
    design: Department
    process: Department
    purchasing: Department
    qc: Department
    planning: Department
    job: Job  # HAIER's job owned by cast.ae, numbered, at intake.


@pytest.fixture
def chain(cast, clientele) -> Chain:
    dcs = staff("dcs", Role.DCS, department="account", full_name="陈主管")
    Department.objects.filter(code="account").update(head=dcs)
    manager = staff("manager", Role.MARKETING_MANAGER, department="marketing", full_name="郭强")
    heads = {}
    for code in ["design", "process", "purchasing", "qc", "planning"]:
        DepartmentFactory(code=code)
        heads[code] = staff(
            f"{code}_head", Role.DEPT_HEAD, department=code, full_name=f"{code}主管"
        )
        Department.objects.filter(code=code).update(head=heads[code])
    for position, document_type, amount in LIMITS:
        AuthorityLimit.objects.create(
            position=Position.objects.get(code=position),
            document_type=document_type,
            max_amount=amount,
        )
    policies_build()
    for user in [cast.ae, cast.ad]:
        user.refresh_from_db()
    job = JobFactory(
        company=clientele.company,
        brand=clientele.brand,
        owner=cast.ae,
        number="HAIER-2026-0001",
    )
    departments = {d.code: d for d in Department.objects.all()}
    return Chain(
        dcs=dcs,
        manager=manager,
        design_head=heads["design"],
        process_head=heads["process"],
        purchasing_head=heads["purchasing"],
        qc_head=heads["qc"],
        planning_head=heads["planning"],
        design=departments["design"],
        process=departments["process"],
        purchasing=departments["purchasing"],
        qc=departments["qc"],
        planning=departments["planning"],
        job=job,
    )
