"""Change notices (变更): a client's change after dispatch, numbered per job, sent to the
departments it touches, each of which acknowledges it again."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from jobbag.approvals.models import SignedDocument


class ChangeNotice(SignedDocument):
    job = models.ForeignKey("jobs.Job", on_delete=models.PROTECT, related_name="change_notices")
    number = models.PositiveSmallIntegerField(_("number"))
    what = models.TextField(_("what changes"))
    why = models.TextField(_("why"))
    requested_by = models.CharField(_("asked for by"), max_length=100)
    requested_on = models.DateField(_("asked for on"))
    # The requirement fields it changes: {field: [before, after]}, applied when signed.
    changes = models.JSONField(_("requirement changes"), default=dict, blank=True)
    departments = models.ManyToManyField(
        "accounts.Department", verbose_name=_("to departments"), related_name="+"
    )
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["job", "number"]
        verbose_name = _("change notice")
        verbose_name_plural = _("change notices")
        constraints = [
            models.UniqueConstraint(fields=["job", "number"], name="change_notice_number_once")
        ]

    def __str__(self) -> str:
        return f"{self.job} · CN-{self.number}"
