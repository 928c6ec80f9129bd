"""Stage moves: forward, back with a reason, refused when illegal, each one recorded once."""

import threading

import pytest
from django.db import connection
from django.test import Client

from jobbag.core.errors import Conflict, DomainError, NotAllowed
from jobbag.core.models import AuditEntry
from jobbag.pipeline import services
from jobbag.pipeline.models import TRANSITIONS, Prospect, ProspectStageMove, Stage

pytestmark = pytest.mark.django_db


def move(prospect, to, *, actor=None, note=""):
    return services.prospect_move(
        actor=actor or prospect.owner,
        prospect=prospect,
        expected_version=prospect.version,
        to=to,
        note=note,
    )


def transitions_of(prospect) -> list[tuple[str, str]]:
    entries = AuditEntry.objects.filter(
        action=AuditEntry.Action.TRANSITION, object_id=str(prospect.pk)
    ).order_by("at", "pk")
    return [tuple(entry.changes["status"]) for entry in entries]


def test_it_moves_forward_one_or_more_steps_and_records_every_move(cast, prospect_at):
    prospect = prospect_at()
    prospect = move(prospect, Stage.PICK_TARGET)
    prospect = move(prospect, Stage.FIRST_MEETING)

    prospect.refresh_from_db()
    assert prospect.stage == Stage.FIRST_MEETING
    assert prospect.version == 3
    moves = list(prospect.moves.values_list("from_stage", "to_stage", "by"))
    assert moves == [
        ("", Stage.COLLECT_INFO, cast.ae.pk),
        (Stage.COLLECT_INFO, Stage.PICK_TARGET, cast.ae.pk),
        (Stage.PICK_TARGET, Stage.FIRST_MEETING, cast.ae.pk),
    ]
    assert transitions_of(prospect) == [
        (Stage.COLLECT_INFO, Stage.PICK_TARGET),
        (Stage.PICK_TARGET, Stage.FIRST_MEETING),
    ]


def test_it_moves_back_only_with_a_reason(prospect_at):
    prospect = prospect_at(Stage.RESEARCH)

    with pytest.raises(DomainError) as refused:
        move(prospect, Stage.PICK_TARGET)
    assert "note" in refused.value.fields
    prospect.refresh_from_db()
    assert prospect.stage == Stage.RESEARCH
    assert prospect.moves.count() == 2

    moved = move(prospect, Stage.PICK_TARGET, note="目标换了")
    assert moved.stage == Stage.PICK_TARGET
    last = moved.moves.last()
    assert (last.from_stage, last.to_stage, last.note) == (
        Stage.RESEARCH,
        Stage.PICK_TARGET,
        "目标换了",
    )
    assert AuditEntry.objects.filter(object_id=str(moved.pk), note="目标换了").exists()


@pytest.mark.parametrize(
    ("start", "to"),
    [
        (Stage.PITCH, Stage.WON),  # Winning creates the client: only through prospect_win.
        (Stage.RESEARCH, Stage.LOST),  # Losing needs its reason: only through prospect_lose.
        (Stage.RESEARCH, Stage.CONTRACT_SIGNED),  # No contract before the pitch is won.
        (Stage.RESEARCH, Stage.RESEARCH),  # Already there.
        (Stage.RESEARCH, "nowhere"),
    ],
)
def test_it_refuses_an_illegal_move_and_writes_nothing(prospect_at, start, to):
    prospect = prospect_at(start)
    moves_before = ProspectStageMove.objects.count()

    with pytest.raises(DomainError) as refused:
        move(prospect, to)

    assert "to" in refused.value.fields
    assert str(refused.value.message)
    prospect.refresh_from_db()
    assert prospect.stage == start
    assert ProspectStageMove.objects.count() == moves_before


def test_it_names_both_stages_in_the_refusal(prospect_at):
    prospect = prospect_at(Stage.RESEARCH)
    with pytest.raises(DomainError) as refused:
        move(prospect, Stage.CONTRACT_SIGNED)
    message = str(refused.value.message)
    assert str(Stage.RESEARCH.label) in message and str(Stage.CONTRACT_SIGNED.label) in message


def test_the_transitions_follow_the_seed_chain():
    assert Stage.WON in TRANSITIONS[Stage.PITCH]
    assert all(Stage.WON not in TRANSITIONS[s] for s in Stage if s != Stage.PITCH)
    assert TRANSITIONS[Stage.LOST] == set()
    assert TRANSITIONS[Stage.CONTRACT_SIGNED] == {Stage.NOTARISED, Stage.HANDED_OVER}


def test_a_stale_or_double_submit_records_one_move(prospect_at):
    prospect = prospect_at()
    seen_version = prospect.version

    services.prospect_move(
        actor=prospect.owner, prospect=prospect, expected_version=seen_version, to="pick_target"
    )
    with pytest.raises(Conflict):
        services.prospect_move(
            actor=prospect.owner,
            prospect=prospect,
            expected_version=seen_version,
            to="pick_target",
        )

    assert prospect.moves.filter(to_stage=Stage.PICK_TARGET).count() == 1
    assert len(transitions_of(prospect)) == 1


def test_a_double_submitted_form_records_one_move(prospect_at, login, cast):
    prospect = prospect_at()
    client = login(cast.ae)
    data = {"to": Stage.RESEARCH, "version": prospect.version, "note": ""}

    first = client.post(f"/pipeline/{prospect.pk}/move/", data)
    second = client.post(f"/pipeline/{prospect.pk}/move/", data)

    assert first.status_code == 302
    assert second.status_code == 409
    assert "form-errors" in second.content.decode()
    assert prospect.moves.filter(to_stage=Stage.RESEARCH).count() == 1


def test_it_refuses_moves_by_people_outside_the_owners_line(prospect_at, cast, clientele):
    prospect = prospect_at()
    with pytest.raises(NotAllowed):
        move(prospect, Stage.PICK_TARGET, actor=clientele.other_ae)
    with pytest.raises(NotAllowed):
        move(prospect, Stage.PICK_TARGET, actor=cast.designer)
    assert prospect.moves.count() == 1


def test_a_superior_and_the_gm_move_the_owners_prospect(prospect_at, team):
    prospect = prospect_at()
    prospect = move(prospect, Stage.PICK_TARGET, actor=team.ad)
    prospect = move(prospect, Stage.RESEARCH, actor=team.gm)
    assert list(prospect.moves.values_list("by", flat=True)) == [
        team.ae.pk,
        team.ad.pk,
        team.gm.pk,
    ]


def test_it_reopens_a_lost_prospect_at_the_stage_it_was_lost(prospect_at):
    prospect = prospect_at(Stage.CREDENTIALS)
    lost = services.prospect_lose(
        actor=prospect.owner,
        prospect=prospect,
        expected_version=prospect.version,
        reason="预算砍了",
    )
    with pytest.raises(DomainError) as refused:
        services.prospect_reopen(
            actor=lost.owner, prospect=lost, expected_version=lost.version, reason=""
        )
    assert "reason" in refused.value.fields

    reopened = services.prospect_reopen(
        actor=lost.owner, prospect=lost, expected_version=lost.version, reason="客户重新招标"
    )

    assert reopened.stage == Stage.CREDENTIALS
    assert reopened.closed_at is None
    last = reopened.moves.last()
    assert (last.from_stage, last.to_stage, last.note) == (
        Stage.LOST,
        Stage.CREDENTIALS,
        "客户重新招标",
    )
    assert transitions_of(reopened)[-1] == (Stage.LOST, Stage.CREDENTIALS)


def test_it_moves_a_won_prospect_on_to_the_contract_and_hand_over(prospect_at):
    prospect = prospect_at(Stage.PITCH)
    services.prospect_win(
        actor=prospect.owner, prospect=prospect, expected_version=prospect.version, code="TSING"
    )
    prospect = Prospect.objects.get(pk=prospect.pk)
    prospect = move(prospect, Stage.CONTRACT_SIGNED)
    prospect = move(prospect, Stage.HANDED_OVER)
    assert prospect.stage == Stage.HANDED_OVER
    with pytest.raises(DomainError):
        move(prospect, Stage.PITCH, note="回到比稿")


needs_postgres = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="needs PostgreSQL for concurrent connections"
)


@pytest.mark.postgres
@needs_postgres
def test_a_concurrent_double_move_ends_with_exactly_one_move(cast, transactional_db, prospect_at):
    prospect = prospect_at()
    data = {"to": Stage.RESEARCH, "version": prospect.version}
    start = threading.Barrier(4)
    statuses: list[int] = []

    def send():
        client = Client()
        client.force_login(cast.ae)
        try:
            start.wait(10)
            statuses.append(client.post(f"/pipeline/{prospect.pk}/move/", data).status_code)
        finally:
            connection.close()

    threads = [threading.Thread(target=send) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(20)

    assert sorted(statuses) == [302, 409, 409, 409]
    assert prospect.moves.filter(to_stage=Stage.RESEARCH).count() == 1
    prospect.refresh_from_db()
    assert (prospect.stage, prospect.version) == (Stage.RESEARCH, 2)
