"""The daily reminder: signers of a step that has waited too long are reminded, once a
day (ApprovalStep.reminded_on), in the app and by e-mail."""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jobbag.approvals.models import ApprovalStep, SignoffSettings
from jobbag.approvals.selectors import _working_days_since
from jobbag.approvals.services import evidence_link, step_signers
from jobbag.core.notifications import notify
from jobbag.core.sweeps import daily


def steps_to_remind(today=None) -> list[ApprovalStep]:
    """Active steps that have waited more than the settings' working days and whose
    signers were not reminded today."""
    today = today or timezone.localdate()
    limit = SignoffSettings.current().remind_after_days
    steps = list(
        ApprovalStep.objects.filter(status=ApprovalStep.Status.ACTIVE, approval__status="pending")
        .exclude(reminded_on=today)
        .select_related("approval")
        .order_by("activated_at", "pk")
    )
    started = {
        step.pk: timezone.localtime(step.activated_at or step.approval.submitted_at).date()
        for step in steps
    }
    waited = _working_days_since(sorted(set(started.values())), today)
    return [step for step in steps if waited[started[step.pk]] > limit]


@daily("approvals.remind_waiting")
def remind_waiting(today=None) -> int:
    """Reminds the signers of each step waiting too long; returns how many steps."""
    today = today or timezone.localdate()
    reminded = 0
    for step in steps_to_remind(today):
        # Claim the day first: of two sweeps running at once only one reminds.
        claimed = (
            ApprovalStep.objects.filter(pk=step.pk)
            .exclude(reminded_on=today)
            .update(reminded_on=today)
        )
        if not claimed:
            continue
        approval = step.approval
        notify(
            recipients=step_signers(step),
            message=lambda approval=approval: (
                _("Still waiting for your sign-off: %(title)s") % {"title": approval.title}
            ),
            link=evidence_link(approval),
            email=True,
        )
        reminded += 1
    return reminded
