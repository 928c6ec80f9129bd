"""Service teams of a client and its brands: who may change them, and the rules."""

from datetime import timedelta

import pytest
from django.utils import timezone, translation

from jobbag.accounts.models import ClientGroup, Role, ServiceTeamMembership
from jobbag.accounts.tests.factories import staff
from jobbag.clients.services import team_member_add, team_member_end
from jobbag.clients.services.teams import NOT_ACCOUNT_PERSON, TEAM_DUPLICATE
from jobbag.core.errors import Conflict, DomainError, NotAllowed
from jobbag.core.models import AuditEntry


@pytest.fixture
def am(db):
    return staff("am", Role.AM, full_name="吴磊")


def test_it_adds_an_am_to_a_client_team(cast, clientele, am):
    membership = team_member_add(
        actor=cast.ae, company=clientele.company, user=am, team_role=Role.AM
    )

    assert membership.company == clientele.company and membership.ends_on is None
    assert AuditEntry.objects.filter(object_id=str(membership.pk), action="create", actor=cast.ae)


def test_it_adds_someone_to_a_brand_team(cast, clientele, am):
    membership = team_member_add(actor=cast.ae, brand=clientele.brand, user=am, team_role="am")
    assert membership.brand == clientele.brand and membership.company is None


def test_it_refuses_bad_members_and_writes_nothing(cast, clientele):
    with pytest.raises(DomainError) as error:
        team_member_add(
            actor=cast.ae, company=clientele.company, user=cast.client, team_role="designer"
        )
    assert set(error.value.fields) == {"user", "team_role"}

    with pytest.raises(DomainError) as duplicate:
        team_member_add(actor=cast.ad, company=clientele.company, user=cast.ae, team_role="ae")
    assert "user" in duplicate.value.fields
    assert ServiceTeamMembership.objects.count() == 3
    assert not AuditEntry.objects.exists()


def test_only_those_who_may_edit_the_client_change_its_team(cast, clientele, am):
    for outsider in (clientele.other_ae, cast.designer, cast.client):
        with pytest.raises(NotAllowed):
            team_member_add(actor=outsider, company=clientele.company, user=am, team_role="am")


def test_it_ends_a_membership_and_keeps_the_row(cast, clientele):
    membership = ServiceTeamMembership.objects.get(user=cast.ad, company=clientele.company)
    today = timezone.localdate()

    with pytest.raises(DomainError) as early:
        team_member_end(
            actor=cast.ae, membership=membership, ends_on=membership.starts_on - timedelta(1)
        )
    assert "ends_on" in early.value.fields

    team_member_end(actor=cast.ae, membership=membership, ends_on=today)
    membership.refresh_from_db()
    assert membership.ends_on == today
    assert AuditEntry.objects.filter(object_id=str(membership.pk), action="change").count() == 1
    with pytest.raises(Conflict):
        team_member_end(actor=cast.ae, membership=membership)


def test_a_client_group_membership_is_not_ended_from_a_client(cast, clientele):
    group = ClientGroup.objects.create(code="fridge", name_zh="冰箱组")
    membership = ServiceTeamMembership.objects.create(
        client_group=group, user=cast.ae, team_role="ae"
    )
    with pytest.raises(NotAllowed):
        team_member_end(actor=cast.gm, membership=membership)


def test_the_team_forms_on_the_company_page(cast, clientele, login, am):
    client = login(cast.ae)
    url = f"/clients/{clientele.company.pk}/"

    added = client.post(f"{url}team/add/", {"user": am.pk, "team_role": "am"})
    assert added.status_code == 302
    membership = ServiceTeamMembership.objects.get(user=am)
    page = client.get(url)
    assert am in [m.user for m in page.context["team"]]

    refused = client.post(f"{url}team/add/", {"user": am.pk, "team_role": "am"}, follow=True)
    with translation.override("zh-hans"):
        assert str(TEAM_DUPLICATE) in refused.content.decode()
    assert ServiceTeamMembership.objects.filter(user=am).count() == 1

    ended = client.post(f"/clients/team/{membership.pk}/end/", {})
    assert ended.status_code == 302
    membership.refresh_from_db()
    # The last day on the team is inclusive: the row shows its end date until then.
    assert membership.ends_on == timezone.localdate()
    shown = {m.user: m.ends_on for m in client.get(url).context["team"]}
    assert shown[am] == timezone.localdate()


def test_staff_outside_the_team_cannot_use_the_team_forms(cast, clientele, login, am):
    membership = ServiceTeamMembership.objects.get(user=cast.ad)
    other = login(clientele.other_ae)
    assert (
        other.post(
            f"/clients/{clientele.company.pk}/team/add/", {"user": am.pk, "team_role": "am"}
        ).status_code
        == 403
    )
    assert other.post(f"/clients/team/{membership.pk}/end/").status_code == 404
    assert other.get(f"/clients/{clientele.company.pk}/team/add/").status_code == 405
    membership.refresh_from_db()
    assert membership.ends_on is None and not ServiceTeamMembership.objects.filter(user=am)


def test_only_account_people_join_a_service_team(cast, clientele):
    with pytest.raises(DomainError) as refused:
        team_member_add(
            actor=cast.ae, company=clientele.company, user=cast.designer, team_role="ae"
        )

    assert refused.value.fields == {"user": NOT_ACCOUNT_PERSON}
    assert not ServiceTeamMembership.objects.filter(user=cast.designer).exists()
