"""Complaint moves: each one, its audit and notices; illegal moves and stale versions
(a double submit, two people at once) refused with nothing changed."""

from datetime import date
from decimal import Decimal

import pytest

from jobbag.core.errors import Conflict, DomainError, NotAllowed
from jobbag.core.models import AuditEntry, Notification
from jobbag.service import services
from jobbag.service.models import Complaint, ComplaintEscalation, ReturnVisit
from jobbag.service.tests.conftest import at

MONDAY = at("2026-09-28 10:00")


def transitions(complaint) -> list:
    return list(
        AuditEntry.objects.filter(object_id=str(complaint.pk), action=AuditEntry.Action.TRANSITION)
        .order_by("pk")
        .values_list("changes", flat=True)
    )


def test_it_logs_a_complaint_with_its_promises_in_working_hours(complain, cast, mailoutbox):
    complaint = complain(now=MONDAY)
    assert complaint.status == Complaint.Status.NEW
    assert complaint.raised_by == cast.ae
    assert complaint.answer_hours == 8 and complaint.resolve_hours == 45
    assert complaint.answer_due_at == at("2026-09-28 18:00")
    # 45 working hours: Monday to Wednesday, the holiday, 8 and 9 October, the make-up Saturday.
    assert complaint.resolve_due_at == at("2026-10-10 10:00")
    assert AuditEntry.objects.filter(object_id=str(complaint.pk), action="create").exists()
    assert Notification.objects.filter(recipient=cast.ad, link__contains=str(complaint.pk)).exists()
    assert not Notification.objects.filter(recipient=cast.ae).exists()
    assert [mail.to for mail in mailoutbox] == [[cast.ad.email]]


def test_it_uses_the_severity_targets(complain):
    critical = complain(severity="critical", now=MONDAY)
    assert critical.answer_due_at == at("2026-09-28 12:00")
    assert critical.resolve_due_at == at("2026-09-29 10:00")


def test_it_escalates_a_critical_complaint_to_the_ad_at_once(complain, cast):
    complaint = complain(severity="critical", now=MONDAY)
    complaint.refresh_from_db()
    assert complaint.escalation_level == 1
    escalation = ComplaintEscalation.objects.get(complaint=complaint)
    assert escalation.reason == "severe" and list(escalation.notified.all()) == [cast.ad]


def test_it_refuses_bad_input_and_changes_nothing(complain, service):
    with pytest.raises(DomainError) as refused:
        complain(
            subject=" ",
            brand=service.clientele.other_company.brands.first() or object(),
            severity="apocalyptic",
            channel="pigeon",
        )
    assert {"subject", "severity", "channel", "brand"} <= set(refused.value.fields)
    assert not Complaint.objects.exists()


def test_it_refuses_a_client_nobody_here_serves(complain, service):
    with pytest.raises(NotAllowed):
        complain(actor=service.clientele.other_ae)
    assert not Complaint.objects.exists()


def test_it_runs_a_complaint_to_closure(complain, cast, service, mailoutbox):
    complaint = complain(now=MONDAY, contact=service.clientele.contact)
    services.complaint_assign(
        actor=cast.ad, complaint=complaint, assignee=cast.ae, expected_version=complaint.version
    )
    assert Notification.objects.filter(recipient=cast.ae, message__contains="海报").exists()
    complaint.refresh_from_db()
    services.complaint_answer(
        actor=cast.ae,
        complaint=complaint,
        answer="已联系印厂加急。",
        expected_version=complaint.version,
        now=at("2026-09-28 11:00"),
    )
    complaint.refresh_from_db()
    services.complaint_resolve(
        actor=cast.ae,
        complaint=complaint,
        resolution="海报已重新交付。",
        expected_version=complaint.version,
        now=at("2026-09-29 12:00"),
    )
    complaint.refresh_from_db()
    assert complaint.status == Complaint.Status.RESOLVED
    assert complaint.hours_to_resolve == Decimal("11.00")
    assert complaint.resolved_within_promise is True
    # The client's portal user (the contact concerned) is asked to confirm.
    assert Notification.objects.filter(recipient=cast.client, link__startswith="/portal/").exists()
    services.complaint_schedule_visit(
        actor=cast.ad,
        complaint=complaint,
        due_on=date(2026, 10, 9),
        visitor=cast.ae,
        expected_version=complaint.version,
    )
    complaint.refresh_from_db()
    visit = services.complaint_record_visit(
        actor=cast.ae,
        complaint=complaint,
        expected_version=complaint.version,
        satisfied=True,
        visited_on=date(2026, 10, 9),
        channel="phone",
        contact=service.clientele.contact,
        notes="孙丽表示满意。",
        now=at("2026-10-09 15:00"),
    )
    assert visit.kind == ReturnVisit.Kind.COMPLAINT and visit.complaint == complaint
    complaint.refresh_from_db()
    assert complaint.status == Complaint.Status.REVISITED
    services.complaint_confirm(
        actor=cast.ad,
        complaint=complaint,
        expected_version=complaint.version,
        contact=service.clientele.contact,
        channel="phone",
        note="电话确认",
    )
    complaint.refresh_from_db()
    assert complaint.status == Complaint.Status.CLOSED
    assert complaint.confirmed_by == cast.ad and complaint.confirmed_contact.name == "孙丽"
    assert [change["status"] for change in transitions(complaint)] == [
        ["new", "assigned"],
        ["assigned", "answered"],
        ["answered", "resolved"],
        ["resolved", "revisited"],
        ["revisited", "closed"],
    ]


def _assigned(complain, cast):
    complaint = complain(now=MONDAY)
    return services.complaint_assign(
        actor=cast.ad, complaint=complaint, assignee=cast.ae, expected_version=complaint.version
    )


def test_it_refuses_illegal_moves(complain, cast):
    complaint = complain(now=MONDAY)
    with pytest.raises(DomainError, match=str(services.NOT_ASSIGNED)):
        services.complaint_answer(
            actor=cast.ae, complaint=complaint, answer="x", expected_version=complaint.version
        )
    with pytest.raises(DomainError, match=str(services.NOT_ANSWERED)):
        services.complaint_resolve(
            actor=cast.ae, complaint=complaint, resolution="x", expected_version=complaint.version
        )
    with pytest.raises(DomainError, match=str(services.NOT_SETTLING)):
        services.complaint_confirm(
            actor=cast.ad, complaint=complaint, expected_version=complaint.version, channel="phone"
        )
    with pytest.raises(DomainError, match=str(services.NOT_RESOLVED)):
        services.complaint_record_visit(
            actor=cast.ae,
            complaint=complaint,
            expected_version=complaint.version,
            satisfied=True,
            visited_on=date(2026, 9, 28),
            notes="x",
        )
    complaint.refresh_from_db()
    assert complaint.status == Complaint.Status.NEW and complaint.version == 1
    assert transitions(complaint) == []


def test_it_refuses_to_cancel_a_resolved_complaint(complain, cast):
    complaint = _assigned(complain, cast)
    complaint = services.complaint_answer(
        actor=cast.ae, complaint=complaint, answer="a", expected_version=complaint.version
    )
    complaint = services.complaint_resolve(
        actor=cast.ae, complaint=complaint, resolution="r", expected_version=complaint.version
    )
    with pytest.raises(DomainError, match=str(services.NOT_CANCELLABLE)):
        services.complaint_cancel(
            actor=cast.ad, complaint=complaint, expected_version=complaint.version, reason="x"
        )


def test_it_refuses_a_double_submit_with_a_conflict(complain, cast):
    complaint = complain(now=MONDAY)
    version = complaint.version
    services.complaint_assign(
        actor=cast.ad, complaint=complaint, assignee=cast.ae, expected_version=version
    )
    with pytest.raises(Conflict):
        services.complaint_assign(
            actor=cast.ad, complaint=complaint, assignee=cast.ae, expected_version=version
        )
    assert len(transitions(complaint)) == 1


def test_it_lets_only_one_of_two_people_resolve(complain, cast):
    complaint = _assigned(complain, cast)
    complaint = services.complaint_answer(
        actor=cast.ae, complaint=complaint, answer="a", expected_version=complaint.version
    )
    seen_by_both = complaint.version
    services.complaint_resolve(
        actor=cast.ae, complaint=complaint, resolution="甲的方案", expected_version=seen_by_both
    )
    with pytest.raises(Conflict):
        services.complaint_resolve(
            actor=cast.ad, complaint=complaint, resolution="乙的方案", expected_version=seen_by_both
        )
    complaint.refresh_from_db()
    assert complaint.resolution == "甲的方案" and complaint.resolved_by == cast.ae


def test_it_reopens_when_the_return_visit_finds_the_client_unhappy(complain, cast, mailoutbox):
    complaint = _assigned(complain, cast)
    complaint = services.complaint_answer(
        actor=cast.ae, complaint=complaint, answer="a", expected_version=complaint.version
    )
    complaint = services.complaint_resolve(
        actor=cast.ae, complaint=complaint, resolution="r", expected_version=complaint.version
    )
    services.complaint_record_visit(
        actor=cast.ae,
        complaint=complaint,
        expected_version=complaint.version,
        satisfied=False,
        visited_on=date.today(),
        notes="客户仍不满意：颜色不对。",
    )
    complaint.refresh_from_db()
    assert complaint.status == Complaint.Status.ANSWERED
    assert complaint.reopen_count == 1 and complaint.resolved_at is None
    assert complaint.visits.get().satisfied is False
    assert Notification.objects.filter(
        recipient=cast.ad, message__contains="not resolved"
    ).exists() or (
        Notification.objects.filter(recipient=cast.ad, message__contains="未解决").exists()
    )


def test_it_cancels_with_a_reason(complain, cast):
    complaint = complain(now=MONDAY)
    with pytest.raises(DomainError):
        services.complaint_cancel(
            actor=cast.ad, complaint=complaint, expected_version=complaint.version, reason=" "
        )
    services.complaint_cancel(
        actor=cast.ad, complaint=complaint, expected_version=complaint.version, reason="重复登记"
    )
    complaint.refresh_from_db()
    assert complaint.status == Complaint.Status.CANCELLED and complaint.cancel_reason == "重复登记"


def test_it_lets_the_assignee_work_but_not_handle(complain, cast):
    complaint = complain(now=MONDAY)
    complaint = services.complaint_assign(
        actor=cast.ad, complaint=complaint, assignee=cast.designer, expected_version=1
    )
    answered = services.complaint_answer(
        actor=cast.designer, complaint=complaint, answer="设计部已返工", expected_version=2
    )
    assert answered.status == Complaint.Status.ANSWERED
    with pytest.raises(NotAllowed):
        services.complaint_cancel(
            actor=cast.designer, complaint=answered, expected_version=3, reason="x"
        )
