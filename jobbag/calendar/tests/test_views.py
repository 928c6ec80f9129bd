from datetime import date

import pytest
from django.template.loader import render_to_string
from django.urls import reverse

from jobbag.calendar import home_sections
from jobbag.calendar.models import CalendarDay, CalendarYear, Source
from jobbag.core.models import AuditEntry
from jobbag.core.navigation import menu_for
from jobbag.core.testing import Case, run_permission_matrix

pytestmark = pytest.mark.django_db

YEAR_2025 = "/calendar/2025/"


def test_it_routes_the_year_pages():
    assert reverse("calendar:year") == "/calendar/"
    assert reverse("calendar:year", args=[2025]) == YEAR_2025


def test_it_shows_the_year_to_staff(cast, login):
    response = login(cast.designer).get(YEAR_2025)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-date="2025-10-01"' in html
    assert 'data-date="2025-09-28"' in html
    assert "国庆节" in html
    assert 'data-testid="year-unknown"' not in html
    # Staff see the calendar but get no edit controls.
    assert 'data-testid="day-form"' not in html
    assert 'data-testid="mark-known"' not in html


def test_it_marks_an_unknown_year(cast, login):
    response = login(cast.ae).get("/calendar/2031/")
    assert response.status_code == 200
    assert 'data-testid="year-unknown"' in response.content.decode()
    # Looking at the page is not a computation: nobody is warned yet.
    assert not CalendarYear.objects.filter(year=2031).exists()


def test_it_refuses_years_outside_the_range(cast, login):
    assert login(cast.ae).get("/calendar/1989/").status_code == 404
    assert login(cast.ae).get("/calendar/2101/").status_code == 404


def test_it_shows_the_year_page_in_a_fixed_number_of_queries(
    cast, login, django_assert_num_queries
):
    client = login(cast.admin)
    client.get(YEAR_2025)
    # Session, user, unread count, the year's days, the year record.
    with django_assert_num_queries(5):
        assert client.get(YEAR_2025).status_code == 200
    with django_assert_num_queries(5):
        assert client.get("/calendar/2031/").status_code == 200


def test_it_lets_an_admin_add_a_day(cast, login):
    response = login(cast.admin).post(
        "/calendar/days/add/",
        {"date": "2027-10-01", "kind": "holiday", "name_zh": "国庆节", "name_en": "National Day"},
    )
    assert response.status_code == 302
    assert response["Location"] == "/calendar/2027/"
    day = CalendarDay.objects.get(date=date(2027, 10, 1))
    assert (day.kind, day.source, day.name_zh) == ("holiday", Source.MANUAL, "国庆节")
    entry = AuditEntry.objects.get(object_id=str(day.pk), action=AuditEntry.Action.CREATE)
    assert entry.actor == cast.admin


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (
            {"date": "2027-10-04", "kind": "workday"},
            "A make-up working day must be a Saturday or a Sunday.",
        ),
        ({"date": "2027-10-01", "kind": "holiday"}, "A public holiday needs a name."),
        (
            {"date": "1980-10-01", "kind": "holiday", "name_zh": "国庆节"},
            "Dates must fall between 1990 and 2100.",
        ),
        ({"date": "2027-02-30", "kind": "holiday", "name_zh": "春节"}, "Enter a valid date."),
        (
            {"date": "2025-10-01", "kind": "holiday", "name_zh": "国庆节"},
            "This date already has an entry; edit that entry instead.",
        ),
    ],
)
def test_it_shows_a_clear_message_for_bad_input_and_writes_nothing(cast, login, data, message):
    days, audits = CalendarDay.objects.count(), AuditEntry.objects.count()
    cast.admin.language = "en"
    cast.admin.save(update_fields=["language"])
    response = login(cast.admin).post("/calendar/days/add/", data)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert CalendarDay.objects.count() == days
    assert AuditEntry.objects.count() == audits


def test_it_lets_an_admin_edit_a_day_with_its_history(cast, login):
    client = login(cast.admin)
    day = CalendarDay.objects.get(date=date(2025, 10, 6))
    page = client.get("/calendar/days/2025-10-06/edit/")
    assert page.status_code == 200
    assert 'name="version"' in page.content.decode()
    response = client.post(
        "/calendar/days/2025-10-06/edit/",
        {"kind": "holiday", "name_zh": "中秋节", "name_en": "Mid-Autumn", "version": day.version},
    )
    assert response.status_code == 302
    day.refresh_from_db()
    assert (day.name_en, day.source) == ("Mid-Autumn", Source.MANUAL)
    entry = AuditEntry.objects.get(object_id=str(day.pk), action=AuditEntry.Action.CHANGE)
    assert entry.changes["name_en"] == ["Mid-autumn Festival", "Mid-Autumn"]
    assert "Mid-Autumn" in client.get("/calendar/days/2025-10-06/edit/").content.decode()


def test_it_refuses_a_stale_edit_and_writes_nothing(cast, login):
    day = CalendarDay.objects.get(date=date(2025, 10, 6))
    response = login(cast.admin).post(
        "/calendar/days/2025-10-06/edit/",
        {"kind": "holiday", "name_zh": "x", "version": day.version + 5},
    )
    assert response.status_code == 400
    day.refresh_from_db()
    assert day.name_zh == "中秋节"
    assert not AuditEntry.objects.exists()


def test_it_lets_an_admin_remove_a_day(cast, login):
    day = CalendarDay.objects.get(date=date(2025, 10, 11))
    response = login(cast.admin).post("/calendar/days/2025-10-11/remove/", {"version": day.version})
    assert response.status_code == 302
    assert not CalendarDay.objects.filter(pk=day.pk).exists()
    assert AuditEntry.objects.filter(action=AuditEntry.Action.DELETE).count() == 1


def test_it_lets_an_admin_mark_a_year_known(cast, login):
    response = login(cast.admin).post("/calendar/2027/known/", {"known": "1"})
    assert response.status_code == 302
    record = CalendarYear.objects.get(year=2027)
    assert (record.known, record.source) == (True, Source.MANUAL)
    assert AuditEntry.objects.filter(object_id=str(record.pk)).count() == 1


def test_it_calculates_a_due_date_as_an_htmx_partial(cast, login):
    response = login(cast.ae).get(
        "/calendar/calculate/", {"start": "2025-09-30", "n": "1"}, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-date="2025-10-09"' in html
    assert "<html" not in html


def test_it_calculates_without_javascript_and_refuses_bad_input(cast, login):
    client = login(cast.ae)
    response = client.get("/calendar/calculate/", {"start": "2025-09-26", "n": "1"})
    assert response.status_code == 200
    assert 'data-date="2025-09-28"' in response.content.decode()
    bad = client.get("/calendar/calculate/", {"start": "2025-09-26", "n": "99999"})
    assert bad.status_code == 400
    assert 'class="field-error"' in bad.content.decode()


@pytest.mark.parametrize(
    ("today", "working", "next_holiday"),
    [
        (date(2025, 9, 28), True, date(2025, 10, 1)),
        (date(2025, 10, 3), False, date(2026, 1, 1)),
        (date(2025, 10, 9), True, date(2026, 1, 1)),
    ],
)
def test_it_shows_today_on_the_home_card(cast, rf, monkeypatch, today, working, next_holiday):
    monkeypatch.setattr(home_sections.timezone, "localdate", lambda: today)
    request = rf.get("/")
    request.user = cast.ae
    section = home_sections.today_context(request)
    assert section["is_working_day"] is working
    assert section["next_holiday"].date == next_holiday
    html = render_to_string("calendar/_home_today.html", {"section": section})
    assert 'data-testid="home-calendar"' in html
    assert next_holiday.strftime("%Y") in html
    request.user = cast.client
    assert home_sections.today_context(request) is None


def test_it_lists_the_menu_entry_for_staff_only(cast):
    assert "calendar:year" in [item.url_name for item in menu_for(cast.ae)]
    assert "calendar:year" not in [item.url_name for item in menu_for(cast.client)]


def test_it_enforces_the_permission_matrix(cast):
    day = CalendarDay.objects.get(date=date(2025, 10, 6))
    calculate = "/calendar/calculate/?start=2025-09-30&n=1"
    cases = []
    for role in ("ae", "ad", "gm", "designer", "finance"):
        cases += [
            Case(role, "GET", "/calendar/", 200),
            Case(role, "GET", YEAR_2025, 200),
            Case(role, "GET", calculate, 200),
            Case(role, "GET", "/calendar/days/2025-10-06/edit/", 403),
            Case(role, "POST", "/calendar/days/add/", 403, {"date": "2027-10-01"}),
            Case(role, "POST", "/calendar/days/2025-10-06/remove/", 403, {"version": 1}),
            Case(role, "POST", "/calendar/2027/known/", 403),
        ]
    # Client users meet 404 on every staff page: the portal isolates them.
    for role in ("client", "outsider"):
        cases += [
            Case(role, "GET", "/calendar/", 404),
            Case(role, "GET", YEAR_2025, 404),
            Case(role, "GET", calculate, 404),
            Case(role, "GET", "/calendar/days/2025-10-06/edit/", 404),
            Case(role, "POST", "/calendar/days/add/", 404),
            Case(role, "POST", "/calendar/2027/known/", 404),
        ]
    cases += [
        Case("anonymous", "GET", YEAR_2025, 302),
        Case("anonymous", "POST", "/calendar/2027/known/", 302),
        Case("admin", "GET", YEAR_2025, 200),
        Case("admin", "GET", "/calendar/days/2025-10-06/edit/", 200),
        Case("admin", "GET", "/calendar/days/2025-13-06/edit/", 404),
        Case("admin", "GET", "/calendar/days/2025-10-07/remove/", 405),
        Case("admin", "POST", "/calendar/days/2025-11-11/remove/", 404, {"version": 1}),
        Case("admin", "POST", "/calendar/2027/known/", 302),
        Case("admin", "POST", "/calendar/days/2025-10-06/remove/", 302, {"version": day.version}),
    ]
    run_permission_matrix(cast, cases)
