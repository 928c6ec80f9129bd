"""Weekly status reports (SPEC §6): every Monday, per client, a draft of all open work to
last Friday that the account executive reviews and sends; frozen once sent."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from jobbag.core.models import VersionedModel


class StatusReport(VersionedModel):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SENT = "sent", _("Sent")

    company = models.ForeignKey(
        "clients.Company",
        verbose_name=_("client"),
        on_delete=models.PROTECT,
        related_name="status_reports",
    )
    # The Friday the report runs to.
    week_ending = models.DateField(_("week ending"))
    status = models.CharField(_("status"), max_length=8, choices=Status.choices, default="draft")
    # What the report lists (jobs and stages, sign-offs waiting on each side, open
    # actions, coming deadlines), gathered when drafted; frozen once sent.
    content = models.JSONField(default=dict)
    note = models.TextField(_("account executive's note"), blank=True)
    built_at = models.DateTimeField(_("gathered"))
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("sent by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    content_hash = models.CharField(max_length=64, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-week_ending", "company"]
        verbose_name = _("weekly status report")
        verbose_name_plural = _("weekly status reports")
        constraints = [
            models.UniqueConstraint(fields=["company", "week_ending"], name="status_report_once"),
            models.CheckConstraint(
                condition=Q(status="draft") | Q(sent_at__isnull=False),
                name="sent_status_report_has_sent_at",
            ),
        ]
        indexes = [models.Index(fields=["status", "-week_ending"])]

    def __str__(self) -> str:
        return f"{self.company} · {self.week_ending:%Y-%m-%d}"

    @property
    def is_sent(self) -> bool:
        return self.status == self.Status.SENT
