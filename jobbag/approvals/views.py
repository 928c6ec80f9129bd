"""Sign-off pages: the inbox, the evidence page of a document with the decision forms,
downloads of signed files, and the policy administration. Thin: forms parse, the
services in approvals.services / approvals.policies decide, selectors read."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from jobbag.approvals import policies, registry, selectors, services
from jobbag.approvals.forms import (
    DecisionForm,
    MemberForm,
    PolicyForm,
    SettingsForm,
    SignedCopyForm,
    StepEditForm,
    StepForm,
)
from jobbag.approvals.models import (
    Approval,
    ApprovalStep,
    Decision,
    Policy,
    PolicyStep,
    SignoffSettings,
    SnapshotFile,
    StepKind,
    StepMember,
)
from jobbag.approvals.permissions import may_record_signed_copy
from jobbag.core.errors import Conflict, DomainError, NotAllowed, NotFound
from jobbag.core.forms import show_refusal
from jobbag.core.permissions import can

MANAGE = "approvals.policy.manage"


def _status(error: DomainError) -> int:
    if isinstance(error, NotAllowed):
        return 403
    if isinstance(error, Conflict):
        return 409
    return 400


def _require(request, action: str, obj=None) -> None:
    # Pages the user may not use do not exist for them.
    if not can(request.user, action, obj):
        raise Http404


def _ip(request) -> str | None:
    return request.META.get("REMOTE_ADDR") or None


# Inbox ---------------------------------------------------------------------------------


INBOX_PAGE_SIZE = 50


@login_required
@require_safe
def inbox(request):
    """What waits for my signature (or for whom I deputise today), oldest first."""
    _require(request, "approvals.inbox")
    page = Paginator(selectors.inbox(request.user), INBOX_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    rows = selectors.inbox_rows(request.user, steps=page.object_list)
    context = {"rows": rows, "page_obj": page, "querystring_without_page": ""}
    return render(request, "approvals/inbox.html", context)


# Evidence ------------------------------------------------------------------------------


def _approval(request, pk: int) -> Approval:
    approval = Approval.objects.select_related("snapshot").filter(pk=pk).first()
    if approval is None or not can(request.user, "approvals.view", approval):
        raise Http404
    return approval


def _actions(user, approval: Approval) -> dict:
    """What `user` may do on the pending `approval` now: sign the active step (and for
    whom), record the client's signed copy, withdraw."""
    if approval.status != Approval.Status.PENDING:
        return {}
    step = next((s for s in approval.steps.all() if s.status == ApprovalStep.Status.ACTIVE), None)
    actions = {"active_step": step}
    if step is None:
        return actions
    if step.kind == StepKind.CLIENT:
        actions["may_record_copy"] = may_record_signed_copy(user, approval)
    else:
        where = services.standing(user, step)
        actions["standing"] = where
    actions["may_withdraw"] = user.pk == approval.submitted_by_id or user.is_admin
    return actions


def _evidence_page(
    request,
    document_type: str,
    object_id: int,
    *,
    focus: Approval | None = None,
    decision_form=None,
    copy_form=None,
    error: str = "",
    status: int = 200,
):
    try:
        kind = registry.kind_named(document_type)
    except KeyError:
        raise Http404 from None
    approvals = selectors.evidence_of(selectors.approvals_for(document_type, object_id))
    if not approvals:
        raise Http404
    document = kind.model._default_manager.filter(pk=object_id).first()
    focus = approvals[0] if focus is None else next(a for a in approvals if a.pk == focus.pk)
    actions = _actions(request.user, focus)
    blocks = [
        {
            "approval": approval,
            "verified": services.snapshot_verify(approval.snapshot),
            "is_focus": approval.pk == focus.pk,
        }
        for approval in approvals
    ]
    context = {
        "kind": kind,
        "document": document,
        "document_url": kind.url(document) if document is not None else "",
        "title": focus.title,
        "blocks": blocks,
        "focus": focus,
        "actions": actions,
        "decision_form": decision_form or DecisionForm(initial={"revision": focus.revision}),
        "copy_form": copy_form or SignedCopyForm(),
        "error": error,
    }
    return render(request, "approvals/detail.html", context, status=status)


@login_required
@require_safe
def detail(request, pk: int):
    """The evidence page of one approval's document: every revision it went through."""
    approval = _approval(request, pk)
    return _evidence_page(request, approval.document_type, approval.object_id, focus=approval)


@login_required
@require_safe
def document(request, document_type: str, object_id: int):
    """Every sign-off of one document, newest first."""
    if not can(request.user, "approvals.inbox"):
        raise Http404
    try:
        kind = registry.kind_named(document_type)
    except KeyError:
        raise Http404 from None
    doc = kind.model._default_manager.filter(pk=object_id).first()
    if doc is None:
        raise Http404
    if not (request.user.is_admin or kind.may_view(request.user, doc)):
        # Signers who may not see the document itself still see what they were asked.
        latest = selectors.approvals_for(document_type, object_id).first()
        if latest is None or not can(request.user, "approvals.view", latest):
            raise Http404
    return _evidence_page(request, document_type, object_id)


def _refused(request, approval, error: DomainError, **forms):
    if isinstance(error, NotFound):
        raise Http404
    return _evidence_page(
        request,
        approval.document_type,
        approval.object_id,
        focus=approval,
        error=str(error.message),
        status=_status(error),
        **forms,
    )


@login_required
@require_POST
def decide(request, pk: int):
    approval = _approval(request, pk)
    form = DecisionForm(request.POST)
    if not form.is_valid():
        return _evidence_page(
            request,
            approval.document_type,
            approval.object_id,
            focus=approval,
            decision_form=form,
            status=400,
        )
    data = form.cleaned_data
    try:
        decision = services.approval_decide(
            actor=request.user,
            approval=approval,
            outcome=data["outcome"],
            reason=data["reason"],
            revision=data["revision"],
            ip=_ip(request),
        )
    except DomainError as error:
        if error.fields:
            show_refusal(form, error)
        return _refused(request, approval, error, decision_form=form)
    messages.success(
        request,
        _("Recorded: %(outcome)s — %(title)s.")
        % {"outcome": decision.get_outcome_display(), "title": approval.title},
    )
    return redirect("approvals:detail", approval.pk)


@login_required
@require_POST
def signed_copy(request, pk: int):
    approval = _approval(request, pk)
    form = SignedCopyForm(request.POST, request.FILES)
    if not form.is_valid():
        return _refused(request, approval, DomainError(), copy_form=form)
    data = form.cleaned_data
    try:
        services.approval_record_signed_copy(
            actor=request.user,
            approval=approval,
            file=data["file"],
            client_signer=data["client_signer"],
            signed_on=data["signed_on"],
            ip=_ip(request),
        )
    except DomainError as error:
        show_refusal(form, error)
        return _refused(request, approval, error, copy_form=form)
    messages.success(request, _("The client's signed copy is recorded."))
    return redirect("approvals:detail", approval.pk)


@login_required
@require_POST
def withdraw(request, pk: int):
    approval = _approval(request, pk)
    try:
        services.approval_withdraw(actor=request.user, approval=approval)
    except DomainError as error:
        return _refused(request, approval, error)
    messages.success(request, _("Withdrawn from sign-off: %(title)s.") % {"title": approval.title})
    return redirect("approvals:detail", approval.pk)


@login_required
@require_safe
def decision_file(request, pk: int):
    """The client's signed copy recorded with a decision."""
    decision = Decision.objects.select_related("approval").filter(pk=pk).first()
    if decision is None or not decision.signed_copy:
        raise Http404
    _approval(request, decision.approval_id)
    return FileResponse(decision.signed_copy.open("rb"), as_attachment=True)


@login_required
@require_safe
def snapshot_file(request, pk: int):
    """A file attached to a signed snapshot."""
    row = SnapshotFile.objects.select_related("snapshot__approval").filter(pk=pk).first()
    if row is None:
        raise Http404
    _approval(request, row.snapshot.approval.pk)
    return FileResponse(row.file.open("rb"), as_attachment=True, filename=row.name)


# Policy administration -----------------------------------------------------------------


def _policy(request, pk: int) -> Policy:
    _require(request, MANAGE)
    policy = selectors.policies().filter(pk=pk).first()
    if policy is None:
        raise Http404
    return policy


@login_required
@require_safe
def policy_list(request):
    _require(request, MANAGE)
    rows = list(selectors.policies())
    groups: dict[str, list] = {}
    for policy in rows:
        groups.setdefault(policy.document_type, []).append(
            {"policy": policy, "problems": policies.policy_problems(policy)}
        )
    labels = {kind.document_type: kind.label for kind in registry.document_types()}
    settings_row = SignoffSettings.current()
    return render(
        request,
        "approvals/policy_list.html",
        {
            "groups": [
                {"document_type": key, "label": labels.get(key, key), "rows": value}
                for key, value in groups.items()
            ],
            "settings_form": SettingsForm(
                initial={
                    "remind_after_days": settings_row.remind_after_days,
                    "version": settings_row.version,
                }
            ),
        },
    )


@login_required
@require_POST
def settings_update(request):
    _require(request, MANAGE)
    form = SettingsForm(request.POST)
    if form.is_valid():
        try:
            policies.signoff_settings_update(
                actor=request.user,
                expected_version=form.cleaned_data["version"] or 0,
                remind_after_days=form.cleaned_data["remind_after_days"],
            )
        except DomainError as error:
            messages.error(request, str(error.message))
            return redirect("approvals:policies")
        messages.success(request, _("Sign-off settings saved."))
    else:
        messages.error(request, " ".join(e for errs in form.errors.values() for e in errs))
    return redirect("approvals:policies")


def _policy_values(data: dict) -> dict:
    return {k: v for k, v in data.items() if k != "version"}


@login_required
def policy_create(request):
    _require(request, MANAGE)
    form = PolicyForm(request.POST or None, initial={"is_active": True, "currency": "CNY"})
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            policy = policies.policy_create(actor=request.user, **_policy_values(form.cleaned_data))
        except DomainError as error:
            show_refusal(form, error)
            status = _status(error)
        else:
            messages.success(request, _("Policy added: %(name)s.") % {"name": policy.name})
            return redirect("approvals:policy", policy.pk)
    elif request.method == "POST":
        status = 400
    return render(request, "approvals/policy_form.html", {"form": form}, status=status)


@login_required
def policy_edit(request, pk: int):
    policy = _policy(request, pk)
    initial = {
        "document_type": policy.document_type,
        "name": policy.name,
        "company": policy.company_id,
        "department": policy.department_id,
        "above_amount": policy.above_amount,
        "up_to_amount": policy.up_to_amount,
        "currency": policy.currency,
        "is_active": policy.is_active,
        "version": policy.version,
    }
    form = PolicyForm(request.POST or None, initial=initial)
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            policies.policy_update(
                actor=request.user,
                policy=policy,
                expected_version=form.cleaned_data["version"] or 0,
                **_policy_values(form.cleaned_data),
            )
        except DomainError as error:
            show_refusal(form, error)
            status = _status(error)
        else:
            messages.success(request, _("Saved: %(name)s.") % {"name": policy.name})
            return redirect("approvals:policy", policy.pk)
    elif request.method == "POST":
        status = 400
    return render(
        request, "approvals/policy_form.html", {"form": form, "policy": policy}, status=status
    )


def _policy_page(request, policy: Policy, *, step_form=None, member_forms=None, status=200):
    policy = selectors.policies().get(pk=policy.pk)
    member_forms = member_forms or {}
    steps = [
        {
            "step": step,
            "member_form": member_forms.get(step.pk) or MemberForm(prefix=f"step{step.pk}"),
            "edit_form": StepEditForm(
                prefix=f"edit{step.pk}",
                initial={"label": step.label, "checks_authority": step.checks_authority},
            ),
            "may_add_member": step.kind in (StepKind.ALL, StepKind.ANY)
            or (step.kind == StepKind.ONE and not step.members.all())
            # A refused member form stays visible with its message.
            or step.pk in member_forms,
        }
        for step in policy.steps.all()
    ]
    return render(
        request,
        "approvals/policy_detail.html",
        {
            "policy": policy,
            "steps": steps,
            "problems": policies.policy_problems(policy),
            "step_form": step_form or StepForm(prefix="new"),
        },
        status=status,
    )


@login_required
@require_safe
def policy_detail(request, pk: int):
    return _policy_page(request, _policy(request, pk))


@login_required
@require_POST
def step_add(request, pk: int):
    policy = _policy(request, pk)
    form = StepForm(request.POST, prefix="new")
    if not form.is_valid():
        return _policy_page(request, policy, step_form=form, status=400)
    values = dict(form.cleaned_data)
    try:
        policies.policy_step_add(actor=request.user, policy=policy, **values)
    except DomainError as error:
        show_refusal(form, error)
        return _policy_page(request, policy, step_form=form, status=_status(error))
    messages.success(request, _("Step added."))
    return redirect("approvals:policy", policy.pk)


def _step(request, pk: int) -> PolicyStep:
    _require(request, MANAGE)
    step = PolicyStep.objects.select_related("policy").filter(pk=pk).first()
    if step is None:
        raise Http404
    return step


def _policy_refusal(request, policy, error: DomainError):
    messages.error(request, str(error.message))
    return redirect("approvals:policy", policy.pk)


@login_required
@require_POST
def step_update(request, pk: int):
    step = _step(request, pk)
    form = StepEditForm(request.POST, prefix=f"edit{step.pk}")
    if form.is_valid():
        try:
            policies.policy_step_update(actor=request.user, step=step, **form.cleaned_data)
        except DomainError as error:
            return _policy_refusal(request, step.policy, error)
        messages.success(request, _("Step saved."))
    return redirect("approvals:policy", step.policy_id)


@login_required
@require_POST
def step_remove(request, pk: int):
    step = _step(request, pk)
    try:
        policies.policy_step_remove(actor=request.user, step=step)
    except DomainError as error:
        return _policy_refusal(request, step.policy, error)
    messages.success(request, _("Step removed."))
    return redirect("approvals:policy", step.policy_id)


@login_required
@require_POST
def step_move(request, pk: int):
    step = _step(request, pk)
    try:
        policies.policy_step_move(
            actor=request.user, step=step, up=request.POST.get("direction") == "up"
        )
    except DomainError as error:
        return _policy_refusal(request, step.policy, error)
    return redirect("approvals:policy", step.policy_id)


@login_required
@require_POST
def member_add(request, pk: int):
    step = _step(request, pk)
    form = MemberForm(request.POST, prefix=f"step{step.pk}")
    if not form.is_valid():
        return _policy_page(request, step.policy, member_forms={step.pk: form}, status=400)
    try:
        policies.policy_member_add(actor=request.user, step=step, **form.cleaned_data)
    except DomainError as error:
        show_refusal(form, error)
        return _policy_page(
            request, step.policy, member_forms={step.pk: form}, status=_status(error)
        )
    messages.success(request, _("Member added."))
    return redirect("approvals:policy", step.policy_id)


@login_required
@require_POST
def member_remove(request, pk: int):
    _require(request, MANAGE)
    member = StepMember.objects.select_related("step__policy").filter(pk=pk).first()
    if member is None:
        raise Http404
    try:
        policies.policy_member_remove(actor=request.user, member=member)
    except DomainError as error:
        return _policy_refusal(request, member.step.policy, error)
    messages.success(request, _("Member removed."))
    return redirect("approvals:policy", member.step.policy_id)


def evidence_url(approval: Approval) -> str:
    return reverse("approvals:detail", args=[approval.pk])
