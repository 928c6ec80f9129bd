"""What a client user sees: their company (whitelisted fields) and their agency team."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from jobbag.accounts.models import Role, ServiceTeamMembership, User
from jobbag.accounts.tests.factories import ClientGroupFactory, UserFactory, staff
from jobbag.clients.models import Company
from jobbag.clients.tests.factories import BrandFactory
from jobbag.core.testing import Case, run_permission_matrix

pytestmark = pytest.mark.django_db

# Session, user, company, brands, team, unread count.
HOME_QUERIES = 6
# Session, user, team, unread count.
TEAM_QUERIES = 4


@pytest.fixture
def haier_profile(clientele):
    """HAIER's own particulars, and what the agency keeps about it that a client must not see."""
    Company.objects.filter(pk=clientele.company.pk).update(
        industry="家用电器",
        address="青岛市崂山区海尔路1号",
        phone="0532-88939999",
        website="https://www.haier.com",
        short_name="海尔",
        notes="内部备注：预算偏紧",
        annual_revenue=Decimal("987654321.00"),
        registered_capital=Decimal("123456789.00"),
        bank="中国银行 6217000099990001",
        plans="明年重点拓展东南亚",
        product_mix="冰箱、洗衣机",
        is_key_client=True,
    )
    return clientele


@pytest.fixture
def team(cast, clientele):
    """Besides the AE and AD on HAIER: an AM on its brand, a GAD through a client group,
    an AE whose membership ended, a deactivated AD, and other_ae on NIKE."""
    am = staff("am", Role.AM, full_name="吴敏", phone="021-5555 0101", mobile="13900000001")
    gad = staff("gad", Role.GAD, full_name="钱坤")
    former = staff("former", Role.AE, full_name="孙前")
    gone = staff("gone", Role.AD, full_name="冯走", is_active=False)
    group = ClientGroupFactory(code="home-appliances")
    Company.objects.filter(pk=clientele.company.pk).update(client_group=group)
    yesterday = timezone.localdate() - timedelta(days=1)
    ServiceTeamMembership.objects.bulk_create(
        [
            ServiceTeamMembership(user=am, team_role=Role.AM, brand=clientele.brand),
            ServiceTeamMembership(user=gad, team_role=Role.GAD, client_group=group),
            ServiceTeamMembership(
                user=former,
                team_role=Role.AE,
                company=clientele.company,
                starts_on=yesterday - timedelta(days=30),
                ends_on=yesterday,
            ),
            ServiceTeamMembership(user=gone, team_role=Role.AD, company=clientele.company),
            # The AE also serves the brand: still one row for them, as AE.
            ServiceTeamMembership(user=cast.ae, team_role=Role.AE, brand=clientele.brand),
        ]
    )
    return clientele


def test_it_shows_the_client_their_company_without_the_agencys_notes(cast, login, haier_profile):
    BrandFactory(company=haier_profile.company, name="卡萨帝")
    BrandFactory(company=haier_profile.company, name="停用品牌", is_active=False)

    response = login(cast.client).get("/portal/")

    assert response.status_code == 200
    body = response.content.decode()
    for shown in ("海尔集团", "Haier Group", "家用电器", "青岛市崂山区海尔路1号", "0532-88939999"):
        assert shown in body
    assert "https://www.haier.com" in body
    assert "海尔冰箱" in body and "卡萨帝" in body
    assert "停用品牌" not in body
    for hidden in (
        "内部备注",
        "987654321",
        "987,654,321",
        "123456789",
        "中国银行",
        "东南亚",
        "HAIER",
    ):
        assert hidden not in body
    assert "耐克体育" not in body


def test_it_lists_the_current_agency_team_of_the_company_and_its_brands(cast, login, team):
    response = login(cast.client).get("/portal/team/")

    assert response.status_code == 200
    body = response.content.decode()
    rows = body.count('data-testid="team-member"')
    assert rows == 4
    # Senior first: GAD, AD, AM, AE.
    order = [body.index(name) for name in ("钱坤", "李娜", "吴敏", "王小明")]
    assert order == sorted(order)
    assert "021-5555 0101" in body and "13900000001" in body
    assert "am@agency.example" in body
    for absent in ("孙前", "冯走", "周杰"):
        assert absent not in body


def test_the_team_is_one_row_per_person_with_the_brands_they_serve(cast, team):
    from jobbag.portal.selectors import portal_team

    members = {member.name: member for member in portal_team(user=cast.client)}

    assert members["吴敏"].brands == ["海尔冰箱"] and not members["吴敏"].company_wide
    assert members["王小明"].company_wide and members["王小明"].role == Role.AE
    assert members["钱坤"].company_wide
    assert portal_team(user=cast.ae) == []


def test_the_home_page_sends_a_client_user_to_the_portal(cast, login, clientele):
    response = login(cast.client).get("/")
    assert response.status_code == 302
    assert response["Location"] == reverse("portal:home")


def test_staff_keep_their_home_page_and_have_no_portal(cast, login, clientele):
    staff_client = login(cast.ae)
    assert staff_client.get("/").status_code == 200
    assert staff_client.get("/portal/").status_code == 404
    assert staff_client.get("/portal/team/").status_code == 404


def test_a_client_users_menu_is_the_portals(cast, login, clientele):
    body = login(cast.client).get("/portal/").content.decode()
    menu = body.split('id="sidenav"')[1].split("</nav>")[0]

    portal_pages = (
        "portal:home",
        "portal:team",
        "accounts:profile",
        "portal:meeting_list",
        "portal:report_list",
        "portal:action_list",
        "portal:status_report_list",
        "portal:complaint_list",
        "portal:survey_list",
        "portal:invoice_list",
        "portal:archive",
    )
    for url_name in portal_pages:
        assert f'href="{reverse(url_name)}"' in menu
    assert menu.count("<li>") == len(portal_pages) + 1  # and Home
    staff_menu = login(cast.ae).get("/").content.decode()
    assert f'href="{reverse("portal:team")}"' not in staff_menu


def test_a_client_user_keeps_their_profile_and_password_pages(cast, login, clientele):
    client = login(cast.client)
    assert client.get("/accounts/profile/").status_code == 200
    assert client.get("/accounts/password/").status_code == 200
    response = client.post("/accounts/profile/", {"language": "en"})
    assert response.status_code == 302
    assert User.objects.get(pk=cast.client.pk).language == "en"


def test_a_client_user_without_a_company_sees_a_note(cast, login):
    response = login(cast.client).get("/portal/")
    assert response.status_code == 200
    assert 'data-testid="portal-no-company"' in response.content.decode()


@pytest.mark.parametrize("extra", [0, 8])
def test_the_portal_pages_take_a_fixed_number_of_queries(
    cast, login, team, extra, django_assert_num_queries
):
    for number in range(extra):
        person = UserFactory(username=f"extra{number}")
        BrandFactory(company=team.company)
        ServiceTeamMembership.objects.create(user=person, team_role=Role.AE, company=team.company)
    client = login(cast.client)
    client.get("/portal/")
    with django_assert_num_queries(HOME_QUERIES):
        assert client.get("/portal/").status_code == 200
    with django_assert_num_queries(TEAM_QUERIES):
        assert client.get("/portal/team/").status_code == 200


def test_the_portal_pages_permission_matrix(cast, clientele):
    cases = []
    for url in ("/portal/", "/portal/team/"):
        cases += [
            Case("anonymous", "GET", url, 302),
            Case("client", "GET", url, 200),
            Case("outsider", "GET", url, 200),
            Case("designer", "GET", url, 404),
            Case("ae", "GET", url, 404),
            Case("admin", "GET", url, 404),
        ]
    run_permission_matrix(cast, cases)
