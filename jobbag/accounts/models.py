"""People and organisation: staff and client users, departments, positions, client
groups, service teams, deputies and authority limits (SPEC §1)."""

import hashlib

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from jobbag.core.models import SettingsRow, VersionedModel


class BilingualName(models.Model):
    """Reference data named in both languages; `name` follows the active language."""

    name_zh = models.CharField(_("name (Chinese)"), max_length=100)
    name_en = models.CharField(_("name (English)"), max_length=100, blank=True)

    class Meta:
        abstract = True

    @property
    def name(self) -> str:
        if (get_language() or "").startswith("en") and self.name_en:
            return self.name_en
        return self.name_zh

    def __str__(self) -> str:
        return self.name


class Department(BilingualName, VersionedModel):
    class Kind(models.TextChoices):
        ACCOUNT = "account", _("Account / Client Service")
        MARKETING = "marketing", _("Marketing")
        CREATIVE = "creative", _("Creative")
        DESIGN = "design", _("Design")
        COPY = "copy", _("Copy / Planning")
        MEDIA = "media", _("Media")
        PRODUCTION = "production", _("Production / Engineering")
        PROCESS = "process", _("Process")
        PURCHASING = "purchasing", _("Purchasing")
        QC = "qc", _("Quality control")
        PLANNING = "planning", _("Production planning")
        FINANCE = "finance", _("Finance")
        ADMINISTRATION = "administration", _("Administration")
        MANAGEMENT = "management", _("Management")
        OTHER = "other", _("Other")

    code = models.SlugField(_("code"), max_length=32, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.OTHER)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("part of"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="teams",
    )
    head = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("head"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("department")
        verbose_name_plural = _("departments")


class Role(models.TextChoices):
    """What a position does in the agency; permissions are keyed on it."""

    GM = "gm", _("General Manager")
    DEPUTY_GM = "deputy_gm", _("Deputy General Manager")
    DCS = "dcs", _("Director of Client Service")
    GAD = "gad", _("Group Account Director")
    AD = "ad", _("Account Director")
    AM = "am", _("Account Manager")
    AE = "ae", _("Account Executive")
    MARKETING_MANAGER = "marketing_manager", _("Marketing Manager")
    CREATIVE_DIRECTOR = "creative_director", _("Creative Director")
    DEPT_HEAD = "dept_head", _("Department head")
    DESIGNER = "designer", _("Designer")
    COPYWRITER = "copywriter", _("Copywriter")
    PLANNER = "planner", _("Planner")
    MEDIA = "media", _("Media planner / buyer")
    PRODUCER = "producer", _("Producer")
    PURCHASER = "purchaser", _("Purchaser")
    QC = "qc", _("QC inspector")
    FINANCE = "finance", _("Finance")
    ADMIN_STAFF = "admin_staff", _("Administration staff")
    STAFF = "staff", _("Staff")


# The account ladder, highest first (SPEC §1): a higher rank supervises lower ranks.
ACCOUNT_LADDER = [Role.DCS, Role.GAD, Role.AD, Role.AM, Role.AE]
MANAGEMENT_ROLES = {Role.GM, Role.DEPUTY_GM}


class Position(BilingualName, VersionedModel):
    code = models.SlugField(_("code"), max_length=32, unique=True)
    role = models.CharField(_("role"), max_length=24, choices=Role.choices, default=Role.STAFF)
    department = models.ForeignKey(
        Department,
        verbose_name=_("department"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="positions",
    )
    is_approver = models.BooleanField(
        _("approves documents"),
        default=False,
        help_text=_("Holders sign off documents; a second factor may be required of them."),
    )

    class Meta:
        ordering = ["code"]
        verbose_name = _("position")
        verbose_name_plural = _("positions")

    @property
    def ladder_rank(self) -> int | None:
        """0 for the DCS down to 4 for an AE; None off the account ladder."""
        try:
            return ACCOUNT_LADDER.index(self.role)
        except ValueError:
            return None


class User(AbstractUser, VersionedModel):
    """A staff member or a client's user. `is_superuser` marks system administrators."""

    class Kind(models.TextChoices):
        STAFF = "staff", _("Agency staff")
        CLIENT = "client", _("Client user")

    kind = models.CharField(_("kind"), max_length=8, choices=Kind.choices, default=Kind.STAFF)
    full_name = models.CharField(_("full name"), max_length=100, blank=True)
    department = models.ForeignKey(
        Department,
        verbose_name=_("department"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="members",
    )
    position = models.ForeignKey(
        Position,
        verbose_name=_("position"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="holders",
    )
    reports_to = models.ForeignKey(
        "self",
        verbose_name=_("reports to"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="direct_reports",
    )
    phone = models.CharField(_("phone"), max_length=32, blank=True)
    mobile = models.CharField(_("mobile"), max_length=32, blank=True)
    # A client user belongs to one client company and sees only its data.
    company = models.ForeignKey(
        "clients.Company",
        verbose_name=_("client company"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="portal_users",
    )
    contact = models.OneToOneField(
        "clients.Contact",
        verbose_name=_("client contact"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="portal_user",
    )
    language = models.CharField(
        _("language"), max_length=8, choices=settings.LANGUAGES, default=settings.LANGUAGE_CODE
    )
    # Raised to end every session and token of this user at once (see get_session_auth_hash).
    session_epoch = models.PositiveIntegerField(default=0)

    REQUIRED_FIELDS = ["email"]

    class Meta:
        ordering = ["username"]
        verbose_name = _("user")
        verbose_name_plural = _("users")
        indexes = [models.Index(fields=["kind", "is_active", "full_name"])]

    def __str__(self) -> str:
        return self.full_name or self.get_full_name() or self.username

    def get_session_auth_hash(self) -> str:
        """Django ends a session whose stored hash no longer matches; folding the epoch in
        lets one counter bump end all of this user's sessions at once."""
        return f"{super().get_session_auth_hash()}:{self.session_epoch}"

    def get_session_auth_fallback_hash(self):
        for fallback in super().get_session_auth_fallback_hash():
            yield f"{fallback}:{self.session_epoch}"

    @property
    def display_name(self) -> str:
        return str(self)

    @property
    def role(self) -> str | None:
        if self.kind == self.Kind.CLIENT:
            return None
        return self.position.role if self.position_id else Role.STAFF

    @property
    def is_client_user(self) -> bool:
        return self.kind == self.Kind.CLIENT

    @property
    def is_admin(self) -> bool:
        return self.is_superuser and self.kind == self.Kind.STAFF


class ClientGroup(BilingualName, VersionedModel):
    """A team serving related accounts, e.g. the Nike group in Marketing (SPEC §1)."""

    code = models.SlugField(_("code"), max_length=32, unique=True)
    department = models.ForeignKey(
        Department,
        verbose_name=_("department"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="client_groups",
    )
    leader = models.ForeignKey(
        User,
        verbose_name=_("leader"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    members = models.ManyToManyField(
        User, verbose_name=_("members"), blank=True, related_name="client_groups"
    )

    class Meta:
        ordering = ["code"]
        verbose_name = _("client group")
        verbose_name_plural = _("client groups")


class ServiceTeamMembership(models.Model):
    """Who serves an account and as what (AD/AM/AE): a client company, one of its brands,
    or a client group (and so every company and brand assigned to that group)."""

    user = models.ForeignKey(
        User, verbose_name=_("staff member"), on_delete=models.CASCADE, related_name="service_teams"
    )
    team_role = models.CharField(
        _("role on the team"),
        max_length=24,
        choices=[(r.value, r.label) for r in ACCOUNT_LADDER],
    )
    client_group = models.ForeignKey(
        ClientGroup,
        verbose_name=_("client group"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="service_team",
    )
    company = models.ForeignKey(
        "clients.Company",
        verbose_name=_("client company"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="service_team",
    )
    brand = models.ForeignKey(
        "clients.Brand",
        verbose_name=_("brand"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="service_team",
    )
    starts_on = models.DateField(_("from"), default=timezone.localdate)
    ends_on = models.DateField(_("until"), null=True, blank=True)

    class Meta:
        verbose_name = _("service team membership")
        verbose_name_plural = _("service team memberships")
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=models.F("starts_on")),
                name="service_team_dates_ordered",
            ),
            # Each membership serves exactly one thing: a group, a company or a brand.
            models.CheckConstraint(
                condition=(
                    Q(client_group__isnull=False, company__isnull=True, brand__isnull=True)
                    | Q(client_group__isnull=True, company__isnull=False, brand__isnull=True)
                    | Q(client_group__isnull=True, company__isnull=True, brand__isnull=False)
                ),
                name="service_team_serves_one_thing",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.get_team_role_display()}"

    def is_current_on(self, day) -> bool:
        return self.starts_on <= day and (self.ends_on is None or self.ends_on >= day)


class Deputy(models.Model):
    """职务代理人: `deputy` acts for `principal` from `starts_on` to `ends_on` inclusive."""

    principal = models.ForeignKey(
        User, verbose_name=_("absent person"), on_delete=models.CASCADE, related_name="deputies"
    )
    deputy = models.ForeignKey(
        User, verbose_name=_("deputy"), on_delete=models.CASCADE, related_name="deputising_for"
    )
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("until"))
    reason = models.CharField(_("reason"), max_length=200, blank=True)
    created_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-starts_on"]
        verbose_name = _("deputy")
        verbose_name_plural = _("deputies")
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")), name="deputy_dates_ordered"
            ),
            models.CheckConstraint(
                condition=~Q(principal=models.F("deputy")), name="deputy_not_self"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.deputy} → {self.principal} ({self.starts_on}–{self.ends_on})"

    @property
    def state(self) -> str:
        """cancelled, ended, current or upcoming, as of today."""
        today = timezone.localdate()
        if self.cancelled_at:
            return "cancelled"
        if self.ends_on < today:
            return "ended"
        return "current" if self.starts_on <= today else "upcoming"


class AuthorityLimit(VersionedModel):
    """Which position may approve which document type up to which amount (SPEC §1)."""

    position = models.ForeignKey(
        Position, verbose_name=_("position"), on_delete=models.CASCADE, related_name="limits"
    )
    document_type = models.CharField(_("document type"), max_length=40)
    max_amount = models.DecimalField(
        _("up to amount"),
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=_("Leave empty for no upper limit."),
    )
    currency = models.CharField(_("currency"), max_length=3, default="CNY")

    class Meta:
        ordering = ["document_type", "max_amount"]
        verbose_name = _("authority limit")
        verbose_name_plural = _("authority limits")
        constraints = [
            models.UniqueConstraint(
                fields=["position", "document_type", "currency"], name="authority_limit_once"
            ),
            models.CheckConstraint(
                condition=Q(max_amount__isnull=True) | Q(max_amount__gte=0),
                name="authority_limit_non_negative",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.position} · {self.document_type} ≤ {self.max_amount or '∞'}"


class ApiToken(models.Model):
    """A personal API token. Only its SHA-256 is stored; the secret is shown once."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(_("name"), max_length=100)
    prefix = models.CharField(max_length=12, db_index=True)
    digest = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @staticmethod
    def digest_of(secret: str) -> str:
        return hashlib.sha256(secret.encode()).hexdigest()


class TotpDevice(models.Model):
    """A user's authenticator app (TOTP, RFC 6238)."""

    user = models.OneToOneField(User, on_delete=models.CASCADE, related_name="totp")
    secret = models.CharField(max_length=64)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    # The last time step accepted, so one code cannot be used twice.
    last_counter = models.BigIntegerField(default=0)


class SecurityPolicy(SettingsRow):
    """Site-wide sign-in rules that admins set (one row)."""

    require_2fa_admins = models.BooleanField(_("require a second factor of admins"), default=False)
    require_2fa_finance = models.BooleanField(
        _("require a second factor of finance staff"), default=False
    )
    require_2fa_approvers = models.BooleanField(
        _("require a second factor of approvers"), default=False
    )

    class Meta:
        verbose_name = _("security policy")


class LoginAttempt(models.Model):
    """Failed sign-ins, counted per name and per address for throttling."""

    username = models.CharField(max_length=150, db_index=True)
    ip_address = models.GenericIPAddressField(null=True, db_index=True)
    at = models.DateTimeField(auto_now_add=True, db_index=True)
