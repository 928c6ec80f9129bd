"""Archived rows made directly (for search tests): a snapshot each, no sign-off."""

from datetime import date

from django.contrib.contenttypes.models import ContentType

from jobbag.approvals.models import Snapshot
from jobbag.documents.models import ArchivedDocument, Level
from jobbag.documents.services.filing import search_text

_counter = iter(range(1, 10**6))


def archived(
    *,
    actor,
    title="文档",
    company=None,
    job=None,
    document_type="review",
    level=Level.INTERNAL,
    signed_on=date(2026, 5, 1),
) -> ArchivedDocument:
    n = next(_counter)
    snapshot = Snapshot.objects.create(
        content_type=ContentType.objects.get_for_model(ArchivedDocument),
        object_id=n,
        revision=1,
        title=title,
        html=f"<p>{title}</p>",
        data={},
        content_hash="0" * 64,
        created_by=actor,
    )
    number = f"T-{n:07d}"
    job_number = job.number if job else ""
    return ArchivedDocument.objects.create(
        number=number,
        snapshot=snapshot,
        document_type=document_type,
        content_type=ContentType.objects.get_for_model(ArchivedDocument),
        object_id=n,
        revision=1,
        title=title,
        company=company,
        job=job,
        job_number=job_number,
        signed_on=signed_on,
        level=level,
        search=search_text(title, number, job_number, company and company.code),
    )
