"""Change notices (变更): written after dispatch only, numbered per job, signed by the
client's AD, then applied to the requirements and acknowledged by each department."""

import datetime

import pytest
from django.core import mail
from django.utils import timezone

from jobbag.approvals.models import SignoffStatus
from jobbag.core.errors import Conflict, DomainError, NotAllowed
from jobbag.core.models import AuditEntry, Notification
from jobbag.jobs.models import Acknowledgement, ChangeNotice
from jobbag.jobs.selectors.changes import diff_rows, history_of, text_diff
from jobbag.jobs.services import changes as services
from jobbag.jobs.services.acknowledgements import acknowledgement_confirm
from jobbag.jobs.tests.changes_support import dispatch, sign

pytestmark = pytest.mark.django_db


def _create(chain, cast, **extra):
    values = {
        "actor": cast.ae,
        "job": chain.job,
        "what": "展架尺寸改为 2.4m",
        "why": "客户门店层高变化",
        "requested_by": "孙丽",
        "requested_on": timezone.localdate(),
        "changes": {"materials": "展架 2.4m×1m，KT板", "launch_date": "2026-12-20"},
        "departments": [chain.design, chain.purchasing],
    }
    values.update(extra)
    return services.change_notice_create(**values)


def test_it_refuses_a_change_before_dispatch(chain, cast):
    with pytest.raises(DomainError) as refused:
        _create(chain, cast)
    assert refused.value.message == services.NOT_DISPATCHED
    assert not ChangeNotice.objects.exists()


def test_it_numbers_notices_per_job_and_stores_the_diff(chain, cast):
    chain.job.materials = "展架 2m×1m"
    chain.job.save(update_fields=["materials"])
    dispatch(chain, cast)
    first = _create(chain, cast)
    second = _create(chain, cast, changes={"theme": "新品上市"})  # Unchanged: dropped.
    assert (first.number, second.number) == (1, 2)
    assert first.changes == {
        "launch_date": [None, "2026-12-20"],
        "materials": ["展架 2m×1m", "展架 2.4m×1m，KT板"],
    }
    assert second.changes == {}
    assert str(first) == "HAIER-2026-0001 " + chain.job.title + " · CN-1"
    assert AuditEntry.objects.filter(object_id=str(first.pk), action="create").exists()


def test_it_requires_what_why_who_and_a_department(chain, cast):
    dispatch(chain, cast)
    with pytest.raises(DomainError) as refused:
        _create(
            chain,
            cast,
            what=" ",
            why="",
            requested_by="",
            departments=[],
            changes={"budget": "1"},
        )
    assert set(refused.value.fields) == {
        "what",
        "why",
        "requested_by",
        "departments",
        "changes",
    }
    with pytest.raises(DomainError) as refused:
        _create(chain, cast, changes={"launch_date": "not a date"})
    assert refused.value.fields == {"launch_date": services.DATE_INVALID}
    assert not ChangeNotice.objects.exists()


def test_only_those_who_edit_the_job_write_notices(chain, cast):
    dispatch(chain, cast)
    with pytest.raises(NotAllowed):
        _create(chain, cast, actor=cast.designer)
    with pytest.raises(NotAllowed):
        _create(chain, cast, actor=chain.design_head)


def test_a_signed_notice_applies_and_is_acknowledged_by_two_departments(chain, cast):
    dispatch(chain, cast)
    chain.job.launch_date = datetime.date(2026, 12, 1)
    chain.job.save(update_fields=["launch_date"])
    notice = _create(chain, cast)
    approval = services.change_notice_submit(actor=cast.ae, notice=notice)
    assert approval.document_type == "change_notice"
    sign(notice, cast)
    notice.refresh_from_db()
    chain.job.refresh_from_db()
    assert notice.signoff_status == SignoffStatus.APPROVED
    assert notice.sent_at is not None
    assert chain.job.launch_date == datetime.date(2026, 12, 20)
    assert chain.job.materials == "展架 2.4m×1m，KT板"
    entry = AuditEntry.objects.get(object_id=str(chain.job.pk), note__contains="CN-1")
    assert entry.changes["launch_date"] == ["2026-12-01", "2026-12-20"]
    acks = list(Acknowledgement.objects.filter(change_notice=notice).order_by("department__code"))
    assert [a.department for a in acks] == [chain.design, chain.purchasing]
    # The departments hear of it in the app and by e-mail.
    assert Notification.objects.filter(recipient=chain.design_head).exists()
    assert any(chain.purchasing_head.email in m.to for m in mail.outbox)
    acknowledgement_confirm(actor=cast.designer, acknowledgement=acks[0])
    acknowledgement_confirm(actor=chain.purchasing_head, acknowledgement=acks[1])
    view = history_of(chain.job)[0]
    assert [ack.acknowledged_by for ack, _late in view.acknowledgements] == [
        cast.designer,
        chain.purchasing_head,
    ]
    assert [late for _ack, late in view.acknowledgements] == [False, False]
    assert view.approval.pk == approval.pk
    # Applying twice (a replayed close) changes nothing more.
    services.change_notice_apply(notice=notice, actor=cast.ad)
    assert Acknowledgement.objects.filter(change_notice=notice).count() == 2


def test_the_diff_keeps_what_it_was_when_another_notice_changed_the_field(chain, cast):
    dispatch(chain, cast)
    first = _create(chain, cast, changes={"materials": "KT板"})
    second = _create(chain, cast, changes={"materials": "亚克力"})
    for notice in (second, first):
        services.change_notice_submit(actor=cast.ae, notice=notice)
        sign(notice, cast)
    chain.job.refresh_from_db()
    assert chain.job.materials == "KT板"  # The last signed wins.
    first.refresh_from_db()
    assert first.changes == {"materials": ["", "KT板"]}


def test_a_stale_or_signed_notice_is_not_edited(chain, cast):
    dispatch(chain, cast)
    notice = _create(chain, cast)
    values = {
        "what": "改尺寸",
        "why": "门店",
        "requested_by": "孙丽",
        "requested_on": timezone.localdate(),
        "changes": {"effect": "醒目"},
        "departments": [chain.design],
    }
    updated = services.change_notice_update(
        actor=cast.ae, notice=notice, expected_version=notice.version, **values
    )
    assert updated.changes == {"effect": ["", "醒目"]}
    assert list(updated.departments.all()) == [chain.design]
    with pytest.raises(Conflict):
        services.change_notice_update(actor=cast.ae, notice=notice, expected_version=1, **values)
    services.change_notice_submit(actor=cast.ae, notice=updated)
    with pytest.raises(DomainError) as refused:
        services.change_notice_update(
            actor=cast.ae, notice=updated, expected_version=updated.version, **values
        )
    assert refused.value.message == services.NOT_EDITABLE


def test_a_returned_notice_edited_becomes_its_next_revision(chain, cast):
    from jobbag.approvals.selectors import current_approval
    from jobbag.approvals.services import approval_decide

    dispatch(chain, cast)
    notice = _create(chain, cast)
    services.change_notice_submit(actor=cast.ae, notice=notice)
    approval_decide(
        actor=cast.ad, approval=current_approval(notice), outcome="return", reason="写清楚"
    )
    notice.refresh_from_db()
    updated = services.change_notice_update(
        actor=cast.ae,
        notice=notice,
        expected_version=notice.version,
        what="展架尺寸改为 2.4m，数量不变",
        why=notice.why,
        requested_by=notice.requested_by,
        requested_on=notice.requested_on,
        changes={"materials": "KT板"},
        departments=[chain.design],
    )
    assert updated.revision == 2
    services.change_notice_submit(actor=cast.ae, notice=updated)
    assert current_approval(updated).revision == 2


def test_text_diff_marks_deleted_and_inserted_words():
    segments = text_diff("red poster 2m", "blue poster 2m")
    assert [(s.kind, s.text) for s in segments] == [
        ("deleted", "red"),
        ("inserted", "blue"),
        ("same", " poster 2m"),
    ]
    chinese = text_diff("展架两米", "展架三米")
    assert ("deleted", "两") in [(s.kind, s.text) for s in chinese]
    assert ("inserted", "三") in [(s.kind, s.text) for s in chinese]
    rows = diff_rows({"launch_date": [None, "2026-12-20"], "theme": ["a", "b"]})
    assert [row.field for row in rows] == ["theme", "launch_date"]
    assert rows[1].segments == [] and rows[1].after == "2026-12-20"
