"""The hourly escalation sweep: late (or critical/high) complaints go to the client's AD
once, then, still late one more promise period on, to the DCS and GM once."""

from jobbag.accounts.models import ServiceTeamMembership
from jobbag.core.models import Notification
from jobbag.service import services
from jobbag.service.models import Complaint, ComplaintEscalation
from jobbag.service.sweeps import escalate_complaints
from jobbag.service.tests.conftest import at

MONDAY = at("2026-09-28 10:00")


def escalated_to(level: int) -> set:
    return {
        user.username
        for escalation in ComplaintEscalation.objects.filter(level=level)
        for user in escalation.notified.all()
    }


def test_it_escalates_a_late_first_answer_once_per_level(complain, cast, service, mailoutbox):
    complaint = complain(now=MONDAY)
    assert escalate_complaints(now=at("2026-09-28 17:59")) == 0
    assert escalate_complaints(now=at("2026-09-29 09:30")) == 1
    complaint.refresh_from_db()
    assert complaint.escalation_level == 1
    assert escalated_to(1) == {"ad"}
    assert ComplaintEscalation.objects.get(level=1).reason == "answer_late"
    notices = Notification.objects.filter(recipient=cast.ad, message__contains="海报")
    assert notices.count() == 2  # logged, then escalated
    # Run again: nothing new.
    assert escalate_complaints(now=at("2026-09-29 10:30")) == 0
    # Another 8 working hours after the missed 18:00 promise is Tuesday 17:00.
    assert escalate_complaints(now=at("2026-09-29 16:59")) == 0
    assert escalate_complaints(now=at("2026-09-29 17:30")) == 1
    assert escalated_to(2) == {"dcs", "gm"}
    assert escalate_complaints(now=at("2026-09-30 17:30")) == 0
    assert ComplaintEscalation.objects.count() == 2
    assert Notification.objects.filter(recipient=service.dcs).count() == 1


def test_it_escalates_a_late_resolution(complain, cast):
    complaint = complain(now=MONDAY)
    complaint = services.complaint_assign(
        actor=cast.ad, complaint=complaint, assignee=cast.ae, expected_version=1
    )
    services.complaint_answer(
        actor=cast.ae, complaint=complaint, answer="a", expected_version=2, now=MONDAY
    )
    assert escalate_complaints(now=at("2026-10-10 09:59")) == 0
    assert escalate_complaints(now=at("2026-10-12 09:00")) == 1
    assert ComplaintEscalation.objects.get().reason == "resolve_late"


def test_it_escalates_a_critical_complaint_further_when_late(complain):
    complain(severity="critical", now=MONDAY)  # level 1 at once
    assert escalate_complaints(now=at("2026-09-28 13:00")) == 0
    # First answer due 12:00; two more working hours: 14:00.
    assert escalate_complaints(now=at("2026-09-28 14:30")) == 1
    assert escalated_to(2) == {"dcs", "gm"}


def test_it_escalates_a_new_high_complaint_the_sweep_finds(complain, cast):
    complaint = complain(now=MONDAY)
    Complaint.objects.filter(pk=complaint.pk).update(severity="high")
    assert escalate_complaints(now=at("2026-09-28 11:00")) == 1
    assert ComplaintEscalation.objects.get().reason == "severe"


def test_it_leaves_resolved_and_cancelled_complaints_alone(complain, cast):
    complaint = complain(now=MONDAY)
    services.complaint_cancel(actor=cast.ad, complaint=complaint, expected_version=1, reason="x")
    assert escalate_complaints(now=at("2026-10-30 10:00")) == 0


def test_it_goes_to_the_leadership_when_the_client_has_no_ad(complain, cast):
    ServiceTeamMembership.objects.filter(user=cast.ad).delete()
    complain(now=MONDAY)
    escalate_complaints(now=at("2026-09-29 09:30"))
    assert escalated_to(1) == {"dcs", "gm"}
