import pytest

from jobbag.api import api
from jobbag.calendar.api import router
from jobbag.core.testing import Case, run_permission_matrix

pytestmark = [pytest.mark.django_db, pytest.mark.urls("jobbag.calendar.tests.api_urls")]

BASE = "/api/test/calendar"


@pytest.fixture
def staff_api(cast, login):
    return login(cast.ae)


def test_it_adds_working_days(staff_api):
    response = staff_api.get(f"{BASE}/working-days/add", {"start": "2025-09-30", "n": 1})
    assert response.status_code == 200
    assert response.json() == {
        "start": "2025-09-30",
        "n": 1,
        "date": "2025-10-09",
        "unknown_years": [],
    }
    back = staff_api.get(f"{BASE}/working-days/add", {"start": "2025-09-29", "n": -1})
    assert back.json()["date"] == "2025-09-28"


def test_it_counts_working_days_between(staff_api):
    # 28, 29, 30 September; 9, 10, 11 October.
    response = staff_api.get(
        f"{BASE}/working-days/between", {"start": "2025-09-26", "end": "2025-10-11"}
    )
    assert response.status_code == 200
    assert response.json()["working_days"] == 6
    reverse = staff_api.get(
        f"{BASE}/working-days/between", {"start": "2025-10-11", "end": "2025-09-26"}
    )
    assert reverse.json()["working_days"] == -6


def test_it_names_unknown_years(staff_api):
    response = staff_api.get(f"{BASE}/working-days/add", {"start": "2031-12-30", "n": 5})
    assert response.status_code == 200
    assert response.json()["unknown_years"] == [2031, 2032]


def test_it_lists_a_years_days(staff_api):
    response = staff_api.get(f"{BASE}/days", {"year": 2025})
    assert response.status_code == 200
    body = response.json()
    assert (body["year"], body["known"], body["source"]) == (2025, True, "package")
    national_day = next(day for day in body["days"] if day["date"] == "2025-10-01")
    assert national_day["kind"] == "holiday"
    assert (national_day["name_zh"], national_day["name_en"]) == ("国庆节", "National Day")
    empty = staff_api.get(f"{BASE}/days", {"year": 2031}).json()
    assert (empty["known"], empty["days"]) == (False, [])


@pytest.mark.parametrize(
    ("path", "params", "field"),
    [
        ("working-days/add", {"start": "1980-01-01", "n": 1}, "start"),
        ("working-days/add", {"start": "2025-01-01", "n": 99999}, "n"),
        ("working-days/add", {"start": "2025-02-30", "n": 1}, "start"),
        ("working-days/add", {"start": "2025-01-01"}, "n"),
        ("working-days/between", {"start": "2025-01-01", "end": "2200-01-01"}, "end"),
        ("days", {"year": 2200}, "year"),
        ("days", {"year": "abc"}, "year"),
    ],
)
def test_it_refuses_bad_input_in_the_error_shape(staff_api, path, params, field):
    response = staff_api.get(f"{BASE}/{path}", params)
    assert response.status_code == 422
    body = response.json()
    assert body["code"] == "invalid"
    assert field in body["fields"]


def test_it_enforces_the_api_permission_matrix(cast):
    urls = [
        f"{BASE}/working-days/add?start=2025-09-30&n=1",
        f"{BASE}/working-days/between?start=2025-09-30&end=2025-10-09",
        f"{BASE}/days?year=2025",
    ]
    cases = []
    for url in urls:
        cases += [
            Case(role, "GET", url, 200)
            for role in ("ae", "ad", "gm", "designer", "finance", "admin")
        ]
        cases += [Case(role, "GET", url, 403) for role in ("client", "outsider")]
        cases.append(Case("anonymous", "GET", url, 401))
    run_permission_matrix(cast, cases)


@pytest.mark.skipif(
    not any(mounted[1] is router for mounted in api._routers),
    reason="the lead adds the calendar router to jobbag/api.py",
)
@pytest.mark.urls("jobbag.urls")
def test_it_is_mounted_in_the_project_api(staff_api):
    response = staff_api.get("/api/v1/calendar/days", {"year": 2025})
    assert response.status_code == 200
