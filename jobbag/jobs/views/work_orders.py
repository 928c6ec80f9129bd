"""Pages of the job chain: work orders (工作单) — writing, sign-off, dispatch, revision and
the printable PDF — and the departments' acknowledgements (签收); the job page's panel,
the menu entry and the home card of department people with receipts to give."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from jobbag.core.audit import history_for
from jobbag.core.errors import DomainError
from jobbag.core.forms import act, submit
from jobbag.core.home import HomeSection
from jobbag.core.home import register as register_home
from jobbag.core.navigation import MenuItem
from jobbag.core.navigation import register as register_menu
from jobbag.core.pdf import pdf_response, render_pdf
from jobbag.core.permissions import can, visible
from jobbag.jobs.forms.work_orders import AcknowledgeForm, WorkOrderForm
from jobbag.jobs.models import Acknowledgement, Job, WorkOrder
from jobbag.jobs.panels import JobPanel, register
from jobbag.jobs.selectors.reviews import latest_approvals
from jobbag.jobs.selectors.work_orders import (
    acknowledgements_for,
    receipts,
    signatures,
    work_orders_in,
    work_orders_of,
)
from jobbag.jobs.services import work_orders as services
from jobbag.jobs.services.acknowledgements import (
    acknowledgement_confirm,
    is_late,
    may_acknowledge,
)
from jobbag.jobs.services.gates import work_blockers
from jobbag.jobs.views.reviews import visible_job

PAGE_SIZE = 50
HOME_SHOWN = 5
ACKNOWLEDGED = gettext_lazy("Acknowledged: %(document)s.")


def _work_order(request, pk: int) -> WorkOrder:
    """The work order if the user may see its job; 404 otherwise."""
    visible_ids = visible(request.user, Job.objects.all()).values("pk")
    work_order = work_orders_in(visible_ids).filter(pk=pk).first()
    if work_order is None:
        raise Http404
    return work_order


# Writing --------------------------------------------------------------------------------


def _initial_from_job(job: Job) -> dict:
    """A new work order starts from the requirements recorded at intake."""
    return {
        "quality_standard": job.quality,
        "packaging": job.packaging,
        "logistics": job.logistics,
        "delivery_due": job.launch_date,
    }


@login_required
def work_order_create(request, job_pk: int):
    job = visible_job(request, job_pk)
    if not can(request.user, "jobs.work_order.edit", job):
        raise PermissionDenied
    form = WorkOrderForm(request.POST or None, initial=_initial_from_job(job))
    work_order = submit(
        request,
        form,
        lambda values, _version: services.work_order_create(actor=request.user, job=job, **values),
        _("The work order was saved."),
    )
    if work_order is not None:
        return redirect("jobs:work_order_detail", work_order.pk)
    context = {
        "form": form,
        "job": job,
        "title": _("New work order"),
        "back": reverse("jobs:detail", args=[job.pk]) + "#work_orders",
    }
    return render(
        request, "jobs/work_orders_form.html", context, status=400 if form.errors else 200
    )


@login_required
def work_order_edit(request, pk: int):
    work_order = _work_order(request, pk)
    if not can(request.user, "jobs.work_order.edit", work_order.job):
        raise PermissionDenied
    initial = {name: getattr(work_order, name) for name in services.FIELDS}
    initial["departments"] = list(work_order.departments.all())
    initial["version"] = work_order.version
    form = WorkOrderForm(request.POST or None, initial=initial)
    saved = submit(
        request,
        form,
        lambda values, version: services.work_order_update(
            actor=request.user, work_order=work_order, expected_version=version or 0, **values
        ),
        _("The work order was saved."),
    )
    if saved is not None:
        return redirect("jobs:work_order_detail", work_order.pk)
    context = {
        "form": form,
        "job": work_order.job,
        "work_order": work_order,
        "title": _("Edit work order"),
        "back": reverse("jobs:work_order_detail", args=[work_order.pk]),
    }
    return render(
        request, "jobs/work_orders_form.html", context, status=400 if form.errors else 200
    )


# One work order ---------------------------------------------------------------------------


def _detail(request, work_order: WorkOrder):
    approval = latest_approvals([work_order]).get(work_order.pk)
    can_edit = can(request.user, "jobs.work_order.edit", work_order.job)
    rows = receipts(work_order)
    context = {
        "work_order": work_order,
        "job": work_order.job,
        "approval": approval,
        "signatures": signatures(approval),
        "receipts": rows,
        "mine": [
            r["row"]
            for r in rows
            if r["row"].acknowledged_at is None and may_acknowledge(request.user, r["row"])
        ],
        "can_edit": can_edit,
        "blockers": work_blockers(work_order.job) if can_edit else [],
        "history": history_for(work_order)[:50],
    }
    return render(request, "jobs/work_orders_detail.html", context)


@login_required
def work_order_detail(request, pk: int):
    return _detail(request, _work_order(request, pk))


def _act(request, pk: int, call, success: str):
    work_order = _work_order(request, pk)
    # Refused: nothing changed; the page says why.
    act(request, lambda: call(work_order), success)
    return redirect("jobs:work_order_detail", work_order.pk)


@login_required
@require_POST
def work_order_submit(request, pk: int):
    return _act(
        request,
        pk,
        lambda wo: services.work_order_submit(actor=request.user, work_order=wo),
        _("The work order was sent for sign-off."),
    )


@login_required
@require_POST
def work_order_dispatch(request, pk: int):
    return _act(
        request,
        pk,
        lambda wo: services.work_order_dispatch(actor=request.user, work_order=wo),
        _("The work order was dispatched to its departments."),
    )


@login_required
@require_POST
def work_order_revise(request, pk: int):
    return _act(
        request,
        pk,
        lambda wo: services.work_order_revise(actor=request.user, work_order=wo),
        _("A new revision of the work order was started."),
    )


@login_required
def work_order_pdf(request, pk: int):
    """The printable work order: all its fields, the departments, the signatures and the
    acknowledgement table."""
    work_order = _work_order(request, pk)
    approval = latest_approvals([work_order]).get(work_order.pk)
    context = {
        "work_order": work_order,
        "job": work_order.job,
        "approval": approval,
        "signatures": signatures(approval),
        "receipts": receipts(work_order),
        "printed_at": timezone.localtime(),
    }
    content = render_pdf("jobs/pdf/work_order.html", context)
    number = work_order.job.number or work_order.job_id
    return pdf_response(content, f"{number}-WO-{work_order.number}.pdf")


# Acknowledgements -------------------------------------------------------------------------


@login_required
def acknowledgements(request):
    """What my department(s) have to acknowledge, oldest due first, with late flags; and
    what we acknowledged lately."""
    if not can(request.user, "jobs.acknowledgements.view"):
        raise PermissionDenied
    today = timezone.localdate()
    page = Paginator(acknowledgements_for(request.user), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    done = list(acknowledgements_for(request.user, pending=False)[:20])
    context = {
        "page_obj": page,
        "pending": [{"row": row, "late": is_late(row, today)} for row in page],
        "done": [{"row": row, "late": is_late(row, today)} for row in done],
        "form": AcknowledgeForm(),
        "querystring_without_page": "",
    }
    return render(request, "jobs/work_orders_acknowledgements.html", context)


@login_required
@require_POST
def acknowledgement_confirm_view(request, pk: int):
    if not can(request.user, "jobs.acknowledgements.view"):
        raise PermissionDenied
    row = (
        Acknowledgement.objects.select_related("department", "work_order", "change_notice")
        .filter(pk=pk)
        .first()
    )
    if row is None or not (
        may_acknowledge(request.user, row)
        or visible(request.user, Job.objects.filter(pk=row.job_id)).exists()
    ):
        raise Http404
    form = AcknowledgeForm(request.POST)
    note = form.cleaned_data["note"] if form.is_valid() else ""
    try:
        acknowledgement_confirm(actor=request.user, acknowledgement=row, note=note)
    except DomainError as error:
        messages.error(request, str(error.message))
    else:
        document = row.work_order or row.change_notice
        messages.success(request, str(ACKNOWLEDGED % {"document": document}))
    back = request.POST.get("next", "")
    if back and url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}):
        return redirect(back)
    return redirect("jobs:acknowledgements")


urlpatterns = [
    path("<int:job_pk>/work-orders/new/", work_order_create, name="work_order_create"),
    path("work-orders/<int:pk>/", work_order_detail, name="work_order_detail"),
    path("work-orders/<int:pk>/edit/", work_order_edit, name="work_order_edit"),
    path("work-orders/<int:pk>/submit/", work_order_submit, name="work_order_submit"),
    path("work-orders/<int:pk>/dispatch/", work_order_dispatch, name="work_order_dispatch"),
    path("work-orders/<int:pk>/revise/", work_order_revise, name="work_order_revise"),
    path("work-orders/<int:pk>/pdf/", work_order_pdf, name="work_order_pdf"),
    path("acknowledgements/", acknowledgements, name="acknowledgements"),
    path(
        "acknowledgements/<int:pk>/confirm/",
        acknowledgement_confirm_view,
        name="acknowledgement_confirm",
    ),
]


# The job page's panel, the menu entry and the home card -----------------------------------


def panel_context(request, job: Job) -> dict | None:
    if not can(request.user, "jobs.work_order.view", job):
        return None
    work_orders = list(work_orders_of(job))
    approvals = latest_approvals(work_orders)
    today = timezone.localdate()
    can_edit = can(request.user, "jobs.work_order.edit", job)
    return {
        "job": job,
        "work_orders": [
            {
                "work_order": wo,
                "approval": approvals.get(wo.pk),
                "receipts": receipts(wo, today),
            }
            for wo in work_orders
        ],
        "can_edit": can_edit,
        "blockers": work_blockers(job) if can_edit else [],
    }


register(
    JobPanel(
        key="work_orders",
        title=gettext_lazy("Work orders"),
        template="jobs/_work_orders_panel.html",
        context=panel_context,
        order=40,
    )
)


def home_card(request) -> dict | None:
    """Department people with receipts still to give see them first."""
    user = request.user
    if not user.is_authenticated or not can(user, "jobs.acknowledgements.view"):
        return None
    pending = acknowledgements_for(user)
    rows = list(pending[:HOME_SHOWN])
    if not rows:
        return None
    today = timezone.localdate()
    return {
        "count": pending.count(),
        "rows": [{"row": row, "late": is_late(row, today)} for row in rows],
    }


register_home(HomeSection("jobs/_work_orders_home.html", home_card, order=25))
register_menu(
    MenuItem(gettext_lazy("To acknowledge"), "jobs:acknowledgements", "jobs.acknowledgements.view"),
    order=46,
)
