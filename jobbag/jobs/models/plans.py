"""Department plans and follow-up (跟单): each department's tasks for a job, and the
problems Account raises to a department until they are fixed."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from jobbag.core.models import VersionedModel


class PlanTask(VersionedModel):
    class Status(models.TextChoices):
        TODO = "todo", _("To do")
        IN_PROGRESS = "in_progress", _("In progress")
        BLOCKED = "blocked", _("Blocked")
        DONE = "done", _("Done")

    job = models.ForeignKey("jobs.Job", on_delete=models.CASCADE, related_name="plan_tasks")
    department = models.ForeignKey(
        "accounts.Department", verbose_name=_("department"), on_delete=models.PROTECT
    )
    title = models.CharField(_("task"), max_length=200)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("owner"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="plan_tasks",
    )
    starts_on = models.DateField(_("starts"))
    working_days = models.PositiveSmallIntegerField(_("working days"))
    # Computed from the start and the working days through the calendar.
    due_on = models.DateField(_("due"))
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default="todo")
    done_at = models.DateTimeField(_("done"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["job", "starts_on", "pk"]
        indexes = [models.Index(fields=["status", "due_on"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(working_days__gte=1), name="plan_task_at_least_one_day"
            ),
            models.CheckConstraint(
                condition=Q(due_on__gte=models.F("starts_on")), name="plan_task_dates_ordered"
            ),
        ]

    def __str__(self) -> str:
        return self.title


class FollowUpIssue(VersionedModel):
    """A problem Account raises to a department (schedule, quality, staffing, equipment,
    purchasing, installation) and the department's answer."""

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        ANSWERED = "answered", _("Answered")
        CLOSED = "closed", _("Closed")

    class Topic(models.TextChoices):
        SCHEDULE = "schedule", _("Schedule")
        QUALITY = "quality", _("Quality")
        STAFFING = "staffing", _("Staffing")
        EQUIPMENT = "equipment", _("Equipment")
        PURCHASING = "purchasing", _("Purchasing")
        INSTALLATION = "installation", _("Installation")
        OTHER = "other", _("Other")

    job = models.ForeignKey("jobs.Job", on_delete=models.CASCADE, related_name="follow_up_issues")
    department = models.ForeignKey(
        "accounts.Department", verbose_name=_("department"), on_delete=models.PROTECT
    )
    topic = models.CharField(_("topic"), max_length=12, choices=Topic.choices)
    problem = models.TextField(_("problem"))
    answer_by = models.DateField(_("answer by"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default="open")
    answer = models.TextField(_("answer"), blank=True)
    raised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    raised_at = models.DateTimeField(auto_now_add=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    answered_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["job", "-raised_at"]
        indexes = [models.Index(fields=["department", "status"])]
