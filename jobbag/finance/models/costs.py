"""What a job costs besides time (SPEC §7): expenses with receipts and external
supplier costs, and the close-out card (结卡) frozen when a job closes."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from jobbag.core.models import VersionedModel


class Expense(VersionedModel):
    """One cost on a job: an expense someone paid (with its receipt) or a supplier's
    bill (external cost). A wrong entry is voided, never deleted."""

    class Category(models.TextChoices):
        TRAVEL = "travel", _("Travel")
        ENTERTAINMENT = "entertainment", _("Entertainment")
        PHOTOGRAPHY = "photography", _("Photography")
        DESIGN = "design", _("Design")
        PRINTING = "printing", _("Printing")
        TRANSPORT = "transport", _("Transport")
        VEHICLE = "vehicle", _("Vehicle")
        POSTAGE = "postage", _("Postage")
        TAX = "tax", _("Tax")
        SUPPLIER = "supplier", _("External supplier")
        OTHER = "other", _("Other")

    job = models.ForeignKey("jobs.Job", on_delete=models.PROTECT, related_name="expenses")
    category = models.CharField(_("category"), max_length=16, choices=Category.choices)
    incurred_on = models.DateField(_("date"))
    description = models.CharField(_("description"), max_length=200)
    supplier = models.CharField(_("supplier"), max_length=200, blank=True)
    amount = models.DecimalField(_("amount"), max_digits=12, decimal_places=2)
    currency = models.CharField(_("currency"), max_length=3, default="CNY")
    billable = models.BooleanField(_("billable to the client"), default=False)
    receipt = models.FileField(_("receipt"), upload_to="finance/receipts/%Y/%m/", blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    voided_at = models.DateTimeField(_("voided"), null=True, blank=True)
    void_reason = models.CharField(_("reason"), max_length=200, blank=True)

    class Meta:
        ordering = ["-incurred_on", "-pk"]
        verbose_name = _("expense")
        verbose_name_plural = _("expenses")
        indexes = [models.Index(fields=["job", "incurred_on"])]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="expense_amount_positive")
        ]

    def __str__(self) -> str:
        return f"{self.get_category_display()} {self.amount}"


class JobCloseOut(models.Model):
    """The close-out card (结卡): the job's budget against its actuals, frozen when the
    job closes (`figures` keeps the breakdown shown on the card)."""

    job = models.OneToOneField("jobs.Job", on_delete=models.PROTECT, related_name="close_out")
    quoted_net = models.DecimalField(_("quoted"), max_digits=14, decimal_places=2)
    hours = models.DecimalField(_("hours"), max_digits=10, decimal_places=2)
    time_cost = models.DecimalField(_("time at cost"), max_digits=14, decimal_places=2)
    expenses = models.DecimalField(_("expenses"), max_digits=14, decimal_places=2)
    external_costs = models.DecimalField(_("external costs"), max_digits=14, decimal_places=2)
    invoiced_net = models.DecimalField(_("invoiced"), max_digits=14, decimal_places=2)
    margin = models.DecimalField(_("margin"), max_digits=14, decimal_places=2)
    figures = models.JSONField(default=dict)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    closed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("close-out card")
        verbose_name_plural = _("close-out cards")

    def __str__(self) -> str:
        return f"{self.job} {self.margin}"
