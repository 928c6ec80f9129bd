"""The sign-off engine on quotes: choosing the policy, the amount tiers, who may sign,
authority limits, deputies, countersigning, reasons, double decisions, frozen snapshots,
resubmission and the client's signed copy."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from jobbag.accounts.models import Deputy, Role
from jobbag.accounts.tests.factories import staff
from jobbag.approvals import selectors, services
from jobbag.approvals.models import (
    Approval,
    ApprovalStep,
    Decision,
    MemberKind,
    Policy,
    PolicyStep,
    SignoffStatus,
    Snapshot,
    StepKind,
    StepMember,
)
from jobbag.core.errors import Conflict, DomainError, NotAllowed
from jobbag.jobs.models import QuoteVersion

pytestmark = pytest.mark.django_db


def approve(actor, approval, **kwargs):
    return services.approval_decide(actor=actor, approval=approval, outcome="approve", **kwargs)


def step_labels(approval):
    return [(s.kind, s.status) for s in approval.steps.order_by("order")]


def policy(document_type="quote", steps=(), **fields) -> Policy:
    """A policy with `steps` = [(kind, [member dicts], checks_authority)]."""
    row = Policy.objects.create(document_type=document_type, name=fields.pop("name", "p"), **fields)
    for order, (kind, members, checks) in enumerate(steps, start=1):
        step = PolicyStep.objects.create(
            policy=row, order=order, kind=kind, label=f"s{order}", checks_authority=checks
        )
        for member in members:
            StepMember.objects.create(step=step, **member)
    return row


def user_member(user) -> dict:
    return {"kind": MemberKind.USER, "user": user}


# Choosing the policy -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("total", "name", "signers"),
    [
        ("30000", "报价 ≤ 5万", ["dcs"]),
        ("50000", "报价 ≤ 5万", ["dcs"]),
        ("120000", "报价 5万–20万", ["dcs", "manager"]),
        ("300000", "报价 > 20万", ["dcs", "manager", "gm"]),
    ],
)
def test_the_amount_picks_the_tier_and_the_client_signs_last(
    chain, cast, submitted, total, name, signers
):
    quote, approval = submitted(total)
    assert approval.policy_name == name
    steps = list(approval.steps.order_by("order"))
    assert [s.kind for s in steps] == [StepKind.ONE] * len(signers) + [StepKind.CLIENT]
    people = {"dcs": chain.dcs, "manager": chain.manager, "gm": cast.gm}
    for step, who in zip(steps, signers, strict=False):
        assert list(step.seats.get().candidates.all()) == [people[who]]
    quote.refresh_from_db()
    assert quote.signoff_status == SignoffStatus.SUBMITTED
    # Each signer in turn; the client's step opens only after the last internal one.
    for who in signers:
        assert approval.steps.get(status=ApprovalStep.Status.ACTIVE).kind == StepKind.ONE
        approve(people[who], approval)
    assert approval.steps.get(status=ApprovalStep.Status.ACTIVE).kind == StepKind.CLIENT
    services.approval_client_decide(actor=cast.client, approval=approval, outcome="approve")
    approval.refresh_from_db()
    quote.refresh_from_db()
    assert approval.status == Approval.Status.APPROVED
    assert quote.signoff_status == SignoffStatus.APPROVED
    assert quote.signed_back_at is not None
    assert approval.decisions.count() == len(signers) + 1


def test_a_client_policy_wins_over_a_department_one_over_a_general_one(chain, cast, clientele):
    general = Policy.objects.get(name="报价 ≤ 5万")
    department = policy(
        name="dept",
        department=chain.job.department,
        steps=[(StepKind.ONE, [user_member(cast.gm)], False)],
    )
    subject = services.registry.kind_named("quote").describe(
        QuoteVersion(job=chain.job, number=1, total=Decimal("30000"))
    )
    assert services.policy_for(subject, "quote") == department
    client = policy(
        name="client",
        company=clientele.company,
        steps=[(StepKind.ONE, [user_member(cast.gm)], False)],
    )
    assert services.policy_for(subject, "quote") == client
    client.is_active = False
    client.save()
    department.is_active = False
    department.save()
    assert services.policy_for(subject, "quote") == general
    # Another client's policy never applies.
    policy(
        name="nike",
        company=clientele.other_company,
        steps=[(StepKind.ONE, [user_member(cast.gm)], False)],
    )
    assert services.policy_for(subject, "quote") == general


def test_without_a_policy_nothing_is_submitted(chain, cast, quote):
    Policy.objects.filter(document_type="quote").update(is_active=False)
    document = quote("30000")
    with pytest.raises(DomainError) as refused:
        services.approval_submit(actor=cast.ae, document=document)
    assert refused.value.message == services.NO_POLICY
    assert not Approval.objects.exists()
    document.refresh_from_db()
    assert document.signoff_status == SignoffStatus.DRAFT


# Who may sign ---------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["ae", "ad", "designer", "finance", "gm", "manager"])
def test_the_wrong_person_is_refused_and_nothing_is_written(chain, cast, submitted, who):
    _quote, approval = submitted("30000")
    actor = chain.manager if who == "manager" else getattr(cast, who)
    with pytest.raises(NotAllowed) as refused:
        approve(actor, approval)
    assert refused.value.message == services.NOT_YOUR_STEP
    assert not Decision.objects.exists()
    approval.refresh_from_db()
    assert approval.current_step == 1


def test_a_client_user_cannot_sign_an_internal_step(chain, cast, submitted):
    _quote, approval = submitted("30000")
    with pytest.raises(DomainError) as refused:
        services.approval_client_decide(actor=cast.client, approval=approval, outcome="approve")
    assert refused.value.message == services.NOT_CLIENT_STEP
    with pytest.raises(NotAllowed):
        approve(cast.client, approval)
    assert not Decision.objects.exists()


def test_staff_cannot_sign_the_client_step_in_the_app(chain, cast, submitted):
    _quote, approval = submitted("30000")
    approve(chain.dcs, approval)
    with pytest.raises(DomainError) as refused:
        approve(cast.ae, approval)
    assert refused.value.message == services.CLIENT_STEP
    with pytest.raises(NotAllowed):
        services.approval_client_decide(actor=cast.ae, approval=approval, outcome="approve")
    assert Decision.objects.count() == 1


def test_another_companys_client_user_gets_not_found(chain, cast, submitted):
    _quote, approval = submitted("30000")
    approve(chain.dcs, approval)
    with pytest.raises(DomainError) as refused:
        services.approval_client_decide(actor=cast.outsider, approval=approval, outcome="approve")
    assert refused.value.status == 404
    assert Decision.objects.count() == 1


def test_a_signer_over_their_authority_limit_is_refused(chain, cast, submitted):
    # A policy for HAIER whose first step lets the department head sign off 120,000:
    # the head's limit (50,000) does not cover it.
    policy(
        name="haier",
        company=chain.job.company,
        steps=[
            (StepKind.ONE, [{"kind": MemberKind.DEPARTMENT_HEAD}], True),
            (StepKind.CLIENT, [], False),
        ],
    )
    _quote, approval = submitted("120000")
    assert approval.policy_name == "haier"
    with pytest.raises(NotAllowed) as refused:
        approve(chain.dcs, approval)
    assert "120000" in str(refused.value.message)
    assert not Decision.objects.exists()
    # Rejecting is not limited by the amount.
    services.approval_decide(actor=chain.dcs, approval=approval, outcome="reject", reason="太贵")
    approval.refresh_from_db()
    assert approval.status == Approval.Status.REJECTED


def test_a_deputy_signs_for_an_absent_signer_recorded_as_on_behalf_of(chain, cast, submitted):
    today = timezone.localdate()
    Deputy.objects.create(
        principal=chain.dcs,
        deputy=cast.ad,
        starts_on=today - timedelta(days=1),
        ends_on=today + timedelta(days=1),
        created_by=cast.admin,
    )
    _quote, approval = submitted("30000")
    rows = selectors.inbox_rows(cast.ad)
    assert [r.approval.pk for r in rows] == [approval.pk]
    assert rows[0].deputy_for == [chain.dcs]
    # The deputy's authority is the absent signer's (the step checks the limit).
    decision = approve(cast.ad, approval, ip="10.0.0.7")
    assert decision.decided_by == cast.ad
    assert decision.on_behalf_of == chain.dcs
    assert decision.ip_address == "10.0.0.7"
    # The absent signer cannot sign the same step again.
    with pytest.raises(Conflict):
        approve(chain.dcs, approval)


def test_an_ended_deputyship_gives_no_standing(chain, cast, submitted):
    today = timezone.localdate()
    Deputy.objects.create(
        principal=chain.dcs,
        deputy=cast.ad,
        starts_on=today - timedelta(days=5),
        ends_on=today - timedelta(days=1),
        created_by=cast.admin,
    )
    _quote, approval = submitted("30000")
    assert selectors.inbox_rows(cast.ad) == []
    with pytest.raises(NotAllowed):
        approve(cast.ad, approval)


def test_countersign_needs_every_seat(chain, cast, submitted):
    policy(
        name="会签",
        company=chain.job.company,
        steps=[
            (StepKind.ALL, [user_member(chain.dcs), user_member(chain.manager)], False),
            (StepKind.CLIENT, [], False),
        ],
    )
    _quote, approval = submitted("30000")
    approve(chain.dcs, approval)
    step = approval.steps.get(order=1)
    assert step.status == ApprovalStep.Status.ACTIVE
    assert [r.approval.pk for r in selectors.inbox_rows(chain.manager)] == [approval.pk]
    assert selectors.inbox_rows(chain.dcs) == []
    with pytest.raises(Conflict):
        approve(chain.dcs, approval)
    approve(chain.manager, approval)
    step.refresh_from_db()
    assert step.status == ApprovalStep.Status.APPROVED
    assert approval.steps.get(order=2).status == ApprovalStep.Status.ACTIVE
    assert set(step.decisions.values_list("lock", flat=True)) == {1, 2}


def test_any_one_of_a_set_is_enough(chain, cast, submitted):
    policy(
        name="任一",
        company=chain.job.company,
        steps=[
            (StepKind.ANY, [user_member(chain.dcs), user_member(chain.manager)], False),
            (StepKind.CLIENT, [], False),
        ],
    )
    _quote, approval = submitted("30000")
    approve(chain.manager, approval)
    assert approval.steps.get(order=1).status == ApprovalStep.Status.APPROVED
    assert approval.steps.get(order=2).status == ApprovalStep.Status.ACTIVE
    assert selectors.inbox_rows(chain.dcs) == []
    # The other signer is told it was decided already.
    with pytest.raises(Conflict) as refused:
        approve(chain.dcs, approval)
    assert refused.value.message == services.ALREADY_DECIDED
    assert Decision.objects.count() == 1


# Reasons, closing, double decisions ----------------------------------------------------


@pytest.mark.parametrize(
    ("outcome", "approval_status", "document_status"),
    [
        ("reject", Approval.Status.REJECTED, SignoffStatus.REJECTED),
        ("return", Approval.Status.RETURNED, SignoffStatus.RETURNED),
    ],
)
def test_reject_and_return_need_a_reason_and_close_the_approval(
    chain, submitted, outcome, approval_status, document_status
):
    quote, approval = submitted("120000")
    for reason in ["", "   "]:
        with pytest.raises(DomainError) as refused:
            services.approval_decide(
                actor=chain.dcs, approval=approval, outcome=outcome, reason=reason
            )
        assert refused.value.fields == {"reason": services.REASON_REQUIRED}
    assert not Decision.objects.exists()
    decision = services.approval_decide(
        actor=chain.dcs, approval=approval, outcome=outcome, reason="数量不对"
    )
    assert decision.reason == "数量不对"
    approval.refresh_from_db()
    quote.refresh_from_db()
    assert approval.status == approval_status
    assert approval.current_step is None
    assert quote.signoff_status == document_status
    assert step_labels(approval) == [
        (StepKind.ONE, ApprovalStep.Status.REJECTED if outcome == "reject" else "returned"),
        (StepKind.ONE, ApprovalStep.Status.CANCELLED),
        (StepKind.CLIENT, ApprovalStep.Status.CANCELLED),
    ]
    with pytest.raises(Conflict):
        approve(chain.manager, approval)


def test_a_double_decision_is_a_conflict(chain, submitted):
    _quote, approval = submitted("30000")
    approve(chain.dcs, approval)
    with pytest.raises(Conflict) as refused:
        approve(chain.dcs, approval)
    assert refused.value.message == services.ALREADY_DECIDED
    assert Decision.objects.count() == 1


def test_a_stale_revision_is_a_conflict(chain, submitted):
    _quote, approval = submitted("30000")
    with pytest.raises(Conflict) as refused:
        approve(chain.dcs, approval, revision=approval.revision + 1)
    assert refused.value.message == services.STALE
    assert not Decision.objects.exists()
    approve(chain.dcs, approval, revision=approval.revision)


def test_withdraw_is_for_the_submitter(chain, cast, submitted):
    quote, approval = submitted("30000")
    with pytest.raises(NotAllowed):
        services.approval_withdraw(actor=chain.dcs, approval=approval)
    services.approval_withdraw(actor=cast.ae, approval=approval)
    approval.refresh_from_db()
    quote.refresh_from_db()
    assert approval.status == Approval.Status.WITHDRAWN
    assert quote.signoff_status == SignoffStatus.DRAFT
    with pytest.raises(Conflict):
        services.approval_withdraw(actor=cast.ae, approval=approval)


# Snapshots and resubmission -----------------------------------------------------------


def test_the_snapshot_is_frozen_and_verifiable(chain, submitted):
    quote, approval = submitted("30000")
    snapshot = approval.snapshot
    first_hash = snapshot.content_hash
    assert len(first_hash) == 64
    assert services.snapshot_verify(snapshot)
    # Changing the quote afterwards changes nothing of what was signed.
    QuoteVersion.objects.filter(pk=quote.pk).update(notes="改过了", total=Decimal("99"))
    snapshot.refresh_from_db()
    assert snapshot.content_hash == first_hash
    assert services.snapshot_verify(snapshot)
    decision = approve(chain.dcs, approval)
    assert decision.content_hash == first_hash
    # The model refuses edits…
    with pytest.raises(PermissionError):
        snapshot.save()
    with pytest.raises(PermissionError):
        decision.save()
    # …and an edit behind its back shows.
    Snapshot.objects.filter(pk=snapshot.pk).update(html=snapshot.html + "<p>加一行</p>")
    snapshot.refresh_from_db()
    assert not services.snapshot_verify(snapshot)


def test_resubmission_after_return_gives_a_new_approval(chain, cast, submitted):
    quote, first = submitted("30000")
    services.approval_decide(actor=chain.dcs, approval=first, outcome="return", reason="改价")
    quote.refresh_from_db()
    assert quote.is_editable
    QuoteVersion.objects.filter(pk=quote.pk).update(total=Decimal("28000"))
    quote.refresh_from_db()
    second = services.approval_submit(actor=cast.ae, document=quote)
    assert second.pk != first.pk
    assert second.snapshot_id != first.snapshot_id
    assert second.snapshot.content_hash != first.snapshot.content_hash
    assert list(selectors.approvals_of(quote)) == [second, first]
    assert selectors.current_approval(quote) == second
    with pytest.raises(Conflict):
        services.approval_submit(actor=cast.ae, document=quote)


def test_a_signed_copy_keeps_its_hash_signer_and_date(chain, cast, submitted):
    quote, approval = submitted("30000")
    approve(chain.dcs, approval)
    today = timezone.localdate()
    content = b"%PDF-1.4 signed by the client"
    refused = {
        "file": dict(file=None, client_signer="孙丽", signed_on=today),
        "client_signer": dict(
            file=SimpleUploadedFile("s.pdf", content), client_signer=" ", signed_on=today
        ),
        "signed_on": dict(
            file=SimpleUploadedFile("s.pdf", content),
            client_signer="孙丽",
            signed_on=today + timedelta(days=1),
        ),
    }
    for field, values in refused.items():
        with pytest.raises(DomainError) as error:
            services.approval_record_signed_copy(actor=cast.ae, approval=approval, **values)
        assert field in error.value.fields
    with pytest.raises(NotAllowed):
        services.approval_record_signed_copy(
            actor=cast.designer,
            approval=approval,
            file=SimpleUploadedFile("s.pdf", content),
            client_signer="孙丽",
            signed_on=today,
        )
    decision = services.approval_record_signed_copy(
        actor=cast.ae,
        approval=approval,
        file=SimpleUploadedFile("signed.pdf", content),
        client_signer="孙丽",
        signed_on=today,
    )
    import hashlib

    assert decision.method == Decision.Method.SIGNED_COPY
    assert decision.signed_copy_sha256 == hashlib.sha256(content).hexdigest()
    assert decision.client_signer == "孙丽"
    assert decision.client_signed_on == today
    with decision.signed_copy.open("rb") as handle:
        assert handle.read() == content
    approval.refresh_from_db()
    quote.refresh_from_db()
    assert approval.status == Approval.Status.APPROVED
    assert quote.signed_back_at is not None


def test_a_signer_with_no_one_active_stops_the_submission(chain, cast, quote):
    chain.dcs.is_active = False
    chain.dcs.save()
    document = quote("30000")
    with pytest.raises(DomainError):
        services.approval_submit(actor=cast.ae, document=document)
    assert not Approval.objects.exists()


def test_only_the_documents_owners_may_submit(chain, cast, quote):
    document = quote("30000")
    with pytest.raises(NotAllowed):
        services.approval_submit(actor=cast.designer, document=document)
    outsider_staff = staff("someone", Role.AE)
    with pytest.raises(NotAllowed):
        services.approval_submit(actor=outsider_staff, document=document)
