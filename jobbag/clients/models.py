"""The client file (客户档案 / 品牌档案, SPEC §2): companies, brands, their people, the
brand dossier in structured sections, and the contact log."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from jobbag.core.models import SettingsRow, VersionedModel


class Company(VersionedModel):
    """A client company (or a prospect that became one). Its code starts its job numbers."""

    class Status(models.TextChoices):
        ACTIVE = "active", _("Active client")
        DORMANT = "dormant", _("Dormant")
        FORMER = "former", _("Former client")

    code = models.CharField(_("client code"), max_length=12, unique=True)
    name = models.CharField(_("name"), max_length=200)
    name_en = models.CharField(_("English name"), max_length=200, blank=True)
    short_name = models.CharField(_("short name"), max_length=50, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.ACTIVE
    )
    is_key_client = models.BooleanField(_("key client"), default=False)
    client_group = models.ForeignKey(
        "accounts.ClientGroup",
        verbose_name=_("client group"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="companies",
    )
    currency = models.CharField(_("currency"), max_length=3, default="CNY")
    # Profile (SPEC §2).
    industry = models.CharField(_("industry"), max_length=100, blank=True)
    founded_on = models.DateField(_("founded"), null=True, blank=True)
    registered_capital = models.DecimalField(
        _("registered capital"), max_digits=16, decimal_places=2, null=True, blank=True
    )
    fiscal_year_end_month = models.PositiveSmallIntegerField(
        _("fiscal year ends (month)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(12)],
    )
    annual_revenue = models.DecimalField(
        _("annual revenue"), max_digits=16, decimal_places=2, null=True, blank=True
    )
    product_mix = models.TextField(_("product mix"), blank=True)
    industry_position = models.TextField(_("position in the industry"), blank=True)
    headcount = models.PositiveIntegerField(_("headcount"), null=True, blank=True)
    sites = models.TextField(_("sites"), blank=True)
    plans = models.TextField(_("plans"), blank=True)
    bank = models.CharField(_("bank and account"), max_length=200, blank=True)
    address = models.CharField(_("address"), max_length=300, blank=True)
    phone = models.CharField(_("phone"), max_length=32, blank=True)
    website = models.CharField(_("website"), max_length=200, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    search = models.CharField(max_length=1000, blank=True, editable=False, db_index=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("client company")
        verbose_name_plural = _("client companies")
        constraints = [
            models.CheckConstraint(
                condition=Q(registered_capital__isnull=True) | Q(registered_capital__gte=0),
                name="company_capital_non_negative",
            ),
            models.CheckConstraint(
                condition=Q(annual_revenue__isnull=True) | Q(annual_revenue__gte=0),
                name="company_revenue_non_negative",
            ),
        ]

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        if (get_language() or "").startswith("en") and self.name_en:
            return self.name_en
        return self.name


class Brand(VersionedModel):
    company = models.ForeignKey(
        Company, verbose_name=_("company"), on_delete=models.PROTECT, related_name="brands"
    )
    name = models.CharField(_("name"), max_length=200)
    name_en = models.CharField(_("English name"), max_length=200, blank=True)
    category = models.CharField(_("product category"), max_length=100, blank=True)
    client_group = models.ForeignKey(
        "accounts.ClientGroup",
        verbose_name=_("client group"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="brands",
    )
    is_active = models.BooleanField(_("active"), default=True)
    search = models.CharField(max_length=1000, blank=True, editable=False, db_index=True)

    class Meta:
        ordering = ["company", "name"]
        verbose_name = _("brand")
        verbose_name_plural = _("brands")
        constraints = [
            models.UniqueConstraint(fields=["company", "name"], name="brand_name_per_company")
        ]

    def __str__(self) -> str:
        if (get_language() or "").startswith("en") and self.name_en:
            return self.name_en
        return self.name


class Contact(VersionedModel):
    """A person at the client: who decides, who signs, whom to call."""

    company = models.ForeignKey(
        Company, verbose_name=_("company"), on_delete=models.PROTECT, related_name="contacts"
    )
    brand = models.ForeignKey(
        Brand,
        verbose_name=_("brand"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="contacts",
    )
    name = models.CharField(_("name"), max_length=100)
    title = models.CharField(_("title"), max_length=100, blank=True)
    responsibility = models.CharField(_("responsibility"), max_length=200, blank=True)
    phone = models.CharField(_("phone"), max_length=32, blank=True)
    mobile = models.CharField(_("mobile"), max_length=32, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    address = models.CharField(_("address"), max_length=300, blank=True)
    background = models.TextField(_("background"), blank=True)
    # The client's org chart: who this person reports to at the client.
    reports_to = models.ForeignKey(
        "self",
        verbose_name=_("reports to"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="reports",
    )
    is_decision_maker = models.BooleanField(_("decision maker"), default=False)
    is_active = models.BooleanField(_("active"), default=True)
    search = models.CharField(max_length=1000, blank=True, editable=False, db_index=True)

    class Meta:
        ordering = ["company", "name"]
        verbose_name = _("client contact")
        verbose_name_plural = _("client contacts")
        indexes = [models.Index(fields=["company", "is_active"])]

    def __str__(self) -> str:
        return f"{self.name} ({self.title})" if self.title else self.name


# The brand dossier (品牌档案), one model per section. Every section row is versioned
# and audited, so each shows who changed it last and its whole history.


class DossierSection(VersionedModel):
    brand = models.ForeignKey(Brand, on_delete=models.CASCADE, related_name="+")
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True


# The attributes of the strengths/weaknesses grid for products and competitors (SPEC §2).
GRID_ATTRIBUTES = [
    ("quality", _("Quality")),
    ("use", _("Use")),
    ("performance", _("Performance")),
    ("lifetime", _("Lifetime")),
    ("design", _("Design")),
    ("colour", _("Colour")),
    ("packaging", _("Packaging")),
    ("spec", _("Specification")),
    ("wholesale_price", _("Wholesale price")),
    ("retail_price", _("Retail price")),
    ("ease_of_use", _("Ease of use")),
    ("warranty", _("Warranty")),
]


class MarketOverview(DossierSection):
    brand = models.OneToOneField(Brand, on_delete=models.CASCADE, related_name="market")
    market_size = models.CharField(_("market size"), max_length=200, blank=True)
    sales = models.CharField(_("sales"), max_length=200, blank=True)
    share = models.CharField(_("market share"), max_length=200, blank=True)
    trends = models.TextField(_("trends"), blank=True)
    notes = models.TextField(_("notes"), blank=True)

    class Meta:
        verbose_name = _("market overview")


class Product(DossierSection):
    class Status(models.TextChoices):
        NEW = "new", _("New")
        IMPROVED = "improved", _("Improved")
        EXISTING = "existing", _("Existing")

    class Necessity(models.TextChoices):
        ESSENTIAL = "essential", _("Essential")
        EVERYDAY = "everyday", _("Everyday")
        OPTIONAL = "optional", _("Optional")
        LUXURY = "luxury", _("Luxury")

    brand = models.ForeignKey(Brand, on_delete=models.CASCADE, related_name="products")
    generic_name = models.CharField(_("generic name"), max_length=200)
    brand_name = models.CharField(_("brand name"), max_length=200, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.EXISTING
    )
    necessity = models.CharField(
        _("necessity"), max_length=10, choices=Necessity.choices, blank=True
    )
    uses = models.TextField(_("uses"), blank=True)
    # {attribute: {"strength": str, "weakness": str}} for the GRID_ATTRIBUTES keys.
    grid = models.JSONField(_("strengths and weaknesses"), default=dict, blank=True)

    class Meta:
        ordering = ["generic_name"]
        verbose_name = _("product")
        verbose_name_plural = _("products")


class Competitor(DossierSection):
    brand = models.ForeignKey(Brand, on_delete=models.CASCADE, related_name="competitors")
    name = models.CharField(_("competing brand"), max_length=200)
    company = models.CharField(_("company"), max_length=200, blank=True)
    product = models.CharField(_("product"), max_length=200, blank=True)
    grid = models.JSONField(_("strengths and weaknesses"), default=dict, blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("competitor")
        verbose_name_plural = _("competitors")


class ConsumerProfile(DossierSection):
    brand = models.OneToOneField(Brand, on_delete=models.CASCADE, related_name="consumers")
    target = models.TextField(_("who they are"), blank=True)
    usage_patterns = models.TextField(_("usage patterns"), blank=True)
    seasonality = models.TextField(_("seasonality"), blank=True)
    regions = models.TextField(_("regions"), blank=True)

    class Meta:
        verbose_name = _("consumers")


class ResearchSummary(DossierSection):
    """调查总结 (SPEC §2)."""

    brand = models.ForeignKey(Brand, on_delete=models.CASCADE, related_name="research")
    title = models.CharField(_("title"), max_length=200)
    purpose = models.TextField(_("purpose"), blank=True)
    research_company = models.CharField(_("research company"), max_length=200, blank=True)
    method = models.CharField(_("method"), max_length=200, blank=True)
    sample = models.CharField(_("sample"), max_length=200, blank=True)
    field_start = models.DateField(_("fieldwork from"), null=True, blank=True)
    field_end = models.DateField(_("fieldwork until"), null=True, blank=True)
    places = models.CharField(_("places"), max_length=300, blank=True)
    conclusions = models.TextField(_("conclusions"), blank=True)
    recommended_actions = models.TextField(_("recommended actions"), blank=True)

    class Meta:
        ordering = ["-field_start", "title"]
        verbose_name = _("research summary")
        verbose_name_plural = _("research summaries")
        constraints = [
            models.CheckConstraint(
                condition=Q(field_end__isnull=True)
                | Q(field_start__isnull=True)
                | Q(field_end__gte=models.F("field_start")),
                name="research_field_dates_ordered",
            )
        ]


class CompetitorReview(DossierSection):
    """竞争者情况评议 (SPEC §2)."""

    brand = models.ForeignKey(Brand, on_delete=models.CASCADE, related_name="competitor_reviews")
    reviewed_on = models.DateField(_("reviewed on"), null=True, blank=True)
    brand_product = models.CharField(_("brand / product"), max_length=200)
    selling_points = models.TextField(_("selling points"), blank=True)
    target = models.TextField(_("target"), blank=True)
    promise_and_support = models.TextField(_("promise and support"), blank=True)
    creative_concept_and_tone = models.TextField(_("creative concept and tone"), blank=True)
    production_quality = models.TextField(_("production quality"), blank=True)
    media_and_format = models.TextField(_("media and format"), blank=True)

    class Meta:
        ordering = ["-reviewed_on", "brand_product"]
        verbose_name = _("competitor review")
        verbose_name_plural = _("competitor reviews")


class CommunicationStrategy(DossierSection):
    """传播策略; its sign-off by the client, GM, project head and CD goes through the
    sign-off engine (a later issue)."""

    brand = models.OneToOneField(Brand, on_delete=models.CASCADE, related_name="strategy")
    objectives = models.TextField(_("objectives"), blank=True)
    target_audience = models.TextField(_("target audience"), blank=True)
    positioning = models.TextField(_("positioning"), blank=True)
    key_message = models.TextField(_("key message"), blank=True)
    tone = models.TextField(_("tone"), blank=True)
    channels = models.TextField(_("channels"), blank=True)

    class Meta:
        verbose_name = _("communication strategy")


class PastCampaign(DossierSection):
    brand = models.ForeignKey(Brand, on_delete=models.CASCADE, related_name="past_campaigns")
    name = models.CharField(_("campaign"), max_length=200)
    year = models.PositiveSmallIntegerField(
        _("year"), null=True, blank=True, validators=[MinValueValidator(1950)]
    )
    agency = models.CharField(_("agency"), max_length=200, blank=True)
    description = models.TextField(_("what ran (scripts, print, media)"), blank=True)
    results = models.TextField(_("results"), blank=True)

    class Meta:
        ordering = ["-year", "name"]
        verbose_name = _("past campaign")
        verbose_name_plural = _("past campaigns")


class Budget(DossierSection):
    class Kind(models.TextChoices):
        ESTIMATE = "estimate", _("Estimate")
        BUDGET = "budget", _("Budget")
        ADJUSTMENT = "adjustment", _("Adjustment")

    brand = models.ForeignKey(Brand, on_delete=models.CASCADE, related_name="budgets")
    year = models.PositiveSmallIntegerField(_("year"), validators=[MinValueValidator(1990)])
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.BUDGET)
    amount = models.DecimalField(_("amount"), max_digits=16, decimal_places=2)
    currency = models.CharField(_("currency"), max_length=3, default="CNY")
    approval_notes = models.TextField(_("special approval procedures"), blank=True)
    notes = models.TextField(_("notes"), blank=True)

    class Meta:
        ordering = ["-year", "kind"]
        verbose_name = _("budget")
        verbose_name_plural = _("budgets")
        # Only an adjustment may lower a budget; estimates and budgets are never negative.
        constraints = [
            models.CheckConstraint(
                condition=Q(amount__gte=0) | Q(kind="adjustment"),
                name="budget_amount_non_negative",
            )
        ]


class DossierAttachment(models.Model):
    """A file filed under one section of a brand's dossier (size and type checked)."""

    brand = models.ForeignKey(Brand, on_delete=models.CASCADE, related_name="attachments")
    section = models.CharField(_("section"), max_length=30)
    file = models.FileField(_("file"), upload_to="dossier/%Y/%m/")
    original_name = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-uploaded_at"]
        verbose_name = _("dossier attachment")

    def __str__(self) -> str:
        return self.original_name


class ContactLogEntry(VersionedModel):
    """One visit made, call, or visit received, with its next step (SPEC §2)."""

    class Kind(models.TextChoices):
        VISIT = "visit", _("Visit made")
        CALL = "call", _("Phone call")
        RECEIVED = "received", _("Visit received")

    company = models.ForeignKey(
        Company, verbose_name=_("client"), on_delete=models.PROTECT, related_name="contact_log"
    )
    brand = models.ForeignKey(
        Brand,
        verbose_name=_("brand"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    occurred_at = models.DateTimeField(_("when"), db_index=True)
    staff = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("our people"), related_name="contact_log"
    )
    contacts = models.ManyToManyField(
        Contact, verbose_name=_("their people"), blank=True, related_name="contact_log"
    )
    discussed = models.TextField(_("what was discussed"))
    next_step = models.TextField(_("next step"), blank=True)
    next_step_due = models.DateField(_("next step by"), null=True, blank=True)
    next_step_done_at = models.DateTimeField(_("next step done"), null=True, blank=True)
    # The day the author was last reminded of an open next step, so that the daily sweep
    # reminds once a day however often it runs.
    next_step_reminded_on = models.DateField(null=True, blank=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-occurred_at", "-id"]
        verbose_name = _("contact log entry")
        verbose_name_plural = _("contact log")
        indexes = [models.Index(fields=["company", "-occurred_at"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.occurred_at:%Y-%m-%d}"


class ClientSettings(SettingsRow):
    """Client-file settings that admins set (one row)."""

    no_contact_days = models.PositiveSmallIntegerField(
        _("flag clients not contacted for (days)"), default=30
    )

    class Meta:
        verbose_name = _("client settings")


class ImportJob(models.Model):
    """One uploaded workbook of companies, brands and contacts, from validation to import.

    Nothing is written to the client file until every row is clean and the uploader
    confirms; the import then runs as one transaction (all or nothing).
    """

    class Status(models.TextChoices):
        UPLOADED = "uploaded", _("Uploaded")
        VALIDATING = "validating", _("Checking")
        INVALID = "invalid", _("Has errors")
        VALID = "valid", _("Ready to import")
        IMPORTING = "importing", _("Importing")
        DONE = "done", _("Imported")
        FAILED = "failed", _("Failed")

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)
    file = models.FileField(_("file"), upload_to="imports/%Y/%m/")
    original_name = models.CharField(_("file name"), max_length=255)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.UPLOADED
    )
    total_rows = models.PositiveIntegerField(_("rows"), default=0)
    processed_rows = models.PositiveIntegerField(_("rows processed"), default=0)
    # [{"sheet", "row", "field", "message", "params"}]: every bad row and why.
    errors = models.JSONField(default=list, blank=True)
    # The same shape: rows left alone (existing clients), unknown columns.
    warnings = models.JSONField(default=list, blank=True)
    # What the import created and skipped, per sheet.
    summary = models.JSONField(default=dict, blank=True)
    validated_at = models.DateTimeField(null=True, blank=True)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("client import")
        verbose_name_plural = _("client imports")
        constraints = [
            models.CheckConstraint(
                condition=Q(processed_rows__lte=models.F("total_rows")),
                name="import_processed_within_total",
            )
        ]

    def __str__(self) -> str:
        return self.original_name
