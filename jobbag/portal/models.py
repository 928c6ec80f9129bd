"""Client portal accounts: invitations that let a client's contact become a client user."""

import hashlib

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class PortalInvitation(models.Model):
    """An e-mailed link that lets `contact` set a password and become a client user.

    Only the SHA-256 digest of the link's token is kept, so the table never holds a
    usable link. A link works once, until `expires_at`, unless revoked.
    """

    class State(models.TextChoices):
        OPEN = "open", _("Waiting for the contact")
        ACCEPTED = "accepted", _("Accepted")
        REVOKED = "revoked", _("Withdrawn")
        EXPIRED = "expired", _("Expired")

    contact = models.ForeignKey(
        "clients.Contact",
        verbose_name=_("client contact"),
        on_delete=models.CASCADE,
        related_name="portal_invitations",
    )
    email = models.EmailField(_("e-mail"))
    token_digest = models.CharField(max_length=64, unique=True, editable=False)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("invited by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("sent"), default=timezone.now)
    expires_at = models.DateTimeField(_("valid until"))
    accepted_at = models.DateTimeField(_("accepted"), null=True, blank=True)
    accepted_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    revoked_at = models.DateTimeField(_("withdrawn"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("portal invitation")
        verbose_name_plural = _("portal invitations")
        constraints = [
            # Inviting again withdraws the earlier link, so at most one is ever open.
            models.UniqueConstraint(
                fields=["contact"],
                condition=Q(accepted_at__isnull=True, revoked_at__isnull=True),
                name="portal_one_open_invitation",
            ),
            models.CheckConstraint(
                condition=Q(accepted_at__isnull=True) | Q(revoked_at__isnull=True),
                name="portal_invitation_accepted_or_revoked",
            ),
            models.CheckConstraint(
                condition=Q(expires_at__gt=models.F("created_at")),
                name="portal_invitation_expires_after_sent",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.email} ({self.created_at:%Y-%m-%d})"

    @staticmethod
    def digest_of(token: str) -> str:
        return hashlib.sha256(token.encode()).hexdigest()

    @property
    def state(self) -> str:
        if self.accepted_at:
            return self.State.ACCEPTED
        if self.revoked_at:
            return self.State.REVOKED
        if self.expires_at <= timezone.now():
            return self.State.EXPIRED
        return self.State.OPEN

    def get_state_display(self) -> str:
        return self.State(self.state).label
