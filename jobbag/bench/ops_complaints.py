"""The complaints list: an Account Director's first page of complaints at 100 complaints
per scale step (50,000 at the default scale), spread over every client, beside its floor.

The complaints are made here, in bulk, the first time the operation is set up (the data
builder knows nothing of them)."""

from datetime import timedelta

from django.db import connection
from django.test import Client
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from jobbag.accounts.models import User
from jobbag.bench.operations import (
    BenchData,
    Operation,
    Unavailable,
    Visit,
    get_page,
    register,
    session_floor,
)
from jobbag.clients.models import Company
from jobbag.service.models import Complaint, ComplaintCategory

COMPLAINTS_PER_SCALE = 100
COMPLAINTS_MIN = 200
PAGE_SIZE = 30
# The Account Director of the demo agency's refrigerator group.
AD = "lina"
STATUSES = ["new", "assigned", "answered", "resolved", "revisited", "closed", "cancelled"]
SEVERITIES = ["low", "normal", "normal", "normal", "high", "critical"]
CHANNELS = ["phone", "email", "visit", "portal", "staff", "other"]


def complaints_generate(*, count: int) -> int:
    """`count` complaints over every client, logged over the past two years, in bulk."""
    companies = list(Company.objects.order_by("pk").values_list("pk", flat=True))
    categories = list(ComplaintCategory.objects.values_list("pk", flat=True))
    staff = list(
        User.objects.filter(kind=User.Kind.STAFF, is_active=True)
        .order_by("pk")
        .values_list("pk", flat=True)[:200]
    )
    if not companies or not categories or not staff:
        return 0
    now = timezone.now()
    batch = []
    for n in range(count):
        logged = now - timedelta(hours=n * 17 % (24 * 730), minutes=n % 60)
        status = STATUSES[n % len(STATUSES)]
        resolved = status in {"resolved", "revisited", "closed"}
        batch.append(
            Complaint(
                company_id=companies[n % len(companies)],
                channel=CHANNELS[n % len(CHANNELS)],
                category_id=categories[n % len(categories)],
                severity=SEVERITIES[n % len(SEVERITIES)],
                subject=f"投诉 {n}：交付问题",
                description="客户反映交付延误。",
                raised_by_id=staff[n % len(staff)],
                logged_at=logged,
                assigned_to_id=None if status == "new" else staff[(n * 7) % len(staff)],
                status=status,
                answer_hours=8,
                resolve_hours=45,
                answer_due_at=logged + timedelta(hours=8),
                resolve_due_at=logged + timedelta(days=7),
                first_answered_at=None if status in {"new", "assigned"} else logged,
                resolved_at=logged + timedelta(days=3) if resolved else None,
                hours_to_resolve=27 if resolved else None,
                resolved_within_promise=True if resolved else None,
            )
        )
        if len(batch) == 5000:
            Complaint.objects.bulk_create(batch)
            batch = []
    Complaint.objects.bulk_create(batch)
    return count


def complaints_setup(data: BenchData) -> Visit:
    try:
        url = reverse("service:complaint_list")
    except NoReverseMatch as exc:
        raise Unavailable("no complaints list (service:complaint_list) yet") from exc
    user = (
        User.objects.filter(username=AD).first()
        or User.objects.filter(username=data.username).first()
    )
    if user is None:
        raise Unavailable(f"no Account Director {AD}")
    wanted = max(data.scale * COMPLAINTS_PER_SCALE, COMPLAINTS_MIN)
    present = Complaint.objects.count()
    if present < wanted:
        complaints_generate(count=wanted - present)
    client = Client()
    client.force_login(user)
    return Visit(client=client, user=user, url=url)


def complaints_floor(visit: Visit) -> None:
    """The companies the AD serves (their own teams and groups, and those of the people
    reporting to them), then the first page of those companies' complaints with client,
    category, brand and assignee, and the count of all of them."""
    user_id = visit.user.pk
    with connection.cursor() as cursor:
        session_floor(cursor, visit)
        cursor.execute(
            "WITH RECURSIVE people(id) AS (SELECT CAST(%s AS BIGINT) UNION"
            " SELECT u.id FROM accounts_user u JOIN people p ON u.reports_to_id = p.id"
            " WHERE u.is_active)"
            " SELECT c.id FROM clients_company c WHERE c.client_group_id IN"
            " (SELECT clientgroup_id FROM accounts_clientgroup_members WHERE user_id IN"
            " (SELECT id FROM people)) OR c.id IN (SELECT company_id FROM"
            " accounts_serviceteammembership WHERE user_id IN (SELECT id FROM people)"
            " AND company_id IS NOT NULL)",
            [user_id],
        )
        ids = [row[0] for row in cursor.fetchall()] or [0]
        marks = ", ".join(["%s"] * len(ids))
        where = f"WHERE (x.company_id IN ({marks}) OR x.assigned_to_id = %s)"
        cursor.execute(f"SELECT COUNT(*) FROM service_complaint x {where}", [*ids, user_id])
        cursor.fetchone()
        cursor.execute(
            "SELECT x.id, x.subject, x.severity, x.status, x.logged_at, x.answer_due_at,"
            " x.resolve_due_at, x.first_answered_at, x.resolved_at, x.escalation_level,"
            " c.code, c.name, c.name_en, k.name_zh, k.name_en, b.name, b.name_en, u.full_name"
            " FROM service_complaint x JOIN clients_company c ON c.id = x.company_id"
            " JOIN service_complaintcategory k ON k.id = x.category_id"
            " LEFT JOIN clients_brand b ON b.id = x.brand_id"
            f" LEFT JOIN accounts_user u ON u.id = x.assigned_to_id {where}"
            " ORDER BY x.logged_at DESC, x.id DESC LIMIT %s",
            [*ids, user_id, PAGE_SIZE],
        )
        cursor.fetchall()


COMPLAINTS_LIST = register(
    Operation("complaints list", complaints_setup, get_page, complaints_floor)
)
