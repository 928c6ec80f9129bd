"""The operations the benchmark times, each beside its raw SQL floor.

An operation's floor reads the same data with hand-written SQL through
`connection.cursor()`: what the request could cost at the very least. Every signed-in
floor also reads the session and the user, as any signed-in request must. Later
issues add their operations with `register(Operation(...))`.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth.hashers import check_password
from django.db import connection
from django.db.models import Count
from django.http import HttpResponse
from django.test import Client
from django.urls import NoReverseMatch, Resolver404, resolve, reverse
from django.utils import timezone

from jobbag.accounts.models import User
from jobbag.clients.models import Company


@dataclass(frozen=True)
class BenchData:
    """What the data builder made, for operations to pick their actors from."""

    scale: int
    staff_count: int
    username: str
    password: str
    client_count: int = 0
    contact_count: int = 0


class Unavailable(Exception):
    """Raised by an operation's setup when the page or endpoint it times does not exist."""


@dataclass(frozen=True)
class Operation:
    name: str
    # Prepares what the requests need (a signed-in client, a URL) from the data.
    setup: Callable[[BenchData], Any]
    # One request as a user makes it, through Django's test client.
    request: Callable[[Any], HttpResponse]
    # The same data read with hand-written SQL.
    floor_sql: Callable[[Any], None]
    expected_status: int = 200


OPERATIONS: list[Operation] = []


def register(operation: Operation) -> Operation:
    OPERATIONS.append(operation)
    return operation


@dataclass
class Visit:
    """A signed-in test client and what its requests need."""

    client: Client
    user: User
    url: str = ""
    password: str = ""


def signed_in(data: BenchData, url: str = "") -> Visit:
    user = User.objects.get(username=data.username)
    client = Client()
    client.force_login(user)
    return Visit(client=client, user=user, url=url)


def session_floor(cursor, visit: Visit) -> None:
    """The reads every signed-in request makes: its session, then its user."""
    cursor.execute(
        "SELECT session_data FROM django_session WHERE session_key = %s AND expire_date > %s",
        [visit.client.session.session_key, timezone.now()],
    )
    cursor.fetchone()
    cursor.execute(
        "SELECT u.id, u.password, u.username, u.full_name, u.kind, u.language, u.is_active,"
        " u.is_superuser, u.session_epoch, p.role, p.name_zh, p.name_en,"
        " d.name_zh, d.name_en"
        " FROM accounts_user u"
        " LEFT JOIN accounts_position p ON p.id = u.position_id"
        " LEFT JOIN accounts_department d ON d.id = u.department_id"
        " WHERE u.id = %s",
        [visit.user.pk],
    )
    cursor.fetchone()


def staff_page_floor(visit: Visit, page_size: int) -> None:
    """The first page of active staff with department and position, and their count."""
    with connection.cursor() as cursor:
        session_floor(cursor, visit)
        cursor.execute(
            "SELECT u.id, u.username, u.full_name, u.email, u.mobile,"
            " d.name_zh, d.name_en, p.name_zh, p.name_en, p.role"
            " FROM accounts_user u"
            " LEFT JOIN accounts_department d ON d.id = u.department_id"
            " LEFT JOIN accounts_position p ON p.id = u.position_id"
            " WHERE u.kind = %s AND u.is_active = %s"
            " ORDER BY u.full_name, u.id LIMIT %s",
            [User.Kind.STAFF, True, page_size],
        )
        cursor.fetchall()
        cursor.execute(
            "SELECT COUNT(*) FROM accounts_user WHERE kind = %s AND is_active = %s",
            [User.Kind.STAFF, True],
        )
        cursor.fetchone()


# Sign-in: the floor is what signing in cannot avoid, the user's row and one Argon2 check.
def sign_in_setup(data: BenchData) -> Visit:
    user = User.objects.get(username=data.username)
    return Visit(client=Client(), user=user, url=reverse("accounts:login"), password=data.password)


def sign_in_request(visit: Visit) -> HttpResponse:
    # A fresh client each time: every sign-in starts without a session.
    return Client().post(visit.url, {"username": visit.user.username, "password": visit.password})


def sign_in_floor(visit: Visit) -> None:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT id, password, is_active FROM accounts_user WHERE username = %s",
            [visit.user.username],
        )
        _pk, encoded, _active = cursor.fetchone()
    check_password(visit.password, encoded)


register(Operation("sign-in", sign_in_setup, sign_in_request, sign_in_floor, expected_status=302))


# Home page: the shell (menu, unread notifications) and the role's sections.
def home_setup(data: BenchData) -> Visit:
    return signed_in(data, reverse("core:home"))


def get_page(visit: Visit) -> HttpResponse:
    return visit.client.get(visit.url)


def home_floor(visit: Visit) -> None:
    """What the home page shows, read by hand: the profile card (with reports-to and who
    deputises whom today), the team card (direct reports, client groups), the calendar
    card (the coming year's holiday rows) and the unread count."""
    today = timezone.localdate()
    user_id = visit.user.pk
    with connection.cursor() as cursor:
        session_floor(cursor, visit)
        cursor.execute(
            "SELECT r.id, r.full_name, r.username FROM accounts_user u"
            " LEFT JOIN accounts_user r ON r.id = u.reports_to_id WHERE u.id = %s",
            [user_id],
        )
        cursor.fetchone()
        cursor.execute(
            "SELECT d.principal_id, d.deputy_id, d.starts_on, d.ends_on, pu.full_name,"
            " du.full_name FROM accounts_deputy d"
            " JOIN accounts_user pu ON pu.id = d.principal_id"
            " JOIN accounts_user du ON du.id = d.deputy_id"
            " WHERE (d.principal_id = %s OR d.deputy_id = %s) AND d.cancelled_at IS NULL"
            " AND d.starts_on <= %s AND d.ends_on >= %s",
            [user_id, user_id, today, today],
        )
        cursor.fetchall()
        cursor.execute(
            "SELECT u.id, u.full_name, p.name_zh, p.name_en FROM accounts_user u"
            " LEFT JOIN accounts_position p ON p.id = u.position_id"
            " WHERE u.reports_to_id = %s AND u.is_active = %s ORDER BY u.full_name",
            [user_id, True],
        )
        cursor.fetchall()
        cursor.execute(
            "SELECT g.id, g.name_zh, g.name_en FROM accounts_clientgroup g"
            " JOIN accounts_clientgroup_members m ON m.clientgroup_id = g.id"
            " WHERE m.user_id = %s ORDER BY g.code",
            [user_id],
        )
        cursor.fetchall()
        cursor.execute(
            "SELECT date, kind, name_zh, name_en FROM calendar_calendarday"
            " WHERE date BETWEEN %s AND %s ORDER BY date",
            [today, today + timedelta(days=400)],
        )
        cursor.fetchall()
        cursor.execute(
            "SELECT COUNT(*) FROM core_notification WHERE recipient_id = %s AND read_at IS NULL",
            [user_id],
        )
        cursor.fetchone()


register(Operation("home page", home_setup, get_page, home_floor))


# Staff directory: a 30-row page of all staff at the benchmark's scale.
DIRECTORY_PAGE_SIZE = 30


def directory_setup(data: BenchData) -> Visit:
    try:
        url = reverse("accounts:directory")
    except NoReverseMatch as exc:
        raise Unavailable("no staff directory (accounts:directory) yet") from exc
    return signed_in(data, url)


register(
    Operation(
        "staff directory",
        directory_setup,
        get_page,
        lambda visit: staff_page_floor(visit, DIRECTORY_PAGE_SIZE),
    )
)


# API user list: the first page as JSON, with the session of a signed-in user.
API_USERS_URL = "/api/v1/users"


def api_users_setup(data: BenchData) -> Visit:
    try:
        resolve(API_USERS_URL)
    except Resolver404 as exc:
        raise Unavailable(f"no API user list ({API_USERS_URL}) yet") from exc
    return signed_in(data, f"{API_USERS_URL}?page=1")


register(
    Operation(
        "API user list",
        api_users_setup,
        get_page,
        lambda visit: staff_page_floor(visit, settings.NINJA_PAGINATION_PER_PAGE),
    )
)


# The client file at 2,000 clients and 20,000 contacts (the default scale): the AE's
# filtered and searched client list, and one client's page.
CLIENT_PAGE_SIZE = 30
CLIENT_SEARCH = "科技"
CLIENT_STATUS = "active"


@dataclass
class ClientVisit(Visit):
    company_id: int = 0


def served_companies_floor(cursor, visit: Visit) -> None:
    """The companies the user may open in full: their teams' and their client groups'."""
    cursor.execute(
        "SELECT c.id FROM clients_company c"
        " WHERE c.client_group_id IN"
        " (SELECT clientgroup_id FROM accounts_clientgroup_members WHERE user_id = %s)"
        " OR c.id IN (SELECT company_id FROM accounts_serviceteammembership"
        " WHERE user_id = %s AND company_id IS NOT NULL)",
        [visit.user.pk, visit.user.pk],
    )
    cursor.fetchall()


def client_list_setup(data: BenchData) -> Visit:
    try:
        url = reverse("clients:list")
    except NoReverseMatch as exc:
        raise Unavailable("no client list (clients:list) yet") from exc
    return signed_in(data, f"{url}?q={CLIENT_SEARCH}&status={CLIENT_STATUS}")


def client_list_floor(visit: Visit) -> None:
    """A page of the clients matching the search and the status, with their client
    group, and the count of all that match."""
    pattern = f"%{CLIENT_SEARCH}%"
    with connection.cursor() as cursor:
        session_floor(cursor, visit)
        served_companies_floor(cursor, visit)
        cursor.execute(
            "SELECT c.id, c.code, c.name, c.name_en, c.industry, c.status, c.is_key_client,"
            " c.annual_revenue, c.headcount, g.name_zh, g.name_en FROM clients_company c"
            " LEFT JOIN accounts_clientgroup g ON g.id = c.client_group_id"
            " WHERE c.status = %s AND c.search LIKE %s ORDER BY c.code LIMIT %s",
            [CLIENT_STATUS, pattern, CLIENT_PAGE_SIZE],
        )
        cursor.fetchall()
        cursor.execute(
            "SELECT COUNT(*) FROM clients_company WHERE status = %s AND search LIKE %s",
            [CLIENT_STATUS, pattern],
        )
        cursor.fetchone()


register(
    Operation("client list (filtered + search)", client_list_setup, get_page, client_list_floor)
)


def client_page_company(data: BenchData):
    """A client of the AE's with ten contacts and three brands (a generated one at
    scale; the demo's HAIER otherwise)."""
    served = Company.objects.filter(client_group__members__username=data.username)
    return (
        served.filter(code__startswith="G")
        .annotate(brand_count=Count("brands", distinct=True))
        .filter(brand_count=3)
        .order_by("code")
        .first()
    ) or Company.objects.filter(code="HAIER").first()


def client_page_setup(data: BenchData) -> ClientVisit:
    company = client_page_company(data)
    if company is None:
        raise Unavailable("no client to show")
    try:
        url = reverse("clients:detail", args=[company.pk])
    except NoReverseMatch as exc:
        raise Unavailable("no client page (clients:detail) yet") from exc
    visit = signed_in(data, url)
    return ClientVisit(client=visit.client, user=visit.user, url=url, company_id=company.pk)


def client_page_floor(visit: ClientVisit) -> None:
    """The client's profile with its group, its brands, its people (the org chart) and
    its service team, after checking the user may open the file."""
    company_id = visit.company_id
    with connection.cursor() as cursor:
        session_floor(cursor, visit)
        served_companies_floor(cursor, visit)
        cursor.execute(
            "SELECT c.*, g.name_zh, g.name_en FROM clients_company c"
            " LEFT JOIN accounts_clientgroup g ON g.id = c.client_group_id WHERE c.id = %s",
            [company_id],
        )
        cursor.fetchone()
        cursor.execute(
            "SELECT b.id, b.name, b.name_en, b.category, b.is_active, g.name_zh, g.name_en"
            " FROM clients_brand b LEFT JOIN accounts_clientgroup g ON g.id = b.client_group_id"
            " WHERE b.company_id = %s ORDER BY b.name",
            [company_id],
        )
        cursor.fetchall()
        cursor.execute(
            "SELECT id, name, title, responsibility, phone, mobile, email, reports_to_id,"
            " is_decision_maker, is_active FROM clients_contact WHERE company_id = %s"
            " ORDER BY is_active DESC, name, id",
            [company_id],
        )
        cursor.fetchall()
        cursor.execute(
            "SELECT m.id, m.team_role, m.starts_on, m.ends_on, u.id, u.full_name"
            " FROM accounts_serviceteammembership m JOIN accounts_user u ON u.id = m.user_id"
            " WHERE m.company_id = %s OR m.brand_id IN"
            " (SELECT id FROM clients_brand WHERE company_id = %s)"
            " OR m.client_group_id = (SELECT client_group_id FROM clients_company WHERE id = %s)"
            " ORDER BY m.starts_on, m.id",
            [company_id, company_id, company_id],
        )
        cursor.fetchall()


register(Operation("client page", client_page_setup, get_page, client_page_floor))
