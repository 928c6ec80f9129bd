"""Read queries of change notices that the job panel, the requirements page, the PDF and
the API share; and the readable diff of a notice's changes."""

import difflib
import re
from dataclasses import dataclass, field

from django.contrib.contenttypes.models import ContentType
from django.db.models import Prefetch, QuerySet
from django.utils import timezone

from jobbag.accounts.models import User
from jobbag.approvals.models import Approval
from jobbag.core.permissions import visible
from jobbag.jobs.models import REQUIREMENT_FIELDS, Acknowledgement, ChangeNotice, Job
from jobbag.jobs.services.acknowledgements import is_late

# Latin words and numbers stay whole; every other character (a Chinese character, a
# punctuation mark, a space) is a word of its own, so Chinese text diffs by character.
WORD = re.compile(r"[A-Za-z0-9_]+|\s+|.", re.S)


@dataclass
class Segment:
    kind: str  # "same", "deleted" or "inserted"
    text: str


@dataclass
class DiffRow:
    field: str
    label: str
    before: str
    after: str
    segments: list[Segment] = field(default_factory=list)


def label_of(name: str) -> str:
    return str(Job._meta.get_field(name).verbose_name)


def text_diff(before: str, after: str) -> list[Segment]:
    """`before` → `after` as runs of kept, deleted and inserted words."""
    old, new = WORD.findall(before or ""), WORD.findall(after or "")
    segments = []
    matcher = difflib.SequenceMatcher(a=old, b=new, autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            segments.append(Segment("same", "".join(old[i1:i2])))
            continue
        if op in {"delete", "replace"}:
            segments.append(Segment("deleted", "".join(old[i1:i2])))
        if op in {"insert", "replace"}:
            segments.append(Segment("inserted", "".join(new[j1:j2])))
    return segments


def diff_rows(changes: dict) -> list[DiffRow]:
    """A notice's {field: [before, after]} as labelled rows, in the requirements' order;
    text fields with their word diff, the launch date as before → after."""
    rows = []
    for name in REQUIREMENT_FIELDS:
        if name not in changes:
            continue
        before, after = (value or "" for value in changes[name])
        segments = [] if name == "launch_date" else text_diff(before, after)
        rows.append(DiffRow(name, label_of(name), before, after, segments))
    return rows


def _with_details(queryset: QuerySet[ChangeNotice]) -> QuerySet[ChangeNotice]:
    """Notices with their departments, acknowledgements (and who gave them) and author,
    in a fixed number of queries."""
    acknowledgements = Acknowledgement.objects.select_related(
        "department", "acknowledged_by"
    ).order_by("department__code")
    return queryset.select_related("created_by").prefetch_related(
        "departments", Prefetch("acknowledgements", queryset=acknowledgements)
    )


def change_notices_of(job: Job) -> QuerySet[ChangeNotice]:
    """The job's notices, newest first, with their details."""
    return _with_details(ChangeNotice.objects.filter(job=job)).order_by("-number")


def change_notice_detail(pk: int) -> ChangeNotice:
    """One notice with its details (for a caller that has already checked access)."""
    return _with_details(ChangeNotice.objects.filter(pk=pk)).get()


def latest_approvals(notices) -> dict[int, Approval]:
    """Each notice's latest sign-off, in one query."""
    ids = [notice.pk for notice in notices]
    if not ids:
        return {}
    latest: dict[int, Approval] = {}
    rows = Approval.objects.filter(
        content_type=ContentType.objects.get_for_model(ChangeNotice), object_id__in=ids
    ).order_by("-submitted_at", "-pk")
    for approval in rows:
        latest.setdefault(approval.object_id, approval)
    return latest


@dataclass
class NoticeView:
    notice: ChangeNotice
    approval: Approval | None
    rows: list[DiffRow]
    acknowledgements: list[tuple[Acknowledgement, bool]]  # with its late flag


def history_of(job: Job) -> list[NoticeView]:
    """What the requirements history shows for each notice of `job`, newest first."""
    notices = list(change_notices_of(job))
    approvals = latest_approvals(notices)
    today = timezone.localdate()
    return [
        NoticeView(
            notice=notice,
            approval=approvals.get(notice.pk),
            rows=diff_rows(notice.changes),
            acknowledgements=[(ack, is_late(ack, today)) for ack in notice.acknowledgements.all()],
        )
        for notice in notices
    ]


def current_requirements(job: Job) -> list[tuple[str, str, object]]:
    """(field, label, value) of the job's requirements as they stand."""
    return [(name, label_of(name), getattr(job, name)) for name in REQUIREMENT_FIELDS]


def notices_for(user: User) -> QuerySet[ChangeNotice]:
    """The notices of the jobs `user` may see."""
    jobs = visible(user, Job.objects.all())
    return ChangeNotice.objects.filter(job__in=jobs.values("pk")).select_related(
        "job", "created_by"
    )


def notice_for(user: User, pk: int) -> ChangeNotice | None:
    return notices_for(user).filter(pk=pk).first()


def job_for(user: User, pk: int) -> Job | None:
    return visible(user, Job.objects.select_related("company", "owner")).filter(pk=pk).first()
