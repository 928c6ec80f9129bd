"""Quotes (报价): versions revised from the client's feedback, each with its lines, signed
internally by amount and then by the client through the sign-off engine."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from jobbag.approvals.models import SignedDocument


class QuoteVersion(SignedDocument):
    """One version of a job's quote. Its `number` is the version the client sees (V1, V2,
    …); a returned version stays as it was and the next is a copy to revise."""

    job = models.ForeignKey("jobs.Job", on_delete=models.PROTECT, related_name="quotes")
    number = models.PositiveSmallIntegerField(_("version"))
    currency = models.CharField(_("currency"), max_length=3, default="CNY")
    tax_profile = models.ForeignKey(
        "finance.TaxProfile",
        verbose_name=_("tax profile"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    net_total = models.DecimalField(_("net"), max_digits=14, decimal_places=2, default=0)
    tax_total = models.DecimalField(_("tax"), max_digits=14, decimal_places=2, default=0)
    total = models.DecimalField(_("total"), max_digits=14, decimal_places=2, default=0)
    # [{"name", "rate", "charged", "amount"}] as computed with the lines.
    tax_lines = models.JSONField(default=list, blank=True)
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    # What the client asked to change in the version before (their feedback).
    client_feedback = models.TextField(_("client's feedback"), blank=True)
    signed_back_at = models.DateTimeField(_("signed back"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["job", "number"]
        verbose_name = _("quote")
        verbose_name_plural = _("quotes")
        constraints = [
            models.UniqueConstraint(fields=["job", "number"], name="quote_version_once"),
            models.CheckConstraint(condition=Q(total__gte=0), name="quote_total_non_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.job} · V{self.number}"


class QuoteLine(models.Model):
    class Kind(models.TextChoices):
        TIME = "time", _("Hours × rate")
        PIECE = "piece", _("Pieces × price")
        EXTERNAL = "external", _("External cost + markup")

    quote = models.ForeignKey(QuoteVersion, on_delete=models.CASCADE, related_name="lines")
    order = models.PositiveSmallIntegerField(default=0)
    kind = models.CharField(_("kind"), max_length=8, choices=Kind.choices)
    rate_item = models.ForeignKey(
        "finance.RateItem",
        verbose_name=_("rate card item"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    description = models.CharField(_("description"), max_length=200)
    quantity = models.DecimalField(_("quantity"), max_digits=10, decimal_places=2)
    # The rate or piece price; for an external cost, the supplier's cost per unit.
    unit_price = models.DecimalField(_("unit price"), max_digits=12, decimal_places=2)
    markup_percent = models.DecimalField(_("markup (%)"), max_digits=6, decimal_places=2, default=0)
    amount = models.DecimalField(_("amount"), max_digits=14, decimal_places=2)

    class Meta:
        ordering = ["quote", "order", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(quantity__gt=0), name="quote_line_quantity_positive"
            ),
            models.CheckConstraint(
                condition=Q(unit_price__gte=0), name="quote_line_price_non_negative"
            ),
            models.CheckConstraint(
                condition=Q(markup_percent__gte=0), name="quote_line_markup_non_negative"
            ),
        ]
