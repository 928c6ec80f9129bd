"""The staff directory and a person's page: for staff only, searchable, paginated, and
at a fixed number of queries however many people there are."""

from datetime import timedelta

from django.utils import timezone

from jobbag.accounts import services
from jobbag.accounts.models import Role, ServiceTeamMembership, User
from jobbag.accounts.tests.factories import ClientGroupFactory, DepartmentFactory, PositionFactory
from jobbag.core.testing import Case, run_permission_matrix

TODAY = timezone.localdate()

# Session and user (2), unread notifications (1), departments for the filter (1),
# count and page (2).
DIRECTORY_QUERIES = 6
# Session and user (2), unread notifications (1), the person (1), deputies both ways (2),
# service teams (1), client groups (1), direct reports (1).
USER_DETAIL_QUERIES = 9


def add_staff(count: int, *, prefix: str = "bulk") -> None:
    """Many staff at once, each in a department with a position and a manager."""
    department = DepartmentFactory(code="creative")
    position = PositionFactory(role=Role.DESIGNER, department=department)
    manager = User.objects.get(username="ad")
    User.objects.bulk_create(
        User(
            username=f"{prefix}{n}",
            full_name=f"设计师{n:03d}",
            email=f"{prefix}{n}@agency.example",
            department=department,
            position=position,
            reports_to=manager,
            mobile=f"1390000{n:04d}",
        )
        for n in range(count)
    )


def names(response) -> list[str]:
    return [person.username for person in response.context["page_obj"]]


def test_it_lists_active_staff_with_their_details(cast, login):
    cast.ae.reports_to = cast.ad
    cast.ae.phone = "010-6500 1234"
    cast.ae.save()
    cast.finance.is_active = False
    cast.finance.save()

    response = login(cast.designer).get("/accounts/directory/")

    assert response.status_code == 200
    assert set(names(response)) == {"ae", "ad", "gm", "designer", "admin"}
    body = response.content.decode()
    assert "王小明" in body and "010-6500 1234" in body and "ae@agency.example" in body
    assert f'href="/accounts/people/{cast.ad.pk}/"' in body


def test_it_searches_by_name_username_and_phone(cast, login):
    cast.gm.mobile = "13912345678"
    cast.gm.save()
    client = login(cast.ae)

    assert names(client.get("/accounts/directory/", {"q": "李"})) == ["ad"]
    assert names(client.get("/accounts/directory/", {"q": "design"})) == ["designer"]
    assert names(client.get("/accounts/directory/", {"q": "12345"})) == ["gm"]


def test_it_filters_by_department_and_role(cast, login):
    client = login(cast.ae)

    by_department = client.get("/accounts/directory/", {"department": cast.ae.department_id})
    by_role = client.get("/accounts/directory/", {"role": Role.GM})

    assert set(names(by_department)) == {"ae", "ad"}
    assert names(by_role) == ["gm"]
    assert names(client.get("/accounts/directory/", {"q": "李", "department": "x"})) == ["ad"]


def test_the_search_box_gets_only_the_result_table_over_htmx(cast, login):
    client = login(cast.ae)

    page = client.get("/accounts/directory/")
    partial = client.get(
        "/accounts/directory/",
        {"q": "王"},
        HTTP_HX_REQUEST="true",
        HTTP_HX_TARGET="directory-results",
    )

    assert 'hx-trigger="keyup changed delay:300ms' in page.content.decode()
    assert "<html" in page.content.decode()
    assert partial.status_code == 200
    assert "<html" not in partial.content.decode()
    assert [t.name for t in partial.templates][0] == "accounts/_directory_results.html"
    assert names(partial) == ["ae"]


def test_it_pages_thirty_at_a_time_and_keeps_the_filters(cast, login):
    add_staff(40)
    client = login(cast.ae)

    first = client.get("/accounts/directory/", {"role": Role.DESIGNER})
    second = client.get("/accounts/directory/", {"role": Role.DESIGNER, "page": 2})

    assert len(first.context["page_obj"]) == 30
    assert len(second.context["page_obj"]) == 11
    assert "?role=designer&amp;page=2" in first.content.decode()


def test_the_directory_costs_the_same_queries_for_5_or_60_people(
    cast, login, django_assert_num_queries
):
    client = login(cast.ae)
    client.get("/accounts/directory/")

    with django_assert_num_queries(DIRECTORY_QUERIES):
        few = client.get("/accounts/directory/")
    add_staff(60)
    with django_assert_num_queries(DIRECTORY_QUERIES):
        many = client.get("/accounts/directory/")

    # The six staff of the cast.
    assert len(few.context["page_obj"]) == 6
    assert len(many.context["page_obj"]) == 30


def test_a_persons_page_shows_deputies_and_service_teams(cast, login):
    group = ClientGroupFactory(code="nike", name_zh="耐克组")
    group.members.add(cast.ad)
    ServiceTeamMembership.objects.create(client_group=group, user=cast.ad, team_role="ad")
    services.deputy_create(
        actor=cast.ad,
        principal=cast.ad,
        deputy=cast.ae,
        starts_on=TODAY,
        ends_on=TODAY + timedelta(days=3),
    )
    cast.ae.reports_to = cast.ad
    cast.ae.save()

    response = login(cast.designer).get(f"/accounts/people/{cast.ad.pk}/")

    assert response.status_code == 200
    detail = response.context["detail"]
    assert [d.deputy for d in detail.deputies] == [cast.ae]
    assert [m.client_group for m in detail.service_teams] == [group]
    assert detail.direct_reports == [cast.ae]
    body = response.content.decode()
    assert "耐克组" in body and "王小明" in body


def test_a_persons_page_costs_a_fixed_number_of_queries(cast, login, django_assert_num_queries):
    add_staff(10)
    for n in range(3):
        group = ClientGroupFactory(code=f"group-{n}")
        group.members.add(cast.ad)
        ServiceTeamMembership.objects.create(client_group=group, user=cast.ad, team_role="ad")
    User.objects.filter(username__startswith="bulk").update(reports_to=cast.ad)
    client = login(cast.ae)
    client.get(f"/accounts/people/{cast.ad.pk}/")

    with django_assert_num_queries(USER_DETAIL_QUERIES):
        response = client.get(f"/accounts/people/{cast.ad.pk}/")

    assert len(response.context["detail"].direct_reports) == 10


def test_client_users_are_not_in_the_directory_and_their_pages_are_hidden(cast, login):
    response = login(cast.ae).get(f"/accounts/people/{cast.client.pk}/")
    assert response.status_code == 404


def test_the_directory_is_for_staff_only(cast):
    person = f"/accounts/people/{cast.ad.pk}/"
    cases = []
    for url in ("/accounts/directory/", person):
        cases.append(Case("anonymous", "GET", url, 302))
        # Client users meet 404 on every staff page: the portal isolates them.
        cases += [Case(role, "GET", url, 404) for role in ("client", "outsider")]
        cases += [
            Case(role, "GET", url, 200)
            for role in ("ae", "ad", "designer", "finance", "gm", "admin")
        ]
    cases.append(Case("client", "GET", f"/accounts/people/{cast.client.pk}/", 404))
    cases.append(Case("ae", "GET", f"/accounts/people/{cast.outsider.pk}/", 404))
    cases.append(Case("ae", "GET", "/accounts/people/999999/", 404))

    run_permission_matrix(cast, cases)
