"""Authority limits are data: which position may approve which document type up to which
amount, and who may approve as a deputy."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from jobbag.accounts import services
from jobbag.accounts.models import AuthorityLimit
from jobbag.accounts.selectors import approval_authority
from jobbag.accounts.services import common as messages
from jobbag.core.audit import history_for
from jobbag.core.errors import Conflict, DomainError, NotAllowed
from jobbag.core.models import AuditEntry

TODAY = timezone.localdate()


@pytest.fixture
def limits(cast):
    """The quote ladder of SPEC §4: the AD up to 50,000, the GM without limit."""
    return {
        "ad": services.authority_limit_set(
            actor=cast.admin,
            position=cast.ad.position,
            document_type="quote",
            max_amount=Decimal("50000"),
        ),
        "gm": services.authority_limit_set(
            actor=cast.admin, position=cast.gm.position, document_type="quote", max_amount=None
        ),
    }


def test_a_position_approves_up_to_its_limit(cast, limits):
    allowed = approval_authority(cast.ad, "quote", Decimal("50000"))
    too_much = approval_authority(cast.ad, "quote", Decimal("50000.01"))

    assert allowed and allowed.acting_as == cast.ad and allowed.limit == limits["ad"]
    assert allowed.on_behalf_of is None
    assert not too_much and too_much.acting_as is None


def test_no_limit_means_no_upper_bound_and_no_row_means_no_authority(cast, limits):
    assert approval_authority(cast.gm, "quote", Decimal("99999999"))
    assert not approval_authority(cast.ae, "quote", Decimal("1"))
    assert not approval_authority(cast.gm, "invoice", Decimal("1"))
    assert not approval_authority(cast.gm, "quote", Decimal("1"), currency="USD")
    assert not approval_authority(cast.client, "quote", Decimal("1"))


def test_a_deputy_approves_with_the_principals_limit_during_the_absence_only(cast, limits):
    services.deputy_create(
        actor=cast.gm,
        principal=cast.gm,
        deputy=cast.ae,
        starts_on=TODAY,
        ends_on=TODAY + timedelta(days=2),
    )

    today = approval_authority(cast.ae, "quote", Decimal("200000"))
    after = approval_authority(cast.ae, "quote", Decimal("200000"), on=TODAY + timedelta(days=3))

    assert today and today.acting_as == cast.gm and today.on_behalf_of == cast.gm
    assert not after


def test_the_users_own_limit_comes_before_a_principals(cast, limits):
    services.deputy_create(
        actor=cast.gm, principal=cast.gm, deputy=cast.ad, starts_on=TODAY, ends_on=TODAY
    )

    small = approval_authority(cast.ad, "quote", Decimal("100"))
    large = approval_authority(cast.ad, "quote", Decimal("100000"))

    assert small.acting_as == cast.ad and small.on_behalf_of is None
    assert large.acting_as == cast.gm


def test_it_answers_in_two_queries(cast, limits, django_assert_num_queries):
    with django_assert_num_queries(2):
        approval_authority(cast.ae, "quote", Decimal("10"))


def test_changing_a_limit_needs_the_current_version(cast, limits):
    limit = limits["ad"]

    services.authority_limit_set(
        actor=cast.admin,
        position=cast.ad.position,
        document_type="quote",
        max_amount=Decimal("80000"),
        expected_version=1,
    )
    with pytest.raises(Conflict):
        services.authority_limit_set(
            actor=cast.admin,
            position=cast.ad.position,
            document_type="quote",
            max_amount=Decimal("1"),
            expected_version=1,
        )

    limit.refresh_from_db()
    assert limit.max_amount == Decimal("80000") and limit.version == 2
    assert history_for(limit).first().changes == {"max_amount": ["50000.00", "80000"]}


def test_a_second_limit_for_the_same_position_and_type_is_refused(cast, limits):
    with pytest.raises(DomainError) as refused:
        services.authority_limit_set(
            actor=cast.admin,
            position=cast.ad.position,
            document_type="quote",
            max_amount=Decimal("1"),
        )
    assert refused.value.fields == {"document_type": messages.LIMIT_EXISTS}


def test_it_refuses_bad_limits_on_the_page_and_writes_nothing(cast, login):
    response = login(cast.admin).post(
        "/accounts/manage/authority/new/",
        {
            "position": cast.ad.position.pk,
            "document_type": "Quote Big!",
            "currency": "R1B",
            "max_amount": "-5",
        },
    )

    assert response.status_code == 200
    errors = response.context["form"].errors
    assert set(errors) == {"document_type", "currency", "max_amount"}
    assert not AuthorityLimit.objects.exists()


def test_it_creates_edits_and_removes_a_limit_through_the_pages(cast, login):
    client = login(cast.admin)

    response = client.post(
        "/accounts/manage/authority/new/",
        {"position": cast.ad.position.pk, "document_type": "work_order", "currency": "cny"},
    )

    limit = AuthorityLimit.objects.get()
    assert response.status_code == 302
    assert (limit.document_type, limit.currency, limit.max_amount) == ("work_order", "CNY", None)

    response = client.post(
        f"/accounts/manage/authority/{limit.pk}/",
        {"max_amount": "30000", "version": limit.version, "position": cast.gm.position.pk},
    )

    assert response.status_code == 302
    limit.refresh_from_db()
    # The position is fixed on the edit page: a tampered value is ignored.
    assert limit.max_amount == Decimal("30000") and limit.position == cast.ad.position
    page = client.get(f"/accounts/manage/authority/{limit.pk}/")
    assert 'data-testid="history"' in page.content.decode()

    stale = client.post(f"/accounts/manage/authority/{limit.pk}/remove/", {"version": 1})
    assert stale.status_code == 302 and AuthorityLimit.objects.filter(pk=limit.pk).exists()

    response = client.post(f"/accounts/manage/authority/{limit.pk}/remove/", {"version": 2})

    assert response.status_code == 302
    assert not AuthorityLimit.objects.exists()
    removal = history_for(limit).first()
    assert removal.action == AuditEntry.Action.DELETE
    assert removal.changes["max_amount"] == ["30000.00", None]


def test_only_admins_set_limits(cast):
    with pytest.raises(NotAllowed):
        services.authority_limit_set(
            actor=cast.gm, position=cast.gm.position, document_type="quote", max_amount=None
        )
    assert not AuthorityLimit.objects.exists()
