"""The action register at 100,000 actions (the default scale): the actor's "my actions"
page beside its raw SQL floor.

The data: ACTIONS_PER_SCALE actions per scale step (100,000 at the default scale of 500)
across every client and member of staff, a quarter open, most done, some cancelled, a
fifth on the client's side; the actor owns about 3 in 1,000 open (300) and twice as many
closed. `actions_generate` bulk-creates them; `data_load` may call it, and the
operation's setup makes them itself when the database has none, so the operation never
depends on the order things were wired in.

Registered when jobbag.bench.operations imports this module.
"""

import random
from datetime import timedelta

from django.db import connection
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
    signed_in,
)
from jobbag.clients.models import Company, Contact
from jobbag.jobs.models import Job
from jobbag.meetings.models import Action, Side

ACTIONS_PER_SCALE = 200
# Of every 1,000 actions, the actor owns this many open ones (and twice as many closed).
ACTOR_OPEN_PER_THOUSAND = 3
ACTOR_OPEN_MIN = 5
MY_ACTIONS_PAGE_SIZE = 30
TRACKED = ("open", "done", "cancelled")
BATCH = 5_000


def actions_count(scale: int) -> int:
    return max(scale, 1) * ACTIONS_PER_SCALE


def actions_generate(*, count: int, username: str, seed: int = 6) -> int:
    """Bulk-creates `count` actions; `username` owns a realistic share. Returns how many
    of them are the actor's open ones."""
    rng = random.Random(seed)
    today = timezone.localdate()
    now = timezone.now()
    actor = User.objects.get(username=username)
    staff = list(
        User.objects.filter(kind=User.Kind.STAFF, is_active=True)
        .exclude(pk=actor.pk)
        .values_list("pk", flat=True)
    )
    companies = list(Company.objects.values_list("pk", flat=True))
    if not staff or not companies:
        raise Unavailable("no staff or clients to own actions")
    contacts: dict[int, int] = {}
    for contact_id, company_id in Contact.objects.values_list("pk", "company_id").order_by("pk"):
        contacts.setdefault(company_id, contact_id)
    actor_jobs = list(Job.objects.filter(owner=actor).values_list("pk", "company_id")[:500])

    actor_open = max(ACTOR_OPEN_MIN, count * ACTOR_OPEN_PER_THOUSAND // 1000)
    actor_closed = 2 * actor_open

    def closed(action: Action, status: str, closer: int) -> Action:
        action.status = status
        action.due_on = today - timedelta(days=rng.randint(1, 200))
        action.closed_at = now - timedelta(days=rng.randint(0, 180), minutes=rng.randint(0, 600))
        action.closed_by_id = closer
        action.closing_note = "已完成" if status == "done" else "客户取消"
        return action

    def one(n: int) -> Action:
        mine = n < actor_open + actor_closed
        if mine and actor_jobs:
            job_id, company_id = actor_jobs[n % len(actor_jobs)]
        else:
            job_id, company_id = None, rng.choice(companies)
        client_side = not mine and company_id in contacts and rng.random() < 0.2
        owner_id = actor.pk if mine else (None if client_side else rng.choice(staff))
        creator = actor.pk if mine else (owner_id or rng.choice(staff))
        action = Action(
            company_id=company_id,
            job_id=job_id,
            text=f"提交第{n}项修改并与客户确认排期",
            side=Side.CLIENT if client_side else Side.AGENCY,
            owner_id=owner_id,
            owner_contact_id=contacts[company_id] if client_side else None,
            due_on=today + timedelta(days=rng.randint(-20, 40)),
            status="open",
            created_by_id=creator,
        )
        if mine:
            if n >= actor_open:
                return closed(action, "done" if n % 5 else "cancelled", actor.pk)
            return action
        roll = rng.random()
        if roll < 0.25:
            return action
        return closed(action, "done" if roll < 0.9 else "cancelled", creator)

    made = 0
    while made < count:
        size = min(BATCH, count - made)
        Action.objects.bulk_create([one(n) for n in range(made, made + size)])
        made += size
    return actor_open


def actions_load(data: BenchData) -> None:
    """The register's data for `data_load`, unless it is there already."""
    if not Action.objects.exists():
        actions_generate(count=actions_count(data.scale), username=data.username)


def my_actions_setup(data: BenchData) -> Visit:
    try:
        url = reverse("meetings:my_actions")
    except NoReverseMatch as exc:
        raise Unavailable("no action register (meetings:my_actions) yet") from exc
    actions_load(data)
    return signed_in(data, url)


def my_actions_floor(visit: Visit) -> None:
    """The clients of the actor's actions (the filter), how many actions they own and
    the first page of them, open first, with client, job and who closed each."""
    user_id = visit.user.pk
    statuses = ", ".join(["%s"] * len(TRACKED))
    where = f"WHERE a.owner_id = %s AND a.status IN ({statuses})"
    params = [user_id, *TRACKED]
    with connection.cursor() as cursor:
        session_floor(cursor, visit)
        cursor.execute(
            "SELECT c.id, c.code, c.name FROM clients_company c WHERE c.id IN"
            f" (SELECT a.company_id FROM meetings_action a {where}) ORDER BY c.code",
            params,
        )
        cursor.fetchall()
        cursor.execute(f"SELECT COUNT(*) FROM meetings_action a {where}", params)
        cursor.fetchone()
        cursor.execute(
            "SELECT a.id, a.text, a.due_on, a.status, a.closed_at, c.code, j.number, j.title,"
            " u.full_name FROM meetings_action a JOIN clients_company c ON c.id = a.company_id"
            " LEFT JOIN jobs_job j ON j.id = a.job_id"
            f" LEFT JOIN accounts_user u ON u.id = a.closed_by_id {where}"
            " ORDER BY CASE WHEN a.status = 'open' THEN 0 ELSE 1 END, a.closed_at DESC,"
            " a.due_on, a.id LIMIT %s",
            [*params, MY_ACTIONS_PAGE_SIZE],
        )
        cursor.fetchall()
        cursor.execute(
            "SELECT COUNT(*) FROM core_notification WHERE recipient_id = %s AND read_at IS NULL",
            [user_id],
        )
        cursor.fetchone()


MY_ACTIONS = register(Operation("my actions", my_actions_setup, get_page, my_actions_floor))
