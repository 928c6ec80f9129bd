"""Money reference data the job chain quotes from (SPEC §7): the rate card and tax
profiles. Time, costs, invoices and payments build on these."""

from django.db import models
from django.db.models import Q
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from jobbag.core.models import VersionedModel


class RateItem(VersionedModel):
    """A line of the rate card: an hourly fee per service (print creative, artwork, POP
    creative, …) or a per-piece price (film, colour proof). A row with a company is that
    client's own price for the same code and wins over the general one."""

    class Unit(models.TextChoices):
        HOUR = "hour", _("per hour")
        PIECE = "piece", _("per piece")

    code = models.SlugField(_("code"), max_length=32)
    name_zh = models.CharField(_("name (Chinese)"), max_length=100)
    name_en = models.CharField(_("name (English)"), max_length=100, blank=True)
    unit = models.CharField(_("unit"), max_length=8, choices=Unit.choices)
    price = models.DecimalField(_("price"), max_digits=12, decimal_places=2)
    currency = models.CharField(_("currency"), max_length=3, default="CNY")
    company = models.ForeignKey(
        "clients.Company",
        verbose_name=_("client's own price"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="rate_items",
    )
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["code", "company"]
        verbose_name = _("rate card item")
        verbose_name_plural = _("rate card")
        constraints = [
            models.CheckConstraint(condition=Q(price__gte=0), name="rate_item_price_non_negative"),
            models.UniqueConstraint(
                fields=["code", "currency"],
                condition=Q(company__isnull=True),
                name="rate_item_general_once",
            ),
            models.UniqueConstraint(
                fields=["code", "currency", "company"], name="rate_item_client_once"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        if (get_language() or "").startswith("en") and self.name_en:
            return self.name_en
        return self.name_zh


class TaxProfile(VersionedModel):
    """A set of taxes applied to a quote or invoice, e.g. a general taxpayer's VAT 6%."""

    code = models.SlugField(_("code"), max_length=32, unique=True)
    name = models.CharField(_("name"), max_length=100)
    is_default = models.BooleanField(_("default"), default=False)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("tax profile")
        verbose_name_plural = _("tax profiles")

    def __str__(self) -> str:
        return self.name


class TaxComponent(models.Model):
    """One tax of a profile, as a percentage of the net amount. `charged` taxes are added
    to the client's price (VAT); the others are the agency's own cost on its revenue (the
    culture-construction fee), shown for costing but not added to the price."""

    profile = models.ForeignKey(TaxProfile, on_delete=models.CASCADE, related_name="components")
    name = models.CharField(_("name"), max_length=100)
    rate = models.DecimalField(_("rate (%)"), max_digits=5, decimal_places=2)
    charged = models.BooleanField(_("added to the price"), default=True)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["profile", "order", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(rate__gte=0) & Q(rate__lte=100), name="tax_rate_in_range"
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} {self.rate}%"
