"""The API's pagination: ?page= and ?page_size=, answering items, count, page and pages."""

from jobbag.accounts.tests.factories import UserFactory


def test_it_pages_with_count_and_number_of_pages(cast, login):
    for n in range(9):
        UserFactory(username=f"staff{n}", full_name=f"员工{n}")
    client = login(cast.ae)

    first = client.get("/api/v1/users", {"page_size": 4}).json()
    last = client.get("/api/v1/users", {"page_size": 4, "page": 4}).json()

    assert (first["count"], first["page"], first["pages"], len(first["items"])) == (15, 1, 4, 4)
    assert (last["page"], len(last["items"])) == (4, 3)
    every = [
        item["id"]
        for page in range(1, 5)
        for item in client.get("/api/v1/users", {"page_size": 4, "page": page}).json()["items"]
    ]
    assert len(every) == len(set(every)) == 15


def test_a_page_past_the_end_is_empty(cast, login):
    body = login(cast.ae).get("/api/v1/users", {"page": 99}).json()

    assert body == {"items": [], "count": 6, "page": 99, "pages": 1}


def test_invalid_page_values_are_refused_with_field_messages(cast, login):
    client = login(cast.ae)

    for params, fields in [
        ({"page": "abc"}, {"page"}),
        ({"page": 0}, {"page"}),
        ({"page": -1, "page_size": 0}, {"page", "page_size"}),
        ({"page_size": 201}, {"page_size"}),
    ]:
        response = client.get("/api/v1/users", params)
        assert response.status_code == 422, params
        assert response.json()["code"] == "invalid"
        assert set(response.json()["fields"]) == fields, params


def test_page_sizes_default_to_and_stop_at_the_settings(cast, login, settings):
    for n in range(settings.NINJA_PAGINATION_PER_PAGE):
        UserFactory(username=f"staff{n:02}")
    client = login(cast.ae)

    body = client.get("/api/v1/users").json()
    largest = client.get(
        "/api/v1/users", {"page_size": settings.NINJA_PAGINATION_MAX_PER_PAGE_SIZE}
    )

    assert len(body["items"]) == settings.NINJA_PAGINATION_PER_PAGE
    assert body["count"] == settings.NINJA_PAGINATION_PER_PAGE + 6 and body["pages"] == 2
    assert len(largest.json()["items"]) == body["count"]
