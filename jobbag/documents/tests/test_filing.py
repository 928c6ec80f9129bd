"""Filing: every approved sign-off is filed once, with its classification and evidence;
returned, rejected and pending ones are not; the backfill files what is missing once."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from jobbag.approvals import services as engine
from jobbag.approvals.demo import policies_build  # noqa: F401
from jobbag.approvals.models import Approval, MemberKind, Policy, StepKind
from jobbag.core.errors import DomainError, NotAllowed
from jobbag.core.models import AuditEntry
from jobbag.documents.models import ArchivedDocument, DocumentTypeRule, Level
from jobbag.documents.services.filing import archive_backfill, archive_file, rule_set
from jobbag.jobs.models import QuoteVersion


def test_it_files_an_approved_quote_once_with_its_classification(
    chain, cast, clientele, signed_quote
):
    approval = signed_quote()
    document = ArchivedDocument.objects.get()
    assert document.approval == approval
    assert document.snapshot_id == approval.snapshot_id
    assert document.company == clientele.company
    assert document.brand == clientele.brand
    assert document.job == chain.job
    assert document.job_number == "HAIER-2026-0001"
    assert document.document_type == "quote"
    assert str(document.type_label) == "报价单" or document.type_label
    assert document.title == approval.title
    assert document.signed_on == timezone.localdate(approval.closed_at)
    assert document.level == Level.CONFIDENTIAL
    assert document.number == f"DA-{document.signed_on.year}-{approval.pk:07d}"
    assert "haier-2026-0001" in document.search
    # Filing again gives the same row.
    assert archive_file(approval=approval) == document
    assert ArchivedDocument.objects.count() == 1


def test_it_does_not_file_a_pending_returned_or_rejected_document(chain, cast):
    def quote(number):
        return QuoteVersion.objects.create(
            job=chain.job, number=number, total=1000, net_total=1000, created_by=cast.ae
        )

    returned = engine.approval_submit(actor=cast.ae, document=quote(1))
    engine.approval_decide(actor=chain.dcs, approval=returned, outcome="return", reason="改价")
    rejected = engine.approval_submit(actor=cast.ae, document=quote(2))
    engine.approval_decide(actor=chain.dcs, approval=rejected, outcome="reject", reason="不做")
    pending = engine.approval_submit(actor=cast.ae, document=quote(3))
    # Signed internally, waiting for the client: not yet approved.
    engine.approval_decide(actor=chain.dcs, approval=pending, outcome="approve")
    assert ArchivedDocument.objects.count() == 0
    with pytest.raises(ValueError):
        archive_file(approval=Approval.objects.get(pk=returned.pk))


def test_it_files_a_review_as_internal_and_follows_the_admins_rule(cast, signed_review):
    first = ArchivedDocument.objects.get(approval=signed_review())
    assert first.level == Level.INTERNAL
    assert first.company is not None
    rule_set(actor=cast.admin, document_type="review", level=Level.SECRET)
    assert ArchivedDocument.objects.get(pk=first.pk).level == Level.INTERNAL
    second = ArchivedDocument.objects.get(approval=signed_review())
    assert second.level == Level.SECRET
    assert rule_set(actor=cast.admin, document_type="review", level=Level.SECRET, reclassify=True)
    assert ArchivedDocument.objects.get(pk=first.pk).level == Level.SECRET
    assert AuditEntry.objects.filter(object_repr__startswith="review").exists()


def test_it_refuses_a_rule_from_a_non_admin_or_with_bad_values(cast, chain):
    with pytest.raises(NotAllowed):
        rule_set(actor=cast.ae, document_type="review", level=Level.SECRET)
    with pytest.raises(DomainError) as refused:
        rule_set(actor=cast.admin, document_type="nothing", level="top")
    assert set(refused.value.fields) == {"document_type", "level"}
    assert not DocumentTypeRule.objects.exists()


def test_it_backfills_what_was_approved_before_once(cast, signed_quote, signed_review):
    signed_quote()
    signed_review()
    ArchivedDocument.objects.all().delete()
    out = StringIO()
    call_command("archive_backfill", stdout=out)
    assert "2" in out.getvalue()
    assert ArchivedDocument.objects.count() == 2
    assert archive_backfill() == 0
    assert ArchivedDocument.objects.count() == 2


def test_it_has_a_demo_policy_for_borrowing_signed_by_the_department_head(chain):
    policy = Policy.objects.get(document_type="borrowing")
    steps = list(policy.steps.all())
    assert len(steps) == 1 and steps[0].kind == StepKind.ONE
    members = list(steps[0].members.all())
    assert len(members) == 1
    assert members[0].kind == MemberKind.DEPARTMENT_HEAD and members[0].department is None
