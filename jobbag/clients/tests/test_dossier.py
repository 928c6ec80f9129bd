"""The brand dossier's services and pages: sections, rows, the grid, history, access."""

from datetime import date
from decimal import Decimal

import pytest
from django.contrib.contenttypes.models import ContentType

from jobbag.accounts.models import ClientGroup
from jobbag.clients.models import (
    Budget,
    CompetitorReview,
    MarketOverview,
    PastCampaign,
    Product,
    ResearchSummary,
)
from jobbag.clients.services import dossier
from jobbag.core.errors import Conflict, DomainError, NotAllowed, NotFound
from jobbag.core.models import AuditEntry
from jobbag.core.testing import Case, run_permission_matrix

pytestmark = pytest.mark.django_db

# Session, user, notifications badge; the brand and the five of the confidentiality check;
# then the overview: the single sections (one join), removals, attachments, six lists.
OVERVIEW_QUERIES = 18
# A list section: its rows, its removed rows, its attachments and their removals.
SECTION_QUERIES = 13

REVIEW = {
    "brand_product": "美的冰箱 BCD-520",
    "reviewed_on": "2025-03-01",
    "selling_points": "一级能效，风冷无霜",
    "target": "城市新婚家庭",
    "promise_and_support": "十年压缩机保修",
    "creative_concept_and_tone": "温馨，家的味道",
    "production_quality": "画面精良",
    "media_and_format": "央视15秒，户外大牌",
}


def url(brand, *parts) -> str:
    tail = "".join(f"{part}/" for part in parts)
    return f"/clients/brands/{brand.pk}/dossier/{tail}"


def entries(obj) -> list[AuditEntry]:
    return list(
        AuditEntry.objects.filter(
            content_type=ContentType.objects.get_for_model(obj), object_id=str(obj.pk)
        ).order_by("id")
    )


# Filling the dossier ----------------------------------------------------------------------


def test_it_lets_an_ae_on_the_team_fill_a_competitor_review(cast, clientele, login):
    brand = clientele.brand
    client = login(cast.ae)

    response = client.post(url(brand, "reviews", "add"), REVIEW)

    assert response.status_code == 302
    review = CompetitorReview.objects.get(brand=brand)
    assert review.brand_product == "美的冰箱 BCD-520"
    assert review.reviewed_on == date(2025, 3, 1)
    assert review.media_and_format == "央视15秒，户外大牌"
    assert review.updated_by == cast.ae
    [entry] = entries(review)
    assert (entry.action, entry.actor) == (AuditEntry.Action.CREATE, cast.ae)
    assert entry.changes["selling_points"] == [None, "一级能效，风冷无霜"]

    overview = client.get(url(brand))
    assert overview.status_code == 200
    body = overview.content.decode()
    assert "美的冰箱 BCD-520" in body and "一级能效，风冷无霜" in body
    assert "王小明" in body


def test_it_lets_an_ae_fill_a_product_with_its_strengths_and_weaknesses_grid(
    cast, clientele, login
):
    brand = clientele.brand
    client = login(cast.ae)

    form = client.get(url(brand, "products", "add"))
    assert form.status_code == 200
    assert len(form.context["grid_form"].rows()) == len(dossier.GRID_KEYS)

    response = client.post(
        url(brand, "products", "add"),
        {
            "generic_name": "双开门冰箱",
            "brand_name": "海尔 BCD-470",
            "status": "new",
            "necessity": "everyday",
            "uses": "家庭冷藏",
            "grid-quality-strength": "做工扎实",
            "grid-quality-weakness": "",
            "grid-retail_price-weakness": "比对手贵 10%",
        },
    )

    assert response.status_code == 302
    product = Product.objects.get(brand=brand)
    assert product.grid == {
        "quality": {"strength": "做工扎实"},
        "retail_price": {"weakness": "比对手贵 10%"},
    }
    assert product.status == Product.Status.NEW
    assert entries(product)[0].changes["grid"][1] == product.grid

    page = client.get(url(brand)).content.decode()
    assert "做工扎实" in page and "比对手贵 10%" in page


def test_it_sets_a_single_section_and_shows_who_changed_it_last(cast, clientele, login):
    brand = clientele.brand
    client = login(cast.ae)

    first = client.post(url(brand, "market"), {"version": 0, "sales": "120亿元", "share": "28%"})
    assert first.status_code == 302
    market = MarketOverview.objects.get(brand=brand)
    assert (market.sales, market.version, market.updated_by) == ("120亿元", 1, cast.ae)

    second = login(cast.ad).post(url(brand, "market"), {"version": 1, "share": "30%"})
    assert second.status_code == 302
    market.refresh_from_db()
    assert (market.share, market.sales, market.version) == ("30%", "", 2)
    assert market.updated_by == cast.ad
    create, change = entries(market)
    assert change.actor == cast.ad and change.changes["share"] == ["28%", "30%"]

    page = client.get(url(brand)).content.decode()
    assert "李娜" in page  # The AD changed it last.


def test_it_refuses_a_stale_edit_and_keeps_the_other_persons_change(cast, clientele, login):
    brand = clientele.brand
    review = dossier.dossier_row_add(
        actor=cast.ae, brand=brand, section="reviews", brand_product="美的"
    )
    dossier.dossier_row_update(actor=cast.ad, row=review, expected_version=1, target="学生")

    response = login(cast.ae).post(
        url(brand, "reviews", review.pk), {**REVIEW, "version": 1, "target": "老人"}
    )

    assert response.status_code == 400
    assert str(Conflict.default_message) in response.content.decode()
    review.refresh_from_db()
    assert (review.target, review.version) == ("学生", 2)
    assert len(entries(review)) == 2


def test_it_refuses_to_create_a_single_section_someone_else_just_created(cast, clientele):
    brand = clientele.brand
    dossier.dossier_section_set(
        actor=cast.ad, brand=brand, section="strategy", expected_version=0, tone="温暖"
    )
    with pytest.raises(Conflict):
        dossier.dossier_section_set(
            actor=cast.ae, brand=brand, section="strategy", expected_version=0, tone="冷静"
        )
    assert brand.strategy.tone == "温暖"


@pytest.mark.parametrize(
    ("section", "fields", "field"),
    [
        ("reviews", {"brand_product": "  "}, "brand_product"),
        ("products", {"generic_name": "冰箱", "status": "ancient"}, "status"),
        ("products", {"generic_name": "冰箱", "grid": {"smell": {"strength": "香"}}}, "grid"),
        ("products", {"generic_name": "冰箱", "grid": {"quality": {"strength": 5}}}, "grid"),
        ("products", {"generic_name": "冰箱", "grid": {"quality": "好"}}, "grid"),
        ("products", {"generic_name": "冰箱", "grid": ["quality"]}, "grid"),
        ("competitors", {"name": "美" * 201}, "name"),
        (
            "research",
            {
                "title": "U&A 调查",
                "field_start": date(2025, 5, 10),
                "field_end": date(2025, 5, 1),
            },
            "field_end",
        ),
        ("campaigns", {"name": "春节", "year": 1900}, "year"),
        ("campaigns", {"name": "春节", "year": date.today().year + 5}, "year"),
        ("budgets", {"year": 2025, "amount": Decimal("-1")}, "amount"),
        ("budgets", {"year": 2025, "amount": Decimal("1.005")}, "amount"),
        ("budgets", {"year": 2025, "amount": Decimal("10") ** 15}, "amount"),
        ("budgets", {"year": 2025, "amount": Decimal("100"), "currency": "元"}, "currency"),
        ("budgets", {"year": 1899, "amount": Decimal("100")}, "year"),
        ("budgets", {"year": 2025, "amount": Decimal("0"), "kind": "adjustment"}, "amount"),
        ("budgets", {"year": 2025, "amount": Decimal("5"), "kind": "gift"}, "kind"),
    ],
)
def test_it_refuses_bad_input_and_writes_nothing(cast, clientele, section, fields, field):
    model = dossier.SECTIONS[section].model
    with pytest.raises(DomainError) as refused:
        dossier.dossier_row_add(actor=cast.ae, brand=clientele.brand, section=section, **fields)
    assert field in refused.value.fields
    assert not model.objects.exists()
    assert not AuditEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(model)
    ).exists()


def test_a_bad_form_shows_field_messages_and_writes_nothing(cast, clientele, login):
    brand = clientele.brand
    response = login(cast.ae).post(
        url(brand, "research", "add"),
        {"title": "", "field_start": "2025-05-10", "field_end": "2025-05-01"},
    )

    assert response.status_code == 400
    assert "title" in response.context["form"].errors
    assert not ResearchSummary.objects.exists()

    response = login(cast.ae).post(
        url(brand, "research", "add"),
        {"title": "U&A", "field_start": "2025-05-10", "field_end": "2025-05-01"},
    )
    assert response.status_code == 400
    assert response.context["form"].errors["field_end"] == [str(dossier.FIELD_DATES_ORDER)]
    assert not ResearchSummary.objects.exists()
    assert not AuditEntry.objects.filter(action=AuditEntry.Action.CREATE).exists()


def test_it_fills_a_research_summary_with_the_spec_fields(cast, clientele, login):
    brand = clientele.brand
    response = login(cast.ae).post(
        url(brand, "research", "add"),
        {
            "title": "2025 冰箱使用习惯调查",
            "purpose": "了解购买决策",
            "research_company": "零点调查",
            "method": "入户访问",
            "sample": "1,200 户",
            "field_start": "2025-04-01",
            "field_end": "2025-04-20",
            "places": "北京、上海、成都",
            "conclusions": "节能是首要考虑",
            "recommended_actions": "强调一级能效",
        },
    )
    assert response.status_code == 302
    research = ResearchSummary.objects.get()
    assert (research.field_start, research.field_end) == (date(2025, 4, 1), date(2025, 4, 20))
    assert research.recommended_actions == "强调一级能效"


# Budgets --------------------------------------------------------------------------------


def test_a_budget_once_entered_is_corrected_by_an_adjustment(cast, clientele, login):
    brand = clientele.brand
    budget = dossier.dossier_row_add(
        actor=cast.ae, brand=brand, section="budgets", year=2025, amount=Decimal("5000000")
    )
    assert (budget.kind, budget.currency) == (Budget.Kind.BUDGET, "CNY")

    with pytest.raises(DomainError) as refused:
        dossier.dossier_row_update(
            actor=cast.ae, row=budget, expected_version=1, amount=Decimal("4000000")
        )
    assert refused.value.fields == {"amount": dossier.BUDGET_FIXED}
    with pytest.raises(DomainError):
        dossier.dossier_row_remove(actor=cast.ae, row=budget, expected_version=1)

    # Its notes may still be completed.
    dossier.dossier_row_update(actor=cast.ae, row=budget, expected_version=1, notes="董事会批准")
    dossier.dossier_row_add(
        actor=cast.ae,
        brand=brand,
        section="budgets",
        year=2025,
        kind="adjustment",
        amount=Decimal("-1000000"),
        notes="下半年削减",
    )
    estimate = dossier.dossier_row_add(
        actor=cast.ae,
        brand=brand,
        section="budgets",
        year=2026,
        kind="estimate",
        amount=Decimal("6000000"),
    )
    dossier.dossier_row_update(
        actor=cast.ae, row=estimate, expected_version=1, amount=Decimal("6500000")
    )

    response = login(cast.ae).get(url(brand, "budgets"))
    [total] = response.context["budget_totals"]
    assert (total.year, total.total) == (2025, Decimal("4000000"))
    assert Budget.objects.get(pk=budget.pk).amount == Decimal("5000000")

    # An estimate may be removed; a budget may not, and the page says why.
    remove = login(cast.ae).post(url(brand, "budgets", budget.pk, "remove"), {"version": 2})
    assert remove.status_code == 302
    assert Budget.objects.filter(pk=budget.pk).exists()
    dossier.dossier_row_remove(actor=cast.ae, row=estimate, expected_version=2)
    assert not Budget.objects.filter(pk=estimate.pk).exists()


# Removing rows and history --------------------------------------------------------------


def test_it_removes_a_row_and_keeps_who_removed_what(cast, clientele, login):
    brand = clientele.brand
    campaign = dossier.dossier_row_add(
        actor=cast.ae, brand=brand, section="campaigns", name="2023 春节", year=2023
    )
    client = login(cast.ad)

    response = client.post(url(brand, "campaigns", campaign.pk, "remove"), {"version": 1})

    assert response.status_code == 302
    assert not PastCampaign.objects.exists()
    removal = AuditEntry.objects.get(action=AuditEntry.Action.DELETE)
    assert removal.actor == cast.ad
    assert removal.object_id == str(campaign.pk)
    assert removal.changes["name"] == ["2023 春节", None]
    assert removal.changes["brand_id"] == [brand.pk, None]

    section = client.get(url(brand, "campaigns"))
    assert list(section.context["history"]) == [removal]
    assert "2023 春节" in section.content.decode()
    [state] = [s for s in client.get(url(brand)).context["states"] if s.section.slug == "campaigns"]
    assert state.changed_by == cast.ad


def test_it_refuses_to_remove_a_row_changed_since(cast, clientele, login):
    brand = clientele.brand
    product = dossier.dossier_row_add(
        actor=cast.ae, brand=brand, section="products", generic_name="冰箱"
    )
    dossier.dossier_row_update(actor=cast.ad, row=product, expected_version=1, uses="冷藏")

    response = login(cast.ae).post(url(brand, "products", product.pk, "remove"), {"version": 1})

    assert response.status_code == 302
    assert Product.objects.filter(pk=product.pk).exists()
    assert not AuditEntry.objects.filter(action=AuditEntry.Action.DELETE).exists()


def test_the_history_shows_who_changed_what(cast, clientele, login):
    brand = clientele.brand
    competitor = dossier.dossier_row_add(
        actor=cast.ae, brand=brand, section="competitors", name="美的", company="美的集团"
    )
    dossier.dossier_row_update(
        actor=cast.ad,
        row=competitor,
        expected_version=1,
        grid={"design": {"weakness": "外观老气"}},
    )

    response = login(cast.ae).get(url(brand, "competitors", competitor.pk))

    assert response.status_code == 200
    history = list(response.context["history"])
    assert [(e.action, e.actor) for e in history] == [
        (AuditEntry.Action.CHANGE, cast.ad),
        (AuditEntry.Action.CREATE, cast.ae),
    ]
    body = response.content.decode()
    assert "李娜" in body and "外观老气" in body
    market_history = login(cast.ae).get(url(brand, "market"))
    assert market_history.status_code == 200


# Access ---------------------------------------------------------------------------------


def test_those_outside_the_team_and_client_users_get_404(cast, clientele, login):
    brand = clientele.brand
    review = dossier.dossier_row_add(
        actor=cast.ae, brand=brand, section="reviews", brand_product="美的"
    )
    for user in (clientele.other_ae, cast.designer, cast.client, cast.outsider):
        client = login(user)
        for path in (url(brand), url(brand, "reviews"), url(brand, "reviews", review.pk)):
            assert client.get(path).status_code == 404, (user, path)
        assert client.post(url(brand, "reviews", "add"), REVIEW).status_code == 404
    assert CompetitorReview.objects.count() == 1
    with pytest.raises(NotFound):
        dossier.get_brand_for_dossier(clientele.other_ae, brand.pk)
    with pytest.raises(NotAllowed):
        dossier.dossier_row_add(
            actor=clientele.other_ae, brand=brand, section="reviews", brand_product="x"
        )


def test_someone_who_may_read_but_not_edit_gets_403_on_changes(cast, clientele, login):
    # A designer in the brand's client group sees the dossier but may not change it.
    group = ClientGroup.objects.create(code="fridge", name_zh="冰箱组")
    group.members.add(cast.designer)
    clientele.brand.client_group = group
    clientele.brand.save(update_fields=["client_group"])
    client = login(cast.designer)

    assert client.get(url(clientele.brand)).status_code == 200
    assert client.post(url(clientele.brand, "reviews", "add"), REVIEW).status_code == 403
    assert client.post(url(clientele.brand, "market"), {"version": 0}).status_code == 403
    assert not CompetitorReview.objects.exists() and not MarketOverview.objects.exists()


def test_the_permission_matrix_of_the_dossier_pages(cast, clientele):
    brand = clientele.brand
    review = dossier.dossier_row_add(
        actor=cast.ae, brand=brand, section="reviews", brand_product="美的"
    )
    cast_plus = type("CastPlus", (), {**vars(cast), "other_ae": clientele.other_ae})
    pages = [
        url(brand),
        url(brand, "reviews"),
        url(brand, "market"),
        url(brand, "reviews", review.pk),
    ]
    outsiders = {"client": 404, "outsider": 404, "designer": 404, "other_ae": 404, "admin": 404}
    cases = []
    for path in pages:
        cases.append(Case("anonymous", "GET", path, 302))
        cases += [Case(role, "GET", path, status) for role, status in outsiders.items()]
        cases += [Case("ae", "GET", path, 200), Case("gm", "GET", path, 200)]
    add = url(brand, "campaigns", "add")
    cases.append(Case("anonymous", "POST", add, 302, {"name": "x"}))
    cases += [Case(role, "POST", add, status, {"name": "x"}) for role, status in outsiders.items()]
    cases += [Case("ae", "POST", add, 302, {"name": "ae 的活动"})]
    cases += [Case("gm", "POST", add, 302, {"name": "总经理的活动"})]
    remove = url(brand, "reviews", review.pk, "remove")
    cases += [Case(role, "POST", remove, 404, {"version": 1}) for role in outsiders]
    cases += [Case("ae", "GET", remove, 405)]
    cases += [Case("ae", "POST", url(brand, "nonsense"), 404, {})]

    run_permission_matrix(cast_plus, cases)

    assert set(PastCampaign.objects.values_list("name", flat=True)) == {"ae 的活动", "总经理的活动"}
    assert CompetitorReview.objects.filter(pk=review.pk).exists()


# Query budgets --------------------------------------------------------------------------


def fill(cast, brand, n: int) -> None:
    """`n` rows in every list section and every single section filled."""
    for section in dossier.SINGLE_SECTIONS:
        if not section.model.objects.filter(brand=brand).exists():
            dossier.dossier_section_set(
                actor=cast.ae, brand=brand, section=section.slug, expected_version=0
            )
    for i in range(n):
        add = dict(actor=cast.ae, brand=brand)
        dossier.dossier_row_add(
            **add, section="products", generic_name=f"产品{i}", grid={"quality": {"strength": "好"}}
        )
        dossier.dossier_row_add(**add, section="competitors", name=f"对手{i}")
        dossier.dossier_row_add(**add, section="research", title=f"调查{i}")
        dossier.dossier_row_add(**add, section="reviews", brand_product=f"评议{i}")
        campaign = dossier.dossier_row_add(**add, section="campaigns", name=f"活动{i}", year=2020)
        dossier.dossier_row_add(**add, section="budgets", year=2020 + i % 5, amount=Decimal(i))
        dossier.dossier_row_remove(actor=cast.ad, row=campaign, expected_version=1)
        dossier.dossier_row_add(**add, section="campaigns", name=f"留下的活动{i}", year=2021)


def test_the_overview_costs_the_same_queries_for_few_or_many_rows(
    cast, clientele, login, django_assert_num_queries
):
    brand = clientele.brand
    fill(cast, brand, 1)
    client = login(cast.ae)
    client.get(url(brand))

    with django_assert_num_queries(OVERVIEW_QUERIES):
        few = client.get(url(brand))
    fill(cast, brand, 25)
    with django_assert_num_queries(OVERVIEW_QUERIES):
        many = client.get(url(brand))

    assert few.status_code == many.status_code == 200
    products = next(s for s in many.context["states"] if s.section.slug == "products")
    assert len(products.rows) == 26


def test_a_section_page_costs_the_same_queries_for_few_or_many_rows(
    cast, clientele, login, django_assert_num_queries
):
    brand = clientele.brand
    fill(cast, brand, 1)
    client = login(cast.ae)
    client.get(url(brand, "campaigns"))

    with django_assert_num_queries(SECTION_QUERIES):
        client.get(url(brand, "campaigns"))
    fill(cast, brand, 25)
    with django_assert_num_queries(SECTION_QUERIES):
        many = client.get(url(brand, "campaigns"))
    assert len(many.context["table"]["rows"]) == 26
