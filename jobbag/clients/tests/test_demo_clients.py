"""The demo clients that `seed_demo` loads with the demo agency."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from jobbag.accounts.models import ServiceTeamMembership, User
from jobbag.clients.models import (
    Brand,
    Company,
    CompetitorReview,
    Contact,
    ContactLogEntry,
    MarketOverview,
)
from jobbag.clients.permissions import may_see_confidential
from jobbag.core.models import AuditEntry


@pytest.fixture
def seeded(db, settings):
    # The demo's password hashes are not under test here.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    out = StringIO()
    call_command("seed_demo", "--scale=2", stdout=out)
    return out.getvalue()


def test_it_loads_the_demo_clients_through_the_services(seeded):
    assert "Demo clients loaded: 6 companies." in seeded
    haier = Company.objects.get(code="HAIER")
    assert haier.name == "海尔集团" and haier.is_key_client and "haier" in haier.search
    assert set(haier.brands.values_list("name", flat=True)) == {"海尔冰箱", "海尔洗衣机"}
    assert Brand.objects.get(name="海尔冰箱").client_group.code == "fridge"

    # Each sportswear brand is served by its own client group.
    sports = Company.objects.get(code="DONGGAN")
    groups = dict(sports.brands.values_list("name_en", "client_group__code"))
    assert groups == {"Nike": "nike", "Converse": "converse", "Puma": "puma"}

    # The org chart: the marketing director reports to the chairman, and so on down.
    sunli = Contact.objects.get(company=haier, name="孙丽")
    assert sunli.reports_to.name == "刘建国"
    assert Contact.objects.get(company=haier, name="陈晓").reports_to.name == "王海"
    assert Contact.objects.filter(company=haier).count() == 6

    # Everything was written through the services: audited, by the administrator.
    admin = User.objects.get(username="admin")
    for model, count in (("company", 6), ("brand", 9), ("contact", 17)):
        assert (
            AuditEntry.objects.filter(
                content_type__model=model, action="create", actor=admin
            ).count()
            == count
        )


def test_it_gives_the_demo_clients_teams_a_dossier_and_a_contact_log(seeded):
    haier = Company.objects.get(code="HAIER")
    team = set(
        ServiceTeamMembership.objects.filter(company=haier).values_list("user__username", flat=True)
    )
    assert team == {"lina", "zhouting", "xuli"}
    assert ServiceTeamMembership.objects.filter(brand__name="海尔洗衣机").count() == 2
    xuli, tangxin = User.objects.get(username="xuli"), User.objects.get(username="tangxin")
    assert may_see_confidential(xuli, haier)
    assert not may_see_confidential(xuli, Company.objects.get(code="DONGGAN"))
    assert may_see_confidential(tangxin, Company.objects.get(code="DONGGAN"))

    fridge = Brand.objects.get(name="海尔冰箱")
    assert MarketOverview.objects.get(brand=fridge).share.startswith("零售量份额")
    assert CompetitorReview.objects.get(brand=fridge).brand_product.startswith("美的冰箱")
    log = ContactLogEntry.objects.filter(company=haier)
    assert log.count() == 2 and all(entry.created_by == xuli for entry in log)
    assert log.filter(next_step__gt="").count() == 2


def test_it_generates_four_clients_with_ten_people_per_scale_step(seeded):
    generated = Company.objects.filter(code__startswith="G")
    assert generated.count() == 8
    for company in generated:
        people = list(company.contacts.all())
        assert len(people) == 10 and company.search
        bosses = [p for p in people if p.reports_to_id is None]
        assert len(bosses) == 1
        assert all(p.reports_to_id == bosses[0].pk for p in people if p is not bosses[0])
        assert all(p.search and p.mobile in p.search for p in people)
        assert 1 <= company.brands.count() <= 3


def test_it_does_not_load_the_demo_clients_twice(seeded):
    out = StringIO()
    call_command("seed_demo", "--clients=3", stdout=out)

    assert "Demo clients loaded" not in out.getvalue()
    assert Company.objects.filter(code="HAIER").count() == 1
    assert Company.objects.filter(code__startswith="G").count() == 8 + 3


def test_it_refuses_a_negative_number_of_clients(db):
    with pytest.raises(CommandError, match="--clients"):
        call_command("seed_demo", "--clients=-1")
