"""Helpers for the change-notice, plan and follow-up tests: a dispatched work order made
directly (the dispatch service is the work-order step's), and signing a notice off."""

import datetime

from django.utils import timezone

from jobbag.approvals.selectors import current_approval
from jobbag.approvals.services import approval_decide
from jobbag.jobs.models import Acknowledgement, WorkOrder


def dispatch(chain, cast, departments=None) -> WorkOrder:
    """A signed work order of chain.job dispatched to `departments` (design and QC by
    default), each acknowledgement waiting."""
    departments = departments or [chain.design, chain.qc]
    now = timezone.now()
    order = WorkOrder.objects.create(
        job=chain.job,
        number=1,
        client_request="冰箱新品上市活动物料",
        specification="展架 2m×1m",
        quantity="20",
        quality_standard="按样板",
        delivery_place="青岛",
        delivery_due=timezone.localdate() + datetime.timedelta(days=30),
        signoff_status="approved",
        created_by=cast.ae,
        dispatched_at=now,
        dispatched_by=cast.ae,
    )
    order.departments.set(departments)
    for department in departments:
        Acknowledgement.objects.create(
            job=chain.job,
            work_order=order,
            department=department,
            sent_at=now,
            due_on=timezone.localdate() + datetime.timedelta(days=1),
        )
    return order


def sign(notice, cast):
    """The client's AD (the demo policy's one signer) signs the submitted notice."""
    approval = current_approval(notice)
    return approval_decide(actor=cast.ad, approval=approval, outcome="approve")
