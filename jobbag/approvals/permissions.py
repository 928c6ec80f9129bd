"""Who may see and act on sign-offs. Read as a table:

| action                              | who                                                  |
| ----------------------------------- | ---------------------------------------------------- |
| approvals.inbox                     | staff                                                |
| approvals.view (approval)           | its submitter; anyone asked to sign any of its steps |
|                                     | (and their deputies today); whoever may see the      |
|                                     | document itself; administrators                      |
| approvals.policy.manage             | administrators                                       |
| approvals.signed_copy (approval)    | staff who may submit the document (its owners)       |
| approvals.portal (approval)         | client users of the document's company               |

Deciding a step is the engine's own check (services.standing): the step's signers, or
their deputies today, with authority limits where the step checks them.
"""

from django.utils import timezone

from jobbag.accounts.models import User
from jobbag.accounts.services import principals_on
from jobbag.approvals import registry
from jobbag.approvals.models import Approval
from jobbag.core.permissions import rule, scope


def _staff(user) -> bool:
    return user.kind == User.Kind.STAFF


def _document(approval: Approval):
    kind = registry.kind_named(approval.document_type)
    return kind, kind.model._default_manager.filter(pk=approval.object_id).first()


def was_asked(user, approval: Approval) -> bool:
    """Whether `user` (or someone they deputise for today) is a signer on any step."""
    people = {
        user.pk,
        *principals_on(timezone.localdate(), deputy=user).values_list("pk", flat=True),
    }
    return approval.steps.filter(seats__candidates__in=people).exists()


@rule("approvals.inbox")
def can_use_inbox(user, obj=None) -> bool:
    return _staff(user)


@rule("approvals.view")
def can_view_approval(user, obj=None) -> bool:
    if obj is None:
        return _staff(user)
    if not _staff(user):
        return False
    if user.is_admin or obj.submitted_by_id == user.pk or was_asked(user, obj):
        return True
    kind, document = _document(obj)
    return document is not None and kind.may_view(user, document)


@rule("approvals.policy.manage")
def can_manage_policies(user, obj=None) -> bool:
    return _staff(user) and user.is_admin


def may_record_signed_copy(user, approval: Approval) -> bool:
    if not _staff(user) or not user.is_active:
        return False
    kind, document = _document(approval)
    return document is not None and kind.may_submit(user, document)


@rule("approvals.signed_copy")
def can_record_signed_copy(user, obj=None) -> bool:
    return _staff(user) if obj is None else may_record_signed_copy(user, obj)


@rule("approvals.portal")
def can_sign_in_portal(user, obj=None) -> bool:
    if user.kind != User.Kind.CLIENT or not user.company_id:
        return False
    return obj is None or obj.company_id == user.company_id


@scope(Approval)
def visible_approvals(user, queryset):
    """Client users see their own company's approvals (in the portal); staff the ones
    they submitted or were asked to sign. Pages for one document check can_view."""
    if user.kind == User.Kind.CLIENT:
        return queryset.filter(company_id=user.company_id) if user.company_id else queryset.none()
    if user.is_admin:
        return queryset
    people = {
        user.pk,
        *principals_on(timezone.localdate(), deputy=user).values_list("pk", flat=True),
    }
    return queryset.filter(
        pk__in=Approval.objects.filter(steps__seats__candidates__in=people).values("pk")
    ) | queryset.filter(submitted_by=user)
