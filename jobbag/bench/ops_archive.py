"""Archive search at 1,000,000 filed documents (the default scale): the actor's search
of the archive by text and date, one keyset page, beside its raw SQL floor.

The data: ARCHIVE_PER_SCALE filed documents per scale step (1,000,000 at the default
scale of 500) across every client, five document types over five years, sharing one
frozen snapshot and no sign-off rows (the search never reads them), bulk-created in
batches. The operation's setup makes them itself when the archive holds fewer, so it
never depends on the order things were wired in.

Registered when jobbag.bench.operations imports this module.
"""

from datetime import date, timedelta

from django.contrib.contenttypes.models import ContentType
from django.db import connection, transaction
from django.urls import NoReverseMatch, reverse

from jobbag.accounts.models import User
from jobbag.bench.operations import (
    BenchData,
    Operation,
    Unavailable,
    Visit,
    get_page,
    register,
    served_companies_floor,
    session_floor,
    signed_in,
)

ARCHIVE_PER_SCALE = 2_000
ARCHIVE_MIN = 200
BATCH = 5_000
PAGE_SIZE = 30
SEARCH = "报价"
SINCE = date(2023, 1, 1)
FIRST_DAY = date(2021, 1, 1)
DAYS = 5 * 365
# (document type, title word, level): a fifth of the rows of each.
TYPES = [
    ("quote", "报价", "confidential"),
    ("review", "评审纪要", "internal"),
    ("work_order", "工作单", "internal"),
    ("acceptance", "验收单", "internal"),
    ("summary", "项目小结", "internal"),
]


def archive_count(scale: int) -> int:
    return max(scale * ARCHIVE_PER_SCALE, ARCHIVE_MIN)


def archive_generate(*, count: int) -> None:
    """Inserts `count` filed documents sharing one snapshot, with executemany in
    batches (no model instances: a million rows in minutes, not tens of minutes)."""
    from django.utils import timezone

    from jobbag.approvals.models import Snapshot
    from jobbag.clients.models import Company
    from jobbag.documents.models import ArchivedDocument

    actor = User.objects.filter(kind=User.Kind.STAFF).order_by("pk").first()
    content_type = ContentType.objects.get_for_model(ArchivedDocument)
    snapshot = Snapshot.objects.create(
        content_type=content_type,
        object_id=0,
        revision=1,
        title="bench",
        html="<p>bench</p>",
        data={},
        content_hash="0" * 64,
        created_by=actor,
    )
    companies = list(Company.objects.order_by("pk").values_list("pk", "code", "name")) or [
        (None, "", "")
    ]
    ops = connection.ops
    filed_at = ops.adapt_datetimefield_value(timezone.now())
    days = [ops.adapt_datefield_value(FIRST_DAY + timedelta(days=d)) for d in range(DAYS)]
    columns = [
        "number",
        "snapshot_id",
        "document_type",
        "content_type_id",
        "object_id",
        "revision",
        "title",
        "company_id",
        "job_number",
        "signed_on",
        "level",
        "search",
        "filed_at",
    ]
    sql = "INSERT INTO {} ({}) VALUES ({})".format(
        ops.quote_name(ArchivedDocument._meta.db_table),
        ", ".join(ops.quote_name(c) for c in columns),
        ", ".join(["%s"] * len(columns)),
    )
    start = ArchivedDocument.objects.count()
    with transaction.atomic(), connection.cursor() as cursor:
        for offset in range(start, start + count, BATCH):
            rows = []
            for n in range(offset, min(offset + BATCH, start + count)):
                company_id, code, name = companies[n % len(companies)]
                document_type, word, level = TYPES[n % len(TYPES)]
                number = f"BA-{n:08d}"
                job_number = f"{code}-{2021 + n % 5}-{n % 997:04d}" if code else ""
                title = f"{name} {word} V{n % 4 + 1}"
                search = f"{title} {number} {job_number} {code}".lower()
                rows.append(
                    (
                        number,
                        snapshot.pk,
                        document_type,
                        content_type.pk,
                        n,
                        1,
                        title,
                        company_id,
                        job_number,
                        days[(n * 7) % DAYS],
                        level,
                        search,
                        filed_at,
                    )
                )
            cursor.executemany(sql, rows)


def archive_search_setup(data: BenchData) -> Visit:
    try:
        url = reverse("documents:archive")
    except NoReverseMatch as exc:
        raise Unavailable("no archive (documents:archive) yet") from exc
    from jobbag.documents.models import ArchivedDocument

    missing = archive_count(data.scale) - ArchivedDocument.objects.count()
    if missing > 0:
        archive_generate(count=missing)
    return signed_in(data, f"{url}?q={SEARCH}&since={SINCE.isoformat()}")


def archive_search_floor(visit: Visit) -> None:
    """The companies the actor sees in full (to tell restricted rows), then one page of
    the documents matching the text since the date, newest first, with client and
    brand, and the actor's signatures and open borrowings among them."""
    with connection.cursor() as cursor:
        session_floor(cursor, visit)
        served_companies_floor(cursor, visit)
        cursor.execute(
            "SELECT d.id, d.number, d.title, d.document_type, d.signed_on, d.level,"
            " d.job_number, d.approval_id, d.company_id, c.code, c.name, b.name"
            " FROM documents_archiveddocument d"
            " LEFT JOIN clients_company c ON c.id = d.company_id"
            " LEFT JOIN clients_brand b ON b.id = d.brand_id"
            " WHERE d.search LIKE %s AND d.signed_on >= %s"
            " ORDER BY d.signed_on DESC, d.id DESC LIMIT %s",
            [f"%{SEARCH}%", SINCE, PAGE_SIZE + 1],
        )
        ids = [row[0] for row in cursor.fetchall()]
        marks = ", ".join(["%s"] * len(ids)) or "NULL"
        cursor.execute(
            "SELECT document_id, ends_at FROM documents_borrowing WHERE requester_id = %s"
            " AND signoff_status = 'approved' AND starts_at <= CURRENT_TIMESTAMP"
            f" AND ends_at > CURRENT_TIMESTAMP AND document_id IN ({marks})",
            [visit.user.pk, *ids],
        )
        cursor.fetchall()


register(
    Operation(
        "archive search (text + date)",
        archive_search_setup,
        get_page,
        archive_search_floor,
    )
)
