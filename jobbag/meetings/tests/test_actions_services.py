"""The action register's services: who may create, edit, close and cancel an action;
closed and draft actions refuse changes; double closes and stale versions are refused
and change nothing; a client user closes only their own side's actions."""

from datetime import timedelta

import pytest
from django.utils import timezone

from jobbag.core.errors import Conflict, DomainError, NotAllowed
from jobbag.core.models import AuditEntry, Notification
from jobbag.jobs.tests.factories import JobFactory
from jobbag.meetings.models import Action, Side
from jobbag.meetings.services import actions as services
from jobbag.meetings.tests.factories import ActionFactory, ContactReportFactory

pytestmark = pytest.mark.django_db


def tomorrow():
    return timezone.localdate() + timedelta(days=1)


def audit_of(action, kind):
    return AuditEntry.objects.filter(object_id=str(action.pk), action=kind)


def test_it_creates_a_standalone_action_and_tells_its_owner(cast, clientele, loop):
    action = services.action_create(
        actor=cast.ae,
        company=clientele.company,
        job=loop.job,
        text="  提交海报修改稿  ",
        side=Side.AGENCY,
        owner=cast.designer,
        due_on=tomorrow(),
    )
    action.refresh_from_db()
    assert action.status == Action.Status.OPEN
    assert action.text == "提交海报修改稿" and action.job == loop.job and action.report is None
    assert action.created_by == cast.ae and action.owner == cast.designer
    assert audit_of(action, AuditEntry.Action.CREATE).count() == 1
    notice = Notification.objects.get(recipient=cast.designer)
    assert "提交海报修改稿" in notice.message and notice.link.endswith(f"/actions/{action.pk}/")


def test_it_creates_a_client_side_action(cast, clientele, loop):
    action = services.action_create(
        actor=cast.ae,
        company=clientele.company,
        text="提供产品资料",
        side=Side.CLIENT,
        owner_contact=clientele.contact,
        due_on=tomorrow(),
    )
    assert action.owner is None and action.owner_contact == clientele.contact
    assert not Notification.objects.exists()


@pytest.mark.parametrize("who", ["designer", "finance", "client"])
def test_it_refuses_to_create_for_the_wrong_role(cast, clientele, who):
    with pytest.raises(NotAllowed):
        services.action_create(
            actor=getattr(cast, who),
            company=clientele.company,
            text="x",
            side=Side.AGENCY,
            owner=cast.ae,
            due_on=tomorrow(),
        )
    assert not Action.objects.exists()


def test_it_refuses_an_ae_of_another_client(cast, clientele):
    with pytest.raises(NotAllowed):
        services.action_create(
            actor=clientele.other_ae,
            company=clientele.company,
            text="x",
            side=Side.AGENCY,
            owner=cast.ae,
            due_on=tomorrow(),
        )


def test_it_refuses_bad_input_with_field_errors(cast, clientele, loop):
    other_job = JobFactory(company=clientele.other_company, owner=clientele.other_ae)
    cases = [
        ({"text": "", "side": Side.AGENCY, "owner": cast.ae, "due_on": tomorrow()}, "text"),
        ({"text": "x", "side": "", "owner": cast.ae, "due_on": tomorrow()}, "side"),
        ({"text": "x", "side": Side.AGENCY, "owner": cast.client, "due_on": tomorrow()}, "owner"),
        (
            {"text": "x", "side": Side.CLIENT, "owner_contact": None, "due_on": tomorrow()},
            "owner_contact",
        ),
        ({"text": "x", "side": Side.AGENCY, "owner": cast.ae, "due_on": None}, "due_on"),
        (
            {
                "text": "x",
                "side": Side.AGENCY,
                "owner": cast.ae,
                "due_on": timezone.localdate() - timedelta(days=1),
            },
            "due_on",
        ),
        (
            {
                "text": "x",
                "side": Side.AGENCY,
                "owner": cast.ae,
                "due_on": tomorrow(),
                "job": other_job,
            },
            "job",
        ),
    ]
    for values, field in cases:
        with pytest.raises(DomainError) as caught:
            services.action_create(actor=cast.ae, company=clientele.company, **values)
        assert field in caught.value.fields, (values, caught.value.fields)
    assert not Action.objects.exists()


def test_it_edits_an_open_action_and_rearms_its_reminders(cast, clientele):
    action = ActionFactory(
        company=clientele.company,
        owner=cast.ae,
        reminded_on=timezone.localdate(),
        escalated_on=timezone.localdate(),
    )
    services.action_update(
        actor=cast.ad,
        action=action,
        expected_version=action.version,
        text="改为周五前提交",
        side=Side.AGENCY,
        owner=cast.designer,
        due_on=tomorrow() + timedelta(days=3),
    )
    action.refresh_from_db()
    assert action.text == "改为周五前提交" and action.owner == cast.designer
    assert action.reminded_on is None and action.escalated_on is None
    assert action.version == 2
    change = audit_of(action, AuditEntry.Action.CHANGE).get()
    assert set(change.changes) >= {"text", "owner", "due_on"}
    assert Notification.objects.filter(recipient=cast.designer).count() == 1


def test_it_refuses_a_stale_version(cast, clientele):
    action = ActionFactory(company=clientele.company, owner=cast.ae)
    services.action_update(actor=cast.ae, action=action, expected_version=1, text="第一次")
    with pytest.raises(Conflict):
        services.action_update(actor=cast.ad, action=action, expected_version=1, text="第二次")
    action.refresh_from_db()
    assert action.text == "第一次" and action.version == 2


def test_it_refuses_to_edit_a_closed_action(cast, clientele):
    action = ActionFactory(company=clientele.company, owner=cast.ae)
    services.action_close(actor=cast.ae, action=action)
    action.refresh_from_db()
    with pytest.raises(Conflict) as caught:
        services.action_update(
            actor=cast.ae, action=action, expected_version=action.version, text="改"
        )
    assert caught.value.message == services.ALREADY_CLOSED
    action.refresh_from_db()
    assert action.text != "改"


def test_it_refuses_to_change_an_action_in_a_draft_report(cast, clientele):
    report = ContactReportFactory(company=clientele.company, created_by=cast.ae)
    action = ActionFactory(
        company=clientele.company, report=report, owner=cast.ae, status=Action.Status.DRAFT
    )
    for call in (
        lambda: services.action_close(actor=cast.ae, action=action),
        lambda: services.action_cancel(actor=cast.ae, action=action, reason="不做了"),
        lambda: services.action_update(actor=cast.ae, action=action, expected_version=1, text="y"),
    ):
        with pytest.raises(DomainError) as caught:
            call()
        assert caught.value.message == services.IN_DRAFT_REPORT
    action.refresh_from_db()
    assert action.status == Action.Status.DRAFT and action.version == 1


def test_it_closes_keeping_who_when_and_the_note(cast, clientele):
    action = ActionFactory(company=clientele.company, owner=cast.designer, created_by=cast.ae)
    services.action_close(actor=cast.designer, action=action, note="  已发给客户  ")
    action.refresh_from_db()
    assert action.status == Action.Status.DONE
    assert action.closed_by == cast.designer and action.closed_at is not None
    assert action.closing_note == "已发给客户"
    transition = audit_of(action, AuditEntry.Action.TRANSITION).get()
    assert transition.changes == {"status": ["open", "done"]} and transition.actor == cast.designer


def test_it_refuses_a_second_close_and_changes_nothing(cast, clientele):
    action = ActionFactory(company=clientele.company, owner=cast.ae)
    services.action_close(actor=cast.ae, action=action, note="第一次")
    first = Action.objects.get(pk=action.pk)
    with pytest.raises(Conflict) as caught:
        services.action_close(actor=cast.ad, action=action, note="第二次")
    assert caught.value.message == services.ALREADY_CLOSED
    again = Action.objects.get(pk=action.pk)
    assert (again.closed_by, again.closed_at, again.closing_note, again.version) == (
        first.closed_by,
        first.closed_at,
        "第一次",
        first.version,
    )
    assert audit_of(action, AuditEntry.Action.TRANSITION).count() == 1


def test_a_designer_cannot_close_someone_elses_action(cast, clientele):
    action = ActionFactory(company=clientele.company, owner=cast.ae)
    with pytest.raises(NotAllowed):
        services.action_close(actor=cast.designer, action=action)
    assert Action.objects.get(pk=action.pk).status == Action.Status.OPEN


def test_the_team_closes_an_action_owned_by_a_designer_and_the_owner_is_told(cast, clientele):
    action = ActionFactory(company=clientele.company, owner=cast.designer, created_by=cast.ae)
    services.action_close(actor=cast.ad, action=action)
    assert Action.objects.get(pk=action.pk).closed_by == cast.ad
    assert Notification.objects.filter(recipient=cast.designer).count() == 1


def test_it_cancels_with_a_reason_only(cast, clientele):
    action = ActionFactory(company=clientele.company, owner=cast.designer, created_by=cast.ae)
    with pytest.raises(DomainError) as caught:
        services.action_cancel(actor=cast.ae, action=action, reason="  ")
    assert "reason" in caught.value.fields
    with pytest.raises(NotAllowed):
        services.action_cancel(actor=cast.designer, action=action, reason="不需要")
    services.action_cancel(actor=cast.ae, action=action, reason="客户取消了活动")
    action.refresh_from_db()
    assert action.status == Action.Status.CANCELLED
    assert action.closing_note == "客户取消了活动" and action.closed_by == cast.ae
    with pytest.raises(Conflict):
        services.action_close(actor=cast.ae, action=action)


def test_a_client_user_closes_their_sides_action_only(cast, clientele):
    report = ContactReportFactory(company=clientele.company, created_by=cast.ae)
    theirs = ActionFactory(
        company=clientele.company,
        report=report,
        side=Side.CLIENT,
        owner_contact=clientele.contact,
        created_by=cast.ae,
    )
    ours = ActionFactory(company=clientele.company, report=report, owner=cast.ae)
    services.action_close(actor=cast.client, action=theirs, note="资料已提供")
    theirs.refresh_from_db()
    assert theirs.status == Action.Status.DONE and theirs.closed_by == cast.client
    # The report's author hears of it.
    assert Notification.objects.filter(recipient=cast.ae).count() == 1
    with pytest.raises(NotAllowed):
        services.action_close(actor=cast.client, action=ours)
    # Another company's user, even for a client-side action.
    other = ActionFactory(
        company=clientele.company,
        side=Side.CLIENT,
        owner_contact=clientele.contact,
        created_by=cast.ae,
    )
    with pytest.raises(NotAllowed):
        services.action_close(actor=cast.outsider, action=other)
    assert Action.objects.get(pk=ours.pk).status == Action.Status.OPEN
    assert Action.objects.get(pk=other.pk).status == Action.Status.OPEN
