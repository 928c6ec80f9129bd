"""The client's side of sign-off in the portal: the company's documents waiting for the
client's signature, and one document as signed, with the decision form. Staff have no
portal (404); another company's document does not exist for a client user (404)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from jobbag.approvals import selectors, services
from jobbag.approvals.forms import ClientDecisionForm
from jobbag.approvals.models import Approval, ApprovalStep, StepKind
from jobbag.core.errors import Conflict, DomainError, NotAllowed, NotFound
from jobbag.core.forms import show_refusal
from jobbag.core.permissions import can


def _client(request) -> int:
    if not can(request.user, "portal.view") or not can(request.user, "approvals.portal"):
        raise Http404
    return request.user.company_id


@login_required
@require_safe
def signoff_list(request):
    company_id = _client(request)
    waiting = list(selectors.waiting_for_client(company_id))
    done = list(
        selectors.client_approvals(company_id)
        .exclude(status=Approval.Status.PENDING)
        .order_by("-closed_at", "-pk")[:20]
    )
    return render(request, "approvals/portal/list.html", {"waiting": waiting, "done": done})


def _status(error: DomainError) -> int:
    if isinstance(error, NotAllowed):
        return 403
    if isinstance(error, Conflict):
        return 409
    return 400


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def signoff_detail(request, pk: int):
    company_id = _client(request)
    approval = selectors.client_approvals(company_id).filter(pk=pk).first()
    if approval is None:
        raise Http404
    client_step = (
        approval.steps.filter(kind=StepKind.CLIENT).prefetch_related("decisions__decided_by")
    ).first()
    may_sign = (
        approval.status == Approval.Status.PENDING
        and client_step is not None
        and client_step.status == ApprovalStep.Status.ACTIVE
    )
    form = ClientDecisionForm(request.POST or None, initial={"revision": approval.revision})
    status = 200
    error = ""
    if request.method == "POST":
        if not form.is_valid():
            status = 400
        else:
            data = form.cleaned_data
            try:
                services.approval_client_decide(
                    actor=request.user,
                    approval=approval,
                    outcome=data["outcome"],
                    reason=data["reason"],
                    revision=data["revision"],
                    ip=request.META.get("REMOTE_ADDR") or None,
                )
            except NotFound:
                raise Http404 from None
            except DomainError as refusal:
                show_refusal(form, refusal)
                error = str(refusal.message)
                status = _status(refusal)
            else:
                messages.success(request, _("Thank you: your decision is recorded."))
                return redirect("portal:signoff_detail", approval.pk)
    return render(
        request,
        "approvals/portal/detail.html",
        {
            "approval": approval,
            "client_step": client_step,
            "decisions": list(client_step.decisions.all()) if client_step else [],
            "may_sign": may_sign,
            "form": form,
            "error": error,
        },
        status=status,
    )
