"""Contact report services: writing (who, which client's people), sending (once, with
its PDF to the right people), never editing a sent report, addenda, acknowledgement."""

import shutil
import subprocess
import tempfile
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from jobbag.core.errors import Conflict, DomainError, NotAllowed
from jobbag.core.models import AuditEntry, Notification
from jobbag.meetings.models import (
    Action,
    ContactReport,
    Meeting,
    MeetingSettings,
    ReportReceipt,
    Side,
)
from jobbag.meetings.services import reports as services
from jobbag.meetings.services.common import OWNER_NOT_CLIENT
from jobbag.meetings.tests.test_reports_support import (
    DECISION,
    actions_for,
    held_meeting,
    phone_report,
    sent,
    written,
)

pytestmark = pytest.mark.django_db


def pdf_text(content: bytes) -> str | None:
    """The PDF's text with pdftotext where it is installed, else None."""
    if not shutil.which("pdftotext"):
        return None
    with tempfile.NamedTemporaryFile(suffix=".pdf") as handle:
        handle.write(content)
        handle.flush()
        return subprocess.run(
            ["pdftotext", handle.name, "-"], capture_output=True, check=True, text=True
        ).stdout


def test_it_starts_a_report_from_a_meeting_with_its_people(cast, clientele, loop):
    meeting = held_meeting(cast, clientele, loop)
    report = services.report_create(actor=cast.ae, meeting=meeting)
    assert report.company == clientele.company and report.job == loop.job
    assert report.subject == meeting.purpose and report.place == meeting.room
    assert report.occurred_at == meeting.ends_at
    hours = MeetingSettings.current().report_due_hours
    assert report.due_at == meeting.ends_at + timedelta(hours=hours)
    assert set(report.staff.all()) == {cast.ae, cast.ad}
    assert list(report.contacts.all()) == [clientele.contact]
    assert report.source == ContactReport.Source.MEETING and report.status == "draft"
    assert AuditEntry.objects.filter(object_id=str(report.pk), action="create").exists()


def test_it_refuses_a_second_report_of_one_meeting(cast, clientele, loop):
    meeting = held_meeting(cast, clientele, loop)
    services.report_create(actor=cast.ae, meeting=meeting)
    with pytest.raises(DomainError) as refused:
        services.report_create(actor=cast.ad, meeting=meeting)
    assert refused.value.message == services.ALREADY_REPORTED
    with translation.override("en"):
        assert "addendum" in str(services.ALREADY_REPORTED)
    assert ContactReport.objects.count() == 1


def test_it_refuses_a_cancelled_meeting(cast, clientele, loop):
    meeting = held_meeting(cast, clientele, loop, status=Meeting.Status.CANCELLED)
    with pytest.raises(DomainError):
        services.report_create(actor=cast.ae, meeting=meeting)
    assert not ContactReport.objects.exists()


def test_it_starts_a_report_of_a_phone_call(cast, clientele, loop):
    report = phone_report(cast, clientele, job=loop.job)
    assert report.source == "phone" and report.job == loop.job
    assert report.due_at == report.occurred_at + timedelta(hours=24)


def test_it_refuses_a_job_of_another_client_and_a_future_call(cast, clientele, loop):
    from jobbag.jobs.tests.factories import JobFactory

    other_job = JobFactory(company=clientele.other_company, owner=clientele.other_ae)
    with pytest.raises(DomainError) as refused:
        phone_report(cast, clientele, job=other_job)
    assert "job" in refused.value.fields
    with pytest.raises(DomainError) as refused:
        phone_report(cast, clientele, occurred_at=timezone.now() + timedelta(days=1))
    assert "occurred_at" in refused.value.fields
    assert not ContactReport.objects.exists()


def test_it_refuses_the_wrong_role_and_the_wrong_client(cast, clientele, loop):
    for actor in [cast.designer, cast.finance, cast.client, clientele.other_ae]:
        with pytest.raises(NotAllowed):
            phone_report(cast, clientele, actor=actor)
    assert not ContactReport.objects.exists()
    # Management writes for every client.
    assert phone_report(cast, clientele, actor=cast.gm).created_by == cast.gm


def test_it_writes_decisions_and_draft_actions_in_order(cast, clientele, loop):
    report = written(cast, clientele, phone_report(cast, clientele, job=loop.job))
    assert [d.text for d in report.decisions.all()] == [DECISION]
    actions = list(Action.objects.filter(report=report).order_by("position"))
    assert [a.text for a in actions] == ["提交修改稿", "确认预算", "安排拍摄档期"]
    assert {a.status for a in actions} == {Action.Status.DRAFT}
    assert {(a.company_id, a.job_id) for a in actions} == {(clientele.company.pk, loop.job.pk)}
    assert actions[1].side == Side.CLIENT and actions[1].owner_contact == clientele.contact
    assert report.version == 2
    # Editing again replaces the draft rows, it does not add to them.
    report = written(cast, clientele, report, decisions=["甲", "乙"], actions=[])
    assert [d.text for d in report.decisions.all()] == ["甲", "乙"]
    assert not Action.objects.filter(report=report).exists()


def test_it_refuses_another_clients_contact_as_action_owner(cast, clientele, loop):
    from jobbag.clients.tests.factories import ContactFactory

    nike_person = ContactFactory(company=clientele.other_company, name="耐克联系人")
    report = phone_report(cast, clientele)
    rows = actions_for(cast, clientele)
    rows[1]["owner_contact"] = nike_person
    with pytest.raises(DomainError) as refused:
        written(cast, clientele, report, actions=rows)
    assert refused.value.fields == {"actions.1.owner_contact": OWNER_NOT_CLIENT}
    report.refresh_from_db()
    assert report.version == 1 and not report.decisions.exists()
    assert not Action.objects.exists()


def test_it_refuses_a_stale_version(cast, clientele, loop):
    report = phone_report(cast, clientele)
    written(cast, clientele, report)
    with pytest.raises(Conflict):
        services.report_update(
            actor=cast.ad, report=report, expected_version=1, subject="改", decisions=["x"]
        )
    report.refresh_from_db()
    assert report.subject != "改" and [d.text for d in report.decisions.all()] == [DECISION]


def test_it_sends_a_report_with_its_pdf_to_everyone_once(cast, clientele, loop, mailoutbox):
    report = sent(cast, clientele)
    assert report.status == "sent" and report.sent_by == cast.ae and report.sent_at
    assert report.content_hash == services._sha256(services.plain_text(report))
    assert len(report.content_hash) == 64
    assert set(Action.objects.values_list("status", flat=True)) == {Action.Status.OPEN}
    # The staff listed and the service team; the people listed and the decision makers.
    assert set(report.staff_recipients.all()) == {cast.ae, cast.ad}
    receipts = {r.contact: r.emailed_to for r in ReportReceipt.objects.filter(report=report)}
    assert receipts == {
        clientele.contact: "sunli@haier.example",
        loop.key_contact: "qian@haier.example",
    }
    addresses = sorted(address for message in mailoutbox for address in message.to)
    assert addresses == sorted(
        [cast.ae.email, cast.ad.email, "sunli@haier.example", "qian@haier.example"]
    )
    for message in mailoutbox:
        [(filename, content, mimetype)] = message.attachments
        assert mimetype == "application/pdf" and filename.endswith(".pdf")
        assert content.startswith(b"%PDF")
        assert DECISION in message.body
        text = pdf_text(content)
        if text is not None:
            assert "采用第二套创意方向" in text and "确认预算" in text
    staff_link = reverse("meetings:report_detail", args=[report.pk])
    assert set(
        Notification.objects.filter(link=staff_link).values_list("recipient", flat=True)
    ) == {
        cast.ae.pk,
        cast.ad.pk,
    }
    portal_link = reverse("portal:report_detail", args=[report.pk])
    assert Notification.objects.filter(recipient=cast.client, link=portal_link).exists()
    assert (
        AuditEntry.objects.filter(
            object_id=str(report.pk), action="transition", changes__status=["draft", "sent"]
        ).exists()
        or AuditEntry.objects.filter(object_id=str(report.pk), action="transition").exists()
    )

    mailoutbox.clear()
    with pytest.raises(Conflict) as refused:
        services.report_send(actor=cast.ad, report=report)
    assert refused.value.message == services.ALREADY_SENT
    assert mailoutbox == [] and ReportReceipt.objects.count() == 2


def test_it_refuses_to_send_an_empty_report(cast, clientele, loop, mailoutbox):
    report = phone_report(cast, clientele)
    with pytest.raises(DomainError) as refused:
        services.report_send(actor=cast.ae, report=report)
    assert refused.value.message == services.EMPTY
    report.refresh_from_db()
    assert report.status == "draft" and mailoutbox == []


def test_it_marks_a_report_sent_late(cast, clientele, loop):
    report = phone_report(cast, clientele, occurred_at=timezone.now() - timedelta(hours=30))
    report = sent(cast, clientele, report=report)
    assert services.is_late(report)
    on_time = sent(cast, clientele)
    assert not services.is_late(on_time)


def test_it_never_edits_a_sent_report(cast, clientele, loop):
    report = sent(cast, clientele)
    with pytest.raises(DomainError) as refused:
        services.report_update(
            actor=cast.ae,
            report=report,
            expected_version=report.version,
            subject="改过的",
            decisions=["改"],
        )
    assert refused.value.message == services.SENT_NO_EDIT
    report.refresh_from_db()
    assert report.subject != "改过的"
    assert [d.text for d in report.decisions.all()] == [DECISION]


def test_it_adds_numbered_addenda_to_a_sent_report(cast, clientele, loop, mailoutbox):
    report = phone_report(cast, clientele)
    with pytest.raises(DomainError):
        services.addendum_add(actor=cast.ae, report=report, text="更正")
    report = sent(cast, clientele, report=report)
    mailoutbox.clear()
    first = services.addendum_add(actor=cast.ae, report=report, text="更正：拍摄改到周五")
    second = services.addendum_add(actor=cast.ad, report=report, text="补充：预算含税")
    assert (first.number, second.number) == (1, 2)
    assert len(first.content_hash) == 64 and first.content_hash != second.content_hash
    addresses = sorted(a for m in mailoutbox for a in m.to)
    assert addresses == sorted(
        [cast.ae.email, cast.ad.email, "sunli@haier.example", "qian@haier.example"] * 2
    )
    assert all(m.attachments[0][1].startswith(b"%PDF") for m in mailoutbox)
    text = pdf_text(mailoutbox[-1].attachments[0][1])
    if text is not None:
        assert "拍摄改到周五" in text and "预算含税" in text
    with pytest.raises(DomainError) as refused:
        services.addendum_add(actor=cast.ae, report=report, text="   ")
    assert "text" in refused.value.fields
    with pytest.raises(NotAllowed):
        services.addendum_add(actor=cast.designer, report=report, text="x")
    # The report's hash is of the report as sent: addenda do not change it.
    report.refresh_from_db()
    assert report.content_hash == services._sha256(services.plain_text(report))


def test_it_records_the_clients_acknowledgement_once(cast, clientele, loop):
    report = sent(cast, clientele)
    receipt = services.report_acknowledge(actor=cast.client, report=report)
    assert receipt.contact == clientele.contact and receipt.acknowledged_by == cast.client
    first = receipt.acknowledged_at
    again = services.report_acknowledge(actor=cast.client, report=report)
    assert again.acknowledged_at == first
    assert ReportReceipt.objects.filter(report=report, acknowledged_at__isnull=False).count() == 1
    assert Notification.objects.filter(recipient=cast.ae, message__contains="客户甲").exists()


def test_it_makes_a_receipt_when_the_acknowledging_contact_was_not_sent_it(cast, clientele, loop):
    report = sent(cast, clientele, contacts=[])
    ReportReceipt.objects.filter(contact=clientele.contact).delete()
    receipt = services.report_acknowledge(actor=cast.client, report=report)
    assert receipt.emailed_to == "" and receipt.acknowledged_at is not None


def test_it_refuses_acknowledgement_from_staff_another_client_or_a_draft(cast, clientele, loop):
    draft = written(cast, clientele)
    with pytest.raises(NotAllowed):
        services.report_acknowledge(actor=cast.client, report=draft)
    report = sent(cast, clientele)
    for actor in [cast.ae, cast.outsider]:
        with pytest.raises(NotAllowed):
            services.report_acknowledge(actor=actor, report=report)
    assert not ReportReceipt.objects.filter(acknowledged_at__isnull=False).exists()
