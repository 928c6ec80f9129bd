"""Work orders in the sign-off engine: the AD and the Account head sign before dispatch."""

from django.utils.translation import gettext_lazy as _

from jobbag.approvals.registry import DocumentKind, register
from jobbag.jobs.models import WorkOrder
from jobbag.jobs.signoffs import common

FIELDS = [
    "client_request",
    "specification",
    "quantity",
    "quality_standard",
    "packaging",
    "logistics",
    "delivery_place",
    "notes",
]


def describe(work_order: WorkOrder):
    return common.subject(
        work_order.job,
        title=str(work_order),
        revision=work_order.revision,
        amount=work_order.budget,
    )


def render(work_order: WorkOrder):
    data = {name: getattr(work_order, name) for name in FIELDS}
    data.update(
        number=work_order.number,
        delivery_due=work_order.delivery_due.isoformat(),
        budget=str(work_order.budget) if work_order.budget is not None else None,
        departments=[str(d) for d in work_order.departments.order_by("code")],
    )
    return common.render("jobs/signed/work_order.html", work_order, data)


def on_closed(work_order, approval, actor) -> None:
    """Signed work orders wait for their dispatch, which checks the work gates."""


register(
    DocumentKind(
        document_type="work_order",
        model=WorkOrder,
        label=_("Work order"),
        describe=describe,
        render=render,
        url=common.url,
        on_closed=on_closed,
        may_submit=common.may_submit,
        may_view=common.may_view,
    )
)
