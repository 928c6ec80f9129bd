"""Background work of the client file: checking and importing Excel workbooks.

Both tasks take the job's id only and re-read everything from the database, so a task
run twice (after a worker died, say) finds the job moved on and does nothing.
"""

from django_tasks import task

from jobbag.clients.services.imports import import_job_check, import_job_run


@task()
def import_check(job_id: int) -> str:
    """Checks every row of an uploaded workbook (clients.services.imports)."""
    return import_job_check(job_id=job_id)


@task()
def import_run(job_id: int) -> str:
    """Imports a confirmed workbook in one transaction (clients.services.imports)."""
    return import_job_run(job_id=job_id)
