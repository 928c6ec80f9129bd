"""In a real browser: an AE invites a client's contact, who sets a password from the
e-mailed link and lands in the portal, in Chinese, shut out of everything else."""

from urllib.parse import urlsplit

import pytest
from django.utils import translation

from jobbag.accounts.models import User
from jobbag.clients.tests.factories import ContactFactory
from jobbag.portal.tests.conftest import LINK

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("quick_password_hashing")]

NEW_PASSWORD = "Haier-portal-2026!"


def chinese(text: str) -> str:
    """`text` as the Chinese interface shows it (itself until the catalog is compiled)."""
    with translation.override("zh-hans"):
        return translation.gettext(text)


def test_an_invited_contact_signs_in_to_their_portal(
    page, cast, clientele, invitee, mailbox, password
):
    # The AE opens the contact's portal access page and sends the invitation.
    page.goto("/accounts/login/")
    page.fill("input[name=username]", "ae")
    page.fill("input[name=password]", password)
    page.get_by_test_id("login-submit").click()
    page.get_by_test_id("home-title").wait_for()
    page.goto(f"/portal/staff/contacts/{invitee.pk}/")
    assert page.get_by_test_id("portal-state").get_attribute("data-state") == "none"
    with page.expect_navigation():
        page.get_by_test_id("portal-invite").click()
    assert page.get_by_test_id("portal-state").get_attribute("data-state") == "invited"
    page.locator("form[action='/accounts/logout/'] button").click()
    page.wait_for_url("**/accounts/login/**")

    # The contact opens the link from the e-mail, not signed in.
    [message] = mailbox
    assert message.to == ["zhou.min@haier.example"]
    link = urlsplit(LINK.search(message.body)[0])
    page.goto(link.path)
    assert page.get_attribute("html", "lang") == "zh-hans"
    assert page.get_by_test_id("accept-email").inner_text() == "zhou.min@haier.example"
    page.fill("input[name=new_password1]", NEW_PASSWORD)
    page.fill("input[name=new_password2]", NEW_PASSWORD)
    with page.expect_navigation():
        page.get_by_test_id("accept-submit").click()

    # Signed in, at their company's page with the agency team, in Chinese.
    assert urlsplit(page.url).path == "/portal/"
    assert page.get_by_test_id("portal-company-name").inner_text() == "海尔集团"
    assert page.get_by_text(chinese("Your agency team")).first.is_visible()
    team = page.get_by_test_id("agency-team").inner_text()
    assert "李娜" in team and "王小明" in team and "ae@agency.example" in team
    assert "周杰" not in page.content() and "耐克" not in page.content()
    user = User.objects.get(contact=invitee)
    assert (user.kind, user.company_id) == (User.Kind.CLIENT, clientele.company.pk)

    # The menu is the portal's: the team page is one click away.
    page.locator("#sidenav").get_by_role("link", name=chinese("Your agency team")).click()
    page.wait_for_url("**/portal/team/")
    assert page.get_by_test_id("team-member").count() == 2

    # The home page is the portal's; staff pages and another company's pages do not exist.
    page.goto("/")
    assert urlsplit(page.url).path == "/portal/"
    nike_contact = ContactFactory(company=clientele.other_company, name="郑强")
    elsewhere = page.context.new_page()
    for url in (
        "/clients/",
        "/accounts/directory/",
        f"/portal/staff/contacts/{nike_contact.pk}/",
        f"/portal/staff/contacts/{invitee.pk}/",
        f"/api/v1/users/{cast.outsider.pk}",
    ):
        assert elsewhere.goto(url).status == 404, url
    elsewhere.close()

    # Once in English.
    with page.expect_navigation():
        page.get_by_test_id("language-select").select_option("en")
    assert page.get_attribute("html", "lang") == "en"
    assert page.get_by_role("heading", name="Your agency team").is_visible()
