"""Time and what it costs (SPEC §7): each person's cost rate, the weekly timesheet
(时间日报表) that goes through sign-off, and its daily entries per job and task."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from jobbag.approvals.models import SignedDocument


class CostRate(models.Model):
    """What an hour of a person costs the agency from `valid_from` on (salary and
    overhead); the latest one on or before a day applies to that day's time."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="cost_rates"
    )
    hourly_cost = models.DecimalField(_("cost per hour"), max_digits=10, decimal_places=2)
    valid_from = models.DateField(_("valid from"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["user", "-valid_from"]
        verbose_name = _("cost rate")
        verbose_name_plural = _("cost rates")
        constraints = [
            models.UniqueConstraint(fields=["user", "valid_from"], name="cost_rate_once_a_day"),
            models.CheckConstraint(condition=Q(hourly_cost__gte=0), name="cost_rate_non_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.user} {self.hourly_cost} ({self.valid_from})"


class Timesheet(SignedDocument):
    """One person's week (Monday to Sunday). Submitted to their manager through the
    sign-off engine; approved, it is locked and its time counts in costing."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="timesheets"
    )
    week_start = models.DateField(_("week of"))
    locked_at = models.DateTimeField(_("locked"), null=True, blank=True)
    total_hours = models.DecimalField(_("hours"), max_digits=6, decimal_places=2, default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-week_start", "user"]
        verbose_name = _("timesheet")
        verbose_name_plural = _("timesheets")
        constraints = [
            models.UniqueConstraint(fields=["user", "week_start"], name="timesheet_once_a_week")
        ]
        indexes = [models.Index(fields=["signoff_status", "week_start"])]

    def __str__(self) -> str:
        return f"{self.user} {self.week_start}"


class TimeEntry(models.Model):
    """Hours on one job and task on one day. `hourly_cost` is the person's cost rate
    on that day, kept with the entry so costing never re-derives history."""

    timesheet = models.ForeignKey(Timesheet, on_delete=models.CASCADE, related_name="entries")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    job = models.ForeignKey("jobs.Job", on_delete=models.PROTECT, related_name="time_entries")
    # The service worked on (a rate card line priced per hour), if any.
    rate_item = models.ForeignKey(
        "finance.RateItem",
        verbose_name=_("service"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    task = models.CharField(_("task"), max_length=100, blank=True)
    day = models.DateField(_("day"))
    hours = models.DecimalField(_("hours"), max_digits=4, decimal_places=2)
    billable = models.BooleanField(_("billable"), default=True)
    note = models.CharField(_("note"), max_length=200, blank=True)
    hourly_cost = models.DecimalField(
        _("cost per hour"), max_digits=10, decimal_places=2, default=0
    )
    # The invoice that billed this time (time and materials), once billed.
    invoice = models.ForeignKey(
        "finance.Invoice", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["day", "pk"]
        verbose_name = _("time entry")
        verbose_name_plural = _("time entries")
        indexes = [
            models.Index(fields=["user", "day"]),
            models.Index(fields=["job", "day"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(hours__gt=0) & Q(hours__lte=24), name="time_entry_hours_in_day"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} {self.day} {self.hours}h"
