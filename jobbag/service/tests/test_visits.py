"""Return visits: each client's plan (every N days), due and overdue visits, recording
one, and the daily notice of a newly overdue visit (once)."""

from datetime import date, timedelta

import pytest
from django.urls import reverse

from jobbag.core.errors import Conflict, DomainError, NotAllowed
from jobbag.core.models import Notification
from jobbag.service import selectors, services, visits
from jobbag.service.models import ReturnVisit, ReturnVisitPlan
from jobbag.service.sweeps import notify_overdue_visits

START = date(2026, 9, 1)


@pytest.fixture
def plan(service, cast):
    return visits.plan_set(actor=cast.ad, company=service.company, every_days=30, starts_on=START)


def test_it_plans_visits_every_n_days(plan, service, cast):
    assert plan.next_due_on == date(2026, 10, 1)
    due = selectors.visits_due(cast.ae, today=date(2026, 9, 20))
    assert [(item.company, item.due_on) for item in due] == [(service.company, date(2026, 10, 1))]
    assert not due[0].overdue(date(2026, 9, 20)) and due[0].overdue(date(2026, 10, 2))
    assert selectors.visits_due(cast.ae, today=date(2026, 9, 20), overdue_only=True) == []
    assert selectors.visits_due(service.clientele.other_ae, today=date(2026, 9, 20)) == []


def test_it_counts_the_next_visit_from_the_last_one(plan, service, cast):
    visit = visits.visit_record(
        actor=cast.ae,
        company=service.company,
        visited_on=date.today(),
        channel="visit",
        contact=service.clientele.contact,
        notes="例行回访，客户对季度合作满意。",
        satisfied=True,
    )
    assert visit.kind == ReturnVisit.Kind.ROUTINE
    plan.refresh_from_db()
    assert plan.last_visit_on == date.today()
    assert plan.next_due_on == date.today() + timedelta(days=30)


def test_it_refuses_a_visit_in_the_future_or_without_notes(service, cast):
    with pytest.raises(DomainError) as refused:
        visits.visit_record(
            actor=cast.ae,
            company=service.company,
            visited_on=date.today() + timedelta(days=1),
            notes="",
        )
    assert set(refused.value.fields) == {"visited_on", "notes"}
    assert not ReturnVisit.objects.exists()


def test_it_lets_only_the_account_team_and_admins_plan(service, cast):
    with pytest.raises(NotAllowed):
        visits.plan_set(actor=cast.designer, company=service.company, every_days=10)
    with pytest.raises(NotAllowed):
        visits.plan_set(actor=service.clientele.other_ae, company=service.company, every_days=10)
    with pytest.raises(DomainError):
        visits.plan_set(actor=cast.admin, company=service.company, every_days=0)
    plan = visits.plan_set(actor=cast.admin, company=service.company, every_days=14)
    with pytest.raises(Conflict):
        visits.plan_set(
            actor=cast.ad, company=service.company, every_days=7, expected_version=plan.version + 1
        )
    visits.plan_set(
        actor=cast.ad, company=service.company, every_days=7, expected_version=plan.version
    )
    assert ReturnVisitPlan.objects.get().every_days == 7


def test_it_tells_the_team_of_a_newly_overdue_visit_once(plan, cast, mailoutbox):
    assert notify_overdue_visits(today=date(2026, 10, 1)) == 0
    assert notify_overdue_visits(today=date(2026, 10, 2)) == 1
    assert notify_overdue_visits(today=date(2026, 10, 3)) == 0
    notices = Notification.objects.filter(link=reverse("service:visits") + "?overdue=on")
    assert {n.recipient.username for n in notices} == {"ae", "ad"}
    assert len(mailoutbox) == 2
    # A visit moves the due date on; when that one is missed, the team hears again.
    ReturnVisitPlan.objects.filter(pk=plan.pk).update(last_visit_on=date(2026, 10, 5))
    assert notify_overdue_visits(today=date(2026, 11, 5)) == 1
    assert notices.all().count() == 4


def test_it_lists_a_complaints_scheduled_visit(complain, cast, service):
    complaint = complain()
    complaint = services.complaint_assign(
        actor=cast.ad, complaint=complaint, assignee=cast.ae, expected_version=1
    )
    complaint = services.complaint_answer(
        actor=cast.ae, complaint=complaint, answer="a", expected_version=2
    )
    complaint = services.complaint_resolve(
        actor=cast.ae, complaint=complaint, resolution="r", expected_version=3
    )
    services.complaint_schedule_visit(
        actor=cast.ad,
        complaint=complaint,
        due_on=date.today() + timedelta(days=3),
        visitor=cast.ae,
        expected_version=4,
    )
    due = selectors.visits_due(cast.ae, today=date.today())
    assert [item.complaint for item in due] == [complaint]


def test_the_visits_page_lists_and_records(login, plan, cast, service):
    client = login(cast.ae)
    response = client.get(reverse("service:visits"))
    assert response.status_code == 200
    assert "HAIER" in response.content.decode()
    response = client.post(
        reverse("service:visits"),
        {
            "company": service.company.pk,
            "visited_on": date.today().isoformat(),
            "channel": "phone",
            "notes": "电话回访",
            "satisfied": "yes",
        },
    )
    assert response.status_code == 302
    assert ReturnVisit.objects.get().satisfied is True
    response = client.post(
        reverse("service:visits"), {"company": service.company.pk, "visited_on": "", "notes": ""}
    )
    assert response.status_code == 400
    assert ReturnVisit.objects.count() == 1
    response = client.post(
        reverse("service:plan_set"),
        {"company": service.company.pk, "every_days": 21, "version": plan.version + 1},
    )
    assert response.status_code == 302
    assert ReturnVisitPlan.objects.get().every_days == 21
    # Another client's plan: not theirs to set.
    response = client.post(
        reverse("service:plan_set"),
        {"company": service.clientele.other_company.pk, "every_days": 21},
    )
    assert response.status_code == 404
