"""The home page cards about people, by role."""

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from jobbag.accounts import selectors, services
from jobbag.accounts.models import User
from jobbag.accounts.tests.factories import ClientGroupFactory

TODAY = timezone.localdate()
CARDS = (
    "home-profile",
    "home-my-team",
    "home-organisation",
    "home-administration",
    "home-agency-team",
)


def cards(response) -> set[str]:
    body = response.content.decode()
    return {card for card in CARDS if f'data-testid="{card}"' in body}


def test_an_ae_sees_their_profile_card_and_team(cast, login):
    cast.ae.reports_to = cast.ad
    cast.ae.save()
    group = ClientGroupFactory(code="nike", name_zh="耐克组")
    group.members.add(cast.ae)
    services.deputy_create(
        actor=cast.ae,
        principal=cast.ae,
        deputy=cast.designer,
        starts_on=TODAY,
        ends_on=TODAY + timedelta(days=1),
    )
    services.deputy_create(
        actor=cast.gm, principal=cast.gm, deputy=cast.ae, starts_on=TODAY, ends_on=TODAY
    )

    response = login(cast.ae).get("/")

    assert response.status_code == 200
    assert cards(response) == {"home-profile", "home-my-team"}
    body = response.content.decode()
    assert "李娜" in body  # reports to
    assert "陈静" in body  # deputising for me today
    assert "张伟" in body  # I act for the GM today
    assert "耐克组" in body


def test_an_ad_sees_their_direct_reports(cast, login):
    cast.ae.reports_to = cast.ad
    cast.ae.save()

    response = login(cast.ad).get("/")

    assert "home-my-team" in cards(response)
    team = next(s for t, s in response.context["sections"] if t.endswith("_my_team.html"))
    assert team["direct_reports"] == [cast.ae]


def test_a_designer_sees_only_their_profile_card(cast, login):
    response = login(cast.designer).get("/")

    assert cards(response) == {"home-profile"}


def test_the_gm_sees_the_organisation_at_a_glance(cast, login):
    User.objects.create(username="new", full_name="新人", kind=User.Kind.STAFF)

    response = login(cast.gm).get("/")

    assert cards(response) == {"home-profile", "home-organisation"}
    glance = next(s for t, s in response.context["sections"] if t.endswith("_organisation.html"))
    headcount = {d.code: d.headcount for d in glance["departments"]}
    assert headcount["account"] == 2 and headcount["design"] == 1
    assert glance["unassigned"] == 1 and glance["total"] == 7


def test_the_headcount_takes_two_queries(cast, django_assert_num_queries):
    with django_assert_num_queries(2):
        selectors.headcount_by_department()


def test_an_admin_sees_the_administration_links(cast, login):
    response = login(cast.admin).get("/")

    assert "home-administration" in cards(response)
    body = response.content.decode()
    for url in (
        reverse("accounts:manage"),
        reverse("accounts:user_list"),
        reverse("accounts:authority_limit_list"),
        reverse("core:failed_tasks"),
        reverse("accounts:security_policy"),
    ):
        assert f'href="{url}"' in body


def test_a_client_user_is_sent_to_the_portal(cast, login):
    response = login(cast.client).get("/")

    assert response.status_code == 302
    assert response.url == reverse("portal:home")


def test_the_menu_shows_each_role_its_entries(cast, login):
    staff_menu = login(cast.ae).get("/").content.decode()
    assert reverse("accounts:directory") in staff_menu
    assert reverse("accounts:my_deputies") in staff_menu
    assert f'href="{reverse("accounts:manage")}"' not in staff_menu

    admin_menu = login(cast.admin).get("/").content.decode()
    assert f'href="{reverse("accounts:manage")}"' in admin_menu

    client_menu = login(cast.client).get(reverse("portal:home")).content.decode()
    assert reverse("accounts:directory") not in client_menu
    assert reverse("accounts:my_deputies") not in client_menu
