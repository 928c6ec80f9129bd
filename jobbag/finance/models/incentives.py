"""Sales incentives (SPEC §7): commission rules and their splits as data, the
commissions they earn (payable only once the client has paid in full), per-person
contract targets and year-end bonus tiers on gross margin."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from jobbag.core.models import VersionedModel


class Participant(models.TextChoices):
    """Who on a job a commission share goes to."""

    OWNER = "owner", _("Project owner")
    AE = "ae", _("Account executive")
    CLIENT_DIRECTOR = "client_director", _("Client director")
    COPYWRITER = "copywriter", _("Copywriter")
    DESIGNER = "designer", _("Designer")
    CREATIVE_DIRECTOR = "creative_director", _("Creative Director")


class CommissionRule(VersionedModel):
    """`rate` percent of a job's contract (its signed quote, net) is shared among the
    participants by their `share` percentages, e.g. 5% all to the project owner."""

    code = models.SlugField(_("code"), max_length=32, unique=True)
    name = models.CharField(_("name"), max_length=100)
    rate = models.DecimalField(_("rate (percent of the contract)"), max_digits=5, decimal_places=2)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("commission rule")
        verbose_name_plural = _("commission rules")
        constraints = [
            models.CheckConstraint(
                condition=Q(rate__gt=0) & Q(rate__lte=100), name="commission_rate_in_range"
            )
        ]

    def __str__(self) -> str:
        return self.name


class CommissionShare(models.Model):
    rule = models.ForeignKey(CommissionRule, on_delete=models.CASCADE, related_name="shares")
    participant = models.CharField(_("participant"), max_length=20, choices=Participant.choices)
    share = models.DecimalField(_("share (%)"), max_digits=5, decimal_places=2)

    class Meta:
        ordering = ["rule", "participant"]
        constraints = [
            models.UniqueConstraint(fields=["rule", "participant"], name="commission_share_once"),
            models.CheckConstraint(
                condition=Q(share__gt=0) & Q(share__lte=100), name="commission_share_in_range"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.rule} {self.participant} {self.share}%"


class Commission(models.Model):
    """What one person earns on one job under one rule. Pending until the client has
    paid every invoice of the job in full; then payable, dated by the last payment."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending payment")
        PAYABLE = "payable", _("Payable")
        PAID = "paid", _("Paid out")

    job = models.ForeignKey("jobs.Job", on_delete=models.PROTECT, related_name="commissions")
    rule = models.ForeignKey(CommissionRule, on_delete=models.PROTECT, related_name="+")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="commissions"
    )
    participant = models.CharField(_("participant"), max_length=20, choices=Participant.choices)
    basis = models.DecimalField(_("contract"), max_digits=14, decimal_places=2)
    amount = models.DecimalField(_("amount"), max_digits=14, decimal_places=2)
    status = models.CharField(
        _("status"), max_length=8, choices=Status.choices, default=Status.PENDING
    )
    payable_on = models.DateField(_("payable from"), null=True, blank=True)
    paid_on = models.DateField(_("paid out on"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("commission")
        verbose_name_plural = _("commissions")
        indexes = [models.Index(fields=["user", "status", "payable_on"])]
        constraints = [
            models.UniqueConstraint(
                fields=["job", "rule", "user", "participant"], name="commission_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} {self.job} {self.amount}"


class Target(VersionedModel):
    """A person's contract target for a year, with the minimum each quarter must reach."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="targets"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    annual_amount = models.DecimalField(_("annual target"), max_digits=14, decimal_places=2)
    quarterly_minimum = models.DecimalField(
        _("quarterly minimum"), max_digits=14, decimal_places=2, default=0
    )

    class Meta:
        ordering = ["-year", "user"]
        verbose_name = _("target")
        verbose_name_plural = _("targets")
        constraints = [models.UniqueConstraint(fields=["user", "year"], name="target_once_a_year")]

    def __str__(self) -> str:
        return f"{self.user} {self.year}"


class BonusTier(VersionedModel):
    """A year-end bonus tier: from `min_margin` of gross margin brought in, the bonus is
    `rate` percent of that margin (the highest tier reached applies)."""

    year = models.PositiveSmallIntegerField(_("year"))
    min_margin = models.DecimalField(_("gross margin from"), max_digits=14, decimal_places=2)
    rate = models.DecimalField(_("bonus (percent of gross margin)"), max_digits=5, decimal_places=2)

    class Meta:
        ordering = ["year", "min_margin"]
        verbose_name = _("bonus tier")
        verbose_name_plural = _("bonus tiers")
        constraints = [
            models.UniqueConstraint(fields=["year", "min_margin"], name="bonus_tier_once")
        ]

    def __str__(self) -> str:
        return f"{self.year} ≥{self.min_margin}: {self.rate}%"


class CommissionCredit(models.Model):
    """Who was the copywriter, designer, Creative Director (or any other participant) on
    a job, as its Account people name them before the job's first invoice. A participant
    with no credit here falls back to the job's owner or the client's service team
    (finance.services.incentives.job_participants)."""

    job = models.ForeignKey("jobs.Job", on_delete=models.CASCADE, related_name="commission_credits")
    participant = models.CharField(_("participant"), max_length=20, choices=Participant.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("staff member"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    set_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    set_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["job", "participant"]
        verbose_name = _("commission credit")
        verbose_name_plural = _("commission credits")
        constraints = [
            models.UniqueConstraint(fields=["job", "participant"], name="commission_credit_once")
        ]

    def __str__(self) -> str:
        return f"{self.job} {self.participant} {self.user}"
