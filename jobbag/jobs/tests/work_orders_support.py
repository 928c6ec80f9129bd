"""What the reviews, work-order and acknowledgement tests share: a complete work order,
the sign-offs by the AD and the head of Account, and a quote the client signed back."""

from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from jobbag.approvals.services import approval_decide
from jobbag.jobs.models import Job, QuoteVersion, WorkOrder
from jobbag.jobs.services import work_orders as services


def complete(chain, **overrides) -> dict:
    """Every field of a complete work order, sent to design, process and purchasing."""
    values = {
        "client_request": "冰箱新品上市门店物料：堆头、吊旗、海报",
        "specification": "堆头 2m×1.2m KT板；吊旗 A3 铜版纸",
        "quantity": "堆头 20 套，吊旗 500 张",
        "quality_standard": "印刷色差 ΔE<2，无划痕",
        "packaging": "纸箱，每箱 50 张",
        "logistics": "顺丰，门店签收",
        "delivery_place": "青岛海尔路 1 号各门店",
        "delivery_due": timezone.localdate() + timedelta(days=30),
        "budget": Decimal("30000"),
        "notes": "",
        "departments": [chain.design, chain.process, chain.purchasing],
    }
    values.update(overrides)
    return values


def draft(chain, cast, **overrides) -> WorkOrder:
    return services.work_order_create(actor=cast.ae, job=chain.job, **complete(chain, **overrides))


def signed(chain, cast, **overrides) -> WorkOrder:
    """A work order signed off by the client's AD, then the head of Account."""
    work_order = draft(chain, cast, **overrides)
    approval = services.work_order_submit(actor=cast.ae, work_order=work_order)
    approval_decide(actor=cast.ad, approval=approval, outcome="approve")
    approval_decide(actor=chain.dcs, approval=approval, outcome="approve")
    work_order.refresh_from_db()
    return work_order


def sign_back_quote(job: Job, actor) -> QuoteVersion:
    """A quote the client signed back, made directly (the quotes tests test the way)."""
    return QuoteVersion.objects.create(
        job=job,
        number=1,
        total=Decimal("30000"),
        net_total=Decimal("30000"),
        signoff_status="approved",
        signed_back_at=timezone.now(),
        created_by=actor,
    )
