"""Policy administration (services and pages), the settings and the reminder sweep."""

from datetime import timedelta
from decimal import Decimal
from html import unescape

import pytest
from django.core import mail
from django.utils import timezone

from jobbag.accounts.models import Position
from jobbag.approvals import policies, services
from jobbag.approvals.models import (
    ApprovalStep,
    MemberKind,
    Policy,
    PolicyStep,
    SignoffSettings,
    StepKind,
    StepMember,
)
from jobbag.approvals.sweeps import remind_waiting
from jobbag.calendar.services import add_working_days
from jobbag.core.errors import Conflict, DomainError, NotAllowed
from jobbag.core.models import AuditEntry, Notification

pytestmark = pytest.mark.django_db


def new_policy(admin, **values) -> Policy:
    fields = {"document_type": "quote", "name": "特别报价", "currency": "CNY", "is_active": True}
    return policies.policy_create(actor=admin, **{**fields, **values})


def audited(policy) -> list[AuditEntry]:
    return list(
        AuditEntry.objects.filter(object_id=str(policy.pk), content_type__model="policy").order_by(
            "pk"
        )
    )


# Services ------------------------------------------------------------------------------


def test_only_admins_manage_policies(chain, cast):
    for user in [cast.ae, cast.ad, cast.gm, chain.dcs, cast.client]:
        with pytest.raises(NotAllowed):
            new_policy(user)
    assert not Policy.objects.filter(name="特别报价").exists()


def test_a_policy_band_must_be_ordered(chain, cast):
    with pytest.raises(DomainError) as refused:
        new_policy(cast.admin, above_amount=Decimal("100"), up_to_amount=Decimal("100"))
    assert refused.value.fields == {"up_to_amount": policies.BAND_ORDER}
    with pytest.raises(DomainError) as refused:
        new_policy(cast.admin, above_amount=Decimal("-1"))
    assert "above_amount" in refused.value.fields
    with pytest.raises(DomainError) as refused:
        new_policy(cast.admin, document_type="nonsense", name="")
    assert set(refused.value.fields) == {"document_type", "name"}
    row = new_policy(cast.admin, above_amount=Decimal("100"), up_to_amount=Decimal("200"))
    assert [e.action for e in audited(row)] == [AuditEntry.Action.CREATE]


def test_editing_a_policy_is_versioned_and_audited(chain, cast, clientele):
    row = new_policy(cast.admin)
    values = {
        "document_type": "quote",
        "name": "海尔报价",
        "company": clientele.company,
        "department": None,
        "above_amount": None,
        "up_to_amount": Decimal("80000"),
        "currency": "cny",
        "is_active": True,
    }
    policies.policy_update(actor=cast.admin, policy=row, expected_version=row.version, **values)
    row.refresh_from_db()
    assert (row.name, row.company, row.currency, row.version) == (
        "海尔报价",
        clientele.company,
        "CNY",
        2,
    )
    assert audited(row)[-1].changes["name"] == ["特别报价", "海尔报价"]
    with pytest.raises(Conflict):
        policies.policy_update(actor=cast.admin, policy=row, expected_version=1, **values)


def test_steps_keep_their_members_valid(chain, cast):
    row = new_policy(cast.admin)
    manager = Position.objects.get(code="marketing-manager")
    # A step is added with its first member…
    with pytest.raises(DomainError):
        policies.policy_step_add(actor=cast.admin, policy=row, kind=StepKind.ONE)
    with pytest.raises(DomainError):
        policies.policy_step_add(
            actor=cast.admin, policy=row, kind=StepKind.ANY, member_kind=MemberKind.POSITION
        )
    one = policies.policy_step_add(
        actor=cast.admin,
        policy=row,
        kind=StepKind.ONE,
        label="经理",
        checks_authority=True,
        member_kind=MemberKind.POSITION,
        position=manager,
    )
    # …a ONE step never gets a second one…
    with pytest.raises(DomainError) as refused:
        policies.policy_member_add(
            actor=cast.admin, step=one, member_kind=MemberKind.USER, user=cast.gm
        )
    assert refused.value.message == policies.ONE_HAS_ONE
    # …a countersign step takes several…
    both = policies.policy_step_add(
        actor=cast.admin,
        policy=row,
        kind=StepKind.ALL,
        member_kind=MemberKind.USER,
        user=cast.gm,
    )
    policies.policy_member_add(
        actor=cast.admin, step=both, member_kind=MemberKind.TEAM_ROLE, team_role="ad"
    )
    # …but never loses its last one…
    member = both.members.get(kind=MemberKind.USER)
    policies.policy_member_remove(actor=cast.admin, member=member)
    with pytest.raises(DomainError) as refused:
        policies.policy_member_remove(actor=cast.admin, member=both.members.get())
    assert refused.value.message == policies.NEEDS_MEMBER
    # …and a client step has none.
    client = policies.policy_step_add(
        actor=cast.admin,
        policy=row,
        kind=StepKind.CLIENT,
        member_kind=MemberKind.USER,
        user=cast.gm,
    )
    assert not client.members.exists()
    assert not client.checks_authority
    with pytest.raises(DomainError) as refused:
        policies.policy_member_add(
            actor=cast.admin, step=client, member_kind=MemberKind.USER, user=cast.gm
        )
    assert refused.value.message == policies.CLIENT_HAS_NONE
    # A client user or an inactive person is no member.
    with pytest.raises(DomainError):
        policies.policy_member_add(
            actor=cast.admin, step=both, member_kind=MemberKind.USER, user=cast.client
        )
    assert policies.policy_problems(Policy.objects.get(pk=row.pk)) == []
    assert [s.order for s in row.steps.order_by("order")] == [1, 2, 3]


def test_steps_reorder_and_remove(chain, cast):
    row = new_policy(cast.admin)
    for label in ["一", "二", "三"]:
        policies.policy_step_add(
            actor=cast.admin,
            policy=row,
            kind=StepKind.ONE,
            label=label,
            member_kind=MemberKind.USER,
            user=cast.gm,
        )

    def labels():
        return list(row.steps.order_by("order").values_list("label", flat=True))

    policies.policy_step_move(actor=cast.admin, step=row.steps.get(label="三"), up=True)
    assert labels() == ["一", "三", "二"]
    policies.policy_step_move(actor=cast.admin, step=row.steps.get(label="一"), up=False)
    assert labels() == ["三", "一", "二"]
    # Moving the first up does nothing.
    policies.policy_step_move(actor=cast.admin, step=row.steps.get(label="三"), up=True)
    assert labels() == ["三", "一", "二"]
    policies.policy_step_remove(actor=cast.admin, step=row.steps.get(label="一"))
    assert labels() == ["三", "二"]
    assert list(row.steps.order_by("order").values_list("order", flat=True)) == [1, 2]
    changes = [e for e in audited(row) if e.action == AuditEntry.Action.CHANGE]
    assert len(changes) == 6
    assert changes[-1].changes["steps"][0] != changes[-1].changes["steps"][1]


def test_changing_a_policy_leaves_approvals_under_way_alone(chain, cast, submitted):
    quote, approval = submitted("120000")
    before = [
        (s.order, s.kind, s.label, [list(seat.candidates.all()) for seat in s.seats.all()])
        for s in approval.steps.order_by("order")
    ]
    row = Policy.objects.get(pk=approval.policy_id)
    # The administrator removes the Marketing Manager and adds the GM before the client.
    policies.policy_step_remove(actor=cast.admin, step=row.steps.get(order=2))
    policies.policy_step_add(
        actor=cast.admin, policy=row, kind=StepKind.ONE, member_kind=MemberKind.USER, user=cast.gm
    )
    policies.policy_step_move(actor=cast.admin, step=row.steps.get(order=3), up=True)
    policies.policy_update(
        actor=cast.admin,
        policy=row,
        expected_version=Policy.objects.get(pk=row.pk).version,
        document_type="quote",
        name="改过的",
        above_amount=row.above_amount,
        up_to_amount=row.up_to_amount,
        currency="CNY",
        is_active=True,
    )
    after = [
        (s.order, s.kind, s.label, [list(seat.candidates.all()) for seat in s.seats.all()])
        for s in approval.steps.order_by("order")
    ]
    assert after == before
    approval.refresh_from_db()
    assert approval.policy_name == "报价 5万–20万"
    # The approval goes on as it started: the Marketing Manager signs, not the GM.
    services.approval_decide(actor=chain.dcs, approval=approval, outcome="approve")
    with pytest.raises(NotAllowed):
        services.approval_decide(actor=cast.gm, approval=approval, outcome="approve")
    services.approval_decide(actor=chain.manager, approval=approval, outcome="approve")
    assert approval.steps.get(status=ApprovalStep.Status.ACTIVE).kind == StepKind.CLIENT
    # The next quote follows the new policy.
    from jobbag.approvals.tests.conftest import QuoteVersion

    second = QuoteVersion.objects.create(
        job=chain.job, number=9, total=Decimal("120000"), net_total=0, created_by=cast.ae
    )
    new = services.approval_submit(actor=cast.ae, document=second)
    assert new.policy_name == "改过的"
    assert [list(s.seats.get().candidates.all()) for s in new.steps.order_by("order")][:2] == [
        [chain.dcs],
        [cast.gm],
    ]


def test_settings_are_for_admins_and_audited(cast):
    row = SignoffSettings.current()
    with pytest.raises(NotAllowed):
        policies.signoff_settings_update(
            actor=cast.ae, expected_version=row.version, remind_after_days=3
        )
    with pytest.raises(DomainError):
        policies.signoff_settings_update(
            actor=cast.admin, expected_version=row.version, remind_after_days=0
        )
    policies.signoff_settings_update(
        actor=cast.admin, expected_version=row.version, remind_after_days=3
    )
    assert SignoffSettings.current().remind_after_days == 3
    assert AuditEntry.objects.filter(content_type__model="signoffsettings").count() == 1


# Pages ---------------------------------------------------------------------------------


def test_the_policy_pages(chain, cast, login):
    cast.admin.language = "en"
    cast.admin.save()
    client = login(cast.admin)
    response = client.get("/signoff/policies/")
    assert response.status_code == 200
    html = unescape(response.content.decode())
    assert "报价 ≤ 5万" in html and 'data-type="work_order"' in html
    # Create: the band refused, then accepted.
    data = {
        "document_type": "quote",
        "name": "特别",
        "above_amount": "500",
        "up_to_amount": "100",
        "currency": "CNY",
        "is_active": "on",
    }
    response = client.post("/signoff/policies/new/", data)
    assert response.status_code == 400
    assert str(policies.BAND_ORDER) in unescape(response.content.decode())
    response = client.post("/signoff/policies/new/", {**data, "up_to_amount": "1000"})
    assert response.status_code == 302
    row = Policy.objects.get(name="特别")
    assert response.url == f"/signoff/policies/{row.pk}/"
    # A step with its member; a second member for a ONE step is refused on the page.
    response = client.post(
        f"/signoff/policies/{row.pk}/steps/",
        {
            "new-kind": "one",
            "new-label": "总经理",
            "new-member_kind": "user",
            "new-user": cast.gm.pk,
        },
    )
    assert response.status_code == 302
    step = row.steps.get()
    response = client.post(
        f"/signoff/policy-steps/{step.pk}/members/",
        {f"step{step.pk}-member_kind": "user", f"step{step.pk}-user": cast.ad.pk},
    )
    assert response.status_code == 400
    assert str(policies.ONE_HAS_ONE) in unescape(response.content.decode())
    client.post(
        f"/signoff/policies/{row.pk}/steps/",
        {"new-kind": "client", "new-label": "客户签回"},
    )
    assert client.get(f"/signoff/policies/{row.pk}/").status_code == 200
    client.post(f"/signoff/policy-steps/{step.pk}/move/", {"direction": "down"})
    assert list(row.steps.order_by("order").values_list("kind", flat=True)) == ["client", "one"]
    client.post(f"/signoff/policy-steps/{step.pk}/", {f"edit{step.pk}-label": "GM"})
    step.refresh_from_db()
    assert step.label == "GM"
    member = StepMember.objects.get(step=step)
    response = client.post(f"/signoff/policy-members/{member.pk}/remove/", follow=True)
    assert str(policies.NEEDS_MEMBER) in unescape(response.content.decode())
    assert client.post(f"/signoff/policy-steps/{step.pk}/remove/").status_code == 302
    assert row.steps.count() == 1
    # Edit.
    response = client.post(
        f"/signoff/policies/{row.pk}/edit/",
        {**data, "up_to_amount": "2000", "version": Policy.objects.get(pk=row.pk).version},
    )
    assert response.status_code == 302
    row.refresh_from_db()
    assert row.up_to_amount == Decimal("2000")
    # Settings.
    settings_row = SignoffSettings.current()
    response = client.post(
        "/signoff/policies/settings/", {"remind_after_days": 4, "version": settings_row.version}
    )
    assert response.status_code == 302
    assert SignoffSettings.current().remind_after_days == 4


def test_the_policy_list_query_count_does_not_grow(chain, cast, login):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = login(cast.admin)
    client.get("/signoff/policies/")
    with CaptureQueriesContext(connection) as before:
        client.get("/signoff/policies/")
    for n in range(3):
        row = new_policy(cast.admin, name=f"p{n}")
        policies.policy_step_add(
            actor=cast.admin,
            policy=row,
            kind=StepKind.ANY,
            member_kind=MemberKind.USER,
            user=cast.gm,
        )
    with CaptureQueriesContext(connection) as after:
        client.get("/signoff/policies/")
    assert len(after) == len(before)


# Reminders -----------------------------------------------------------------------------


def test_steps_waiting_too_long_are_reminded_once_a_day(chain, cast, submitted):
    SignoffSettings.objects.update_or_create(pk=1, defaults={"remind_after_days": 2})
    today = timezone.localdate()
    _q, late = submitted("30000")
    _q, recent = submitted("40000")
    long_ago = add_working_days(today, -5)
    ApprovalStep.objects.filter(approval=late, order=1).update(
        activated_at=timezone.make_aware(
            timezone.datetime.combine(long_ago, timezone.datetime.min.time())
        )
    )
    ApprovalStep.objects.filter(approval=recent, order=1).update(
        activated_at=timezone.now() - timedelta(days=1)
    )
    Notification.objects.all().delete()
    mail.outbox.clear()
    assert remind_waiting(today) == 1
    assert list(Notification.objects.values_list("recipient", flat=True)) == [chain.dcs.pk]
    assert Notification.objects.get().link == f"/signoff/{late.pk}/"
    assert [m.to for m in mail.outbox] == [[chain.dcs.email]]
    assert ApprovalStep.objects.get(approval=late, order=1).reminded_on == today
    # Run again the same day: nobody is reminded twice.
    assert remind_waiting(today) == 0
    assert Notification.objects.count() == 1
    # The next day, again.
    assert remind_waiting(today + timedelta(days=1)) == 1
    assert Notification.objects.count() == 2


def test_reminders_skip_closed_and_client_free_waits(chain, cast, submitted):
    SignoffSettings.objects.update_or_create(pk=1, defaults={"remind_after_days": 1})
    _q, approval = submitted("30000")
    ApprovalStep.objects.filter(approval=approval).update(
        activated_at=timezone.now() - timedelta(days=30)
    )
    services.approval_withdraw(actor=cast.ae, approval=approval)
    Notification.objects.all().delete()
    assert remind_waiting() == 0
    assert not Notification.objects.exists()
    assert PolicyStep.objects.exists()


def test_the_reminder_is_a_registered_daily_sweep():
    from jobbag.core.sweeps import daily_sweeps

    assert daily_sweeps()["approvals.remind_waiting"] is remind_waiting
