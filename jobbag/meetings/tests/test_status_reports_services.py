"""The weekly report's services and the Monday sweep: drafting once, refreshing, the
note with its version, sending (frozen, hashed, e-mailed with a PDF, in the portal), and
every refusal of a sent report."""

import hashlib
import json
import shutil
import subprocess
from datetime import timedelta

import pytest
from django.db import IntegrityError
from django.utils import timezone

from jobbag.accounts.models import Role, ServiceTeamMembership
from jobbag.accounts.tests.factories import staff
from jobbag.core.errors import Conflict, DomainError, NotAllowed
from jobbag.core.models import AuditEntry, Notification
from jobbag.meetings.models import Action, MeetingSettings, StatusReport
from jobbag.meetings.services import status_reports as services
from jobbag.meetings.sweeps.status_reports import weekly_reports_draft
from jobbag.meetings.tests.test_status_reports_support import (
    MONDAY,
    WEEK,
    Scene,
    local,
    scene_build,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def scene(cast, clientele, loop) -> Scene:
    return scene_build(cast, clientele, loop)


def draft(cast, clientele, **kwargs) -> StatusReport:
    return services.status_report_draft(
        actor=kwargs.pop("actor", cast.ae), company=clientele.company, week_ending=WEEK, **kwargs
    )


# Drafting ------------------------------------------------------------------------------


def test_it_drafts_once_per_client_and_week(scene, cast, clientele):
    report = draft(cast, clientele)
    assert report.status == StatusReport.Status.DRAFT
    assert report.content["counts"]["jobs"] == 2
    assert draft(cast, clientele, actor=cast.ad).pk == report.pk
    assert StatusReport.objects.count() == 1
    assert AuditEntry.objects.filter(object_id=str(report.pk), action="create").count() == 1


def test_two_drafts_at_once_give_one_report(scene, cast, clientele, monkeypatch):
    """The second of two racing drafts hits the unique constraint and reads the first."""
    first = draft(cast, clientele)
    real_filter = StatusReport.objects.filter
    calls = {"n": 0}

    def blind_filter(*args, **kwargs):
        # The racing caller's look-up ran before the first report was written.
        calls["n"] += 1
        if calls["n"] == 1:
            return StatusReport.objects.none()
        return real_filter(*args, **kwargs)

    monkeypatch.setattr(StatusReport.objects, "filter", blind_filter)
    second = draft(cast, clientele, actor=cast.ad)
    assert second.pk == first.pk
    with pytest.raises(IntegrityError):
        StatusReport.objects.create(
            company=clientele.company, week_ending=WEEK, built_at=timezone.now()
        )


def test_it_refuses_a_day_that_is_not_a_friday_or_a_week_not_over(cast, clientele):
    with pytest.raises(DomainError) as error:
        services.status_report_draft(actor=cast.ae, company=clientele.company, week_ending=MONDAY)
    assert "week_ending" in error.value.fields
    future = timezone.localdate() + timedelta(days=(4 - timezone.localdate().weekday()) % 7 + 7)
    with pytest.raises(DomainError):
        services.status_report_draft(actor=cast.ae, company=clientele.company, week_ending=future)
    assert not StatusReport.objects.exists()


def test_it_drafts_for_the_last_friday_by_default(cast, clientele):
    report = services.status_report_draft(actor=cast.ae, company=clientele.company)
    assert report.week_ending.weekday() == 4
    assert report.week_ending < timezone.localdate()


def test_only_those_who_work_on_the_client_draft(scene, cast, clientele, loop):
    for outsider in (clientele.other_ae, cast.designer, cast.client):
        with pytest.raises(NotAllowed):
            draft(cast, clientele, actor=outsider)
    assert draft(cast, clientele, actor=cast.gm).company == clientele.company
    assert draft(cast, clientele, actor=cast.admin).company == clientele.company


# Refresh and note ----------------------------------------------------------------------


def test_refresh_gathers_again(scene, cast, clientele):
    report = draft(cast, clientele)
    Action.objects.filter(pk=scene.action_ours.pk).update(
        status=Action.Status.DONE, closed_at=timezone.now(), closed_by=cast.ae
    )
    refreshed = services.status_report_refresh(
        actor=cast.ae, report=report, expected_version=report.version
    )
    assert refreshed.version == report.version + 1
    assert refreshed.content["actions"]["agency"] == []


def test_the_note_is_written_with_its_version(scene, cast, clientele):
    report = draft(cast, clientele)
    saved = services.status_report_update(
        actor=cast.ae, report=report, expected_version=report.version, note="  本周重点：发布会  "
    )
    assert saved.note == "本周重点：发布会"
    with pytest.raises(Conflict):
        services.status_report_update(
            actor=cast.ad, report=report, expected_version=report.version, note="旧版本"
        )
    report.refresh_from_db()
    assert report.note == "本周重点：发布会"
    entry = AuditEntry.objects.filter(object_id=str(report.pk), action="change").last()
    assert entry.changes["note"] == ["", "本周重点：发布会"]


def test_a_note_too_long_is_refused(scene, cast, clientele):
    report = draft(cast, clientele)
    with pytest.raises(DomainError) as error:
        services.status_report_update(
            actor=cast.ae, report=report, expected_version=report.version, note="长" * 5001
        )
    assert "note" in error.value.fields
    report.refresh_from_db()
    assert report.note == "" and report.version == 1


# Sending -------------------------------------------------------------------------------


def test_sending_freezes_hashes_and_mails_the_pdf(scene, cast, clientele, loop, mailoutbox):
    report = draft(cast, clientele)
    report = services.status_report_update(
        actor=cast.ae, report=report, expected_version=report.version, note="请审阅"
    )
    content = dict(report.content)
    sent = services.status_report_send(
        actor=cast.ae, report=report, expected_version=report.version
    )
    assert sent.status == StatusReport.Status.SENT and sent.sent_by == cast.ae
    encoded = json.dumps(content, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    assert sent.content_hash == hashlib.sha256(f"{encoded}\n请审阅".encode()).hexdigest()
    # The client's contacts with a portal user or who decide, and the service team.
    addresses = sorted(message.to[0] for message in mailoutbox)
    assert addresses == sorted(
        ["sunli@haier.example", "qian@haier.example", cast.ae.email, cast.ad.email]
    )
    attachment = mailoutbox[0].attachments[0]
    assert attachment[0] == "HAIER-weekly-20261127.pdf"
    assert attachment[1][:4] == b"%PDF" and attachment[2] == "application/pdf"
    notice = Notification.objects.get(recipient=cast.client)
    assert notice.link == f"/portal/status-reports/{sent.pk}/"
    assert not Notification.objects.filter(recipient=cast.outsider).exists()
    transition = AuditEntry.objects.get(object_id=str(sent.pk), action="transition")
    assert transition.changes == {"status": ["draft", "sent"]}


def test_the_pdf_has_the_chinese_text(scene, cast, clientele, loop, mailoutbox):
    if not shutil.which("pdftotext"):
        pytest.skip("pdftotext is not installed")
    report = draft(cast, clientele)
    services.status_report_send(actor=cast.ae, report=report)
    pdf = next(m for m in mailoutbox if m.to == ["sunli@haier.example"]).attachments[0][1]
    text = subprocess.run(
        ["pdftotext", "-", "-"], input=pdf, capture_output=True, check=True
    ).stdout.decode()
    for expected in ("冰箱新品发布会", "确认预算", "海尔集团"):
        assert expected in text


def test_a_sent_report_never_changes(scene, cast, clientele, mailoutbox):
    report = draft(cast, clientele)
    sent = services.status_report_send(actor=cast.ae, report=report)
    frozen = dict(sent.content)
    Action.objects.filter(pk=scene.action_ours.pk).update(
        status=Action.Status.DONE, closed_at=timezone.now(), closed_by=cast.ae
    )
    mails = len(mailoutbox)
    for call in (
        lambda: services.status_report_refresh(actor=cast.ae, report=sent),
        lambda: services.status_report_update(
            actor=cast.ae, report=sent, expected_version=sent.version, note="改"
        ),
        lambda: services.status_report_send(actor=cast.ae, report=sent),
        lambda: services.status_report_send(actor=cast.ad, report=report),
    ):
        with pytest.raises(Conflict) as error:
            call()
        assert error.value.message == services.ALREADY_SENT
    sent.refresh_from_db()
    assert sent.content == frozen and sent.note == ""
    assert [row["text"] for row in sent.content["actions"]["agency"]] == ["提交修改稿"]
    assert len(mailoutbox) == mails


def test_send_with_a_stale_version_is_refused(scene, cast, clientele, mailoutbox):
    report = draft(cast, clientele)
    services.status_report_refresh(actor=cast.ad, report=report)
    with pytest.raises(Conflict):
        services.status_report_send(actor=cast.ae, report=report, expected_version=1)
    report.refresh_from_db()
    assert report.status == StatusReport.Status.DRAFT and mailoutbox == []


# The Monday sweep ----------------------------------------------------------------------


def test_the_sweep_drafts_on_monday_after_the_time_once(scene, cast, clientele, mailoutbox):
    assert weekly_reports_draft(now=local(MONDAY, 7, 59)) == []
    assert not StatusReport.objects.exists()
    made = weekly_reports_draft(now=local(MONDAY, 8, 5))
    reports = StatusReport.objects.order_by("company__code")
    assert [(r.company.code, r.week_ending) for r in reports] == [("HAIER", WEEK), ("NIKE", WEEK)]
    assert sorted(made) == sorted(r.pk for r in reports)
    haier = reports[0]
    notice = Notification.objects.get(recipient=cast.ae)
    assert notice.link == f"/meetings/status-reports/{haier.pk}/"
    assert "海尔集团" in notice.message
    # The AD is not asked; NIKE's AE hears of NIKE only.
    assert not Notification.objects.filter(recipient=cast.ad).exists()
    assert Notification.objects.filter(recipient=clientele.other_ae).count() == 1
    # Later in the week: nothing again.
    assert weekly_reports_draft(now=local(MONDAY, 9, 5)) == []
    assert weekly_reports_draft(now=local(MONDAY + timedelta(days=2), 10)) == []
    assert StatusReport.objects.count() == 2
    assert Notification.objects.filter(recipient=cast.ae).count() == 1


def test_the_sweep_skips_clients_without_open_work(cast, clientele):
    assert weekly_reports_draft(now=local(MONDAY, 9)) == []
    assert not StatusReport.objects.exists()


def test_the_sweep_keeps_a_draft_made_by_hand_and_tells_no_one(scene, cast, clientele):
    report = draft(cast, clientele)
    weekly_reports_draft(now=local(MONDAY, 9))
    assert StatusReport.objects.filter(company=clientele.company).get() == report
    assert not Notification.objects.filter(recipient=cast.ae).exists()


def test_the_sweep_follows_the_configured_day_and_time(scene, cast, clientele):
    MeetingSettings.current()
    MeetingSettings.objects.update(weekly_report_weekday=1, weekly_report_time="14:00")
    assert weekly_reports_draft(now=local(MONDAY, 15)) == []
    assert weekly_reports_draft(now=local(MONDAY + timedelta(days=1), 13)) == []
    weekly_reports_draft(now=local(MONDAY + timedelta(days=1), 14, 30))
    assert set(StatusReport.objects.values_list("week_ending", flat=True)) == {WEEK}


def test_the_sweep_tells_the_am_too(scene, cast, clientele):
    am = staff("am", Role.AM, full_name="孙明")
    ServiceTeamMembership.objects.create(user=am, team_role=Role.AM, company=clientele.company)
    weekly_reports_draft(now=local(MONDAY, 9))
    assert Notification.objects.filter(recipient=am).count() == 1
