"""Reviews (评审): the pre-review with the client and the internal review meeting, their
written minutes, each department's duties and the open questions that go back to the
client; signed through the sign-off engine.

A draft or returned review is edited in place (a returned one becomes the next
revision); a signed one changes only through `review_revise`, which starts the next
revision as a draft that is signed again.
"""

from datetime import date

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from jobbag.accounts.models import Department, User
from jobbag.approvals.models import Approval, SignoffStatus
from jobbag.approvals.services import approval_submit
from jobbag.core import audit
from jobbag.core.errors import Conflict, DomainError
from jobbag.core.permissions import require
from jobbag.core.versioning import save_versioned
from jobbag.jobs.models import Job, Review, ReviewDuty, Stage

INVALID = _("The review is incomplete: correct the fields marked.")
REQUIRED = _("This field is required.")
KIND_INVALID = _("Choose a pre-review with the client or an internal review meeting.")
DUTY_DEPARTMENT_TWICE = _("Each department's duties are written once.")
DUTY_DEPARTMENT_UNKNOWN = _("Choose an active department.")
NOT_EDITABLE = _(
    "Only a draft or returned review can be edited; revise a signed review to change it."
)
NOT_REVISABLE = _("Only a signed or rejected review is revised; this one can still be edited.")
JOB_CLOSED = _("The job is closed or cancelled.")

FIELDS = ["kind", "held_on", "place", "attendees", "minutes", "open_questions"]
REQUIRED_FIELDS = ["kind", "held_on", "attendees", "minutes"]
CLOSED_STAGES = {Stage.CLOSED, Stage.CANCELLED}


def _clean(values: dict) -> dict:
    """The review's fields, trimmed, with a field error for each one missing."""
    cleaned = {}
    for name in FIELDS:
        value = values.get(name)
        cleaned[name] = value.strip() if isinstance(value, str) else value
    cleaned["place"] = cleaned["place"] or ""
    cleaned["open_questions"] = cleaned["open_questions"] or ""
    errors = {name: REQUIRED for name in REQUIRED_FIELDS if not cleaned[name]}
    if cleaned["kind"] and cleaned["kind"] not in Review.Kind.values:
        errors["kind"] = KIND_INVALID
    if cleaned["held_on"] and not isinstance(cleaned["held_on"], date):
        errors["held_on"] = REQUIRED
    if errors:
        raise DomainError(INVALID, fields=errors)
    return cleaned


def _clean_duties(duties) -> list[tuple[Department, str]]:
    """(department, duties) pairs with something written; each department once."""
    pairs, seen = [], set()
    for item in duties or []:
        department, text = item["department"], (item.get("duties") or "").strip()
        if not text:
            continue
        if not isinstance(department, Department) or not department.is_active:
            raise DomainError(INVALID, fields={"duties": DUTY_DEPARTMENT_UNKNOWN})
        if department.pk in seen:
            raise DomainError(INVALID, fields={"duties": DUTY_DEPARTMENT_TWICE})
        seen.add(department.pk)
        pairs.append((department, text))
    return pairs


def _write_duties(review: Review, pairs: list[tuple[Department, str]]) -> None:
    review.duties.all().delete()
    ReviewDuty.objects.bulk_create(
        ReviewDuty(review=review, department=department, duties=text) for department, text in pairs
    )


def _duties_plain(review: Review) -> list[str]:
    return [f"{d.department}: {d.duties}" for d in review.duties.select_related("department")]


@transaction.atomic
def review_create(*, actor: User, job: Job, duties=None, **values) -> Review:
    """Writes the minutes of a review held on the job; a job at intake moves to review."""
    require(actor, "jobs.review.edit", job)
    job = Job.objects.select_for_update(of=("self",)).get(pk=job.pk)
    if job.stage in CLOSED_STAGES:
        raise DomainError(JOB_CLOSED)
    cleaned = _clean(values)
    pairs = _clean_duties(duties)
    review = Review.objects.create(job=job, created_by=actor, **cleaned)
    _write_duties(review, pairs)
    audit.record_create(actor=actor, obj=review)
    if job.stage == Stage.INTAKE:
        Job.objects.filter(pk=job.pk).update(stage=Stage.REVIEW)
        audit.record_transition(actor=actor, obj=job, old=Stage.INTAKE, new=Stage.REVIEW)
    return review


@transaction.atomic
def review_update(
    *, actor: User, review: Review, expected_version: int, duties=None, **values
) -> Review:
    """Edits a draft or returned review; a returned one becomes the next revision."""
    require(actor, "jobs.review.edit", review.job)
    review = Review.objects.select_for_update(of=("self",)).select_related("job").get(pk=review.pk)
    if review.version != expected_version:
        raise Conflict()
    if not review.is_editable:
        raise DomainError(NOT_EDITABLE)
    cleaned = _clean(values)
    pairs = _clean_duties(duties)
    before = {**audit.snapshot(review, FIELDS), "duties": _duties_plain(review)}
    for name, value in cleaned.items():
        setattr(review, name, value)
    fields = list(FIELDS)
    if review.signoff_status == SignoffStatus.RETURNED:
        review.revision += 1
        review.signoff_status = SignoffStatus.DRAFT
        fields += ["revision", "signoff_status"]
    save_versioned(review, expected_version=expected_version, fields=fields)
    _write_duties(review, pairs)
    after = {**audit.snapshot(review, FIELDS), "duties": _duties_plain(review)}
    changes = audit.diff(before, after)
    if changes:
        audit.record(actor=actor, obj=review, action="change", changes=changes)
    return review


@transaction.atomic
def review_submit(*, actor: User, review: Review) -> Approval:
    """Sends the minutes for signature (the client's AD in the demo policy)."""
    require(actor, "jobs.review.edit", review.job)
    if review.job.stage in CLOSED_STAGES:
        raise DomainError(JOB_CLOSED)
    return approval_submit(actor=actor, document=review)


@transaction.atomic
def review_revise(*, actor: User, review: Review) -> Review:
    """Starts the next revision of a signed (or rejected) review: back to draft, to be
    edited and signed again. The signed revision stays in the sign-off evidence."""
    require(actor, "jobs.review.edit", review.job)
    review = Review.objects.select_for_update(of=("self",)).get(pk=review.pk)
    if review.signoff_status not in {SignoffStatus.APPROVED, SignoffStatus.REJECTED}:
        raise DomainError(NOT_REVISABLE)
    old = review.signoff_status
    review.revision += 1
    review.signoff_status = SignoffStatus.DRAFT
    save_versioned(review, expected_version=review.version, fields=["revision", "signoff_status"])
    audit.record_transition(
        actor=actor,
        obj=review,
        old=old,
        new=SignoffStatus.DRAFT,
        note=str(_("Revision %(revision)s started") % {"revision": review.revision}),
    )
    return review
