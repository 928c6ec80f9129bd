"""Deputies (职务代理人): a staff member names who acts for them while they are away."""

from datetime import timedelta

import pytest
from django.utils import timezone

from jobbag.accounts import services
from jobbag.accounts.models import Deputy, User
from jobbag.accounts.services import common as messages
from jobbag.core.audit import history_for
from jobbag.core.errors import Conflict, DomainError, NotAllowed
from jobbag.core.models import AuditEntry
from jobbag.core.testing import Case, run_permission_matrix

TODAY = timezone.localdate()


def days(n: int):
    return TODAY + timedelta(days=n)


def name_deputy(principal, deputy, start=0, end=4, actor=None) -> Deputy:
    return services.deputy_create(
        actor=actor or principal,
        principal=principal,
        deputy=deputy,
        starts_on=days(start),
        ends_on=days(end),
    )


def test_it_names_my_own_deputy_through_the_page(cast, login):
    response = login(cast.ae).post(
        "/accounts/deputies/",
        {
            "deputy": cast.ad.pk,
            "starts_on": days(1).isoformat(),
            "ends_on": days(5).isoformat(),
            "reason": "年假",
        },
    )

    assert response.status_code == 302 and response["Location"] == "/accounts/deputies/"
    record = Deputy.objects.get()
    assert (record.principal, record.deputy, record.created_by) == (cast.ae, cast.ad, cast.ae)
    assert record.reason == "年假" and record.state == "upcoming"
    entry = history_for(record).get()
    assert entry.action == AuditEntry.Action.CREATE and entry.actor == cast.ae


def test_my_deputies_page_shows_whom_i_named_and_for_whom_i_act_today(cast, login):
    name_deputy(cast.ae, cast.ad, start=-1, end=3)
    name_deputy(cast.gm, cast.ae, start=0, end=0)

    response = login(cast.ae).get("/accounts/deputies/")

    assert response.status_code == 200
    assert [r.deputy for r in response.context["open"]] == [cast.ad]
    assert [r.principal for r in response.context["acting_for"]] == [cast.gm]
    body = response.content.decode()
    assert "李娜" in body and "张伟" in body


@pytest.mark.parametrize(
    ("field", "start", "end", "with_deputy"),
    [
        ("ends_on", 5, 2, True),
        ("deputy", 1, 3, False),
        ("starts_on", None, 3, True),
    ],
)
def test_it_refuses_bad_deputy_input_on_the_page_and_writes_nothing(
    cast, login, field, start, end, with_deputy
):
    response = login(cast.ae).post(
        "/accounts/deputies/",
        {
            "deputy": cast.ad.pk if with_deputy else "",
            "starts_on": days(start).isoformat() if start is not None else "",
            "ends_on": days(end).isoformat(),
        },
    )

    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert not Deputy.objects.exists()
    assert not AuditEntry.objects.filter(content_type__model="deputy").exists()


def test_it_refuses_myself_or_an_inactive_colleague_as_deputy(cast):
    cast.finance.is_active = False
    cast.finance.save()

    # The page offers neither; a caller of the service could still try.
    for deputy, message in (
        (cast.ae, messages.DEPUTY_SELF),
        (cast.finance, messages.NOT_ACTIVE_STAFF),
    ):
        with pytest.raises(DomainError) as refused:
            name_deputy(cast.ae, deputy)
        assert refused.value.fields == {"deputy": message}
    assert not Deputy.objects.exists()


def test_it_refuses_an_overlapping_range_for_the_same_absence(cast):
    name_deputy(cast.ae, cast.ad, start=1, end=5)

    with pytest.raises(DomainError) as refused:
        name_deputy(cast.ae, cast.gm, start=5, end=8)

    assert "starts_on" in refused.value.fields
    assert days(1).isoformat() in str(refused.value.fields["starts_on"])
    assert Deputy.objects.count() == 1


def test_ranges_that_touch_no_day_in_common_are_fine_and_cancelled_ones_do_not_count(cast):
    first = name_deputy(cast.ae, cast.ad, start=1, end=5)
    name_deputy(cast.ae, cast.gm, start=6, end=8)
    services.deputy_cancel(actor=cast.ae, record=first)

    name_deputy(cast.ae, cast.designer, start=2, end=3)

    assert Deputy.objects.filter(principal=cast.ae, cancelled_at__isnull=True).count() == 2


def test_a_staff_member_cannot_name_a_deputy_for_someone_else(cast):
    with pytest.raises(NotAllowed):
        name_deputy(cast.ad, cast.ae, actor=cast.ae)
    assert not Deputy.objects.exists()


def test_an_admin_names_a_deputy_for_anyone(cast, login):
    response = login(cast.admin).post(
        "/accounts/manage/deputies/new/",
        {
            "principal": cast.gm.pk,
            "deputy": cast.ad.pk,
            "starts_on": days(0).isoformat(),
            "ends_on": days(2).isoformat(),
        },
    )

    assert response.status_code == 302
    record = Deputy.objects.get()
    assert record.principal == cast.gm and record.created_by == cast.admin
    assert history_for(record).get().actor == cast.admin
    listing = login(cast.admin).get("/accounts/manage/deputies/")
    assert [r.pk for r in listing.context["page_obj"]] == [record.pk]


def test_it_cancels_my_deputy_and_keeps_the_row(cast, login):
    record = name_deputy(cast.ae, cast.ad, start=0, end=3)

    response = login(cast.ae).post(f"/accounts/deputies/{record.pk}/cancel/")

    assert response.status_code == 302
    record.refresh_from_db()
    assert record.cancelled_at is not None and record.state == "cancelled"
    entry = history_for(record).first()
    assert entry.action == AuditEntry.Action.TRANSITION
    assert entry.changes == {"status": ["current", "cancelled"]}
    assert not services.is_deputy_for(deputy=cast.ad, principal=cast.ae)


def test_cancelling_twice_or_an_ended_arrangement_is_refused(cast):
    record = name_deputy(cast.ae, cast.ad, start=0, end=3)
    services.deputy_cancel(actor=cast.ae, record=record)
    ended = name_deputy(cast.ae, cast.ad, start=-10, end=-5)

    with pytest.raises(Conflict):
        services.deputy_cancel(actor=cast.ae, record=record)
    with pytest.raises(Conflict):
        services.deputy_cancel(actor=cast.ae, record=ended)
    assert Deputy.objects.get(pk=ended.pk).cancelled_at is None


def test_the_deputy_cannot_cancel_and_others_cannot_see_it(cast, login):
    record = name_deputy(cast.ae, cast.ad, start=0, end=3)

    as_deputy = login(cast.ad).post(f"/accounts/deputies/{record.pk}/cancel/")
    as_stranger = login(cast.designer).post(f"/accounts/deputies/{record.pk}/cancel/")
    as_client = login(cast.client).post(f"/accounts/deputies/{record.pk}/cancel/")

    assert as_deputy.status_code == 403
    assert as_stranger.status_code == 404
    assert as_client.status_code == 404
    record.refresh_from_db()
    assert record.cancelled_at is None


def test_deputies_on_and_principals_on_follow_the_dates(cast):
    name_deputy(cast.ae, cast.ad, start=2, end=4)

    assert list(services.deputies_on(days(3), principal=cast.ae)) == [cast.ad]
    assert list(services.deputies_on(days(5), principal=cast.ae)) == []
    assert list(services.principals_on(days(2), deputy=cast.ad)) == [cast.ae]
    assert list(services.principals_on(days(1), deputy=cast.ad)) == []


def test_my_deputies_is_for_staff_only(cast):
    record = name_deputy(cast.ae, cast.ad, start=0, end=3)
    cases = [Case("anonymous", "GET", "/accounts/deputies/", 302)]
    # Client users meet 404 on every staff page: the portal isolates them.
    cases += [Case(role, "GET", "/accounts/deputies/", 404) for role in ("client", "outsider")]
    cases += [
        Case(role, "GET", "/accounts/deputies/", 200)
        for role in ("ae", "ad", "designer", "gm", "admin")
    ]
    cases += [
        Case("anonymous", "POST", f"/accounts/deputies/{record.pk}/cancel/", 302),
        Case("client", "POST", f"/accounts/deputies/{record.pk}/cancel/", 404),
        Case("outsider", "POST", f"/accounts/deputies/{record.pk}/cancel/", 404),
        Case("designer", "POST", f"/accounts/deputies/{record.pk}/cancel/", 404),
        Case("ad", "POST", f"/accounts/deputies/{record.pk}/cancel/", 403),
        Case("anonymous", "GET", f"/accounts/deputies/{record.pk}/cancel/", 302),
        Case("ae", "GET", f"/accounts/deputies/{record.pk}/cancel/", 405),
    ]

    run_permission_matrix(cast, cases)

    assert Deputy.objects.get(pk=record.pk).cancelled_at is None
    assert User.objects.filter(username="client", deputies__isnull=False).count() == 0
