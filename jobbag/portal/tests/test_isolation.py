"""A client user reaches nothing of another company and no staff page: every URL pattern
and every GET operation of the API, walked with the other company's ids."""

import pytest
from django.urls import reverse

from jobbag.accounts.models import ServiceTeamMembership
from jobbag.clients.tests.factories import BrandFactory, ContactFactory
from jobbag.portal import services
from jobbag.portal.middleware import client_may_open
from jobbag.portal.tests.api_urls import API
from jobbag.portal.tests.isolation import foreign_footprint, routes, walk_api, walk_pages

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.urls("jobbag.portal.tests.api_urls"),
    pytest.mark.usefixtures("quick_password_hashing"),
]


@pytest.fixture
def nike(cast, clientele, mailbox):
    """NIKE with brands, people, an open portal invitation and its agency team; returns
    its footprint."""
    company = clientele.other_company
    brand = BrandFactory(company=company, name="耐克跑步", name_en="Nike Running")
    buyer = ContactFactory(company=company, name="郑强", email="zheng.qiang@nike.example")
    ContactFactory(company=company, brand=brand, name="何芳", reports_to=buyer)
    services.portal_invitation_create(actor=clientele.other_ae, contact=buyer)
    ServiceTeamMembership.objects.create(user=clientele.other_ae, team_role="ae", brand=brand)
    return foreign_footprint(company, people=[clientele.other_ae])


def test_the_footprint_holds_the_other_companys_rows(clientele, nike):
    assert clientele.other_company.pk in nike.ints
    assert {
        "耐克体育",
        "Nike Sports",
        "NIKE",
        "耐克跑步",
        "郑强",
        "zheng.qiang@nike.example",
    } <= set(nike.markers)
    assert "周杰" in nike.markers and "outsider" in nike.markers
    assert "海尔集团" not in nike.markers


def test_it_keeps_a_client_user_out_of_every_page_but_the_portal(cast, login, nike):
    report = walk_pages(login(cast.client), nike)

    assert not report.failures, "\n".join(report.failures)
    # Every pattern was requested, staff pages by GET and POST; the portal's own pages
    # were opened with each of NIKE's ids.
    assert report.checked >= len(routes()) // 2
    assert "/portal/" in report.opened
    assert {f"/portal/invitations/{value}/" for value in nike.strings} <= set(report.opened)


def test_the_walk_notices_a_page_that_answers(cast, login, nike):
    # Had the portal's home been a staff page, the walk would have said so.
    report = walk_pages(
        login(cast.client),
        nike,
        may_open=lambda name: name != "portal:home" and client_may_open(name),
    )
    assert report.failures == [
        "GET /portal/ (portal:home): 200, not 404",
        "POST /portal/ (portal:home): 405, not 404",
    ]


def test_every_api_get_answers_a_client_user_with_their_own_data_only(cast, login, nike):
    client = login(cast.client)

    project = walk_api(client, nike)
    portal = walk_api(client, nike, schema_url=f"{API}/openapi.json")

    assert not project.failures, "\n".join(project.failures)
    assert not portal.failures, "\n".join(portal.failures)
    assert project.checked and portal.checked


def test_the_api_walk_notices_a_leak(cast, login, nike):
    # The other company's own user sees its company: every marker of it is a "leak".
    report = walk_api(login(cast.outsider), nike, schema_url=f"{API}/openapi.json")
    assert any("耐克体育" in failure for failure in report.failures)


def test_the_allow_list(clientele):
    for name in (
        "portal:home",
        "portal:team",
        "portal:accept",
        "accounts:logout",
        "accounts:profile",
        "accounts:password_change",
        "accounts:otp_verify",
        "accounts:otp_setup",
        "core:set_language",
        "core:notifications",
        "core:notification_read",
        "healthz",
        "javascript-catalog",
    ):
        assert client_may_open(name), name
    for name in (
        "portal:contact_access",
        "portal:invite",
        "portal:revoke",
        "core:home",
        "accounts:directory",
        "accounts:password_reset",
        "calendar:year",
        None,
    ):
        assert not client_may_open(name), name


def test_staff_pages_answer_404_by_link_and_by_guessed_id(cast, login, clientele):
    client = login(cast.client)
    own_contact_page = reverse("portal:contact_access", args=[clientele.contact.pk])

    assert client.get(own_contact_page).status_code == 404
    assert client.get("/clients/").status_code == 404
    assert client.get(f"/accounts/people/{cast.ae.pk}/").status_code == 404
    assert client.get("/no/such/page/").status_code == 404
