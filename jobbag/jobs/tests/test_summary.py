"""The job summary (小结): created when a large or important job's acceptance is signed,
written by the owner against its version, sent to the Marketing Manager once every
section is filled in; the signature closes the job. A daily sweep reminds the owner of
a summary due and tells the Marketing Manager of a late one."""

from datetime import date

import pytest
from django.db import connection
from django.template.loader import render_to_string
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from jobbag.approvals.models import SignoffStatus
from jobbag.approvals.services import approval_decide
from jobbag.calendar.services import add_working_days
from jobbag.core.errors import Conflict, DomainError, NotAllowed
from jobbag.core.models import Notification
from jobbag.core.sweeps import daily_sweeps
from jobbag.jobs.models import JobSummary, Stage
from jobbag.jobs.panels import panels_for
from jobbag.jobs.services.closing import (
    SECTIONS_MISSING,
    job_complete,
    job_summary_require,
    summaries_remind,
    summary_submit,
    summary_update,
)
from jobbag.jobs.tests.factories import JobFactory
from jobbag.jobs.tests.test_acceptance import big, dispatch, qc_ready, signed_acceptance

pytestmark = pytest.mark.django_db

SECTIONS = {
    "introduction": "海尔冰箱新品上市，全国 50 家门店。",
    "schedule": "11 月 1 日至 11 月 20 日。",
    "execution": "物料按时安装，验收一次通过。",
    "problems": "灯箱供应商延误两天。",
    "improvements": "提前锁定供应商产能。",
    "client_satisfaction": "客户满意，愿意续约。",
}


def completed(cast, chain, on=date(2026, 11, 20)) -> JobSummary:
    big(chain.job)
    job_complete(job=chain.job, actor=cast.ae, on=on)
    return JobSummary.objects.get(job=chain.job)


def write(actor, summary: JobSummary, **changes) -> JobSummary:
    values = {**SECTIONS, "satisfaction_score": 5, **changes}
    return summary_update(actor=actor, summary=summary, expected_version=summary.version, **values)


def test_the_owner_writes_the_summary_and_a_stale_version_is_refused(cast, chain):
    summary = completed(cast, chain)
    old_version = summary.version

    write(cast.ae, summary)
    with pytest.raises(Conflict):
        summary_update(
            actor=cast.ad,
            summary=summary,
            expected_version=old_version,
            **{**SECTIONS, "introduction": "覆盖"},
            satisfaction_score=None,
        )
    with pytest.raises(NotAllowed):
        write(cast.designer, JobSummary.objects.get(pk=summary.pk))

    summary.refresh_from_db()
    assert summary.introduction == SECTIONS["introduction"]
    assert summary.satisfaction_score == 5 and summary.version == old_version + 1


def test_a_score_outside_one_to_five_is_refused(cast, chain):
    summary = completed(cast, chain)

    with pytest.raises(DomainError) as refused:
        write(cast.ae, summary, satisfaction_score=9)

    assert "satisfaction_score" in refused.value.fields


def test_a_summary_with_a_missing_section_is_not_sent(cast, chain):
    summary = completed(cast, chain)
    write(cast.ae, summary, problems="", improvements="  ")

    with pytest.raises(DomainError) as refused:
        summary_submit(actor=cast.ae, summary=summary)

    assert str(refused.value.message) == str(SECTIONS_MISSING)
    assert set(refused.value.fields) == {"problems", "improvements"}
    summary.refresh_from_db()
    assert summary.signoff_status == SignoffStatus.DRAFT


def test_the_marketing_manager_signs_and_the_job_closes(cast, chain):
    qc_ready(chain)
    dispatch(chain)
    big(chain.job)
    signed_acceptance(cast, chain)
    summary = JobSummary.objects.get(job=chain.job)
    write(cast.ae, summary)

    approval = summary_submit(actor=cast.ae, summary=summary)
    with pytest.raises(NotAllowed):
        approval_decide(actor=cast.ad, approval=approval, outcome="approve")
    approval_decide(actor=chain.manager, approval=approval, outcome="approve")

    chain.job.refresh_from_db()
    summary.refresh_from_db()
    assert summary.signoff_status == SignoffStatus.APPROVED
    assert chain.job.stage == Stage.CLOSED and chain.job.closed_on == timezone.localdate()


def test_a_returned_summary_is_edited_and_sent_as_its_next_revision(cast, chain):
    summary = completed(cast, chain)
    write(cast.ae, summary)
    approval = summary_submit(actor=cast.ae, summary=summary)
    approval_decide(actor=chain.manager, approval=approval, outcome="return", reason="补充数据")
    summary.refresh_from_db()

    write(cast.ae, summary, execution="物料按时安装；到店率 98%。")
    again = summary_submit(actor=cast.ae, summary=summary)

    summary.refresh_from_db()
    assert again.revision == summary.revision == 2
    chain.job.refresh_from_db()
    assert chain.job.stage == Stage.SUMMARY


def test_marking_a_closed_job_important_asks_for_its_summary(cast, chain):
    job_complete(job=chain.job, actor=cast.ae, on=date(2026, 11, 20))
    chain.job.refresh_from_db()
    assert chain.job.stage == Stage.CLOSED and not JobSummary.objects.exists()

    with pytest.raises(NotAllowed):
        job_summary_require(actor=cast.designer, job=chain.job)
    job_summary_require(actor=cast.ae, job=chain.job)
    job_summary_require(actor=cast.ae, job=chain.job)

    chain.job.refresh_from_db()
    assert chain.job.is_important and chain.job.stage == Stage.SUMMARY
    assert chain.job.closed_on is None
    summary = JobSummary.objects.get(job=chain.job)
    assert summary.due_on == add_working_days(timezone.localdate(), 5)


def test_an_important_job_needs_a_summary_whatever_its_size(cast, chain):
    job_summary_require(actor=cast.ae, job=chain.job)

    job_complete(job=chain.job, actor=cast.ae, on=date(2026, 11, 20))

    assert JobSummary.objects.get(job=chain.job).due_on == date(2026, 11, 27)


# The daily sweep ---------------------------------------------------------------------------


def _notes(user) -> list[str]:
    return list(Notification.objects.filter(recipient=user).values_list("message", flat=True))


def test_the_sweep_reminds_once_before_the_due_date_then_flags_it_late(cast, chain):
    summary = completed(cast, chain)
    assert summary.due_on == date(2026, 11, 27)
    Notification.objects.all().delete()
    assert "jobs.summaries_due" in daily_sweeps()

    # Thursday 26 November: due within a working day, the owner is reminded, once.
    eve = date(2026, 11, 26)
    assert summaries_remind(today=eve) == {"due": 1, "late": 0}
    assert summaries_remind(today=eve) == {"due": 0, "late": 0}
    assert len(_notes(cast.ae)) == 1 and _notes(chain.manager) == []

    # Monday 30 November: late; the owner and the Marketing Manager hear, once a day.
    late = date(2026, 11, 30)
    assert summaries_remind(today=late) == {"due": 0, "late": 1}
    assert summaries_remind(today=late) == {"due": 0, "late": 0}
    assert len(_notes(cast.ae)) == 2 and len(_notes(chain.manager)) == 1
    summary.refresh_from_db()
    assert summary.reminded_on == late

    # A week before it was due, nothing.
    Notification.objects.all().delete()
    JobSummary.objects.update(reminded_on=None)
    assert summaries_remind(today=date(2026, 11, 20)) == {"due": 0, "late": 0}


def test_the_sweep_leaves_summaries_in_sign_off_alone(cast, chain):
    summary = completed(cast, chain)
    write(cast.ae, summary)
    summary_submit(actor=cast.ae, summary=summary)

    assert summaries_remind(today=date(2026, 12, 15)) == {"due": 0, "late": 0}


# Pages -------------------------------------------------------------------------------------


def test_the_summary_page_saves_and_refuses_a_missing_section(cast, chain, login):
    # Completed on Monday 2 November 2026: due 9 November, late since.
    summary = completed(cast, chain, on=date(2026, 11, 2))
    cast.ae.language = "en"
    cast.ae.save()
    client = login(cast.ae)
    url = f"/jobs/{chain.job.pk}/summary/"

    saved = client.post(url, {**SECTIONS, "schedule": "", "version": summary.version})
    refused = client.post(f"{url}submit/")

    assert saved.status_code == 302
    assert refused.status_code == 400
    body = refused.content.decode()
    assert str(SECTIONS_MISSING) in body and 'class="field has-error"' in body
    page = client.get(url)
    assert 'data-testid="summary-late"' in page.content.decode()


def test_the_summaries_page_lists_due_and_late_with_a_fixed_number_of_queries(
    cast, chain, clientele, login, django_assert_num_queries
):
    completed(cast, chain)
    client = login(cast.ae)
    client.get("/jobs/summaries/")
    with CaptureQueriesContext(connection) as few:
        response = client.get("/jobs/summaries/")
    assert response.content.decode().count('data-testid="summary-row"') == 1
    for n in range(5):
        job = JobFactory(
            company=clientele.company, owner=cast.ae, number=f"HAIER-2026-01{n}", is_important=True
        )
        job_complete(job=job, actor=cast.ae, on=timezone.localdate())

    with django_assert_num_queries(len(few.captured_queries)):
        response = client.get("/jobs/summaries/")

    body = response.content.decode()
    assert body.count('data-testid="summary-row"') == 6
    # The first one (due 27 November 2026) is late whenever this runs after that day.
    assert ('data-late="1"' in body) == (timezone.localdate() > date(2026, 11, 27))
    other = login(clientele.other_ae).get("/jobs/summaries/").content.decode()
    assert 'data-testid="summary-row"' not in other


def test_the_job_page_panels_render(cast, chain, rf):
    qc_ready(chain)
    dispatch(chain)
    big(chain.job)
    signed_acceptance(cast, chain)
    chain.job.refresh_from_db()
    request = rf.get("/")
    request.user = cast.ae

    shown = {panel.key: (panel, context) for panel, context in panels_for(request, chain.job)}

    html = {
        key: render_to_string(panel.template, {**context, "request": request})
        for key, (panel, context) in shown.items()
        if key in {"acceptance", "summary"}
    }
    assert 'data-testid="acceptance-approval"' in html["acceptance"]
    assert 'data-status="approved"' in html["acceptance"]
    assert 'data-testid="summary-due"' in html["summary"]
    assert 'data-testid="summary-open"' in html["summary"]
