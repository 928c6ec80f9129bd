"""Change notices in the sign-off engine: once signed, the changes apply to the job's
requirements and the notice goes to the departments it touches."""

from django.template.loader import render_to_string
from django.utils.translation import gettext_lazy as _

from jobbag.approvals.models import Approval
from jobbag.approvals.registry import Content, DocumentKind, register
from jobbag.jobs.models import ChangeNotice
from jobbag.jobs.selectors.changes import diff_rows
from jobbag.jobs.signoffs import common


def describe(notice: ChangeNotice):
    return common.subject(notice.job, title=str(notice), revision=notice.revision)


def render(notice: ChangeNotice):
    data = {
        "number": notice.number,
        "what": notice.what,
        "why": notice.why,
        "requested_by": notice.requested_by,
        "requested_on": notice.requested_on.isoformat(),
        "changes": notice.changes,
        "departments": [str(d) for d in notice.departments.order_by("code")],
    }
    # The snapshot shows the diff as labelled rows; its data keeps the raw changes.
    html = render_to_string(
        "jobs/signed/change_notice.html",
        {"document": notice, "job": notice.job, "rows": diff_rows(notice.changes), **data},
    )
    return Content(html=html, data=data)


def on_closed(notice: ChangeNotice, approval: Approval, actor) -> None:
    if approval.status == Approval.Status.APPROVED:
        from jobbag.jobs.services.changes import change_notice_apply

        change_notice_apply(notice=notice, actor=actor)


register(
    DocumentKind(
        document_type="change_notice",
        model=ChangeNotice,
        label=_("Change notice"),
        describe=describe,
        render=render,
        url=common.url,
        on_closed=on_closed,
        may_submit=common.may_submit,
        may_view=common.may_view,
    )
)
