"""Pages of change notices (变更): the job's requirements history, writing and editing a
notice, sending it for sign-off, and its printable PDF. Also the job page's "changes"
panel. Views are thin: forms parse, services decide, selectors read."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from jobbag.approvals.selectors import current_approval, evidence
from jobbag.core.errors import Conflict, DomainError, NotAllowed
from jobbag.core.forms import show_refusal
from jobbag.core.pdf import pdf_response, render_pdf
from jobbag.core.permissions import can
from jobbag.jobs.forms.changes import ChangeNoticeForm, requirement_initial
from jobbag.jobs.models import ChangeNotice, Job
from jobbag.jobs.panels import JobPanel, register
from jobbag.jobs.selectors import changes as selectors
from jobbag.jobs.services import changes as services
from jobbag.jobs.services.acknowledgements import is_late

MANAGE = "jobs.change.manage"


def _job(request, job_id: int) -> Job:
    """The job if the user may see it; 404 for anything outside their scope."""
    if not can(request.user, "jobs.view"):
        raise PermissionDenied
    job = selectors.job_for(request.user, job_id)
    if job is None:
        raise Http404
    return job


def _notice(request, pk: int) -> ChangeNotice:
    if not can(request.user, "jobs.view"):
        raise PermissionDenied
    notice = selectors.notice_for(request.user, pk)
    if notice is None:
        raise Http404
    return notice


def _status(error: DomainError) -> int:
    return 409 if isinstance(error, Conflict) else 400


def panel_context(request, job: Job) -> dict | None:
    """The job page's changes panel: every notice with its diff, sign-off and
    acknowledgements."""
    history = selectors.history_of(job)
    may_manage = can(request.user, MANAGE, job)
    if not history and not (may_manage and services.is_dispatched(job)):
        return None
    return {"job": job, "history": history, "can_manage": may_manage}


register(
    JobPanel(
        key="changes",
        title=gettext_lazy("Changes"),
        template="jobs/_changes_panel.html",
        context=panel_context,
        order=50,
    )
)


@login_required
def requirements_history(request, job_id: int):
    """The job's requirements as they stand and every change notice as a diff."""
    job = _job(request, job_id)
    may_manage = can(request.user, MANAGE, job)
    context = {
        "job": job,
        "requirements": selectors.current_requirements(job),
        "history": selectors.history_of(job),
        "can_manage": may_manage,
        "dispatched": services.is_dispatched(job),
    }
    return render(request, "jobs/changes_history.html", context)


def _form_page(request, *, job, form, notice=None, status=200):
    context = {
        "job": job,
        "form": form,
        "notice": notice,
        "requirements": selectors.current_requirements(job),
        "title": _("Edit %(notice)s") % {"notice": f"CN-{notice.number}"}
        if notice
        else _("New change notice"),
    }
    return render(request, "jobs/changes_form.html", context, status=status)


@login_required
def change_notice_create(request, job_id: int):
    job = _job(request, job_id)
    if not can(request.user, MANAGE, job):
        raise PermissionDenied
    if request.method != "POST":
        initial = {"requested_on": None, **requirement_initial(job)}
        return _form_page(request, job=job, form=ChangeNoticeForm(initial=initial))
    form = ChangeNoticeForm(request.POST)
    if not form.is_valid():
        return _form_page(request, job=job, form=form, status=400)
    try:
        notice = services.change_notice_create(actor=request.user, job=job, **form.values())
    except NotAllowed as error:
        raise PermissionDenied from error
    except DomainError as error:
        _show(form, error)
        return _form_page(request, job=job, form=form, status=_status(error))
    messages.success(request, _("Change notice CN-%(number)s written.") % {"number": notice.number})
    return redirect("jobs:requirements_history", job_id=job.pk)


def _show(form, error: DomainError) -> None:
    """The service names requirement fields by their name; the form calls them new_…"""
    fields = {
        (f"new_{name}" if f"new_{name}" in form.fields else name): message
        for name, message in error.fields.items()
    }
    show_refusal(form, type(error)(error.message, fields=fields))


@login_required
def change_notice_edit(request, pk: int):
    notice = _notice(request, pk)
    job = notice.job
    if not can(request.user, MANAGE, job):
        raise PermissionDenied
    if request.method != "POST":
        initial = {
            "what": notice.what,
            "why": notice.why,
            "requested_by": notice.requested_by,
            "requested_on": notice.requested_on,
            "departments": list(notice.departments.all()),
            "version": notice.version,
            **requirement_initial(job, notice.changes),
        }
        form = ChangeNoticeForm(initial=initial)
        return _form_page(request, job=job, form=form, notice=notice)
    form = ChangeNoticeForm(request.POST)
    if not form.is_valid():
        return _form_page(request, job=job, form=form, notice=notice, status=400)
    try:
        services.change_notice_update(
            actor=request.user,
            notice=notice,
            expected_version=form.cleaned_data["version"] or 0,
            **form.values(),
        )
    except NotAllowed as error:
        raise PermissionDenied from error
    except DomainError as error:
        _show(form, error)
        return _form_page(request, job=job, form=form, notice=notice, status=_status(error))
    messages.success(request, _("Saved: %(notice)s.") % {"notice": f"CN-{notice.number}"})
    return redirect("jobs:requirements_history", job_id=job.pk)


@login_required
@require_POST
def change_notice_submit(request, pk: int):
    notice = _notice(request, pk)
    if not can(request.user, MANAGE, notice.job):
        raise PermissionDenied
    try:
        approval = services.change_notice_submit(actor=request.user, notice=notice)
    except NotAllowed as error:
        raise PermissionDenied from error
    except DomainError as error:
        messages.error(request, str(error.message))
        return redirect("jobs:requirements_history", job_id=notice.job_id)
    messages.success(request, _("CN-%(number)s sent for sign-off.") % {"number": notice.number})
    return redirect(reverse("approvals:detail", args=[approval.pk]))


def pdf_context(notice: ChangeNotice) -> dict:
    """What the printed notice shows: its content, the signatures of its latest
    sign-off and each department's acknowledgement."""
    approval = current_approval(notice)
    acknowledgements = [
        (ack, is_late(ack))
        for ack in notice.acknowledgements.select_related("department", "acknowledged_by")
    ]
    return {
        "notice": notice,
        "job": notice.job,
        "rows": selectors.diff_rows(notice.changes),
        "departments": list(notice.departments.order_by("code")),
        "approval": approval,
        "decisions": evidence(approval)["decisions"] if approval else [],
        "acknowledgements": acknowledgements,
    }


@login_required
def change_notice_pdf(request, pk: int):
    notice = _notice(request, pk)
    content = render_pdf("jobs/pdf/change_notice.html", pdf_context(notice))
    filename = f"{notice.job.number or notice.job_id}-CN-{notice.number}.pdf"
    return pdf_response(content, filename)


urlpatterns = [
    path("<int:job_id>/requirements/", requirements_history, name="requirements_history"),
    path("<int:job_id>/changes/new/", change_notice_create, name="change_notice_create"),
    path("changes/<int:pk>/edit/", change_notice_edit, name="change_notice_edit"),
    path("changes/<int:pk>/submit/", change_notice_submit, name="change_notice_submit"),
    path("changes/<int:pk>/pdf/", change_notice_pdf, name="change_notice_pdf"),
]
