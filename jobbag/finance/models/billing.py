"""Invoices and payments (SPEC §7): invoice series with gapless numbers per legal
entity, invoices from signed quotes, time and materials or retainers, credit notes that
reverse issued invoices, client payments allocated to invoices, and closed periods.

Amounts are Decimal to the cent. A credit note carries negative amounts, so a client's
balance is the plain sum of its issued invoices less its allocations."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from jobbag.core.models import SettingsRow, VersionedModel


def _money(verbose_name, **kwargs):
    return models.DecimalField(verbose_name, max_digits=14, decimal_places=2, **kwargs)


class FinanceSettings(SettingsRow):
    """What admins set for the money side."""

    # The books for a month close on this day: the period "2026-11" runs from
    # 26 October to 25 November with the default.
    close_day = models.PositiveSmallIntegerField(_("month closes on day"), default=25)
    payment_terms_days = models.PositiveSmallIntegerField(_("payment terms (days)"), default=30)
    # Credit control: days past due before each notice, and before the client is held.
    notice_owner_days = models.PositiveSmallIntegerField(
        _("tell the project owner after (days overdue)"), default=1
    )
    notice_marketing_manager_days = models.PositiveSmallIntegerField(
        _("tell the Marketing Manager after (days overdue)"), default=30
    )
    notice_gm_days = models.PositiveSmallIntegerField(
        _("tell the General Manager after (days overdue)"), default=60
    )
    credit_hold_days = models.PositiveSmallIntegerField(
        _("hold new work after (days overdue)"), default=90
    )

    class Meta:
        verbose_name = _("finance settings")


class InvoiceSeries(VersionedModel):
    """A numbering series of one legal entity (each has its own tax registration).
    `next_number` is taken under a row lock in the transaction that issues, so numbers
    have no gaps and are never reused."""

    code = models.SlugField(_("code"), max_length=32, unique=True)
    name = models.CharField(_("name"), max_length=100)
    legal_entity = models.CharField(_("legal entity"), max_length=200)
    tax_number = models.CharField(_("tax registration number"), max_length=40, blank=True)
    # e.g. "INV{year}-" gives INV2026-00001.
    prefix = models.CharField(_("prefix"), max_length=20)
    digits = models.PositiveSmallIntegerField(_("digits"), default=5)
    next_number = models.PositiveIntegerField(_("next number"), default=1)
    for_credit_notes = models.BooleanField(_("for credit notes"), default=False)
    is_default = models.BooleanField(_("default"), default=False)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("invoice series")
        verbose_name_plural = _("invoice series")

    def __str__(self) -> str:
        return self.name


class Retainer(VersionedModel):
    """A monthly fixed fee a client pays (a retainer contract); invoiced once a month."""

    company = models.ForeignKey(
        "clients.Company", on_delete=models.PROTECT, related_name="retainers"
    )
    job = models.ForeignKey(
        "jobs.Job", null=True, blank=True, on_delete=models.PROTECT, related_name="retainers"
    )
    description = models.CharField(_("description"), max_length=200)
    monthly_fee = _money(_("monthly fee"))
    currency = models.CharField(_("currency"), max_length=3, default="CNY")
    tax_profile = models.ForeignKey(
        "finance.TaxProfile", on_delete=models.PROTECT, related_name="+"
    )
    series = models.ForeignKey(InvoiceSeries, on_delete=models.PROTECT, related_name="+")
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("until"), null=True, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["company", "starts_on"]
        verbose_name = _("retainer")
        verbose_name_plural = _("retainers")
        constraints = [
            models.CheckConstraint(condition=Q(monthly_fee__gt=0), name="retainer_fee_positive")
        ]

    def __str__(self) -> str:
        return f"{self.company} {self.description}"


class Invoice(VersionedModel):
    """An invoice or credit note. A draft is edited freely; issuing gives it the next
    number of its series, freezes it (`content_hash`) and makes it immutable: a mistake
    is reversed by a credit note (`credit_of`), never by an edit or a delete."""

    class Kind(models.TextChoices):
        QUOTE = "quote", _("From the signed quote")
        MILESTONE = "milestone", _("Milestone of the signed quote")
        PERCENTAGE = "percentage", _("Percentage of the signed quote")
        TIME = "time", _("Time and materials")
        RETAINER = "retainer", _("Retainer")
        CREDIT_NOTE = "credit_note", _("Credit note")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        ISSUED = "issued", _("Issued")

    series = models.ForeignKey(InvoiceSeries, on_delete=models.PROTECT, related_name="invoices")
    number = models.CharField(_("number"), max_length=40, null=True, blank=True)
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    status = models.CharField(
        _("status"), max_length=8, choices=Status.choices, default=Status.DRAFT
    )
    company = models.ForeignKey(
        "clients.Company", on_delete=models.PROTECT, related_name="invoices"
    )
    job = models.ForeignKey(
        "jobs.Job", null=True, blank=True, on_delete=models.PROTECT, related_name="invoices"
    )
    quote = models.ForeignKey(
        "jobs.QuoteVersion", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    retainer = models.ForeignKey(
        Retainer, null=True, blank=True, on_delete=models.PROTECT, related_name="invoices"
    )
    # The retainer's month ("2026-11"), so a month is invoiced once.
    retainer_month = models.CharField(max_length=7, blank=True)
    credit_of = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="credit_notes"
    )
    milestone = models.CharField(_("milestone"), max_length=100, blank=True)
    percentage = models.DecimalField(
        _("percentage"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    issue_date = models.DateField(_("issue date"), null=True, blank=True)
    due_date = models.DateField(_("due date"), null=True, blank=True)
    currency = models.CharField(_("currency"), max_length=3, default="CNY")
    tax_profile = models.ForeignKey(
        "finance.TaxProfile", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    net_amount = _money(_("net"), default=0)
    # Taxes added to the price (VAT) ...
    tax_amount = _money(_("tax"), default=0)
    total = _money(_("total"), default=0)
    # ... and those the agency bears on its revenue (the culture fee), shown, not charged.
    levy_amount = _money(_("levies borne by the agency"), default=0)
    # Each tax: {"name", "rate", "charged", "amount"} as strings.
    taxes = models.JSONField(default=list, blank=True)
    # Kept up to date under the invoice's row lock by the payment services.
    paid_amount = _money(_("paid"), default=0)
    # What credit notes took off this invoice (positive), kept under the same lock.
    credited_amount = _money(_("credited"), default=0)
    # The day nothing was left to collect (paid, or paid and credited, in full).
    settled_on = models.DateField(_("paid in full on"), null=True, blank=True)
    note = models.TextField(_("note"), blank=True)
    content_hash = models.CharField(max_length=64, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    issued_at = models.DateTimeField(_("issued"), null=True, blank=True)

    class Meta:
        ordering = ["-issue_date", "-pk"]
        verbose_name = _("invoice")
        verbose_name_plural = _("invoices")
        indexes = [
            models.Index(fields=["company", "status", "due_date"]),
            models.Index(fields=["status", "due_date"]),
            models.Index(fields=["job", "status"]),
            models.Index(fields=["status", "settled_on"]),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["series", "number"],
                condition=Q(number__isnull=False),
                name="invoice_number_once_per_series",
            ),
            models.UniqueConstraint(
                fields=["retainer", "retainer_month"],
                condition=Q(retainer__isnull=False),
                name="retainer_month_invoiced_once",
            ),
            models.CheckConstraint(
                condition=Q(status="draft")
                | (Q(number__isnull=False) & Q(issue_date__isnull=False)),
                name="issued_invoice_has_number_and_date",
            ),
            models.CheckConstraint(
                condition=Q(kind="credit_note", total__lte=0, credit_of__isnull=False)
                | (~Q(kind="credit_note") & Q(total__gte=0)),
                name="invoice_sign_by_kind",
            ),
        ]

    def __str__(self) -> str:
        return self.number or str(_("Draft invoice"))

    @property
    def outstanding(self):
        """What is left to collect: the total less payments and credit notes."""
        return self.total - self.paid_amount - self.credited_amount


class InvoiceLine(models.Model):
    invoice = models.ForeignKey(Invoice, on_delete=models.CASCADE, related_name="lines")
    order = models.PositiveSmallIntegerField(default=0)
    description = models.CharField(_("description"), max_length=200)
    quantity = models.DecimalField(_("quantity"), max_digits=10, decimal_places=2, default=1)
    unit_price = models.DecimalField(_("unit price"), max_digits=14, decimal_places=2)
    amount = _money(_("amount"))
    quote_line = models.ForeignKey(
        "jobs.QuoteLine", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["invoice", "order", "pk"]

    def __str__(self) -> str:
        return self.description


class Payment(VersionedModel):
    """Money received from a client. What is not allocated to invoices is a
    prepayment (or credit) on the client's account."""

    class Method(models.TextChoices):
        BANK = "bank", _("Bank transfer")
        CHEQUE = "cheque", _("Cheque")
        CASH = "cash", _("Cash")
        OTHER = "other", _("Other")

    company = models.ForeignKey(
        "clients.Company", on_delete=models.PROTECT, related_name="payments"
    )
    received_on = models.DateField(_("received on"))
    amount = _money(_("amount"))
    currency = models.CharField(_("currency"), max_length=3, default="CNY")
    method = models.CharField(
        _("method"), max_length=8, choices=Method.choices, default=Method.BANK
    )
    reference = models.CharField(_("reference"), max_length=100, blank=True)
    is_prepayment = models.BooleanField(_("prepayment"), default=False)
    note = models.CharField(_("note"), max_length=200, blank=True)
    allocated_amount = _money(_("allocated"), default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-received_on", "-pk"]
        verbose_name = _("payment")
        verbose_name_plural = _("payments")
        indexes = [models.Index(fields=["company", "received_on"])]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="payment_amount_positive"),
            models.CheckConstraint(
                condition=Q(allocated_amount__gte=0) & Q(allocated_amount__lte=models.F("amount")),
                name="payment_allocated_within_amount",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.company} {self.received_on} {self.amount}"

    @property
    def unallocated(self):
        return self.amount - self.allocated_amount


class PaymentAllocation(models.Model):
    """Part of a payment set against one invoice, as of the day it was allocated."""

    payment = models.ForeignKey(Payment, on_delete=models.PROTECT, related_name="allocations")
    invoice = models.ForeignKey(Invoice, on_delete=models.PROTECT, related_name="allocations")
    amount = _money(_("amount"))
    allocated_on = models.DateField(_("date"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["allocated_on", "pk"]
        indexes = [models.Index(fields=["invoice", "allocated_on"])]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="allocation_amount_positive")
        ]

    def __str__(self) -> str:
        return f"{self.invoice} {self.amount}"


class ClosedPeriod(models.Model):
    """A closed month ("2026-11", ending on the close day): nothing dated in it is
    issued, allocated or changed any more."""

    period = models.CharField(_("period"), max_length=7, unique=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    closed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-period"]
        verbose_name = _("closed period")
        verbose_name_plural = _("closed periods")

    def __str__(self) -> str:
        return self.period
