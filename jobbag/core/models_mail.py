"""The record that makes e-mail delivery idempotent (see core.mail and core.tasks)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class SentEmail(models.Model):
    """One message handed to the delivery backend, keyed by its Message-ID header.

    The `send_email` task writes this row in the same transaction as the hand-over, so a
    task that runs twice (a retry, a re-queue after a dead worker) sends the message once.
    """

    message_id = models.CharField(_("message id"), max_length=255, unique=True)
    sent_at = models.DateTimeField(_("sent at"), auto_now_add=True, db_index=True)

    class Meta:
        app_label = "core"
        verbose_name = _("sent e-mail")
        verbose_name_plural = _("sent e-mails")

    def __str__(self) -> str:
        return self.message_id
