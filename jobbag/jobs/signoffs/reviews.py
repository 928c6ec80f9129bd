"""Reviews (pre-review and internal review meeting minutes) in the sign-off engine."""

from django.utils.translation import gettext_lazy as _

from jobbag.approvals.registry import DocumentKind, register
from jobbag.jobs.models import Review
from jobbag.jobs.signoffs import common


def describe(review: Review):
    title = f"{review.job} · {review.get_kind_display()}"
    return common.subject(review.job, title=title, revision=review.revision)


def render(review: Review):
    data = {
        "kind": review.kind,
        "held_on": review.held_on.isoformat(),
        "place": review.place,
        "attendees": review.attendees,
        "minutes": review.minutes,
        "open_questions": review.open_questions,
        "duties": [
            {"department": str(duty.department), "duties": duty.duties}
            for duty in review.duties.select_related("department")
        ],
    }
    return common.render("jobs/signed/review.html", review, data)


def on_closed(review, approval, actor) -> None:
    """Nothing beyond the status: a signed internal review opens the work gate."""


register(
    DocumentKind(
        document_type="review",
        model=Review,
        label=_("Review minutes"),
        describe=describe,
        render=render,
        url=common.url,
        on_closed=on_closed,
        may_submit=common.may_submit,
        may_view=common.may_view,
    )
)
