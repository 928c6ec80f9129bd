"""Intake (接单): the job itself, its kind of order, requirements and job number."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from jobbag.accounts.models import BilingualName
from jobbag.core.models import SettingsRow, VersionedModel


class JobSettings(SettingsRow):
    """The job chain's rules that admins set (one row)."""

    number_format = models.CharField(
        _("job number format"),
        max_length=60,
        default="{client}-{year}-{seq:04d}",
        help_text=_(
            "Placeholders: {client} client code, {year} four-digit year, {yy} two-digit "
            "year, {seq} the running number (e.g. {seq:04d}); numbering restarts for each "
            "client and year."
        ),
    )
    internal_review_above = models.DecimalField(
        _("internal review meeting for orders above"),
        max_digits=14,
        decimal_places=2,
        default=100000,
    )
    summary_above = models.DecimalField(
        _("written summary for jobs above"), max_digits=14, decimal_places=2, default=200000
    )
    summary_within_days = models.PositiveSmallIntegerField(
        _("summary due within (working days of completion)"), default=5
    )
    acknowledge_within_days = models.PositiveSmallIntegerField(
        _("departments acknowledge within (working days)"), default=1
    )
    at_risk_within_days = models.PositiveSmallIntegerField(
        _("work is at risk when due within (working days)"), default=2
    )

    class Meta:
        verbose_name = _("job settings")


class OrderKind(BilingualName):
    """活动通知 / 意向订单 / 正式订单, or whatever else an agency takes orders as."""

    code = models.SlugField(_("code"), max_length=32, unique=True)
    is_formal = models.BooleanField(
        _("formal order"),
        default=False,
        help_text=_("A formal order commits the client; the others may still fall through."),
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["order", "code"]
        verbose_name = _("kind of order")
        verbose_name_plural = _("kinds of order")


class Stage(models.TextChoices):
    """Where a job is in the chain; services move it as its documents are signed."""

    INTAKE = "intake", _("Intake")
    REVIEW = "review", _("Review")
    QUOTE = "quote", _("Quote")
    PRODUCTION = "production", _("In production")
    ACCEPTANCE = "acceptance", _("Acceptance")
    SUMMARY = "summary", _("Summary")
    CLOSED = "closed", _("Closed")
    CANCELLED = "cancelled", _("Cancelled")


OPEN_STAGES = [Stage.INTAKE, Stage.REVIEW, Stage.QUOTE, Stage.PRODUCTION, Stage.ACCEPTANCE]

# The requirements recorded at intake; a change notice changes them and keeps the diff.
REQUIREMENT_FIELDS = [
    "theme",
    "launch_date",
    "timing",
    "quality",
    "packaging",
    "logistics",
    "materials",
    "effect",
]


class Job(VersionedModel):
    number = models.CharField(_("job number"), max_length=40, null=True, blank=True, unique=True)
    title = models.CharField(_("title"), max_length=200)
    company = models.ForeignKey(
        "clients.Company", verbose_name=_("client"), on_delete=models.PROTECT, related_name="jobs"
    )
    brand = models.ForeignKey(
        "clients.Brand",
        verbose_name=_("brand"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="jobs",
    )
    client_contact = models.ForeignKey(
        "clients.Contact",
        verbose_name=_("client contact"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="jobs",
    )
    order_kind = models.ForeignKey(
        OrderKind, verbose_name=_("kind of order"), on_delete=models.PROTECT, related_name="jobs"
    )
    received_on = models.DateField(_("received on"))
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("project owner"),
        on_delete=models.PROTECT,
        related_name="owned_jobs",
    )
    # The owner's department when the job was taken: sign-off policies may depend on it.
    department = models.ForeignKey(
        "accounts.Department",
        verbose_name=_("department"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="jobs",
    )
    stage = models.CharField(_("stage"), max_length=12, choices=Stage.choices, default=Stage.INTAKE)
    is_important = models.BooleanField(_("important"), default=False)
    estimated_amount = models.DecimalField(
        _("estimated size"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    currency = models.CharField(_("currency"), max_length=3, default="CNY")
    # Requirements (SPEC §4).
    theme = models.CharField(_("activity theme"), max_length=200, blank=True)
    launch_date = models.DateField(_("launch date"), null=True, blank=True)
    timing = models.TextField(_("timing"), blank=True)
    quality = models.TextField(_("quality"), blank=True)
    packaging = models.TextField(_("packaging"), blank=True)
    logistics = models.TextField(_("logistics"), blank=True)
    materials = models.TextField(_("materials"), blank=True)
    effect = models.TextField(_("effect"), blank=True)
    # The brief reviewed by the project lead: that is when the job number is issued.
    brief_reviewed_at = models.DateTimeField(_("brief reviewed"), null=True, blank=True)
    # An optional prepayment holds the work like an unsigned quote does.
    prepayment_required = models.DecimalField(
        _("prepayment required"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    prepayment_received_on = models.DateField(_("prepayment received"), null=True, blank=True)
    completed_on = models.DateField(_("completed on"), null=True, blank=True)
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-received_on", "-pk"]
        verbose_name = _("job")
        verbose_name_plural = _("jobs")
        indexes = [
            models.Index(fields=["stage", "-received_on"]),
            models.Index(fields=["company", "-received_on"]),
            models.Index(fields=["owner", "stage"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(estimated_amount__isnull=True) | Q(estimated_amount__gte=0),
                name="job_estimate_non_negative",
            ),
            models.CheckConstraint(
                condition=Q(prepayment_required__isnull=True) | Q(prepayment_required__gt=0),
                name="job_prepayment_positive",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.title}" if self.number else self.title


class JobNumberCounter(models.Model):
    """The last running number per client and year. Issuing locks the row, so two jobs
    never get one number; a number once issued is never given again."""

    key = models.CharField(max_length=60, unique=True)
    last = models.PositiveIntegerField(default=0)
