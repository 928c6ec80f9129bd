"""Filing approved documents in the archive: automatically when a sign-off closes
approved (the approvals hook, in the same transaction), and for approvals already
approved (`archive_backfill`). One row per approval; filing twice files once."""

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jobbag.approvals import registry
from jobbag.approvals.models import Approval
from jobbag.core import audit
from jobbag.core.errors import DomainError
from jobbag.core.permissions import require
from jobbag.documents.models import (
    DEFAULT_LEVELS,
    ArchivedDocument,
    DocumentTypeRule,
    Level,
)

UNKNOWN_TYPE = _("Choose a document type that goes through sign-off.")
UNKNOWN_LEVEL = _("Choose internal, confidential or secret.")


def level_for(document_type: str) -> str:
    """The level a new document of this type is filed at: its rule, else the default."""
    rule = DocumentTypeRule.objects.filter(document_type=document_type).first()
    if rule is not None:
        return rule.level
    return DEFAULT_LEVELS.get(document_type, Level.INTERNAL)


def _job_of(document):
    from jobbag.jobs.models import Job

    if isinstance(document, Job):
        return document
    job = getattr(document, "job", None)
    return job if isinstance(job, Job) else None


def search_text(*parts) -> str:
    return " ".join(str(part) for part in parts if part).lower()[:500]


def archive_number(approval: Approval, signed_on) -> str:
    return f"DA-{signed_on.year}-{approval.pk:07d}"


def archive_file(*, approval: Approval, document=None) -> ArchivedDocument:
    """Files the approved `approval` (idempotent: the row it already has is returned)."""
    existing = ArchivedDocument.objects.filter(approval=approval).first()
    if existing is not None:
        return existing
    if approval.status != Approval.Status.APPROVED:
        raise ValueError("Only approved sign-offs are filed.")
    kind = registry.kind_named(approval.document_type)
    if document is None:
        document = kind.model._default_manager.filter(pk=approval.object_id).first()
    job = brand = None
    if document is not None:
        job = _job_of(document)
        brand = kind.describe(document).brand
    if brand is None and job is not None:
        brand = job.brand
    company = approval.company
    signed_on = timezone.localdate(approval.closed_at or timezone.now())
    number = archive_number(approval, signed_on)
    job_number = (job.number or "") if job is not None else ""
    row = ArchivedDocument(
        number=number,
        approval=approval,
        snapshot_id=approval.snapshot_id,
        document_type=approval.document_type,
        content_type_id=approval.content_type_id,
        object_id=approval.object_id,
        revision=approval.revision,
        title=approval.title[:255],
        company=company,
        brand=brand,
        job=job,
        job_number=job_number,
        signed_on=signed_on,
        level=level_for(approval.document_type),
        search=search_text(
            approval.title,
            number,
            job_number,
            company.code if company else "",
            company.name if company else "",
            brand.name if brand else "",
        ),
    )
    try:
        with transaction.atomic():
            row.save()
    except IntegrityError:
        return ArchivedDocument.objects.get(approval=approval)
    return row


def archive_backfill(*, batch: int = 500) -> int:
    """Files every approved sign-off not yet filed; returns how many were filed."""
    filed = 0
    pending = (
        Approval.objects.filter(status=Approval.Status.APPROVED, archived__isnull=True)
        .select_related("company")
        .order_by("pk")
    )
    for approval in pending.iterator(chunk_size=batch):
        with transaction.atomic():
            archive_file(approval=approval)
        filed += 1
    return filed


@transaction.atomic
def rule_set(*, actor, document_type: str, level: str, reclassify: bool = False) -> int:
    """Sets the level documents of `document_type` are filed at; with `reclassify`,
    changes the documents of that type already filed too (returns how many)."""
    require(actor, "documents.rules.manage")
    known = {kind.document_type for kind in registry.document_types()}
    errors = {}
    if document_type not in known:
        errors["document_type"] = UNKNOWN_TYPE
    if level not in Level.values:
        errors["level"] = UNKNOWN_LEVEL
    if errors:
        raise DomainError(next(iter(errors.values())), fields=errors)
    rule = DocumentTypeRule.objects.select_for_update().filter(document_type=document_type).first()
    if rule is None:
        rule = DocumentTypeRule.objects.create(
            document_type=document_type, level=level, updated_by=actor
        )
        audit.record_create(actor=actor, obj=rule)
    else:
        before = audit.snapshot(rule, ["level"])
        rule.level = level
        rule.updated_by = actor
        rule.save(update_fields=["level", "updated_by", "updated_at"])
        audit.record_change(actor=actor, obj=rule, before=before)
    if not reclassify:
        return 0
    return (
        ArchivedDocument.objects.filter(document_type=document_type)
        .exclude(level=level)
        .update(level=level)
    )
