"""The daily sweep of actions: due today reminds once; overdue by the configured working
days escalates once to the owner, their superior and the client's ADs."""

from datetime import date, timedelta

import pytest

from jobbag.accounts.models import ServiceTeamMembership, User
from jobbag.core.models import Notification
from jobbag.meetings.models import Action, MeetingSettings, Side
from jobbag.meetings.sweeps.actions import remind_actions_due
from jobbag.meetings.tests.factories import ActionFactory, ContactReportFactory

pytestmark = pytest.mark.django_db

# A Monday in an ordinary working week; the Friday before it is one working day back.
MONDAY = date(2026, 3, 9)
FRIDAY = date(2026, 3, 6)


@pytest.fixture
def team(cast, clientele, loop):
    """The service team has served HAIER since January; the designer reports to the
    Marketing Manager."""
    ServiceTeamMembership.objects.update(starts_on=date(2026, 1, 1))
    User.objects.filter(pk=cast.designer.pk).update(reports_to=loop.manager)
    cast.designer.refresh_from_db()
    return cast


def told(**filters) -> set[int]:
    return set(Notification.objects.filter(**filters).values_list("recipient", flat=True))


def test_it_reminds_the_owner_of_an_action_due_today_once(team, clientele, mailoutbox):
    action = ActionFactory(company=clientele.company, owner=team.designer, due_on=MONDAY)
    later = ActionFactory(
        company=clientele.company, owner=team.designer, due_on=MONDAY + timedelta(days=1)
    )
    assert remind_actions_due(today=MONDAY) == {"reminded": 1, "escalated": 0}
    assert told() == {team.designer.pk}
    assert len(mailoutbox) == 1 and mailoutbox[0].to == [team.designer.email]
    assert Action.objects.get(pk=action.pk).reminded_on == MONDAY
    assert Action.objects.get(pk=later.pk).reminded_on is None

    assert remind_actions_due(today=MONDAY) == {"reminded": 0, "escalated": 0}
    assert Notification.objects.count() == 1 and len(mailoutbox) == 1


def test_a_client_side_action_reminds_the_reports_author(team, clientele):
    report = ContactReportFactory(company=clientele.company, created_by=team.ae)
    ActionFactory(
        company=clientele.company,
        report=report,
        side=Side.CLIENT,
        owner_contact=clientele.contact,
        created_by=team.ad,
        due_on=MONDAY,
    )
    remind_actions_due(today=MONDAY)
    assert told() == {team.ae.pk}


def test_it_escalates_a_late_action_once(team, clientele, loop, mailoutbox):
    late = ActionFactory(
        company=clientele.company, owner=team.designer, created_by=team.ae, due_on=FRIDAY
    )
    done = ActionFactory(
        company=clientele.company,
        owner=team.designer,
        due_on=FRIDAY,
        status=Action.Status.DONE,
        closed_at=late.created_at,
    )
    # Due on Friday is not yet late on Friday, nor on the weekend (no working day since).
    assert remind_actions_due(today=FRIDAY + timedelta(days=1))["escalated"] == 0
    assert remind_actions_due(today=MONDAY)["escalated"] == 1
    # The owner, their superior and the client's AD; never the AE (not the owner).
    assert told(message__contains=late.text) == {team.designer.pk, loop.manager.pk, team.ad.pk}
    assert Action.objects.get(pk=late.pk).escalated_on == MONDAY
    assert Action.objects.get(pk=done.pk).escalated_on is None
    sent = len(mailoutbox)
    assert sent == 3

    assert remind_actions_due(today=MONDAY + timedelta(days=1))["escalated"] == 0
    assert len(mailoutbox) == sent


def test_it_waits_the_configured_working_days(team, clientele):
    settings = MeetingSettings.current()
    settings.action_escalate_after_days = 3
    settings.save()
    ActionFactory(company=clientele.company, owner=team.ae, due_on=FRIDAY)
    # Mon, Tue: 1 and 2 working days late; Wed: 3.
    assert remind_actions_due(today=MONDAY)["escalated"] == 0
    assert remind_actions_due(today=MONDAY + timedelta(days=1))["escalated"] == 0
    assert remind_actions_due(today=MONDAY + timedelta(days=2))["escalated"] == 1


def test_a_client_side_escalation_goes_to_the_author_and_the_ad(team, clientele):
    report = ContactReportFactory(company=clientele.company, created_by=team.ae)
    ActionFactory(
        company=clientele.company,
        report=report,
        side=Side.CLIENT,
        owner_contact=clientele.contact,
        created_by=team.ad,
        due_on=FRIDAY,
    )
    assert remind_actions_due(today=MONDAY)["escalated"] == 1
    assert told() == {team.ae.pk, team.ad.pk}


def test_a_former_ad_is_not_told(team, clientele):
    ServiceTeamMembership.objects.filter(user=team.ad).update(ends_on=date(2026, 2, 28))
    ActionFactory(company=clientele.company, owner=team.ae, due_on=FRIDAY)
    remind_actions_due(today=MONDAY)
    assert told() == {team.ae.pk}
