"""Client service quality: complaints (投诉) with their promises and escalations, and
return visits (回访) with each client's visit plan.

A complaint moves new → assigned → answered (first answer given) → resolved →
revisited (return visit recorded) → closed (the client confirmed); it may be cancelled
before it is resolved, and a resolved or revisited one goes back to answered when the
client says it is not resolved. Every move is one service in service.services.
"""

from datetime import time, timedelta

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from jobbag.core.models import SettingsRow, VersionedModel


class ServiceSettings(SettingsRow):
    """Office hours for promises counted in working hours (admins edit them)."""

    opens_at = models.TimeField(_("office opens"), default=time(9, 0))
    closes_at = models.TimeField(_("office closes"), default=time(18, 0))
    visit_every_days = models.PositiveIntegerField(
        _("return visit every (days), by default"), default=30
    )

    class Meta:
        verbose_name = _("service settings")
        constraints = [
            models.CheckConstraint(
                condition=Q(closes_at__gt=models.F("opens_at")), name="service_office_hours_ordered"
            )
        ]

    @property
    def day_hours(self) -> float:
        opens = timedelta(hours=self.opens_at.hour, minutes=self.opens_at.minute)
        closes = timedelta(hours=self.closes_at.hour, minutes=self.closes_at.minute)
        return (closes - opens).total_seconds() / 3600


class Severity(models.TextChoices):
    LOW = "low", _("Low")
    NORMAL = "normal", _("Normal")
    HIGH = "high", _("High")
    CRITICAL = "critical", _("Critical")


# Severities that escalate to the AD as soon as they are logged.
URGENT_SEVERITIES = {Severity.HIGH, Severity.CRITICAL}


class SeverityTarget(VersionedModel):
    """What the agency promises for a complaint of one severity: a first answer within
    `answer_hours` working hours, resolution within `resolve_days` working days."""

    severity = models.CharField(_("severity"), max_length=10, choices=Severity.choices, unique=True)
    answer_hours = models.PositiveIntegerField(_("first answer within (working hours)"))
    resolve_days = models.PositiveIntegerField(_("resolved within (working days)"))

    class Meta:
        verbose_name = _("severity target")
        verbose_name_plural = _("severity targets")
        constraints = [
            models.CheckConstraint(
                condition=Q(answer_hours__gt=0) & Q(resolve_days__gt=0),
                name="service_target_positive",
            )
        ]

    def __str__(self) -> str:
        return str(self.get_severity_display())


class ComplaintCategory(VersionedModel):
    """A kind of complaint (creative quality, deadline, billing, …); admins manage them."""

    code = models.SlugField(_("code"), max_length=32, unique=True)
    name_zh = models.CharField(_("name (Chinese)"), max_length=100)
    name_en = models.CharField(_("name (English)"), max_length=100, blank=True)
    order = models.PositiveIntegerField(_("order"), default=0)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["order", "code"]
        verbose_name = _("complaint category")
        verbose_name_plural = _("complaint categories")

    def __str__(self) -> str:
        if (get_language() or "").startswith("en") and self.name_en:
            return self.name_en
        return self.name_zh


class Complaint(VersionedModel):
    class Channel(models.TextChoices):
        PHONE = "phone", _("Phone")
        EMAIL = "email", _("E-mail")
        VISIT = "visit", _("Visit")
        PORTAL = "portal", _("Portal")
        STAFF = "staff", _("Noticed by staff")
        OTHER = "other", _("Other")

    class Status(models.TextChoices):
        NEW = "new", _("New")
        ASSIGNED = "assigned", _("Assigned")
        ANSWERED = "answered", _("Answered")
        RESOLVED = "resolved", _("Resolved")
        REVISITED = "revisited", _("Revisited")
        CLOSED = "closed", _("Closed")
        CANCELLED = "cancelled", _("Cancelled")

    company = models.ForeignKey(
        "clients.Company",
        verbose_name=_("client"),
        on_delete=models.PROTECT,
        related_name="complaints",
    )
    brand = models.ForeignKey(
        "clients.Brand",
        verbose_name=_("brand"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    job = models.ForeignKey(
        "jobs.Job",
        verbose_name=_("job"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="complaints",
    )
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    category = models.ForeignKey(
        ComplaintCategory, verbose_name=_("category"), on_delete=models.PROTECT, related_name="+"
    )
    severity = models.CharField(
        _("severity"), max_length=10, choices=Severity.choices, default=Severity.NORMAL
    )
    subject = models.CharField(_("subject"), max_length=200)
    description = models.TextField(_("description"))
    contact = models.ForeignKey(
        "clients.Contact",
        verbose_name=_("client contact concerned"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    raised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("logged by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    logged_at = models.DateTimeField(_("logged at"), db_index=True)
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("assigned to"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="complaints_assigned",
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.NEW
    )
    # The promises, computed in working hours when the complaint is logged (or reopened),
    # with the targets they were computed from.
    answer_hours = models.PositiveIntegerField(_("first answer within (working hours)"))
    resolve_hours = models.PositiveIntegerField(_("resolved within (working hours)"))
    answer_due_at = models.DateTimeField(_("first answer promised by"))
    resolve_due_at = models.DateTimeField(_("resolution promised by"))
    first_answer = models.TextField(_("first answer"), blank=True)
    first_answered_at = models.DateTimeField(_("first answered at"), null=True, blank=True)
    resolution = models.TextField(_("resolution"), blank=True)
    resolved_at = models.DateTimeField(_("resolved at"), null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # Working hours from logging to resolution, written when it is resolved.
    hours_to_resolve = models.DecimalField(
        _("working hours to resolve"), max_digits=8, decimal_places=2, null=True, blank=True
    )
    resolved_within_promise = models.BooleanField(null=True, blank=True)
    visit_due_on = models.DateField(_("return visit due"), null=True, blank=True)
    visit_assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("return visit by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    confirmed_at = models.DateTimeField(_("confirmed by the client at"), null=True, blank=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("confirmation recorded by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    confirmed_contact = models.ForeignKey(
        "clients.Contact",
        verbose_name=_("confirmed by (client contact)"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    confirmation_channel = models.CharField(
        _("confirmed through"), max_length=10, choices=Channel.choices, blank=True
    )
    confirmation_note = models.CharField(_("confirmation note"), max_length=500, blank=True)
    cancel_reason = models.CharField(_("reason"), max_length=500, blank=True)
    reopen_count = models.PositiveIntegerField(default=0)
    # The escalation marker: 0 none, 1 the client's AD told, 2 DCS / GM told.
    escalation_level = models.PositiveSmallIntegerField(_("escalation level"), default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-logged_at", "-pk"]
        verbose_name = _("complaint")
        verbose_name_plural = _("complaints")
        indexes = [
            models.Index(fields=["company", "-logged_at"]),
            models.Index(fields=["status", "-logged_at"]),
            models.Index(fields=["assigned_to", "status"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(escalation_level__lte=2), name="service_escalation_level_range"
            ),
            models.CheckConstraint(
                condition=Q(hours_to_resolve__isnull=True) | Q(hours_to_resolve__gte=0),
                name="service_hours_to_resolve_non_negative",
            ),
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.subject}"

    @property
    def number(self) -> str:
        return f"TS-{self.pk:06d}"

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    def answer_late(self, now) -> bool:
        return (self.first_answered_at or now) > self.answer_due_at and self.status != (
            self.Status.CANCELLED
        )

    def resolve_late(self, now) -> bool:
        return (self.resolved_at or now) > self.resolve_due_at and self.status != (
            self.Status.CANCELLED
        )


OPEN_STATUSES = {
    Complaint.Status.NEW,
    Complaint.Status.ASSIGNED,
    Complaint.Status.ANSWERED,
}
# Still waiting for the client's word (resolved, perhaps revisited).
SETTLING_STATUSES = {Complaint.Status.RESOLVED, Complaint.Status.REVISITED}


class ComplaintEscalation(models.Model):
    """One escalation of a complaint, once per level (the database holds it)."""

    complaint = models.ForeignKey(Complaint, on_delete=models.CASCADE, related_name="escalations")
    level = models.PositiveSmallIntegerField()
    reason = models.CharField(max_length=20)
    at = models.DateTimeField()
    notified = models.ManyToManyField(settings.AUTH_USER_MODEL, related_name="+")

    class Meta:
        ordering = ["level"]
        constraints = [
            models.UniqueConstraint(fields=["complaint", "level"], name="service_escalation_once"),
        ]

    class Reason(models.TextChoices):
        SEVERE = "severe", _("critical or high severity")
        ANSWER_LATE = "answer_late", _("first answer late")
        RESOLVE_LATE = "resolve_late", _("resolution late")

    def get_reason_label(self) -> str:
        return str(self.Reason(self.reason).label) if self.reason in self.Reason.values else ""


class ReturnVisitPlan(VersionedModel):
    """How often a client is visited (key clients every N days); the next visit is due
    N days after the last one (or after the plan starts)."""

    company = models.OneToOneField(
        "clients.Company",
        verbose_name=_("client"),
        on_delete=models.CASCADE,
        related_name="return_visit_plan",
    )
    every_days = models.PositiveIntegerField(_("visit every (days)"))
    starts_on = models.DateField(_("from"))
    last_visit_on = models.DateField(_("last visit"), null=True, blank=True)
    # The due date whose overdue notice went out (the sweep's marker).
    overdue_notified_for = models.DateField(null=True, blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("return visit plan")
        verbose_name_plural = _("return visit plans")
        constraints = [
            models.CheckConstraint(
                condition=Q(every_days__gte=1), name="service_plan_days_positive"
            )
        ]

    def __str__(self) -> str:
        return f"{self.company} · {self.every_days}"

    @property
    def next_due_on(self):
        return (self.last_visit_on or self.starts_on) + timedelta(days=self.every_days)


class ReturnVisit(models.Model):
    """A return visit made (回访): a routine one of the plan, or one after a complaint."""

    class Kind(models.TextChoices):
        ROUTINE = "routine", _("Routine")
        COMPLAINT = "complaint", _("After a complaint")

    class Channel(models.TextChoices):
        VISIT = "visit", _("Visit")
        PHONE = "phone", _("Phone")
        MEETING = "meeting", _("Online meeting")
        OTHER = "other", _("Other")

    company = models.ForeignKey(
        "clients.Company",
        verbose_name=_("client"),
        on_delete=models.PROTECT,
        related_name="return_visits",
    )
    complaint = models.ForeignKey(
        Complaint,
        verbose_name=_("complaint"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="visits",
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    visited_on = models.DateField(_("date"))
    visited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("by"), on_delete=models.PROTECT, related_name="+"
    )
    channel = models.CharField(
        _("how"), max_length=10, choices=Channel.choices, default=Channel.VISIT
    )
    contact = models.ForeignKey(
        "clients.Contact",
        verbose_name=_("client contact"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    notes = models.TextField(_("what the client said"))
    outcome = models.CharField(_("outcome"), max_length=500, blank=True)
    satisfied = models.BooleanField(_("satisfied"), null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-visited_on", "-pk"]
        verbose_name = _("return visit")
        verbose_name_plural = _("return visits")
        indexes = [models.Index(fields=["company", "-visited_on"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind="routine") | Q(complaint__isnull=False),
                name="service_complaint_visit_has_complaint",
            )
        ]

    def __str__(self) -> str:
        return f"{self.company} · {self.visited_on}"
