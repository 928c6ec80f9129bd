"""In a real browser, in Chinese: an AE opens a client file with a brand and two people,
and sees the client's org chart drawn as a tree."""

import pytest

from jobbag.clients.models import Company, Contact

pytestmark = pytest.mark.browser


def sign_in(page, username: str, password: str) -> None:
    page.goto("/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    page.get_by_test_id("login-submit").click()
    page.get_by_test_id("home-title").wait_for()


def save(page) -> None:
    with page.expect_navigation():
        page.get_by_test_id("record-save").click()


def test_an_ae_opens_a_client_file_with_brand_people_and_org_chart(
    page, cast, password, quick_password_hashing
):
    sign_in(page, "ae", password)
    assert page.get_attribute("html", "lang") == "zh-hans"

    # The menu leads to the client list; a new client starts there.
    page.locator("#sidenav a[href='/clients/']").click()
    page.get_by_test_id("client-create").click()
    page.fill("#id_code", "gree")
    page.fill("#id_name", "格力电器")
    page.fill("#id_industry", "家电")
    page.fill("#id_annual_revenue", "1900000000")
    save(page)
    company = Company.objects.get(code="GREE")
    assert page.get_by_test_id("company-name").inner_text().startswith("格力电器")

    page.get_by_test_id("brand-add").click()
    page.fill("#id_name", "格力空调")
    save(page)
    assert "格力空调" in page.get_by_test_id("company-brands").inner_text()

    page.get_by_test_id("contact-add").click()
    page.fill("#id_name", "董明珠")
    page.fill("#id_title", "董事长")
    page.fill("#id_mobile", "13800000001")
    save(page)

    page.get_by_test_id("contact-add").click()
    page.fill("#id_name", "王经理")
    page.fill("#id_title", "广告经理")
    page.select_option("#id_brand", label="格力空调")
    page.select_option("#id_reports_to", label="董明珠 (董事长)")
    save(page)

    # The chart: the chairman at the root, the advertising manager under her.
    chart = page.get_by_test_id("org-chart")
    root = chart.locator(".org-tree > li")
    assert root.count() == 1 and "董明珠" in root.locator(".org-person").first.inner_text()
    assert "王经理" in root.locator("ul > li .org-person").inner_text()
    assert Contact.objects.get(name="王经理").reports_to.name == "董明珠"
    assert page.get_by_test_id("team-row").count() == 1

    # The search box in the header finds the new client by pinyin.
    page.get_by_test_id("header-search").fill("geli")
    with page.expect_navigation():
        page.get_by_test_id("header-search").press("Enter")
    assert "格力电器" in page.get_by_test_id("search-companies").inner_text()

    # The same page in English.
    page.goto(f"/clients/{company.pk}/")
    with page.expect_navigation():
        page.get_by_test_id("language-select").select_option("en")
    assert page.get_attribute("html", "lang") == "en"
    assert "Org chart" in page.get_by_test_id("org-chart").inner_text()
