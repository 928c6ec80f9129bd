"""Field work of account people (SPEC §3): outings (外出登记), the daily work report,
weekly and monthly summaries their manager reviews, and monthly visit targets."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jobbag.core.models import SettingsRow, VersionedModel


class FieldworkSettings(SettingsRow):
    """Field-work settings that admins set (one row)."""

    # The seeds ask ten effective client visits a day of business development.
    visits_per_day = models.PositiveSmallIntegerField(
        _("effective client visits expected per working day"), default=10
    )

    class Meta:
        verbose_name = _("field work settings")


class Outing(VersionedModel):
    """One registered trip out of the office: where, whom, why, back by when."""

    staff = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("staff member"),
        on_delete=models.PROTECT,
        related_name="outings",
    )
    destination = models.CharField(_("where"), max_length=200)
    whom = models.CharField(_("whom"), max_length=200, blank=True)
    company = models.ForeignKey(
        "clients.Company",
        verbose_name=_("client"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    contacts = models.ManyToManyField(
        "clients.Contact", verbose_name=_("client people"), blank=True, related_name="+"
    )
    purpose = models.TextField(_("purpose"))
    leaves_at = models.DateTimeField(_("leaves at"), db_index=True)
    back_by = models.DateTimeField(_("back by"))
    returned_at = models.DateTimeField(_("returned at"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-leaves_at", "-id"]
        verbose_name = _("outing")
        verbose_name_plural = _("outings")
        indexes = [models.Index(fields=["staff", "-leaves_at"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(back_by__gt=models.F("leaves_at")), name="outing_back_after_leaving"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.staff} · {self.destination} · {timezone.localtime(self.leaves_at):%Y-%m-%d}"

    @property
    def is_overdue(self) -> bool:
        """Not back yet although the time to be back has passed."""
        return self.returned_at is None and self.back_by < timezone.now()


class ReportStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    REVIEWED = "reviewed", _("Reviewed")
    RETURNED = "returned", _("Returned for changes")


# The moves a daily report or summary may make, and who makes them: the author submits
# (again, after a return); a manager reviews or returns.
TRANSITIONS = {
    ReportStatus.DRAFT: {ReportStatus.SUBMITTED},
    ReportStatus.RETURNED: {ReportStatus.SUBMITTED},
    ReportStatus.SUBMITTED: {ReportStatus.REVIEWED, ReportStatus.RETURNED},
    ReportStatus.REVIEWED: set(),
}
EDITABLE = {ReportStatus.DRAFT, ReportStatus.RETURNED}


class ReviewedReport(VersionedModel):
    """What a daily report and a summary share: the author's text and the review."""

    status = models.CharField(
        _("status"), max_length=10, choices=ReportStatus.choices, default=ReportStatus.DRAFT
    )
    summary = models.TextField(_("summary"), blank=True)
    problems = models.TextField(_("problems"), blank=True)
    plan = models.TextField(_("plan"), blank=True)
    # What the report was built from (contact log entries and outings), copied when it is
    # submitted so that a later edit of the log does not change a report already handed in.
    activities = models.JSONField(_("activities"), default=list, blank=True)
    visits = models.PositiveIntegerField(_("visits"), default=0)
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reviewed by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    reviewed_at = models.DateTimeField(_("reviewed"), null=True, blank=True)
    review_comment = models.TextField(_("manager's comment"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        abstract = True

    @property
    def is_editable(self) -> bool:
        return self.status in EDITABLE


class DailyReport(ReviewedReport):
    """One person's work report for one working day."""

    staff = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("staff member"),
        on_delete=models.PROTECT,
        related_name="daily_reports",
    )
    day = models.DateField(_("day"))

    class Meta:
        ordering = ["-day", "staff_id"]
        verbose_name = _("daily work report")
        verbose_name_plural = _("daily work reports")
        constraints = [
            models.UniqueConstraint(fields=["staff", "day"], name="daily_report_once_a_day")
        ]
        indexes = [models.Index(fields=["status", "day"])]

    def __str__(self) -> str:
        return f"{self.staff} · {self.day:%Y-%m-%d}"


class PeriodSummary(ReviewedReport):
    """A weekly record or monthly summary; the monthly one is due by the 2nd."""

    class Kind(models.TextChoices):
        WEEK = "week", _("Weekly record")
        MONTH = "month", _("Monthly summary")

    staff = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("staff member"),
        on_delete=models.PROTECT,
        related_name="period_summaries",
    )
    kind = models.CharField(_("kind"), max_length=5, choices=Kind.choices)
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("until"))
    due_on = models.DateField(_("due"))

    class Meta:
        ordering = ["-starts_on", "kind", "staff_id"]
        verbose_name = _("period summary")
        verbose_name_plural = _("period summaries")
        constraints = [
            models.UniqueConstraint(
                fields=["staff", "kind", "starts_on"], name="period_summary_once"
            ),
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")), name="period_summary_dates"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.staff} · {self.starts_on:%Y-%m-%d}"

    @property
    def is_late(self) -> bool:
        """Handed in after its due day, or still not handed in once that day has passed."""
        if self.submitted_at is not None:
            return timezone.localdate(self.submitted_at) > self.due_on
        return timezone.localdate() > self.due_on


class VisitTarget(VersionedModel):
    """How many effective client visits a person is asked to make in a month; without
    one, the target is the settings' visits per working day times the month's working days."""

    staff = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("staff member"),
        on_delete=models.CASCADE,
        related_name="visit_targets",
    )
    month = models.DateField(_("month"), help_text=_("The first day of the month."))
    visits = models.PositiveIntegerField(_("effective client visits"))
    set_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["-month", "staff_id"]
        verbose_name = _("visit target")
        verbose_name_plural = _("visit targets")
        constraints = [
            models.UniqueConstraint(fields=["staff", "month"], name="visit_target_once_a_month"),
        ]

    def __str__(self) -> str:
        return f"{self.staff} · {self.month:%Y-%m} · {self.visits}"
