"""Acceptance (验收): written once work has started, each item checked by QC or the job's
editors, sent for sign-off only when every item passed, signed by the head of QC then
the client; the signature completes the job."""

import shutil
import subprocess
from datetime import date
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from jobbag.accounts.models import Department
from jobbag.approvals.models import Approval, SignoffStatus
from jobbag.approvals.services import (
    approval_client_decide,
    approval_decide,
    approval_record_signed_copy,
)
from jobbag.calendar.services import add_working_days
from jobbag.core.errors import Conflict, DomainError, NotAllowed
from jobbag.core.models import AuditEntry, Notification
from jobbag.jobs.models import (
    Acceptance,
    AcceptanceItem,
    Acknowledgement,
    JobSettings,
    JobSummary,
    Stage,
    WorkOrder,
)
from jobbag.jobs.panels import panels_for
from jobbag.jobs.services import closing as services
from jobbag.jobs.services.closing import (
    acceptance_create,
    acceptance_item_check,
    acceptance_submit,
    job_complete,
)

# Importing the closing pages registers the job page's panels.
from jobbag.jobs.views import closing as _closing_views  # noqa: F401

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}
ITEMS = [("门店展架", "10 套"), ("灯箱画面", "20 张")]


# Shared set-up (test_summary*.py imports these) ------------------------------------------


def qc_ready(chain) -> None:
    """The chain's "qc" department is a quality-control department."""
    Department.objects.filter(code="qc").update(kind=Department.Kind.QC)
    chain.qc_head.refresh_from_db()


def dispatch(chain, job=None):
    """A dispatched work order of the job, acknowledged by QC: work has started."""
    job = job or chain.job
    work_order = WorkOrder.objects.create(
        job=job,
        number=WorkOrder.objects.filter(job=job).count() + 1,
        client_request="新品上市门店物料",
        specification="展架 60×160cm",
        quantity="10 套",
        quality_standard="按样板",
        delivery_place="青岛门店",
        delivery_due=date(2026, 12, 1),
        created_by=job.owner,
        signoff_status=SignoffStatus.APPROVED,
        dispatched_at=timezone.now(),
        dispatched_by=job.owner,
    )
    Acknowledgement.objects.create(
        job=job,
        work_order=work_order,
        department=chain.qc,
        sent_at=timezone.now(),
        due_on=date(2026, 12, 1),
    )
    job.stage = Stage.PRODUCTION
    job.save(update_fields=["stage"])
    return work_order


def new_acceptance(cast, chain, job=None, items=ITEMS) -> Acceptance:
    return acceptance_create(
        actor=cast.ae,
        job=job or chain.job,
        place="青岛市南区门店",
        planned_on=date(2026, 11, 20),
        notes="安装前验收",
        items=items,
    )


def pass_all(actor, acceptance: Acceptance) -> None:
    for item in acceptance.items.all():
        acceptance_item_check(actor=actor, item=item, result="passed")


def big(job) -> None:
    """Above the summary threshold (200,000 by default), so a summary is required."""
    job.estimated_amount = Decimal("300000")
    job.save(update_fields=["estimated_amount"])


def signed_acceptance(cast, chain, job=None) -> Acceptance:
    """An acceptance checked, signed by the head of QC and by the client in the portal."""
    job = job or chain.job
    acceptance = new_acceptance(cast, chain, job)
    pass_all(chain.qc_head, acceptance)
    approval = acceptance_submit(actor=cast.ae, acceptance=acceptance)
    approval_decide(actor=chain.qc_head, approval=approval, outcome="approve")
    approval_client_decide(actor=cast.client, approval=approval, outcome="approve")
    acceptance.refresh_from_db()
    return acceptance


# Writing an acceptance ---------------------------------------------------------------------


def test_it_refuses_an_acceptance_before_a_work_order_is_dispatched(cast, chain):
    with pytest.raises(DomainError) as refused:
        new_acceptance(cast, chain)

    assert refused.value.code == "work_not_started"
    assert str(refused.value.message) == str(services.WORK_NOT_STARTED)
    assert not Acceptance.objects.exists()


def test_it_numbers_acceptances_per_job_and_moves_the_job_to_acceptance(cast, chain):
    dispatch(chain)

    first = new_acceptance(cast, chain)
    second = new_acceptance(cast, chain, items=[("地贴", "")])

    assert (first.number, second.number) == (1, 2)
    assert [i.description for i in first.items.all()] == ["门店展架", "灯箱画面"]
    assert first.items.first().result == AcceptanceItem.Result.PENDING
    chain.job.refresh_from_db()
    assert chain.job.stage == Stage.ACCEPTANCE
    assert AuditEntry.objects.filter(object_id=str(first.pk), action="create").exists()


def test_it_refuses_an_acceptance_without_items_or_place(cast, chain):
    dispatch(chain)

    with pytest.raises(DomainError) as no_items:
        new_acceptance(cast, chain, items=[])
    with pytest.raises(DomainError) as blank:
        acceptance_create(
            actor=cast.ae, job=chain.job, place=" ", planned_on=None, notes="", items=ITEMS
        )

    assert "items" in no_items.value.fields
    assert set(blank.value.fields) == {"place", "planned_on"}
    assert not Acceptance.objects.exists()


def test_only_the_jobs_editors_write_an_acceptance(cast, chain):
    dispatch(chain)

    with pytest.raises(NotAllowed):
        acceptance_create(
            actor=cast.designer,
            job=chain.job,
            place="门店",
            planned_on=date(2026, 11, 20),
            notes="",
            items=ITEMS,
        )


# Checking items ----------------------------------------------------------------------------


def test_qc_staff_and_editors_check_items_others_may_not(cast, chain):
    qc_ready(chain)
    dispatch(chain)
    acceptance = new_acceptance(cast, chain)
    first, second = acceptance.items.all()

    acceptance_item_check(actor=chain.qc_head, item=first, result="passed", remark="")
    acceptance_item_check(actor=cast.ae, item=second, result="failed", remark="颜色偏差")
    with pytest.raises(NotAllowed):
        acceptance_item_check(actor=cast.designer, item=first, result="failed", remark="x")

    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.result, first.checked_by, first.checked_at is not None) == (
        "passed",
        chain.qc_head,
        True,
    )
    assert (second.result, second.remark, second.checked_by) == ("failed", "颜色偏差", cast.ae)


def test_a_failed_item_needs_a_remark_and_a_bad_result_is_refused(cast, chain):
    dispatch(chain)
    item = new_acceptance(cast, chain).items.first()

    with pytest.raises(DomainError) as no_remark:
        acceptance_item_check(actor=cast.ae, item=item, result="failed", remark="")
    with pytest.raises(DomainError) as bad:
        acceptance_item_check(actor=cast.ae, item=item, result="maybe", remark="")

    assert "remark" in no_remark.value.fields and "result" in bad.value.fields
    item.refresh_from_db()
    assert item.result == "pending" and item.checked_by is None


def test_an_unchecked_or_failed_item_blocks_the_submit_and_is_named(cast, chain):
    qc_ready(chain)
    dispatch(chain)
    acceptance = new_acceptance(cast, chain)
    first, _second = acceptance.items.all()
    acceptance_item_check(actor=chain.qc_head, item=first, result="failed", remark="破损")

    with pytest.raises(DomainError) as refused:
        acceptance_submit(actor=cast.ae, acceptance=acceptance)

    assert refused.value.code == "items_not_passed"
    reasons = refused.value.fields["items"]
    assert any("门店展架" in r for r in reasons) and any("灯箱画面" in r for r in reasons)
    acceptance.refresh_from_db()
    assert acceptance.signoff_status == SignoffStatus.DRAFT
    assert not Approval.objects.exists()

    # Fixed and checked again, it goes.
    pass_all(chain.qc_head, acceptance)
    approval = acceptance_submit(actor=cast.ae, acceptance=acceptance)
    assert approval.document_type == "acceptance"


def test_items_are_not_checked_once_the_acceptance_is_in_sign_off(cast, chain):
    qc_ready(chain)
    dispatch(chain)
    acceptance = new_acceptance(cast, chain)
    pass_all(chain.qc_head, acceptance)
    acceptance_submit(actor=cast.ae, acceptance=acceptance)

    with pytest.raises(Conflict):
        acceptance_item_check(
            actor=chain.qc_head, item=acceptance.items.first(), result="failed", remark="x"
        )
    with pytest.raises(Conflict):
        acceptance_submit(actor=cast.ae, acceptance=acceptance)


# Signing and completing --------------------------------------------------------------------


def test_the_qc_head_then_the_client_sign_and_the_job_waits_for_its_summary(cast, chain):
    qc_ready(chain)
    dispatch(chain)
    big(chain.job)
    acceptance = new_acceptance(cast, chain)
    pass_all(chain.qc_head, acceptance)
    approval = acceptance_submit(actor=cast.ae, acceptance=acceptance)

    # The client cannot sign before QC has.
    with pytest.raises(DomainError):
        approval_client_decide(actor=cast.client, approval=approval, outcome="approve")
    approval_decide(actor=chain.qc_head, approval=approval, outcome="approve")
    chain.job.refresh_from_db()
    assert chain.job.completed_on is None
    approval_client_decide(actor=cast.client, approval=approval, outcome="approve")

    acceptance.refresh_from_db()
    chain.job.refresh_from_db()
    today = timezone.localdate()
    assert acceptance.signoff_status == SignoffStatus.APPROVED
    assert chain.job.completed_on == today
    assert chain.job.stage == Stage.SUMMARY and chain.job.closed_on is None
    summary = JobSummary.objects.get(job=chain.job)
    days = JobSettings.current().summary_within_days
    assert summary.due_on == add_working_days(today, days)
    assert Notification.objects.filter(recipient=cast.ae, link__contains="/summary/").exists()


def test_a_job_that_needs_no_summary_closes_when_its_acceptance_is_signed(cast, chain):
    qc_ready(chain)
    dispatch(chain)

    signed_acceptance(cast, chain)

    chain.job.refresh_from_db()
    assert chain.job.stage == Stage.CLOSED
    assert chain.job.completed_on == chain.job.closed_on == timezone.localdate()
    assert not JobSummary.objects.exists()


def test_the_summary_is_due_in_working_days_across_a_weekend_and_a_holiday(cast, chain):
    big(chain.job)

    # Friday 20 November 2026: five working days later is Friday 27 November.
    job_complete(job=chain.job, actor=cast.ae, on=date(2026, 11, 20))

    assert JobSummary.objects.get(job=chain.job).due_on == date(2026, 11, 27)
    other = type(chain.job).objects.get(pk=chain.job.pk)
    other.pk = None
    other.number = "HAIER-2026-0002"
    other.completed_on = None
    other.stage = Stage.ACCEPTANCE
    other.save()
    # Wednesday 30 September 2026, before the National Day week (1–7 October) and the
    # make-up working Saturday of 10 October.
    job_complete(job=other, actor=cast.ae, on=date(2026, 9, 30))
    # 8, 9, 10 (Saturday), 12 and 13 October.
    assert JobSummary.objects.get(job=other).due_on == date(2026, 10, 13)


def test_completing_twice_does_nothing_more(cast, chain):
    big(chain.job)
    job_complete(job=chain.job, actor=cast.ae, on=date(2026, 11, 20))
    entries = AuditEntry.objects.count()

    job_complete(job=chain.job, actor=cast.ae, on=date(2026, 11, 23))

    chain.job.refresh_from_db()
    assert chain.job.completed_on == date(2026, 11, 20)
    assert JobSummary.objects.filter(job=chain.job).count() == 1
    assert AuditEntry.objects.count() == entries


def test_a_returned_acceptance_is_checked_again_and_goes_as_its_next_revision(cast, chain):
    qc_ready(chain)
    dispatch(chain)
    acceptance = new_acceptance(cast, chain)
    pass_all(chain.qc_head, acceptance)
    approval = acceptance_submit(actor=cast.ae, acceptance=acceptance)
    approval_decide(actor=chain.qc_head, approval=approval, outcome="return", reason="灯箱漏光")

    acceptance.refresh_from_db()
    assert acceptance.signoff_status == SignoffStatus.RETURNED
    item = acceptance.items.last()
    acceptance_item_check(actor=chain.qc_head, item=item, result="failed", remark="漏光")
    acceptance_item_check(actor=chain.qc_head, item=item, result="passed", remark="已修复")
    again = acceptance_submit(actor=cast.ae, acceptance=acceptance)

    acceptance.refresh_from_db()
    assert acceptance.revision == again.revision == 2


# Pages -------------------------------------------------------------------------------------


def test_the_panel_shows_items_and_the_sign_off_link(cast, chain, rf):
    qc_ready(chain)
    dispatch(chain)
    acceptance = new_acceptance(cast, chain)
    pass_all(chain.qc_head, acceptance)
    approval = acceptance_submit(actor=cast.ae, acceptance=acceptance)
    request = rf.get("/")
    request.user = cast.ae

    shown = {panel.key: context for panel, context in panels_for(request, chain.job)}

    card = shown["acceptance"]["cards"][0]
    assert card["approval"] == approval and len(card["items"]) == 2
    assert not card["can_check"] and not card["can_submit"]
    assert "summary" in shown


def test_an_item_is_checked_in_place_with_htmx(cast, chain, login):
    qc_ready(chain)
    dispatch(chain)
    acceptance = new_acceptance(cast, chain)
    item = acceptance.items.first()
    client = login(chain.qc_head)

    response = client.post(f"/jobs/acceptance-items/{item.pk}/check/", {"result": "passed"}, **HTMX)
    refused = client.post(f"/jobs/acceptance-items/{item.pk}/check/", {"result": "failed"}, **HTMX)

    body = response.content.decode()
    assert response.status_code == 200
    assert f'id="acceptance-{acceptance.pk}"' in body and 'data-result="passed"' in body
    assert (
        refused.status_code == 200 and 'data-testid="acceptance-error"' in refused.content.decode()
    )
    item.refresh_from_db()
    assert item.result == "passed" and item.checked_by == chain.qc_head


def test_submitting_from_the_page_names_the_unchecked_items(cast, chain, login):
    dispatch(chain)
    cast.ae.language = "en"
    cast.ae.save()
    acceptance = new_acceptance(cast, chain)

    response = login(cast.ae).post(f"/jobs/acceptances/{acceptance.pk}/submit/")

    assert response.status_code == 400
    body = response.content.decode()
    assert "门店展架" in body and 'data-testid="acceptance-error"' in body


def test_a_user_creates_an_acceptance_through_the_form(cast, chain, login):
    client = login(cast.ae)
    refused = client.post(
        f"/jobs/{chain.job.pk}/acceptances/new/",
        {"place": "门店", "planned_on": "2026-11-20", "items": "展架 | 10"},
    )
    assert refused.status_code == 400 and not Acceptance.objects.exists()
    dispatch(chain)

    response = client.post(
        f"/jobs/{chain.job.pk}/acceptances/new/",
        {"place": "门店", "planned_on": "2026-11-20", "items": "展架 | 10 套\n\n灯箱｜2"},
    )

    acceptance = Acceptance.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/jobs/acceptances/{acceptance.pk}/"
    assert [(i.description, i.quantity) for i in acceptance.items.all()] == [
        ("展架", "10 套"),
        ("灯箱", "2"),
    ]


def test_the_acceptance_page_reads_a_fixed_number_of_queries(
    cast, chain, login, django_assert_num_queries
):
    qc_ready(chain)
    dispatch(chain)
    acceptance = new_acceptance(cast, chain, items=ITEMS[:1])
    client = login(cast.ae)
    url = f"/jobs/acceptances/{acceptance.pk}/"
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    items = [(f"物料{i}", str(i)) for i in range(20)]
    many = new_acceptance(cast, chain, items=items)
    pass_all(chain.qc_head, many)
    with django_assert_num_queries(len(few.captured_queries)):
        assert client.get(f"/jobs/acceptances/{many.pk}/").status_code == 200


def test_the_pdf_carries_the_chinese_text_and_the_signatures(cast, chain, login):
    qc_ready(chain)
    dispatch(chain)
    acceptance = signed_acceptance(cast, chain)

    response = login(cast.ae).get(f"/jobs/acceptances/{acceptance.pk}/pdf/")

    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    content = b"".join(response) if response.streaming else response.content
    assert content[:4] == b"%PDF"
    if shutil.which("pdftotext"):
        text = subprocess.run(
            ["pdftotext", "-", "-"], input=content, capture_output=True, check=True
        ).stdout.decode()
        assert "门店展架" in text and "青岛市南区门店" in text
        assert "qc主管" in text and str(cast.client) in text


def test_others_get_404_on_the_acceptance_pages(cast, chain, clientele, login):
    dispatch(chain)
    acceptance = new_acceptance(cast, chain)

    assert login(clientele.other_ae).get(f"/jobs/acceptances/{acceptance.pk}/").status_code == 404
    assert login(cast.client).get(f"/jobs/acceptances/{acceptance.pk}/").status_code == 404


def test_with_two_deliveries_the_last_signed_acceptance_completes_the_job(cast, chain):
    qc_ready(chain)
    dispatch(chain)
    second = new_acceptance(cast, chain, items=[("地贴", "")])

    signed_acceptance(cast, chain)
    chain.job.refresh_from_db()
    assert chain.job.completed_on is None and chain.job.stage == Stage.ACCEPTANCE

    pass_all(chain.qc_head, second)
    approval = acceptance_submit(actor=cast.ae, acceptance=second)
    approval_decide(actor=chain.qc_head, approval=approval, outcome="approve")
    approval_client_decide(actor=cast.client, approval=approval, outcome="approve")
    chain.job.refresh_from_db()
    assert chain.job.completed_on == timezone.localdate() and chain.job.stage == Stage.CLOSED


def test_staff_upload_the_clients_signed_copy_instead(cast, chain, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    qc_ready(chain)
    dispatch(chain)
    acceptance = new_acceptance(cast, chain)
    pass_all(chain.qc_head, acceptance)
    approval = acceptance_submit(actor=cast.ae, acceptance=acceptance)
    approval_decide(actor=chain.qc_head, approval=approval, outcome="approve")

    approval_record_signed_copy(
        actor=cast.ae,
        approval=approval,
        file=SimpleUploadedFile("验收单.pdf", b"%PDF-1.4 signed", "application/pdf"),
        client_signer="孙丽",
        signed_on=timezone.localdate(),
    )

    chain.job.refresh_from_db()
    assert chain.job.completed_on == timezone.localdate()
