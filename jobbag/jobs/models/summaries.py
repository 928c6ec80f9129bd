"""Summary (小结): for large or important jobs, the written summary to the Marketing
Manager within a week of the end."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from jobbag.approvals.models import SignedDocument


class JobSummary(SignedDocument):
    job = models.OneToOneField("jobs.Job", on_delete=models.PROTECT, related_name="summary")
    due_on = models.DateField(_("due"))
    introduction = models.TextField(_("introduction"), blank=True)
    schedule = models.TextField(_("schedule"), blank=True)
    execution = models.TextField(_("execution"), blank=True)
    problems = models.TextField(_("problems"), blank=True)
    improvements = models.TextField(_("improvements"), blank=True)
    client_satisfaction = models.TextField(_("client's overall satisfaction"), blank=True)
    # 1 (very dissatisfied) to 5 (very satisfied); a survey's answer may fill it later.
    satisfaction_score = models.PositiveSmallIntegerField(
        _("satisfaction (1–5)"), null=True, blank=True
    )
    reminded_on = models.DateField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("job summary")
        verbose_name_plural = _("job summaries")
        constraints = [
            models.CheckConstraint(
                condition=Q(satisfaction_score__isnull=True)
                | Q(satisfaction_score__gte=1, satisfaction_score__lte=5),
                name="summary_score_in_range",
            )
        ]

    def __str__(self) -> str:
        return f"{self.job} · {_('summary')}"
