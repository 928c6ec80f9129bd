"""Building the benchmark's data: the demo agency and its clients, plus generated staff
and generated clients (four per generated staff member: 2,000 clients and 20,000
contacts at the default scale of 500); the demo jobs and 400 generated jobs per scale
step (200,000 at the default scale), one job's long history and a signer's inbox of
waiting sign-offs (one per scale step)."""

import hashlib
from datetime import timedelta

from django.contrib.auth.hashers import make_password
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.utils import timezone

from jobbag.accounts.demo import DEMO_PASSWORD, agency_build, staff_generate
from jobbag.accounts.models import User
from jobbag.approvals.demo import policies_build
from jobbag.approvals.models import Approval, ApprovalStep, Seat, Snapshot, StepKind
from jobbag.bench.operations import BenchData
from jobbag.clients.demo import clients_build, clients_generate
from jobbag.clients.models import Company, Contact
from jobbag.core.models import AuditEntry
from jobbag.jobs.demo import jobs_build, jobs_generate
from jobbag.jobs.models import Job, QuoteVersion

CLIENTS_PER_SCALE = 4
JOBS_PER_SCALE = 400
# The job whose page is timed gets this many more history entries.
HISTORY_ENTRIES = 60
# The Account Director who signs: their inbox holds one waiting sign-off per scale step
# (at least a few), among as many waiting for others.
SIGNER = "lina"
INBOX_MIN = 5

# The AE of the demo agency: the person who signs in and browses in every operation.
ACTOR = "xuli"


def database_prepare() -> None:
    """Brings the benchmark database to the latest schema and empties it if reused."""
    call_command("migrate", interactive=False, verbosity=0)
    if User.objects.exists():
        call_command("flush", interactive=False, verbosity=0)


def data_load(*, scale: int) -> BenchData:
    """Loads the demo agency with its clients, `scale` generated staff and
    `scale` × CLIENTS_PER_SCALE generated clients into an empty database."""
    password_hash = make_password(DEMO_PASSWORD)
    agency_build(password_hash=password_hash)
    clients_build()
    staff_generate(count=scale, password_hash=password_hash)
    clients_generate(count=scale * CLIENTS_PER_SCALE)
    policies_build()
    jobs_build()
    jobs_generate(count=scale * JOBS_PER_SCALE)
    history_generate(job=bench_job(ACTOR), count=HISTORY_ENTRIES)
    inbox_generate(signer=SIGNER, count=max(scale, INBOX_MIN))
    return BenchData(
        scale=scale,
        staff_count=User.objects.filter(kind=User.Kind.STAFF).count(),
        client_count=Company.objects.count(),
        contact_count=Contact.objects.count(),
        username=ACTOR,
        password=DEMO_PASSWORD,
    )


def bench_job(username: str) -> Job:
    """The job whose page is timed: the first demo job of `username`, numbered."""
    return Job.objects.filter(owner__username=username, number__isnull=False).order_by("pk").first()


def history_generate(*, job: Job, count: int) -> None:
    """`count` more audit entries for `job` (its requirements edited again and again),
    in bulk: a long history to show."""
    job_type = ContentType.objects.get_for_model(Job)
    AuditEntry.objects.bulk_create(
        AuditEntry(
            actor=job.owner,
            action=AuditEntry.Action.CHANGE,
            content_type=job_type,
            object_id=str(job.pk),
            object_repr=str(job)[:255],
            changes={"timing": [f"第{n}版", f"第{n + 1}版"]},
        )
        for n in range(count)
    )


def inbox_generate(*, signer: str, count: int) -> None:
    """`count` quotes waiting for `signer`'s signature and `count` waiting for someone
    else, each with its frozen snapshot, its active step and its seat, in bulk."""
    user = User.objects.get(username=signer)
    other = User.objects.get(username="chenjing")
    jobs = list(
        Job.objects.filter(stage="quote").select_related("company").order_by("pk")[: 2 * count]
    )
    quotes = QuoteVersion.objects.bulk_create(
        QuoteVersion(
            job=job,
            number=1,
            signoff_status="submitted",
            net_total=job.estimated_amount or 0,
            total=job.estimated_amount or 0,
            created_by=job.owner,
        )
        for job in jobs
    )
    quote_type = ContentType.objects.get_for_model(QuoteVersion)
    snapshots = Snapshot.objects.bulk_create(
        Snapshot(
            content_type=quote_type,
            object_id=quote.pk,
            revision=1,
            title=f"{quote.job.title} V1",
            html=f"<h1>{quote.job.title}</h1>",
            data={"total": str(quote.total)},
            content_hash=hashlib.sha256(str(quote.pk).encode()).hexdigest(),
            created_by=quote.created_by,
        )
        for quote in quotes
    )
    now = timezone.now()
    approvals = Approval.objects.bulk_create(
        Approval(
            content_type=quote_type,
            object_id=quote.pk,
            document_type="quote",
            title=snapshot.title,
            revision=1,
            amount=quote.total,
            company=quote.job.company,
            department_id=quote.job.department_id,
            policy_name="报价 ≤ 5万",
            snapshot=snapshot,
            current_step=1,
            submitted_by=quote.created_by,
        )
        for quote, snapshot in zip(quotes, snapshots, strict=True)
    )
    steps = ApprovalStep.objects.bulk_create(
        ApprovalStep(
            approval=approval,
            order=1,
            kind=StepKind.ONE,
            label="部门经理审批",
            status=ApprovalStep.Status.ACTIVE,
            activated_at=now - timedelta(hours=index),
        )
        for index, approval in enumerate(approvals)
    )
    seats = Seat.objects.bulk_create(Seat(step=step, number=1, label="部门经理") for step in steps)
    Seat.candidates.through.objects.bulk_create(
        Seat.candidates.through(seat_id=seat.pk, user_id=(user if n % 2 == 0 else other).pk)
        for n, seat in enumerate(seats)
    )
