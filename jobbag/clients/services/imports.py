"""Importing companies, brands and contacts from an Excel workbook (clients.imports).

uploaded → validating → invalid | valid → importing → done | failed

The upload is stored and checked by a background task (every row, with the services'
own rules); nothing is written while any row is bad. When the file is clean its uploader
confirms, and a second task creates everything through company_create, brand_create and
contact_create in ONE transaction: all or nothing. The job row is locked
(select_for_update) and its status checked by the confirmation and by the task, so a
double submit or a task run twice imports once.

Progress during the import: the import's transaction holds SQLite's only write lock
until it ends, so the count of rows done cannot be committed to the job row meanwhile.
It goes to the cache instead (shared by the web processes and the worker: Redis, or the
file cache in var/), and the job row gets the final count when the import commits.
"""

import logging

from django.conf import settings
from django.core.cache import cache
from django.core.files.uploadedfile import UploadedFile
from django.db import connection, transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

# The module, not its names: clients.imports uses the services of this package, whose
# __init__ imports this module.
from jobbag.clients import imports as workbooks
from jobbag.clients.models import ImportJob
from jobbag.clients.services.companies import brand_create, company_create, contact_create
from jobbag.core import audit
from jobbag.core.errors import Conflict, DomainError, NotFound
from jobbag.core.models import AuditEntry
from jobbag.core.permissions import require

logger = logging.getLogger(__name__)

INVALID = _("Please correct the errors below.")
FILE_REQUIRED = _("Choose an Excel file (.xlsx) to upload.")
FILE_TOO_LARGE = _("The file is larger than %(limit)s MB.")
FILE_NOT_XLSX = _("This is not an Excel workbook (.xlsx). Save it as .xlsx and upload it again.")
FILE_NO_SHEETS = _(
    "The workbook has none of the sheets 客户, 品牌 or 联系人 (Companies, Brands, Contacts)."
)
NOT_CONFIRMABLE = _("This import cannot be started now: it is %(status)s.")
CHANGED_SINCE = _(
    "The client file changed since this workbook was checked; it was checked again and "
    "nothing was imported."
)
IMPORT_FAILED = _("The import failed and nothing was written. Try again, or tell an administrator.")

S = ImportJob.Status
# Seconds an import's progress stays in the cache: far longer than any import runs.
PROGRESS_TTL = 6 * 3600
PROGRESS_EVERY = 25


def visible_import_jobs(user) -> QuerySet:
    """Import jobs a user may see: their own; administrators see everyone's."""
    jobs = ImportJob.objects.select_related("created_by")
    if not user.is_authenticated or not user.is_active:
        return jobs.none()
    return jobs if user.is_admin else jobs.filter(created_by=user)


def get_import_job_for_user(user, pk: int) -> ImportJob:
    job = visible_import_jobs(user).filter(pk=pk).first()
    if job is None:
        raise NotFound()
    return job


# Progress, kept outside the import's transaction.


def _progress_key(job_id: int) -> str:
    # The database's name keeps apart jobs of several databases sharing one cache
    # (parallel test runs, the benchmark).
    return f"clients:import-progress:{connection.settings_dict['NAME']}:{job_id}"


def progress_set(job_id: int, done: int) -> None:
    cache.set(_progress_key(job_id), done, PROGRESS_TTL)


def import_job_progress(job: ImportJob) -> int:
    """Rows done so far: the live count while importing, else the job's own."""
    if job.status in (S.VALIDATING, S.IMPORTING):
        live = cache.get(_progress_key(job.pk))
        if live is not None:
            return min(int(live), job.total_rows) if job.total_rows else int(live)
    return job.processed_rows


# The uploader's steps.


def _megabytes(size: int) -> str:
    return f"{size / 1024 / 1024:g}"


@transaction.atomic
def import_job_upload(*, actor, upload: UploadedFile | None) -> ImportJob:
    """Stores an uploaded workbook and queues its check; refuses anything but a real .xlsx
    within settings.MAX_UPLOAD_BYTES."""
    require(actor, "clients.company.create")
    if upload is None:
        raise DomainError(INVALID, fields={"file": FILE_REQUIRED})
    if upload.size > settings.MAX_UPLOAD_BYTES:
        message = FILE_TOO_LARGE % {"limit": _megabytes(settings.MAX_UPLOAD_BYTES)}
        raise DomainError(INVALID, fields={"file": message})
    try:
        book = workbooks.workbook_open(upload)
        sheets = workbooks.known_sheets(book)
        book.close()
    except workbooks.NotAWorkbook:
        raise DomainError(INVALID, fields={"file": FILE_NOT_XLSX}) from None
    if not sheets:
        raise DomainError(INVALID, fields={"file": FILE_NO_SHEETS})
    upload.seek(0)
    name = (upload.name or "import.xlsx")[-255:]
    job = ImportJob(created_by=actor, original_name=name)
    job.file.save(name, upload, save=False)
    job.save()
    audit.record(
        actor=actor,
        obj=job,
        action=AuditEntry.Action.CREATE,
        changes={"original_name": [None, name], "status": [None, job.status]},
    )
    # Imported here: the task module imports this one.
    from jobbag.clients.tasks import import_check

    import_check.enqueue(job.pk)
    return job


@transaction.atomic
def import_job_confirm(*, actor, job: ImportJob) -> ImportJob:
    """Starts the import of a clean workbook (or retries a failed one), once."""
    require(actor, "clients.company.create")
    job = ImportJob.objects.select_for_update().get(pk=job.pk)
    if job.created_by_id != actor.pk and not actor.is_admin:
        raise NotFound()
    if job.status not in (S.VALID, S.FAILED):
        raise Conflict(NOT_CONFIRMABLE % {"status": job.get_status_display()})
    old = job.status
    job.status = S.IMPORTING
    job.confirmed_at = timezone.now()
    job.processed_rows = 0
    job.save(update_fields=["status", "confirmed_at", "processed_rows"])
    audit.record_transition(actor=actor, obj=job, old=old, new=job.status)
    progress_set(job.pk, 0)
    from jobbag.clients.tasks import import_run

    import_run.enqueue(job.pk)
    return job


# The background steps (clients.tasks). Each is safe to run twice.


def _finish_check(job: ImportJob, plan: "workbooks.Plan") -> None:
    job.status = S.INVALID if plan.errors else S.VALID
    job.errors = [problem.as_dict() for problem in plan.errors]
    job.warnings = [problem.as_dict() for problem in plan.warnings]
    job.total_rows = plan.total_rows
    job.processed_rows = 0
    job.validated_at = timezone.now()
    job.summary = {
        "create": {
            "companies": len(plan.companies),
            "brands": len(plan.brands),
            "contacts": len(plan.contacts),
        },
        "skip": plan.skipped,
    }


def _read(job: ImportJob, *, progress=None) -> "workbooks.Plan":
    with job.file.open("rb") as handle:
        book = workbooks.workbook_open(handle)
        try:
            return workbooks.workbook_check(job.created_by, book, progress=progress)
        finally:
            book.close()


def import_job_check(*, job_id: int) -> str:
    """Checks every row of an uploaded workbook and records what is wrong, writing nothing
    else. Reading runs outside any transaction; only the status moves are written."""
    with transaction.atomic():
        job = ImportJob.objects.select_for_update().filter(pk=job_id).first()
        if job is None or job.status not in (S.UPLOADED, S.VALIDATING):
            return "skipped"
        job.status = S.VALIDATING
        job.save(update_fields=["status"])
    progress_set(job.pk, 0)
    try:
        plan = _read(job, progress=lambda n: progress_set(job.pk, n))
    except workbooks.NotAWorkbook:
        plan = None
    with transaction.atomic():
        job = ImportJob.objects.select_for_update().select_related("created_by").get(pk=job_id)
        if job.status != S.VALIDATING:
            return "skipped"
        if plan is None:
            job.status = S.FAILED
            job.errors = [_note(FILE_NOT_XLSX)]
            job.save(update_fields=["status", "errors"])
            return job.status
        _finish_check(job, plan)
        job.save()
    return job.status


def _create(job: ImportJob, plan: "workbooks.Plan") -> dict:
    """Creates the plan's rows through the services, superiors before their reports."""
    actor = job.created_by
    companies = dict(plan.existing_companies)
    brands = dict(plan.existing_brands)
    contacts = {key: people[0] for key, people in plan.existing_contacts.items()}
    done = 0

    def step() -> None:
        nonlocal done
        done += 1
        if done % PROGRESS_EVERY == 0:
            progress_set(job.pk, plan.skipped_total + done)

    for row in plan.companies:
        company = company_create(actor=actor, **row.kwargs)
        companies[company.code] = company
        step()
    for row in plan.brands:
        code = row.text("company").upper()
        brands[(code, row.text("name"))] = brand_create(
            actor=actor, company=companies[code], **row.kwargs
        )
        step()
    for row in plan.contacts:
        code = row.text("company").upper()
        extra = {}
        if row.text("brand"):
            extra["brand"] = brands[(code, row.text("brand"))]
        if row.text("reports_to"):
            extra["reports_to"] = contacts[(code, row.text("reports_to"))]
        contacts[(code, row.text("name"))] = contact_create(
            actor=actor, company=companies[code], **row.kwargs, **extra
        )
        step()
    return {
        "companies": len(plan.companies),
        "brands": len(plan.brands),
        "contacts": len(plan.contacts),
    }


def import_job_run(*, job_id: int) -> str:
    """Imports a confirmed, clean workbook in one transaction, checking it once more
    first: the client file may have changed since the preview."""
    try:
        with transaction.atomic():
            job = (
                ImportJob.objects.select_for_update()
                .select_related("created_by")
                .filter(pk=job_id)
                .first()
            )
            if job is None or job.status != S.IMPORTING:
                return "skipped"
            plan = _read(job)
            if plan.errors:
                _finish_check(job, plan)
                job.warnings = [*job.warnings, _note(CHANGED_SINCE)]
                job.save()
                return job.status
            created = _create(job, plan)
            job.status = S.DONE
            job.processed_rows = plan.total_rows
            job.total_rows = plan.total_rows
            job.finished_at = timezone.now()
            job.summary = {"created": created, "skip": plan.skipped}
            job.save()
            audit.record_transition(actor=job.created_by, obj=job, old=S.IMPORTING, new=S.DONE)
            return job.status
    except Exception as exc:
        # Nothing was written (the transaction rolled back): say so on the job, and let a
        # refusal by the rules show as such; anything else goes to the failed-tasks page.
        _fail(job_id, exc)
        if not isinstance(exc, DomainError):
            raise
        return S.FAILED


def _note(message, **params) -> dict:
    return {
        "sheet": "",
        "row": 0,
        "field": "",
        "message": workbooks.source_text(message),
        "params": params,
    }


def _fail(job_id: int, exc: Exception) -> None:
    logger.exception("Client import %s failed", job_id)
    reason = exc.message if isinstance(exc, DomainError) else IMPORT_FAILED
    with transaction.atomic():
        job = ImportJob.objects.select_for_update().filter(pk=job_id).first()
        if job is None or job.status != S.IMPORTING:
            return
        job.status = S.FAILED
        job.finished_at = timezone.now()
        job.errors = [_note(reason)]
        job.save(update_fields=["status", "finished_at", "errors"])
