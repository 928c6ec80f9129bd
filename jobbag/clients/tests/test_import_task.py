"""The import's background tasks: idempotent, all or nothing, progress outside the
transaction, and a second check of the file just before it is imported."""

import pytest
from django.core.cache import cache
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from jobbag.accounts.models import ServiceTeamMembership
from jobbag.clients.models import Company, Contact, ImportJob
from jobbag.clients.services import imports
from jobbag.clients.services.imports import import_job_confirm, import_job_upload
from jobbag.clients.tasks import import_check, import_run
from jobbag.clients.tests.test_imports import CLEAN, workbook
from jobbag.core.errors import NotAllowed
from jobbag.core.models import AuditEntry
from jobbag.core.tests.tasks_for_tests import run_ready_tasks

S = ImportJob.Status


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def checked(cast, clientele) -> ImportJob:
    """A clean workbook of the AE's, checked and ready to import."""
    job = import_job_upload(actor=cast.ae, upload=workbook(**CLEAN))
    run_ready_tasks()
    job.refresh_from_db()
    assert job.status == S.VALID, job.errors
    return job


def test_it_checks_a_file_once_however_often_the_task_runs(checked):
    import_check.enqueue(checked.pk)
    run_ready_tasks()

    result = DBTaskResult.objects.filter(task_path__endswith="import_check").latest("enqueued_at")
    assert result.status == TaskResultStatus.SUCCESSFUL and result.return_value == "skipped"
    checked.refresh_from_db()
    assert checked.status == S.VALID


def test_it_does_nothing_for_a_job_not_confirmed(checked):
    import_run.enqueue(checked.pk)
    run_ready_tasks()

    checked.refresh_from_db()
    assert checked.status == S.VALID
    assert not Company.objects.filter(code="DAIRY").exists()


def test_it_writes_nothing_when_the_import_breaks_halfway_and_can_be_retried(
    checked, cast, monkeypatch
):
    real = imports.contact_create
    calls = []

    def breaks_on_the_third(**kwargs):
        calls.append(kwargs["name"])
        if len(calls) == 3:
            raise RuntimeError("disk full")
        return real(**kwargs)

    monkeypatch.setattr(imports, "contact_create", breaks_on_the_third)
    import_job_confirm(actor=cast.ae, job=checked)
    run_ready_tasks()

    checked.refresh_from_db()
    assert checked.status == S.FAILED
    assert checked.errors[0]["message"].startswith("The import failed and nothing was written")
    assert not Company.objects.filter(code__in=["DAIRY", "QQ"]).exists()
    assert not Contact.objects.filter(name__in=calls).exists()
    assert not AuditEntry.objects.filter(content_type__model="company", actor=cast.ae).exists()
    # Administrators see the failure on the failed-tasks page.
    failed = DBTaskResult.objects.get(task_path__endswith="import_run")
    assert failed.status == TaskResultStatus.FAILED

    monkeypatch.setattr(imports, "contact_create", real)
    import_job_confirm(actor=cast.ae, job=checked)
    run_ready_tasks()
    checked.refresh_from_db()
    assert checked.status == S.DONE
    assert Contact.objects.filter(company__code="DAIRY").count() == 3


def test_it_checks_the_file_again_before_importing(checked, cast, clientele):
    # Since the preview the AE has left HAIER's team: their HAIER row is now refused.
    ServiceTeamMembership.objects.filter(user=cast.ae, company=clientele.company).delete()
    import_job_confirm(actor=cast.ae, job=checked)
    run_ready_tasks()

    checked.refresh_from_db()
    assert checked.status == S.INVALID
    assert [(e["sheet"], e["row"], e["field"]) for e in checked.errors] == [
        ("contacts", 6, "company")
    ]
    assert checked.warnings[-1]["message"].startswith("The client file changed")
    assert not Company.objects.filter(code="DAIRY").exists()


def test_it_reports_progress_in_the_cache_while_the_transaction_is_open(checked, cast, monkeypatch):
    seen = []
    real = imports.progress_set

    def record(job_id, done):
        seen.append(done)
        real(job_id, done)

    monkeypatch.setattr(imports, "PROGRESS_EVERY", 2)
    monkeypatch.setattr(imports, "progress_set", record)
    import_job_confirm(actor=cast.ae, job=checked)
    assert imports.import_job_progress(ImportJob.objects.get(pk=checked.pk)) == 0
    run_ready_tasks()

    # 0 on confirmation, then every second row created (10 rows, none skipped).
    assert seen == [0, 2, 4, 6, 8, 10]
    checked.refresh_from_db()
    assert checked.status == S.DONE and checked.processed_rows == 10
    assert imports.import_job_progress(checked) == 10
    assert cache.get(imports._progress_key(checked.pk)) == 10


def test_it_refuses_to_confirm_for_someone_who_may_not_import(checked, cast):
    with pytest.raises(NotAllowed):
        import_job_confirm(actor=cast.designer, job=checked)
    checked.refresh_from_db()
    assert checked.status == S.VALID
