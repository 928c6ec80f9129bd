"""Review (评审): the pre-review with the client and, for large orders, the internal
review meeting; written minutes, each department's duties, open questions."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from jobbag.approvals.models import SignedDocument


class Review(SignedDocument):
    class Kind(models.TextChoices):
        PRE_REVIEW = "pre_review", _("Pre-review with the client")
        INTERNAL = "internal", _("Internal review meeting")

    job = models.ForeignKey("jobs.Job", on_delete=models.PROTECT, related_name="reviews")
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    held_on = models.DateField(_("held on"))
    place = models.CharField(_("place"), max_length=100, blank=True)
    attendees = models.TextField(_("attendees"))
    minutes = models.TextField(_("minutes"))
    # Open questions go back to the client in writing.
    open_questions = models.TextField(_("open questions for the client"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["job", "held_on", "pk"]
        verbose_name = _("review")
        verbose_name_plural = _("reviews")

    def __str__(self) -> str:
        return f"{self.job} · {self.get_kind_display()}"


class ReviewDuty(models.Model):
    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="duties")
    department = models.ForeignKey(
        "accounts.Department", verbose_name=_("department"), on_delete=models.PROTECT
    )
    duties = models.TextField(_("duties"))

    class Meta:
        ordering = ["review", "department__code"]
        constraints = [
            models.UniqueConstraint(fields=["review", "department"], name="review_duty_once")
        ]
