"""Brands of a client: added and edited by its team, seen in full by the team only."""

from jobbag.clients.models import Brand
from jobbag.core.models import AuditEntry


def test_it_adds_a_brand_to_a_client(cast, clientele, login):
    company = clientele.company
    response = login(cast.ae).post(
        f"/clients/{company.pk}/brands/new/",
        {"name": "卡萨帝", "name_en": "Casarte", "category": "高端家电", "is_active": "on"},
    )

    assert response.status_code == 302 and response.url == f"/clients/{company.pk}/"
    brand = Brand.objects.get(company=company, name="卡萨帝")
    assert brand.is_active and "kasadi" in brand.search
    assert AuditEntry.objects.filter(object_id=str(brand.pk), action="create", actor=cast.ae)
    assert "卡萨帝" in login(cast.ae).get(response.url).content.decode()


def test_it_refuses_a_duplicate_brand_name_and_writes_nothing(cast, clientele, login):
    response = login(cast.ae).post(
        f"/clients/{clientele.company.pk}/brands/new/", {"name": "海尔冰箱"}
    )

    assert response.status_code == 400
    assert "name" in response.context["form"].errors
    assert Brand.objects.filter(name="海尔冰箱").count() == 1
    assert not AuditEntry.objects.exists()


def test_it_edits_a_brand_and_refuses_a_stale_edit(cast, clientele, login):
    brand = clientele.brand
    client = login(cast.ae)
    data = {"name": "海尔冰箱", "category": "冰箱", "is_active": "on", "version": brand.version}

    response = client.post(f"/clients/brands/{brand.pk}/edit/", data)
    assert response.status_code == 302
    brand.refresh_from_db()
    assert brand.category == "冰箱"
    assert AuditEntry.objects.filter(object_id=str(brand.pk), action="change").count() == 1

    stale = client.post(f"/clients/brands/{brand.pk}/edit/", {**data, "category": "冷柜"})
    assert stale.status_code == 400
    assert stale.context["form"].non_field_errors()
    brand.refresh_from_db()
    assert brand.category == "冰箱"


def test_the_brand_page_shows_the_file_to_the_team_and_the_name_to_others(cast, clientele, login):
    url = f"/clients/brands/{clientele.brand.pk}/"
    team = login(cast.ae).get(url)
    assert team.status_code == 200 and team.context["file_open"]

    other = login(clientele.other_ae).get(url)
    assert other.status_code == 200 and not other.context["file_open"]
    assert "海尔冰箱" in other.content.decode()
    assert login(clientele.other_ae).get(f"{url}edit/").status_code == 403
    assert (
        login(cast.designer)
        .post(f"/clients/{clientele.company.pk}/brands/new/", {"name": "X"})
        .status_code
        == 403
    )
    assert Brand.objects.count() == 1
