"""Credit control (SPEC §7, §4): notices sent as an invoice grows overdue, and the
General Manager's overrides that let new work start for a client on credit hold."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class CreditNotice(models.Model):
    """One escalation of an overdue invoice, sent once per level."""

    class Level(models.TextChoices):
        OWNER = "owner", _("Project owner")
        MARKETING_MANAGER = "marketing_manager", _("Marketing Manager")
        GM = "gm", _("General Manager")

    invoice = models.ForeignKey(
        "finance.Invoice", on_delete=models.CASCADE, related_name="credit_notices"
    )
    level = models.CharField(_("level"), max_length=20, choices=Level.choices)
    days_overdue = models.PositiveIntegerField(_("days overdue"))
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-sent_at"]
        constraints = [
            models.UniqueConstraint(fields=["invoice", "level"], name="credit_notice_once_a_level")
        ]

    def __str__(self) -> str:
        return f"{self.invoice} {self.level}"


class CreditOverride(models.Model):
    """The GM lets one new order or work order start for a client on credit hold. It is
    used once (by the first new order or work order until `valid_until`)."""

    company = models.ForeignKey(
        "clients.Company", on_delete=models.PROTECT, related_name="credit_overrides"
    )
    reason = models.TextField(_("reason"))
    valid_until = models.DateField(_("valid until"))
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    granted_at = models.DateTimeField(auto_now_add=True)
    used_at = models.DateTimeField(_("used"), null=True, blank=True)
    used_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # What it let through, e.g. "job J2026-0012" or "work order 17".
    used_for = models.CharField(_("used for"), max_length=200, blank=True)

    class Meta:
        ordering = ["-granted_at"]
        verbose_name = _("credit hold override")
        verbose_name_plural = _("credit hold overrides")

    def __str__(self) -> str:
        return f"{self.company} {self.granted_at:%Y-%m-%d}"
