"""Account health (SPEC §8): the thresholds a client is flagged by (admins set them) and
a daily record of each client's flags, so that a newly raised flag is told once and the
client's page shows how its health went."""

from decimal import Decimal

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from jobbag.core.models import SettingsRow

__all__ = ["HealthSettings", "HealthSignal", "HealthSnapshot"]


class HealthSignal(models.TextChoices):
    """What flags a client."""

    SPEND = "spend", _("Falling spend")
    SATISFACTION = "satisfaction", _("Falling satisfaction")
    COMPLAINTS = "complaints", _("Late complaints")
    CONTACT = "contact", _("No contact")


class HealthSettings(SettingsRow):
    """The thresholds: spend of the last `spend_months` months against the months before,
    CSAT of the last three months against the three before, days without contact."""

    spend_months = models.PositiveSmallIntegerField(_("compare spend over (months)"), default=3)
    spend_drop_percent = models.DecimalField(
        _("spend drop that flags (%)"), max_digits=5, decimal_places=2, default=Decimal("20")
    )
    csat_drop = models.DecimalField(
        _("CSAT drop that flags (points)"), max_digits=5, decimal_places=2, default=Decimal("10")
    )
    quiet_days = models.PositiveSmallIntegerField(_("no contact for (days)"), default=45)

    class Meta:
        verbose_name = _("account health settings")
        constraints = [
            models.CheckConstraint(
                condition=Q(spend_months__gte=1) & Q(spend_months__lte=12),
                name="health_spend_months_range",
            ),
            models.CheckConstraint(
                condition=Q(spend_drop_percent__gt=0) & Q(spend_drop_percent__lte=100),
                name="health_spend_drop_range",
            ),
            models.CheckConstraint(condition=Q(csat_drop__gt=0), name="health_csat_drop_positive"),
            models.CheckConstraint(
                condition=Q(quiet_days__gte=1), name="health_quiet_days_positive"
            ),
        ]


class HealthSnapshot(models.Model):
    """One client's flags on one day, written by the daily sweep (once per day)."""

    company = models.ForeignKey(
        "clients.Company",
        verbose_name=_("client"),
        on_delete=models.CASCADE,
        related_name="health_snapshots",
    )
    taken_on = models.DateField(_("date"))
    # The HealthSignal values raised that day, in their order.
    signals = models.JSONField(_("signals"), default=list, blank=True)

    class Meta:
        ordering = ["-taken_on", "-pk"]
        verbose_name = _("account health record")
        verbose_name_plural = _("account health records")
        constraints = [
            models.UniqueConstraint(fields=["company", "taken_on"], name="health_snapshot_once"),
        ]

    def __str__(self) -> str:
        return f"{self.company_id} · {self.taken_on}"
