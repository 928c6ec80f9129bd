"""In Chromium, in Chinese: an AE adds a prospect, walks it along the board and wins it."""

import pytest
from django.utils import translation

from jobbag.clients.models import Company, Contact
from jobbag.pipeline.models import OPEN_STAGES, Prospect, Stage

pytestmark = pytest.mark.browser


def chinese(text: str) -> str:
    with translation.override("zh-hans"):
        return translation.gettext(text)


def test_an_ae_wins_a_prospect_from_the_board(page, cast, password):
    page.goto("/accounts/login/")
    page.fill("input[name=username]", "ae")
    page.fill("input[name=password]", password)
    page.get_by_test_id("login-submit").click()
    page.get_by_test_id("home-title").wait_for()
    assert page.get_attribute("html", "lang") == "zh-hans"

    page.get_by_role("link", name=chinese("New business")).first.click()
    page.get_by_test_id("board").wait_for()
    page.get_by_test_id("prospect-new").click()
    page.fill("input[name=name]", "青岛啤酒")
    page.fill("input[name=industry]", "啤酒")
    page.fill("input[name=expected_value]", "800000")
    page.fill("input[name=probability]", "30")
    page.fill("input[name=contact_name]", "刘强")
    page.fill("input[name=contact_phone]", "13912345678")
    page.get_by_test_id("prospect-save").click()
    page.get_by_test_id("prospect-title").wait_for()
    prospect = Prospect.objects.get(name="青岛啤酒")

    page.goto("/pipeline/")
    card = page.locator(f"#prospect-{prospect.pk}")
    for stage in OPEN_STAGES[1:]:
        card.get_by_test_id("move-forward").click()
        page.locator(f"#cards-{stage} #prospect-{prospect.pk}").wait_for()
    assert card.get_attribute("data-stage") == Stage.PITCH
    assert prospect.moves.count() == len(OPEN_STAGES)

    card.get_by_test_id("card-win").click()
    page.fill("input[name=code]", "TSING")
    page.get_by_test_id("win-submit").click()
    page.get_by_test_id("prospect-company").wait_for()

    assert "TSING" in page.get_by_test_id("prospect-company").inner_text()
    assert page.get_by_test_id("prospect-stage").get_attribute("data-stage") == Stage.WON
    company = Company.objects.get(code="TSING")
    assert company.name == "青岛啤酒"
    assert Contact.objects.filter(company=company, name="刘强", mobile="13912345678").exists()
    assert Prospect.objects.get(pk=prospect.pk).company == company

    # Once in English: the same page speaks it.
    with page.expect_navigation():
        page.get_by_test_id("language-select").select_option("en")
    assert page.get_attribute("html", "lang") == "en"
    assert "Stage moves" in page.content()
