"""The time cast, on top of the shared `cast` and `clientele` (conftest.py). Test files
import the fixtures they use from here:

- `timeworld.design_head` (郑总监) heads the design department: cast.designer's manager, who
  approves her weeks; she has no other power;
- cast.designer costs 200.00 an hour from 2026-01-01, 250.00 from 2026-07-01;
- `timeworld.job`: HAIER's job HAIER-2026-0001 owned by cast.ae, its quote signed back by
  the client (net 10,000.00), with a plan task for the design department;
- `timeworld.pitch`: HAIER's job HAIER-2026-0002, no signed quote yet (non-billable only),
  with a design task too;
- `timeworld.nike_job`: NIKE's job, not sent to design (the designer cannot log on it);
- `timeworld.artwork`: the rate card's hourly service "artwork".
"""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

import pytest
from django.utils import timezone

from jobbag.accounts.models import Department, Role, User
from jobbag.accounts.tests.factories import staff
from jobbag.approvals.models import SignoffStatus
from jobbag.finance.models import CostRate, RateItem
from jobbag.jobs.models import Job, PlanTask, QuoteVersion, Stage
from jobbag.jobs.tests.factories import JobFactory

# A Monday in 2026 (a working week: 2026-11-09 … 15).
WEEK = date(2026, 11, 9)


@dataclass
class TimeWorld:
    design_head: User
    job: Job
    pitch: Job
    nike_job: Job
    artwork: RateItem
    quote: QuoteVersion


def sign_back(job: Job, by: User, net: str) -> QuoteVersion:
    return QuoteVersion.objects.create(
        job=job,
        number=1,
        net_total=Decimal(net),
        total=Decimal(net),
        signoff_status=SignoffStatus.APPROVED,
        signed_back_at=timezone.now(),
        created_by=by,
    )


def send_to(job: Job, department: Department) -> None:
    """The department gets a task in the job's plan (as a dispatched work order does)."""
    today = timezone.localdate()
    PlanTask.objects.create(
        job=job,
        department=department,
        title="设计",
        starts_on=today,
        working_days=1,
        due_on=today,
        created_by=job.owner,
    )


def make_world(cast, clientele) -> TimeWorld:
    design = cast.designer.department
    head = staff("design_head", Role.DEPT_HEAD, department="design", full_name="郑总监")
    Department.objects.filter(pk=design.pk).update(head=head)
    cast.designer.refresh_from_db()
    CostRate.objects.create(
        user=cast.designer, hourly_cost=Decimal("200"), valid_from=date(2026, 1, 1)
    )
    CostRate.objects.create(
        user=cast.designer, hourly_cost=Decimal("250"), valid_from=date(2026, 7, 1)
    )
    job = JobFactory(
        company=clientele.company,
        brand=clientele.brand,
        owner=cast.ae,
        number="HAIER-2026-0001",
        stage=Stage.PRODUCTION,
    )
    pitch = JobFactory(
        company=clientele.company, owner=cast.ae, number="HAIER-2026-0002", title="比稿"
    )
    nike_job = JobFactory(
        company=clientele.other_company, owner=clientele.other_ae, number="NIKE-2026-0001"
    )
    quote = sign_back(job, cast.ae, "10000")
    send_to(job, design)
    send_to(pitch, design)
    artwork = RateItem.objects.create(
        code="artwork", name_zh="完稿", name_en="Artwork", unit=RateItem.Unit.HOUR, price=300
    )
    return TimeWorld(
        design_head=head, job=job, pitch=pitch, nike_job=nike_job, artwork=artwork, quote=quote
    )


@pytest.fixture(name="timeworld")
def timeworld_fixture(cast, clientele) -> TimeWorld:
    return make_world(cast, clientele)


def hours(*cells) -> list:
    """Seven cells, Monday first, the rest empty."""
    values = [str(c) if c is not None else None for c in cells]
    return values + [None] * (7 - len(values))
