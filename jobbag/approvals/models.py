"""The one sign-off engine (SPEC §4, §5, §9): policies that admins edit, and for each
document version sent for sign-off, its frozen snapshot, its steps, who may sign each
seat of a step, and every decision.

A policy step is one person or position (ONE), a countersign set where every member
signs (ALL, 会签), any one of a set (ANY), or the client (CLIENT). Each member of a step
becomes one seat when a document is submitted; a seat lists the people who may fill it
(the holders of a position, the head of a department, …). Decisions are unique per
step for ONE/ANY/CLIENT and per seat for ALL, so two approvers at once, a double click
or a replayed request give exactly one decision (the database refuses the second).
"""

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from jobbag.core.models import SettingsRow, VersionedModel


class SignoffStatus(models.TextChoices):
    """Where a signed document stands in its sign-off (the `signoff_status` of a
    document model using SignedDocument)."""

    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("In sign-off")
    APPROVED = "approved", _("Signed off")
    RETURNED = "returned", _("Returned for revision")
    REJECTED = "rejected", _("Rejected")


class SignedDocument(VersionedModel):
    """What every document that goes through sign-off carries. `revision` counts the
    versions of its content: changing a signed-off document makes the next revision,
    which goes through sign-off again."""

    signoff_status = models.CharField(
        _("sign-off"), max_length=12, choices=SignoffStatus.choices, default=SignoffStatus.DRAFT
    )
    revision = models.PositiveSmallIntegerField(_("revision"), default=1)

    class Meta:
        abstract = True

    @property
    def is_editable(self) -> bool:
        return self.signoff_status in {SignoffStatus.DRAFT, SignoffStatus.RETURNED}


class Policy(VersionedModel):
    """For a document type (and optionally an amount band, a client, a department): the
    steps in order. The most specific active policy whose band holds the amount wins."""

    document_type = models.CharField(_("document type"), max_length=40, db_index=True)
    name = models.CharField(_("name"), max_length=100)
    company = models.ForeignKey(
        "clients.Company",
        verbose_name=_("only for client"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    department = models.ForeignKey(
        "accounts.Department",
        verbose_name=_("only for department"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    above_amount = models.DecimalField(
        _("amount above"),
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=_("Applies to amounts above this; leave empty for no lower bound."),
    )
    up_to_amount = models.DecimalField(
        _("amount up to"),
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=_("Applies to amounts up to and including this; empty for no upper bound."),
    )
    currency = models.CharField(_("currency"), max_length=3, default="CNY")
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["document_type", "above_amount", "pk"]
        verbose_name = _("sign-off policy")
        verbose_name_plural = _("sign-off policies")
        constraints = [
            models.CheckConstraint(
                condition=Q(above_amount__isnull=True)
                | Q(up_to_amount__isnull=True)
                | Q(up_to_amount__gt=models.F("above_amount")),
                name="policy_band_ordered",
            ),
            models.CheckConstraint(
                condition=Q(above_amount__isnull=True) | Q(above_amount__gte=0),
                name="policy_band_non_negative",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class StepKind(models.TextChoices):
    ONE = "one", _("One person or position")
    ALL = "all", _("Countersign: every member signs")
    ANY = "any", _("Any one of a set")
    CLIENT = "client", _("Client sign-off")


class PolicyStep(models.Model):
    policy = models.ForeignKey(Policy, on_delete=models.CASCADE, related_name="steps")
    order = models.PositiveSmallIntegerField(_("order"))
    kind = models.CharField(_("kind"), max_length=8, choices=StepKind.choices)
    label = models.CharField(_("label"), max_length=100, blank=True)
    checks_authority = models.BooleanField(
        _("checks authority limits"),
        default=False,
        help_text=_("The signer's authority limit for this document type must cover the amount."),
    )

    class Meta:
        ordering = ["policy", "order"]
        constraints = [
            models.UniqueConstraint(fields=["policy", "order"], name="policy_step_order_once")
        ]

    def __str__(self) -> str:
        return self.label or self.get_kind_display()


class MemberKind(models.TextChoices):
    USER = "user", _("A named person")
    POSITION = "position", _("Any holder of a position")
    DEPARTMENT_HEAD = "department_head", _("Head of a department")
    TEAM_ROLE = "team_role", _("The client's service team")


class StepMember(models.Model):
    """One seat of a policy step: a person, a position, the head of a department (the
    document's own department when none is named) or the client's service team member
    with a role (e.g. its Account Director)."""

    step = models.ForeignKey(PolicyStep, on_delete=models.CASCADE, related_name="members")
    kind = models.CharField(_("who"), max_length=16, choices=MemberKind.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    position = models.ForeignKey(
        "accounts.Position", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    department = models.ForeignKey(
        "accounts.Department", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    team_role = models.CharField(max_length=24, blank=True)

    class Meta:
        ordering = ["step", "pk"]


class Snapshot(models.Model):
    """Exactly what was signed: one document revision's rendered content, its data and
    its attachments, with a SHA-256 over all of it. Never changed after it is made."""

    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    object_id = models.PositiveBigIntegerField()
    revision = models.PositiveSmallIntegerField()
    title = models.CharField(max_length=255)
    html = models.TextField()
    data = models.JSONField(default=dict)
    content_hash = models.CharField(max_length=64)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        indexes = [models.Index(fields=["content_type", "object_id", "revision"])]

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise PermissionError("Signed snapshots cannot be changed.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionError("Signed snapshots cannot be deleted.")


class SnapshotFile(models.Model):
    snapshot = models.ForeignKey(Snapshot, on_delete=models.PROTECT, related_name="files")
    name = models.CharField(max_length=255)
    file = models.FileField(upload_to="signed/%Y/%m/")
    sha256 = models.CharField(max_length=64)
    size = models.PositiveBigIntegerField()

    class Meta:
        ordering = ["snapshot", "pk"]


class Approval(models.Model):
    """One document revision's way through sign-off."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for sign-off")
        APPROVED = "approved", _("Signed off")
        REJECTED = "rejected", _("Rejected")
        RETURNED = "returned", _("Returned for revision")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    object_id = models.PositiveBigIntegerField()
    document_type = models.CharField(_("document type"), max_length=40)
    title = models.CharField(_("document"), max_length=255)
    revision = models.PositiveSmallIntegerField(_("revision"))
    amount = models.DecimalField(_("amount"), max_digits=14, decimal_places=2, null=True)
    currency = models.CharField(_("currency"), max_length=3, default="CNY")
    company = models.ForeignKey(
        "clients.Company", null=True, on_delete=models.PROTECT, related_name="approvals"
    )
    department = models.ForeignKey(
        "accounts.Department", null=True, on_delete=models.PROTECT, related_name="+"
    )
    policy = models.ForeignKey(Policy, null=True, on_delete=models.SET_NULL, related_name="+")
    policy_name = models.CharField(_("policy"), max_length=100)
    snapshot = models.OneToOneField(Snapshot, on_delete=models.PROTECT, related_name="approval")
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    # The order of the step waiting for signatures; None once the approval is closed.
    current_step = models.PositiveSmallIntegerField(null=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    submitted_at = models.DateTimeField(_("submitted"), auto_now_add=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)

    class Meta:
        ordering = ["-submitted_at", "-pk"]
        indexes = [
            models.Index(fields=["content_type", "object_id", "-submitted_at"]),
            models.Index(fields=["status", "company"]),
        ]
        constraints = [
            # A document has at most one sign-off under way.
            models.UniqueConstraint(
                fields=["content_type", "object_id"],
                condition=Q(status="pending"),
                name="approval_one_pending_per_document",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} r{self.revision}"


class ApprovalStep(models.Model):
    class Status(models.TextChoices):
        WAITING = "waiting", _("Not yet reached")
        ACTIVE = "active", _("Waiting for signatures")
        APPROVED = "approved", _("Signed")
        REJECTED = "rejected", _("Rejected")
        RETURNED = "returned", _("Returned")
        CANCELLED = "cancelled", _("Not needed")

    approval = models.ForeignKey(Approval, on_delete=models.CASCADE, related_name="steps")
    order = models.PositiveSmallIntegerField()
    kind = models.CharField(max_length=8, choices=StepKind.choices)
    label = models.CharField(max_length=100)
    checks_authority = models.BooleanField(default=False)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.WAITING)
    activated_at = models.DateTimeField(null=True, blank=True)
    # The last day the waiting signers were reminded, so a sweep run twice reminds once.
    reminded_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["approval", "order"]
        constraints = [
            models.UniqueConstraint(fields=["approval", "order"], name="approval_step_once")
        ]
        indexes = [models.Index(fields=["status", "activated_at"])]


class Seat(models.Model):
    """One signature a step needs (ALL) or may take (ONE/ANY): who may fill it. A client
    step has one seat filled by any active portal user of the document's company."""

    step = models.ForeignKey(ApprovalStep, on_delete=models.CASCADE, related_name="seats")
    number = models.PositiveSmallIntegerField()
    label = models.CharField(max_length=150)
    candidates = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="signoff_seats"
    )

    class Meta:
        ordering = ["step", "number"]
        constraints = [models.UniqueConstraint(fields=["step", "number"], name="seat_once")]


class Decision(models.Model):
    class Outcome(models.TextChoices):
        APPROVE = "approve", _("Approved")
        REJECT = "reject", _("Rejected")
        RETURN = "return", _("Returned for revision")

    class Method(models.TextChoices):
        IN_APP = "in_app", _("Signed in Jobbag")
        PORTAL = "portal", _("Signed by the client in the portal")
        SIGNED_COPY = "signed_copy", _("Client's signed copy uploaded")

    approval = models.ForeignKey(Approval, on_delete=models.PROTECT, related_name="decisions")
    step = models.ForeignKey(ApprovalStep, on_delete=models.PROTECT, related_name="decisions")
    seat = models.ForeignKey(Seat, on_delete=models.PROTECT, related_name="decisions")
    # The seat number for a countersign (ALL) step, 0 for the others: one decision each.
    lock = models.PositiveSmallIntegerField()
    outcome = models.CharField(_("decision"), max_length=8, choices=Outcome.choices)
    reason = models.TextField(_("reason"), blank=True)
    method = models.CharField(_("how"), max_length=12, choices=Method.choices)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("who"),
        on_delete=models.PROTECT,
        related_name="signoff_decisions",
    )
    # The absent approver a deputy signed for (职务代理), else empty.
    on_behalf_of = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("on behalf of"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("when"), auto_now_add=True)
    # The snapshot hash the signer saw: ties the decision to exactly that content.
    content_hash = models.CharField(max_length=64)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    # A client's signed copy uploaded by staff: the file, who signed it and when.
    signed_copy = models.FileField(upload_to="signed-copies/%Y/%m/", blank=True)
    signed_copy_sha256 = models.CharField(max_length=64, blank=True)
    client_signer = models.CharField(_("signed by (client)"), max_length=100, blank=True)
    client_signed_on = models.DateField(_("signed on"), null=True, blank=True)

    class Meta:
        ordering = ["decided_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["step", "lock"], name="decision_once_per_seat"),
        ]
        indexes = [models.Index(fields=["decided_by", "-decided_at"])]

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise PermissionError("Decisions cannot be changed.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionError("Decisions cannot be deleted.")


class SignoffSettings(SettingsRow):
    """How long a sign-off may wait before the signers are reminded (working days)."""

    remind_after_days = models.PositiveSmallIntegerField(
        _("remind signers after (working days)"), default=2
    )

    class Meta:
        verbose_name = _("sign-off settings")
