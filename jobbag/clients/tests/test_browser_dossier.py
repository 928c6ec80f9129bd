"""An AE fills a competitor review in a real browser, in Chinese, and finds it on the
brand's dossier overview; then reads the overview once in English."""

import pytest
from django.utils import translation

from jobbag.clients.models import CompetitorReview

pytestmark = pytest.mark.browser


def chinese(text: str) -> str:
    """`text` as the Chinese interface shows it (itself until the catalog is compiled)."""
    with translation.override("zh-hans"):
        return translation.gettext(text)


def test_an_ae_fills_a_competitor_review_and_sees_it_on_the_dossier(
    page, cast, clientele, password, quick_password_hashing
):
    brand = clientele.brand
    page.goto("/accounts/login/")
    page.fill("input[name=username]", "ae")
    page.fill("input[name=password]", password)
    page.get_by_test_id("login-submit").click()
    page.get_by_test_id("home-title").wait_for()

    page.goto(f"/clients/brands/{brand.pk}/dossier/")
    assert page.get_attribute("html", "lang") == "zh-hans"
    assert "海尔冰箱" in page.get_by_test_id("dossier-title").inner_text()
    reviews = page.get_by_test_id("section-reviews")
    assert chinese("Competitor reviews") in reviews.inner_text()

    reviews.get_by_test_id("add-reviews").click()
    page.get_by_test_id("row-form").wait_for()
    page.fill("input[name=brand_product]", "美的冰箱 BCD-520")
    page.fill("input[name=reviewed_on]", "2025-03-01")
    page.fill("textarea[name=selling_points]", "一级能效，风冷无霜")
    page.fill("textarea[name=target]", "城市新婚家庭")
    page.fill("textarea[name=promise_and_support]", "十年压缩机保修")
    page.fill("textarea[name=creative_concept_and_tone]", "温馨，家的味道")
    page.fill("textarea[name=production_quality]", "画面精良")
    page.fill("textarea[name=media_and_format]", "央视15秒，户外大牌")
    with page.expect_navigation():
        page.get_by_test_id("save").click()
    assert page.url.endswith(f"/clients/brands/{brand.pk}/dossier/reviews/")
    assert "美的冰箱 BCD-520" in page.get_by_test_id("rows-reviews").inner_text()

    page.goto(f"/clients/brands/{brand.pk}/dossier/")
    reviews = page.get_by_test_id("section-reviews")
    text = reviews.inner_text()
    assert "美的冰箱 BCD-520" in text and "一级能效，风冷无霜" in text
    assert cast.ae.full_name in reviews.get_by_test_id("last-changed").inner_text()
    review = CompetitorReview.objects.get(brand=brand)
    assert (review.updated_by, review.media_and_format) == (cast.ae, "央视15秒，户外大牌")

    # Once in English: the same dossier, the interface in the other language.
    with page.expect_navigation():
        page.get_by_test_id("language-select").select_option("en")
    assert page.get_attribute("html", "lang") == "en"
    reviews = page.get_by_test_id("section-reviews")
    assert "Competitor reviews" in reviews.inner_text()
    assert "美的冰箱 BCD-520" in reviews.inner_text()
    assert (
        f"Last changed by {cast.ae.full_name}"
        in reviews.get_by_test_id("last-changed").inner_text()
    )
