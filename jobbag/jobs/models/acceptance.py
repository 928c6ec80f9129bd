"""Acceptance (验收): before delivery or installation each produced item is checked, and
the acceptance record is signed."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from jobbag.approvals.models import SignedDocument


class Acceptance(SignedDocument):
    job = models.ForeignKey("jobs.Job", on_delete=models.PROTECT, related_name="acceptances")
    number = models.PositiveSmallIntegerField(_("number"))
    place = models.CharField(_("delivery or installation place"), max_length=200)
    planned_on = models.DateField(_("delivery or installation on"))
    notes = models.TextField(_("notes"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["job", "number"]
        verbose_name = _("acceptance")
        verbose_name_plural = _("acceptances")
        constraints = [
            models.UniqueConstraint(fields=["job", "number"], name="acceptance_number_once")
        ]

    def __str__(self) -> str:
        return f"{self.job} · AC-{self.number}"


class AcceptanceItem(models.Model):
    class Result(models.TextChoices):
        PENDING = "pending", _("Not checked")
        PASSED = "passed", _("Passed")
        FAILED = "failed", _("Failed")

    acceptance = models.ForeignKey(Acceptance, on_delete=models.CASCADE, related_name="items")
    description = models.CharField(_("item"), max_length=200)
    quantity = models.CharField(_("quantity"), max_length=50, blank=True)
    result = models.CharField(_("result"), max_length=8, choices=Result.choices, default="pending")
    remark = models.CharField(_("remark"), max_length=300, blank=True)
    checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    checked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["acceptance", "pk"]
