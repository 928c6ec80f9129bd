"""Pages of the job chain: reviews (评审) — the minutes of the pre-review with the client
and of the internal review meeting, their sign-off and revisions; the job page's panel."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from jobbag.core.audit import history_for
from jobbag.core.forms import act, submit
from jobbag.core.permissions import can, visible
from jobbag.jobs.forms.reviews import ReviewForm
from jobbag.jobs.models import Job, Review
from jobbag.jobs.panels import JobPanel, register
from jobbag.jobs.selectors.reviews import latest_approvals, review_of, reviews_of
from jobbag.jobs.services import reviews as services
from jobbag.jobs.services.gates import needs_internal_review


def visible_job(request, pk: int) -> Job:
    """The job if the user may see it; 404 for anything outside their scope."""
    job = visible(request.user, Job.objects.filter(pk=pk)).select_related("company").first()
    if job is None:
        raise Http404
    return job


def _review(request, pk: int) -> Review:
    visible_ids = visible(request.user, Job.objects.all()).values("pk")
    review = review_of(visible_ids, pk)
    if review is None:
        raise Http404
    return review


def _job_url(job_id: int) -> str:
    return reverse("jobs:detail", args=[job_id]) + "#reviews"


@login_required
def review_create(request, job_pk: int):
    job = visible_job(request, job_pk)
    if not can(request.user, "jobs.review.edit", job):
        raise PermissionDenied
    form = ReviewForm(request.POST or None, initial={"kind": Review.Kind.PRE_REVIEW})
    review = submit(
        request,
        form,
        lambda values, _version: services.review_create(actor=request.user, job=job, **values),
        _("The review minutes were saved."),
    )
    if review is not None:
        return redirect("jobs:review_detail", review.pk)
    context = {"form": form, "job": job, "title": _("New review minutes"), "back": _job_url(job.pk)}
    return render(request, "jobs/reviews_form.html", context, status=400 if form.errors else 200)


@login_required
def review_edit(request, pk: int):
    review = _review(request, pk)
    if not can(request.user, "jobs.review.edit", review.job):
        raise PermissionDenied
    initial = {name: getattr(review, name) for name in services.FIELDS}
    initial["version"] = review.version
    form = ReviewForm(request.POST or None, initial=initial, review=review)
    saved = submit(
        request,
        form,
        lambda values, version: services.review_update(
            actor=request.user, review=review, expected_version=version or 0, **values
        ),
        _("The review minutes were saved."),
    )
    if saved is not None:
        return redirect("jobs:review_detail", review.pk)
    context = {
        "form": form,
        "job": review.job,
        "review": review,
        "title": _("Edit review minutes"),
        "back": reverse("jobs:review_detail", args=[review.pk]),
    }
    return render(request, "jobs/reviews_form.html", context, status=400 if form.errors else 200)


def _detail(request, review: Review):
    approval = latest_approvals([review]).get(review.pk)
    can_edit = can(request.user, "jobs.review.edit", review.job)
    context = {
        "review": review,
        "job": review.job,
        "approval": approval,
        "can_edit": can_edit,
        "history": history_for(review)[:50],
    }
    return render(request, "jobs/reviews_detail.html", context)


@login_required
def review_detail(request, pk: int):
    return _detail(request, _review(request, pk))


def _act(request, pk: int, call, success: str):
    review = _review(request, pk)
    # Refused: nothing changed; the page says why.
    act(request, lambda: call(review), success)
    return redirect("jobs:review_detail", review.pk)


@login_required
@require_POST
def review_submit(request, pk: int):
    return _act(
        request,
        pk,
        lambda review: services.review_submit(actor=request.user, review=review),
        _("The review minutes were sent for sign-off."),
    )


@login_required
@require_POST
def review_revise(request, pk: int):
    return _act(
        request,
        pk,
        lambda review: services.review_revise(actor=request.user, review=review),
        _("A new revision of the review minutes was started."),
    )


urlpatterns = [
    path("<int:job_pk>/reviews/new/", review_create, name="review_create"),
    path("reviews/<int:pk>/", review_detail, name="review_detail"),
    path("reviews/<int:pk>/edit/", review_edit, name="review_edit"),
    path("reviews/<int:pk>/submit/", review_submit, name="review_submit"),
    path("reviews/<int:pk>/revise/", review_revise, name="review_revise"),
]


def panel_context(request, job: Job) -> dict | None:
    if not can(request.user, "jobs.review.view", job):
        return None
    reviews = list(reviews_of(job))
    approvals = latest_approvals(reviews)
    return {
        "job": job,
        "reviews": [(review, approvals.get(review.pk)) for review in reviews],
        "needs_internal_review": needs_internal_review(job),
        "can_edit": can(request.user, "jobs.review.edit", job),
    }


register(
    JobPanel(
        key="reviews",
        title=gettext_lazy("Reviews"),
        template="jobs/_reviews_panel.html",
        context=panel_context,
        order=20,
    )
)
