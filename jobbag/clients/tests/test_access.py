"""Who sees a client's confidential file: its team, their superiors, deputies, management."""

from datetime import timedelta

from django.utils import timezone

from jobbag.accounts.models import ClientGroup, Deputy, Role, ServiceTeamMembership, User
from jobbag.accounts.tests.factories import staff
from jobbag.clients.models import Company, Contact
from jobbag.clients.permissions import confidential_company_ids
from jobbag.core.permissions import can, visible


def sees(user, company) -> bool:
    return can(user, "clients.company.view_confidential", company)


def test_the_team_sees_its_client_and_others_see_the_name_only(cast, clientele):
    assert sees(cast.ae, clientele.company) and sees(cast.ad, clientele.company)
    assert not sees(clientele.other_ae, clientele.company)
    assert not sees(cast.designer, clientele.company)
    # Every staff member may still find the company by name.
    assert can(cast.designer, "clients.company.view", clientele.company)
    assert clientele.company in visible(cast.designer, Company.objects.all())
    assert clientele.contact not in visible(clientele.other_ae, Contact.objects.all())
    assert clientele.contact in visible(cast.ae, Contact.objects.all())


def test_management_sees_every_client(cast, clientele):
    assert confidential_company_ids(cast.gm) is None
    assert sees(cast.gm, clientele.other_company)


def test_superiors_up_the_reporting_line_see_what_their_team_sees(cast, clientele):
    gad = staff("gad", Role.GAD)
    middle = staff("am", Role.AM, reports_to=gad)
    User.objects.filter(pk=cast.ae.pk).update(reports_to=middle)

    assert sees(gad, clientele.company) and sees(middle, clientele.company)
    assert not sees(gad, clientele.other_company)


def test_a_deputy_sees_what_the_absent_colleague_sees_while_deputising(cast, clientele):
    today = timezone.localdate()
    stand_in = clientele.other_ae
    Deputy.objects.create(
        principal=cast.ae, deputy=stand_in, starts_on=today, ends_on=today, created_by=cast.ae
    )
    assert sees(stand_in, clientele.company)

    Deputy.objects.filter(deputy=stand_in).update(
        starts_on=today - timedelta(days=5), ends_on=today - timedelta(days=1)
    )
    assert not sees(stand_in, clientele.company)


def test_a_client_group_serves_the_companies_and_brands_assigned_to_it(cast, clientele):
    group = ClientGroup.objects.create(code="fridge", name_zh="冰箱组")
    group.members.add(cast.designer)
    clientele.brand.client_group = group
    clientele.brand.save(update_fields=["client_group"])

    assert sees(cast.designer, clientele.company)


def test_an_ended_membership_no_longer_counts(cast, clientele):
    yesterday = timezone.localdate() - timedelta(days=1)
    ServiceTeamMembership.objects.filter(user=cast.ae).update(
        starts_on=yesterday - timedelta(days=30), ends_on=yesterday
    )
    assert not sees(cast.ae, clientele.company)


def test_client_users_see_only_their_own_company(cast, clientele):
    assert list(visible(cast.client, Company.objects.all())) == [clientele.company]
    assert list(visible(cast.outsider, Company.objects.all())) == [clientele.other_company]
    assert not can(cast.outsider, "clients.company.view", clientele.company)
    assert not sees(cast.client, clientele.company)
    assert clientele.contact not in visible(cast.outsider, Contact.objects.all())


def test_only_account_people_management_and_admins_create_clients(cast):
    assert can(cast.ae, "clients.company.create") and can(cast.gm, "clients.company.create")
    assert can(cast.admin, "clients.company.create")
    assert not can(cast.designer, "clients.company.create")
    assert not can(cast.client, "clients.company.create")
