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
from jobbag.jobs.models import Job


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


# The job chain at 200,000 jobs (the default scale): the AE's job list, open jobs
# searched by title; one job's page with its long history; a signer's inbox of waiting
# sign-offs.
JOB_PAGE_SIZE = 30
JOB_SEARCH = "上市"
OPEN_JOB_STAGES = ["intake", "review", "quote", "production", "acceptance"]
JOB_HISTORY_SHOWN = 50
INBOX_SIGNER = "lina"


@dataclass
class JobVisit(Visit):
    job_id: int = 0


def job_list_setup(data: BenchData) -> Visit:
    try:
        url = reverse("jobs:list")
    except NoReverseMatch as exc:
        raise Unavailable("no job list (jobs:list) yet") from exc
    return signed_in(data, f"{url}?stage=open&q={JOB_SEARCH}")


# The jobs an AE works: owned by them or someone below them, or of a client they serve.
JOB_SCOPE_SQL = (
    "(j.owner_id = %s OR j.owner_id IN (SELECT id FROM accounts_user WHERE reports_to_id = %s)"
    " OR j.company_id IN (SELECT c.id FROM clients_company c WHERE c.client_group_id IN"
    " (SELECT clientgroup_id FROM accounts_clientgroup_members WHERE user_id = %s)"
    " OR c.id IN (SELECT company_id FROM accounts_serviceteammembership"
    " WHERE user_id = %s AND company_id IS NOT NULL)))"
)


def job_list_floor(visit: Visit) -> None:
    """A page of the open jobs the AE works whose number or title matches, with client,
    brand, kind and owner, and the count of all that match."""
    user_id = visit.user.pk
    pattern = f"%{JOB_SEARCH}%"
    stages = ", ".join(["%s"] * len(OPEN_JOB_STAGES))
    where = (
        f"WHERE {JOB_SCOPE_SQL} AND j.stage IN ({stages}) AND (j.number LIKE %s OR j.title LIKE %s)"
    )
    params = [user_id, user_id, user_id, user_id, *OPEN_JOB_STAGES, pattern, pattern]
    with connection.cursor() as cursor:
        session_floor(cursor, visit)
        cursor.execute(f"SELECT COUNT(*) FROM jobs_job j {where}", params)
        cursor.fetchone()
        cursor.execute(
            "SELECT j.id, j.number, j.title, j.stage, j.received_on, j.estimated_amount,"
            " j.currency, j.is_important, c.code, c.name, b.name, k.name_zh, k.name_en,"
            " u.full_name FROM jobs_job j JOIN clients_company c ON c.id = j.company_id"
            " LEFT JOIN clients_brand b ON b.id = j.brand_id"
            " JOIN jobs_orderkind k ON k.id = j.order_kind_id"
            f" JOIN accounts_user u ON u.id = j.owner_id {where}"
            " ORDER BY j.received_on DESC, j.id DESC LIMIT %s",
            [*params, JOB_PAGE_SIZE],
        )
        cursor.fetchall()


register(Operation("job list (filtered + search)", job_list_setup, get_page, job_list_floor))


def job_page_setup(data: BenchData) -> JobVisit:
    job = (
        Job.objects.filter(owner__username=data.username, number__isnull=False)
        .order_by("pk")
        .first()
    )
    if job is None:
        raise Unavailable("no job to show")
    try:
        url = reverse("jobs:detail", args=[job.pk])
    except NoReverseMatch as exc:
        raise Unavailable("no job page (jobs:detail) yet") from exc
    visit = signed_in(data, url)
    return JobVisit(client=visit.client, user=visit.user, url=url, job_id=job.pk)


def job_page_floor(visit: JobVisit) -> None:
    """The job with its client, brand, contact, kind, owner and department (if the AE
    works it), what holds its work (a signed quote, an internal review, the settings)
    and the latest entries of its history and its documents' with their actors."""
    job_id, user_id = visit.job_id, visit.user.pk
    with connection.cursor() as cursor:
        session_floor(cursor, visit)
        cursor.execute(
            "SELECT j.*, c.code, c.name, b.name, ct.name, ct.title, k.name_zh, k.name_en,"
            " u.full_name, d.name_zh, d.name_en FROM jobs_job j"
            " JOIN clients_company c ON c.id = j.company_id"
            " LEFT JOIN clients_brand b ON b.id = j.brand_id"
            " LEFT JOIN clients_contact ct ON ct.id = j.client_contact_id"
            " JOIN jobs_orderkind k ON k.id = j.order_kind_id"
            " JOIN accounts_user u ON u.id = j.owner_id"
            " LEFT JOIN accounts_department d ON d.id = j.department_id"
            f" WHERE j.id = %s AND {JOB_SCOPE_SQL}",
            [job_id, user_id, user_id, user_id, user_id],
        )
        cursor.fetchone()
        cursor.execute(
            "SELECT total FROM jobs_quoteversion WHERE job_id = %s"
            " AND signed_back_at IS NOT NULL ORDER BY number DESC LIMIT 1",
            [job_id],
        )
        cursor.fetchone()
        cursor.execute(
            "SELECT internal_review_above FROM jobs_jobsettings WHERE id = 1",
        )
        cursor.fetchone()
        cursor.execute(
            "SELECT e.id, e.at, e.action, e.object_repr, e.changes, e.note, e.content_type_id,"
            " a.full_name FROM core_auditentry e LEFT JOIN accounts_user a ON a.id = e.actor_id"
            " WHERE e.content_type_id = (SELECT id FROM django_content_type"
            " WHERE app_label = 'jobs' AND model = 'job') AND e.object_id = %s"
            " ORDER BY e.at DESC, e.id DESC LIMIT %s",
            [str(job_id), JOB_HISTORY_SHOWN],
        )
        cursor.fetchall()


register(Operation("job page (with history)", job_page_setup, get_page, job_page_floor))


def inbox_setup(data: BenchData) -> Visit:
    try:
        url = reverse("approvals:inbox")
    except NoReverseMatch as exc:
        raise Unavailable("no approval inbox (approvals:inbox) yet") from exc
    user = User.objects.filter(username=INBOX_SIGNER).first()
    if user is None:
        raise Unavailable(f"no signer {INBOX_SIGNER}")
    client = Client()
    client.force_login(user)
    return Visit(client=client, user=user, url=url)


def inbox_floor(visit: Visit) -> None:
    """Whom the signer acts for today, then every active step with an unsigned seat of
    theirs, with its document's title, amount, client and submitter, oldest first."""
    today = timezone.localdate()
    with connection.cursor() as cursor:
        session_floor(cursor, visit)
        cursor.execute(
            "SELECT principal_id FROM accounts_deputy WHERE deputy_id = %s"
            " AND cancelled_at IS NULL AND starts_on <= %s AND ends_on >= %s",
            [visit.user.pk, today, today],
        )
        cursor.fetchall()
        cursor.execute(
            "SELECT s.id, s.label, s.activated_at, a.id, a.title, a.amount, a.currency,"
            " a.document_type, a.revision, c.code, c.name, u.full_name"
            " FROM approvals_approvalstep s JOIN approvals_approval a ON a.id = s.approval_id"
            " LEFT JOIN clients_company c ON c.id = a.company_id"
            " JOIN accounts_user u ON u.id = a.submitted_by_id"
            " WHERE s.status = 'active' AND s.kind <> 'client' AND EXISTS (SELECT 1"
            " FROM approvals_seat t JOIN approvals_seat_candidates sc ON sc.seat_id = t.id"
            " WHERE t.step_id = s.id AND sc.user_id = %s AND NOT EXISTS"
            " (SELECT 1 FROM approvals_decision d WHERE d.seat_id = t.id))"
            " AND (s.kind = 'all' OR NOT EXISTS"
            " (SELECT 1 FROM approvals_decision d WHERE d.step_id = s.id))"
            " ORDER BY s.activated_at, s.id",
            [visit.user.pk],
        )
        cursor.fetchall()


register(Operation("approval inbox", inbox_setup, get_page, inbox_floor))


# Operations of later issues live in their own modules and register themselves on import
# (after everything above is defined, since they build on it).
from jobbag.bench import (  # noqa: E402, F401
    ops_actions,
    ops_archive,
    ops_complaints,
    ops_receivables,
    ops_status_reports,
    ops_time,
)
