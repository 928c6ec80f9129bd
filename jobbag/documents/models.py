"""The signed-document archive (SPEC §8, issue 8): every approved document revision of
every kind filed with its classification and its frozen evidence, the confidentiality
of each document type, borrowing requests (借阅) that go through the sign-off engine, and
the log of every opening, allowed or refused.
"""

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jobbag.approvals.models import SignedDocument, SignoffStatus


class Level(models.TextChoices):
    """How far a document opens: internal to the staff who see its client or the
    document, confidential to the client's team and management, secret to management."""

    INTERNAL = "internal", _("Internal")
    CONFIDENTIAL = "confidential", _("Confidential")
    SECRET = "secret", _("Secret")


# The level of a document type without a rule of its own (admins change it on the rules
# page): quotes and contracts are confidential, everything else internal.
DEFAULT_LEVELS = {"quote": Level.CONFIDENTIAL, "contract": Level.CONFIDENTIAL}


class DocumentTypeRule(models.Model):
    """The confidentiality an archived document of this type gets when it is filed."""

    document_type = models.CharField(_("document type"), max_length=40, unique=True)
    level = models.CharField(_("confidentiality"), max_length=12, choices=Level.choices)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["document_type"]
        verbose_name = _("archive rule")
        verbose_name_plural = _("archive rules")

    def __str__(self) -> str:
        return f"{self.document_type}: {self.level}"


class ArchivedDocument(models.Model):
    """One approved revision of a signed document, filed: what it is (client, brand, job,
    date, type, title, number), how confidential it is and the evidence (the approval
    and its frozen snapshot). Filed once per approval; never changed but its level."""

    number = models.CharField(_("archive number"), max_length=40, unique=True)
    approval = models.OneToOneField(
        "approvals.Approval",
        verbose_name=_("sign-off"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="archived",
    )
    # Indexes are few on purpose (a million rows are filed): the composite ones below
    # cover company and the signed document; snapshots, brands and jobs are never deleted.
    snapshot = models.ForeignKey(
        "approvals.Snapshot", on_delete=models.PROTECT, related_name="archived", db_index=False
    )
    document_type = models.CharField(_("document type"), max_length=40)
    # The signed document itself (for its kind's may_view).
    content_type = models.ForeignKey(
        ContentType, on_delete=models.PROTECT, related_name="+", db_index=False
    )
    object_id = models.PositiveBigIntegerField()
    revision = models.PositiveSmallIntegerField(_("revision"))
    title = models.CharField(_("title"), max_length=255)
    company = models.ForeignKey(
        "clients.Company",
        verbose_name=_("client"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,
    )
    brand = models.ForeignKey(
        "clients.Brand",
        verbose_name=_("brand"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,
    )
    job = models.ForeignKey(
        "jobs.Job",
        verbose_name=_("job"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,
    )
    job_number = models.CharField(_("job number"), max_length=40, blank=True)
    signed_on = models.DateField(_("signed on"))
    level = models.CharField(
        _("confidentiality"), max_length=12, choices=Level.choices, default=Level.INTERNAL
    )
    # Lower-cased title, number, job number and client for the text search.
    search = models.CharField(max_length=500, blank=True)
    filed_at = models.DateTimeField(_("filed"), default=timezone.now)

    class Meta:
        ordering = ["-signed_on", "-pk"]
        verbose_name = _("archived document")
        verbose_name_plural = _("archived documents")
        indexes = [
            # The list, newest first, and each filter in the same order (keyset pages).
            models.Index(fields=["-signed_on", "-id"], name="archive_newest"),
            models.Index(fields=["company", "-signed_on", "-id"], name="archive_company"),
            models.Index(fields=["document_type", "-signed_on", "-id"], name="archive_type"),
            models.Index(fields=["job_number"], name="archive_job_number"),
            models.Index(fields=["content_type", "object_id"], name="archive_document"),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.title}"

    @property
    def type_label(self) -> str:
        from jobbag.approvals import registry

        try:
            return str(registry.kind_named(self.document_type).label)
        except KeyError:
            return self.document_type


class Borrowing(SignedDocument):
    """A request to open a restricted archived document for a number of days. Signed off
    by the requester's department head; open from approval until `ends_at`."""

    document = models.ForeignKey(
        ArchivedDocument,
        verbose_name=_("document"),
        on_delete=models.PROTECT,
        related_name="borrowings",
    )
    requester = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("requested by"),
        on_delete=models.PROTECT,
        related_name="borrowings",
    )
    # The department whose head signs: the requester's, or the one above it when the
    # requester heads it themselves (nobody approves their own request).
    department = models.ForeignKey(
        "accounts.Department", null=True, on_delete=models.PROTECT, related_name="+"
    )
    reason = models.TextField(_("reason"))
    days = models.PositiveSmallIntegerField(_("days"))
    created_at = models.DateTimeField(_("requested"), auto_now_add=True)
    starts_at = models.DateTimeField(_("open from"), null=True, blank=True)
    ends_at = models.DateTimeField(_("open until"), null=True, blank=True)
    # Set by the daily sweep once the loan ended and the borrower was told.
    expired_at = models.DateTimeField(_("expired"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("borrowing")
        verbose_name_plural = _("borrowings")
        indexes = [
            models.Index(fields=["requester", "document", "ends_at"], name="borrowing_open"),
            models.Index(fields=["ends_at"], name="borrowing_ends"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(days__gte=1) & Q(days__lte=30), name="borrowing_days_1_30"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.document.title} · {self.requester}"

    def is_open(self, now=None) -> bool:
        now = now or timezone.now()
        return (
            self.signoff_status == SignoffStatus.APPROVED
            and self.ends_at is not None
            and self.starts_at <= now < self.ends_at
        )

    def state(self, now=None) -> str:
        """pending, open, expired, returned, rejected or draft."""
        if self.signoff_status == SignoffStatus.APPROVED:
            return "open" if self.is_open(now) else "expired"
        if self.signoff_status == SignoffStatus.SUBMITTED:
            return "pending"
        return self.signoff_status


class AccessLog(models.Model):
    """One attempt to read an archived document's content or file: who, what, when,
    allowed or refused, and under which borrowing."""

    class Action(models.TextChoices):
        VIEW = "view", _("Viewed")
        DOWNLOAD = "download", _("Downloaded")

    class Outcome(models.TextChoices):
        ALLOWED = "allowed", _("Allowed")
        REFUSED = "refused", _("Refused")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("who"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    document = models.ForeignKey(
        ArchivedDocument,
        verbose_name=_("document"),
        on_delete=models.PROTECT,
        related_name="access_log",
    )
    action = models.CharField(_("action"), max_length=10, choices=Action.choices)
    outcome = models.CharField(_("outcome"), max_length=8, choices=Outcome.choices)
    borrowing = models.ForeignKey(
        Borrowing,
        verbose_name=_("borrowing"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    file_name = models.CharField(_("file"), max_length=255, blank=True)
    via = models.CharField(_("via"), max_length=8, default="page")
    ip_address = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    at = models.DateTimeField(_("when"), default=timezone.now)

    class Meta:
        ordering = ["-at", "-pk"]
        verbose_name = _("archive access")
        verbose_name_plural = _("archive access log")
        indexes = [
            models.Index(fields=["-at", "-id"], name="accesslog_newest"),
            models.Index(fields=["document", "-at"], name="accesslog_document"),
            models.Index(fields=["user", "-at"], name="accesslog_user"),
        ]

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise PermissionError("The access log cannot be changed.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionError("The access log cannot be deleted.")
