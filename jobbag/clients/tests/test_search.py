"""One box for the client file: names in characters or pinyin, phone and e-mail."""

from jobbag.clients.selectors import search
from jobbag.clients.tests.factories import BrandFactory, CompanyFactory, ContactFactory

SEARCH_QUERIES = 11


def found(results) -> dict:
    return {
        "companies": [c.code for c in results.companies],
        "brands": [b.name for b in results.brands],
        "contacts": [c.name for c in results.contacts],
    }


def test_pinyin_finds_haier_by_full_pinyin_and_initials(cast, clientele):
    for query in ("haier", "he", "海尔", "HAIER"):
        result = found(search(viewer=cast.ae, query=query))
        assert result["companies"] == ["HAIER"], query
        assert result["brands"] == ["海尔冰箱"], query


def test_people_are_found_by_name_phone_and_email(cast, clientele):
    ContactFactory(
        company=clientele.company, name="周强", mobile="13912345678", email="zq@haier.example"
    )
    assert found(search(viewer=cast.ae, query="zhouqiang"))["contacts"] == ["周强"]
    assert found(search(viewer=cast.ae, query="zq"))["contacts"] == ["周强"]
    assert found(search(viewer=cast.ae, query="139 1234 5678"))["contacts"] == ["周强"]
    assert found(search(viewer=cast.ae, query="12345678"))["contacts"] == ["周强"]
    assert found(search(viewer=cast.ae, query="zq@haier"))["contacts"] == ["周强"]


def test_people_only_from_files_the_user_may_open(cast, clientele):
    assert found(search(viewer=cast.ae, query="孙丽"))["contacts"] == ["孙丽"]
    assert found(search(viewer=clientele.other_ae, query="孙丽"))["contacts"] == []
    assert found(search(viewer=cast.designer, query="sunli"))["contacts"] == []
    # The company itself is found by everyone on the staff.
    assert found(search(viewer=cast.designer, query="haier"))["companies"] == ["HAIER"]


def test_the_search_page_groups_results_and_answers_htmx(cast, clientele, login):
    client = login(cast.ae)
    page = client.get("/clients/search/", {"q": "haier"})
    body = page.content.decode()
    assert page.status_code == 200
    assert 'data-testid="search-companies"' in body and 'data-testid="search-brands"' in body

    partial = client.get(
        "/clients/search/", {"q": "sunli"}, HTTP_HX_REQUEST="true", HTTP_HX_TARGET="search-results"
    )
    assert "<html" not in partial.content.decode() and "孙丽" in partial.content.decode()
    assert (
        'data-testid="search-empty"'
        in client.get("/clients/search/", {"q": "zzz"}).content.decode()
    )


def test_the_header_has_the_search_box_for_staff_only(cast, clientele, login):
    assert 'data-testid="header-search"' in login(cast.designer).get("/").content.decode()
    assert login(cast.client).get("/clients/search/", {"q": "haier"}).status_code in (403, 404)


def test_the_search_costs_the_same_queries_for_few_or_many_matches(
    cast, clientele, login, django_assert_num_queries
):
    client = login(cast.ae)
    client.get("/clients/search/", {"q": "hai"})
    with django_assert_num_queries(SEARCH_QUERIES):
        client.get("/clients/search/", {"q": "hai"})
    for n in range(12):
        company = CompanyFactory(code=f"HAI{n:02d}", name=f"海{n}公司")
        BrandFactory(company=company, name=f"海品牌{n}")
        ContactFactory(company=clientele.company, name=f"海燕{n}")
    with django_assert_num_queries(SEARCH_QUERIES):
        response = client.get("/clients/search/", {"q": "hai"})
    results = response.context["results"]
    assert len(results.companies) == len(results.brands) == len(results.contacts) == 10
