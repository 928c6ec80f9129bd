"""Monthly forecasts (SPEC §6): ad spend and revenue the account manager expects per
client per month; management sees months, the GM and Finance quarters."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from jobbag.core.models import VersionedModel


class Forecast(VersionedModel):
    company = models.ForeignKey(
        "clients.Company",
        verbose_name=_("client"),
        on_delete=models.PROTECT,
        related_name="forecasts",
    )
    # The first day of the month forecast.
    month = models.DateField(_("month"))
    ad_spend = models.DecimalField(_("ad spend"), max_digits=14, decimal_places=2, default=0)
    revenue = models.DecimalField(_("agency revenue"), max_digits=14, decimal_places=2, default=0)
    currency = models.CharField(_("currency"), max_length=3, default="CNY")
    note = models.CharField(_("note"), max_length=300, blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("entered by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    updated_at = models.DateTimeField(_("entered"), auto_now=True)

    class Meta:
        ordering = ["month", "company"]
        verbose_name = _("forecast")
        verbose_name_plural = _("forecasts")
        constraints = [
            models.UniqueConstraint(fields=["company", "month"], name="forecast_once_a_month"),
            models.CheckConstraint(
                condition=Q(ad_spend__gte=0) & Q(revenue__gte=0), name="forecast_not_negative"
            ),
            models.CheckConstraint(condition=Q(month__day=1), name="forecast_month_first_day"),
        ]
        indexes = [models.Index(fields=["month"])]

    def __str__(self) -> str:
        return f"{self.company} · {self.month:%Y-%m}"
