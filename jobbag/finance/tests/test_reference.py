"""The rate card and tax profiles: services, pages, API and who may do what.

Cast: administrators and Finance manage the reference data; other staff read it; client
users never see it."""

from decimal import Decimal

import pytest
from django.urls import reverse

from jobbag.core.errors import Conflict, DomainError, NotAllowed
from jobbag.core.models import AuditEntry
from jobbag.core.testing import Case, run_permission_matrix
from jobbag.finance.demo import finance_build
from jobbag.finance.models import RateItem, TaxComponent, TaxProfile
from jobbag.finance.selectors import reference as selectors
from jobbag.finance.services import reference as services


@pytest.fixture
def demo(cast):
    return finance_build()


def test_the_demo_builds_the_card_and_default_profile_once(demo):
    again = finance_build()
    assert RateItem.objects.count() == 5
    assert set(demo["rate_items"]) == {
        "print-creative",
        "artwork",
        "pop-creative",
        "film",
        "colour-proof",
    }
    assert demo["rate_items"]["film"].unit == RateItem.Unit.PIECE
    assert demo["rate_items"]["artwork"].unit == RateItem.Unit.HOUR
    profile = again["tax_profile"]
    assert profile.is_default and profile.name == "一般纳税人 VAT 6% + 文化事业建设费 3%"
    assert [(c.rate, c.charged) for c in profile.components.all()] == [
        (Decimal("6.00"), True),
        (Decimal("3.00"), False),
    ]
    assert selectors.default_tax_profile() == profile


def test_finance_adds_a_clients_own_price_that_wins(cast, clientele, demo):
    own = services.rate_item_create(
        actor=cast.finance,
        code="artwork",
        name_zh="完稿（协议价）",
        unit="hour",
        price="260",
        company=clientele.company,
    )
    general = demo["rate_items"]["artwork"]
    assert selectors.rate_for(general, clientele.company.pk) == own
    assert selectors.rate_for(general, clientele.other_company.pk) == general
    card = {item.code: item for item in selectors.rate_card_for(clientele.company.pk)}
    assert card["artwork"] == own and card["film"] == demo["rate_items"]["film"]
    assert AuditEntry.objects.filter(object_id=str(own.pk), action="create").exists()
    with pytest.raises(DomainError) as refused:
        services.rate_item_create(
            actor=cast.admin,
            code="artwork",
            name_zh="重复",
            unit="hour",
            price="1",
            company=clientele.company,
        )
    assert refused.value.fields["code"] == services.CLIENT_CODE_TAKEN


@pytest.mark.parametrize(
    ("values", "field"),
    [
        ({"code": "", "name_zh": "x", "unit": "hour", "price": "1"}, "code"),
        ({"code": "a b", "name_zh": "x", "unit": "hour", "price": "1"}, "code"),
        ({"code": "x", "name_zh": "", "unit": "hour", "price": "1"}, "name_zh"),
        ({"code": "x", "name_zh": "x", "unit": "day", "price": "1"}, "unit"),
        ({"code": "x", "name_zh": "x", "unit": "hour", "price": "-1"}, "price"),
        ({"code": "x", "name_zh": "x", "unit": "hour", "price": "abc"}, "price"),
        (
            {"code": "x", "name_zh": "x", "unit": "hour", "price": "1", "currency": "RM1"},
            "currency",
        ),
        ({"code": "film", "name_zh": "x", "unit": "piece", "price": "1"}, "code"),
    ],
)
def test_bad_rate_items_are_refused(cast, demo, values, field):
    with pytest.raises(DomainError) as refused:
        services.rate_item_create(actor=cast.finance, **values)
    assert field in refused.value.fields
    assert RateItem.objects.count() == 5


def test_only_admins_and_finance_manage(cast, demo):
    values = {"code": "copy", "name_zh": "文案", "unit": "hour", "price": "500"}
    for user in [cast.ae, cast.ad, cast.designer, cast.client]:
        with pytest.raises(NotAllowed):
            services.rate_item_create(actor=user, **values)
    services.rate_item_create(actor=cast.admin, **values)


def test_a_rate_item_update_checks_the_version(cast, demo):
    item = demo["rate_items"]["film"]
    item = services.rate_item_update(
        actor=cast.finance, item=item, expected_version=item.version, price="150"
    )
    assert item.price == Decimal("150.00") and item.version == 2
    with pytest.raises(Conflict):
        services.rate_item_update(actor=cast.finance, item=item, expected_version=1, price="1")
    item.refresh_from_db()
    assert item.price == Decimal("150.00")


def test_tax_profiles_and_components(cast, demo):
    small = services.tax_profile_create(
        actor=cast.finance, code="small", name="小规模纳税人 3%", is_default=True
    )
    assert TaxProfile.objects.get(is_default=True) == small
    component = services.tax_component_add(
        actor=cast.finance, profile=small, name="增值税", rate="3", charged=True
    )
    small.refresh_from_db()
    assert small.version == 2
    with pytest.raises(DomainError) as refused:
        services.tax_component_add(actor=cast.finance, profile=small, name="x", rate="101")
    assert "rate" in refused.value.fields
    with pytest.raises(NotAllowed):
        services.tax_component_add(actor=cast.ae, profile=small, name="x", rate="1")
    services.tax_component_remove(actor=cast.admin, component=component)
    assert not TaxComponent.objects.filter(pk=component.pk).exists()
    small.refresh_from_db()
    profile = services.tax_profile_update(
        actor=cast.finance, profile=small, expected_version=small.version, is_default=False
    )
    assert not profile.is_default
    with pytest.raises(Conflict):
        services.tax_profile_update(actor=cast.finance, profile=small, expected_version=1, name="x")
    with pytest.raises(DomainError):
        services.tax_profile_create(actor=cast.finance, code="small", name="again")


# Pages ---------------------------------------------------------------------------------------


def test_finance_manages_the_rate_card_in_pages(login, cast, clientele, demo):
    client = login(cast.finance)
    response = client.get(reverse("finance:rates"))
    assert response.status_code == 200
    assert response.content.decode().count('data-testid="rate-row"') == 5
    assert 'data-testid="rate-form"' in response.content.decode()
    data = {
        "code": "film",
        "name_zh": "菲林（海尔）",
        "unit": "piece",
        "price": "100",
        "currency": "CNY",
        "company": clientele.company.pk,
        "is_active": "on",
    }
    response = client.post(reverse("finance:rate_new"), data)
    assert response.status_code == 302
    own = RateItem.objects.get(code="film", company=clientele.company)
    response = client.post(reverse("finance:rate_new"), data)
    assert response.status_code == 400
    edit = reverse("finance:rate_edit", args=[own.pk])
    assert client.get(edit).status_code == 200
    response = client.post(edit, {**data, "price": "90", "version": own.version})
    assert response.status_code == 302
    own.refresh_from_db()
    assert own.price == Decimal("90.00")
    response = client.post(edit, {**data, "price": "80", "version": 1})
    assert response.status_code == 400
    own.refresh_from_db()
    assert own.price == Decimal("90.00")


def test_staff_read_the_rate_card_without_forms(login, cast, demo):
    response = login(cast.ae).get(reverse("finance:rates"))
    assert response.status_code == 200
    assert 'data-testid="rate-form"' not in response.content.decode()


def test_finance_manages_tax_profiles_in_pages(login, cast, demo):
    client = login(cast.finance)
    response = client.post(
        reverse("finance:tax_new"), {"code": "hk", "name": "香港利得税", "is_active": "on"}
    )
    assert response.status_code == 302
    profile = TaxProfile.objects.get(code="hk")
    detail = reverse("finance:tax_detail", args=[profile.pk])
    assert response["Location"] == detail
    response = client.post(
        reverse("finance:tax_component_add", args=[profile.pk]),
        {"name": "利得税", "rate": "8.25", "order": "1"},
    )
    assert response.status_code == 302
    component = profile.components.get()
    assert component.rate == Decimal("8.25") and not component.charged
    page = client.get(detail).content.decode()
    assert "利得税" in page
    profile.refresh_from_db()
    response = client.post(
        detail, {"code": "hk", "name": "香港", "is_active": "on", "version": profile.version}
    )
    assert response.status_code == 302
    remove = reverse("finance:tax_component_remove", args=[profile.pk, component.pk])
    assert client.post(remove).status_code == 302
    assert not profile.components.exists()


def test_page_permission_matrix(cast, demo):
    profile = demo["tax_profile"]
    item = demo["rate_items"]["film"]
    rates, taxes = reverse("finance:rates"), reverse("finance:taxes")
    detail = reverse("finance:tax_detail", args=[profile.pk])
    edit = reverse("finance:rate_edit", args=[item.pk])
    new = reverse("finance:rate_new")
    cases = [Case("anonymous", "GET", rates, 302)]
    for role in ["ae", "ad", "gm", "designer", "finance", "admin"]:
        cases += [Case(role, "GET", rates, 200), Case(role, "GET", taxes, 200)]
        cases.append(Case(role, "GET", detail, 200))
    for role in ["ae", "ad", "gm", "designer"]:
        cases += [Case(role, "GET", edit, 403), Case(role, "POST", new, 403, {"code": "x"})]
    for role in ["finance", "admin"]:
        cases.append(Case(role, "GET", edit, 200))
    for role in ["client", "outsider"]:
        cases += [Case(role, "GET", rates, 404), Case(role, "GET", detail, 404)]
    run_permission_matrix(cast, cases)


# API -----------------------------------------------------------------------------------------


def test_the_api_reads_the_rate_card_and_tax_profiles(login, cast, clientele, demo):
    RateItem.objects.create(
        code="film", name_zh="菲林", unit="piece", price=90, company=clientele.company
    )
    client = login(cast.ae)
    items = client.get("/api/v1/finance/rates").json()
    assert len(items) == 6
    effective = client.get(
        f"/api/v1/finance/rates?company={clientele.company.pk}&effective=true"
    ).json()
    assert len(effective) == 5
    film = next(item for item in effective if item["code"] == "film")
    assert Decimal(film["price"]) == Decimal("90.00")
    profiles = client.get("/api/v1/finance/tax-profiles").json()
    assert profiles[0]["is_default"] is True
    assert [c["charged"] for c in profiles[0]["components"]] == [True, False]
    one = client.get(f"/api/v1/finance/tax-profiles/{profiles[0]['id']}")
    assert one.status_code == 200
    assert client.get("/api/v1/finance/rates/99999").status_code == 404


def test_api_permission_matrix(cast, demo):
    item = demo["rate_items"]["film"]
    cases = [Case("anonymous", "GET", "/api/v1/finance/rates", 401)]
    for role in ["ae", "designer", "finance", "admin"]:
        cases.append(Case(role, "GET", "/api/v1/finance/rates", 200))
        cases.append(Case(role, "GET", f"/api/v1/finance/rates/{item.pk}", 200))
    for role in ["client", "outsider"]:
        cases.append(Case(role, "GET", "/api/v1/finance/rates", 403))
        cases.append(Case(role, "GET", "/api/v1/finance/tax-profiles", 403))
    run_permission_matrix(cast, cases)
