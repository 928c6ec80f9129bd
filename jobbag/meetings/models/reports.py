"""Contact reports (客户会议报告, SPEC §6): written after a meeting or call, naming every
decision and next action with owner and date; due 24 hours after; once sent never edited
(corrections are addenda); the client acknowledges in the portal."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from jobbag.core.models import VersionedModel


class ContactReport(VersionedModel):
    class Source(models.TextChoices):
        MEETING = "meeting", _("Meeting")
        PHONE = "phone", _("Phone call")
        OTHER = "other", _("Other contact")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SENT = "sent", _("Sent")

    company = models.ForeignKey(
        "clients.Company",
        verbose_name=_("client"),
        on_delete=models.PROTECT,
        related_name="contact_reports",
    )
    job = models.ForeignKey(
        "jobs.Job",
        verbose_name=_("job"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="contact_reports",
    )
    meeting = models.ForeignKey(
        "meetings.Meeting",
        verbose_name=_("meeting"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="reports",
    )
    source = models.CharField(_("from"), max_length=8, choices=Source.choices)
    occurred_at = models.DateTimeField(_("held"))
    subject = models.CharField(_("subject"), max_length=200)
    place = models.CharField(_("place"), max_length=100, blank=True)
    staff = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("our people"),
        blank=True,
        related_name="contact_reports",
    )
    contacts = models.ManyToManyField(
        "clients.Contact",
        verbose_name=_("their people"),
        blank=True,
        related_name="contact_reports",
    )
    discussion = models.TextField(_("discussion"), blank=True)
    # The staff the sent report (and so each addendum) went to: the people listed and
    # the client's service team when it was sent.
    staff_recipients = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("sent to (staff)"),
        blank=True,
        related_name="+",
    )
    due_at = models.DateTimeField(_("due"))
    status = models.CharField(_("status"), max_length=8, choices=Status.choices, default="draft")
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("sent by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    # SHA-256 of the report as sent (its rendered text), so the copy can be verified.
    content_hash = models.CharField(max_length=64, blank=True, editable=False)
    reminded_at = models.DateTimeField(null=True, blank=True, editable=False)
    escalated_at = models.DateTimeField(null=True, blank=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("written by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-occurred_at", "-pk"]
        verbose_name = _("contact report")
        verbose_name_plural = _("contact reports")
        indexes = [
            models.Index(fields=["company", "-occurred_at"]),
            models.Index(fields=["status", "due_at"]),
        ]
        constraints = [
            # One report per meeting; a correction to it is an addendum.
            models.UniqueConstraint(
                fields=["meeting"],
                condition=Q(meeting__isnull=False),
                name="one_report_per_meeting",
            ),
            models.CheckConstraint(
                condition=Q(status="draft") | Q(sent_at__isnull=False),
                name="sent_report_has_sent_at",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.subject} · {self.occurred_at:%Y-%m-%d}"

    @property
    def is_sent(self) -> bool:
        return self.status == self.Status.SENT


class ReportDecision(models.Model):
    report = models.ForeignKey(ContactReport, on_delete=models.CASCADE, related_name="decisions")
    position = models.PositiveSmallIntegerField(_("order"), default=0)
    text = models.TextField(_("decision"))

    class Meta:
        ordering = ["report", "position", "pk"]


class Addendum(models.Model):
    """A correction to a sent report: numbered, sent to the same people, never edited."""

    report = models.ForeignKey(ContactReport, on_delete=models.PROTECT, related_name="addenda")
    number = models.PositiveSmallIntegerField(_("number"))
    text = models.TextField(_("correction"))
    content_hash = models.CharField(max_length=64, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("written by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("sent"), auto_now_add=True)

    class Meta:
        ordering = ["report", "number"]
        verbose_name = _("addendum")
        verbose_name_plural = _("addenda")
        constraints = [
            models.UniqueConstraint(fields=["report", "number"], name="addendum_number_once")
        ]


class ReportReceipt(models.Model):
    """A client person the sent report went to, and their acknowledgement in the portal."""

    report = models.ForeignKey(ContactReport, on_delete=models.PROTECT, related_name="receipts")
    contact = models.ForeignKey(
        "clients.Contact",
        verbose_name=_("client contact"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    emailed_to = models.EmailField(_("e-mailed to"), blank=True)
    acknowledged_at = models.DateTimeField(_("acknowledged"), null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("acknowledged by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        ordering = ["report", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["report", "contact"], name="report_receipt_once")
        ]
