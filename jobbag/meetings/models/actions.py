"""The action register (SPEC §6): every next action is a tracked task with an owner on
either side, a due date and a status; overdue ones escalate; done ones keep who closed
them and when."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from jobbag.core.models import VersionedModel
from jobbag.meetings.models.meetings import Side


class Action(VersionedModel):
    class Status(models.TextChoices):
        # In a contact report not yet sent: not tracked until the report goes out.
        DRAFT = "draft", _("In a draft report")
        OPEN = "open", _("Open")
        DONE = "done", _("Done")
        CANCELLED = "cancelled", _("Cancelled")

    company = models.ForeignKey(
        "clients.Company",
        verbose_name=_("client"),
        on_delete=models.PROTECT,
        related_name="actions",
    )
    job = models.ForeignKey(
        "jobs.Job",
        verbose_name=_("job"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="actions",
    )
    report = models.ForeignKey(
        "meetings.ContactReport",
        verbose_name=_("contact report"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="actions",
    )
    position = models.PositiveSmallIntegerField(_("order"), default=0)
    text = models.TextField(_("action"))
    side = models.CharField(_("side"), max_length=8, choices=Side.choices)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("owner"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="actions",
    )
    owner_contact = models.ForeignKey(
        "clients.Contact",
        verbose_name=_("owner (client side)"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="actions",
    )
    due_on = models.DateField(_("due"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default="open")
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("closed by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    closing_note = models.CharField(_("closing note"), max_length=300, blank=True)
    reminded_on = models.DateField(null=True, blank=True, editable=False)
    escalated_on = models.DateField(null=True, blank=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["due_on", "pk"]
        verbose_name = _("action")
        verbose_name_plural = _("actions")
        indexes = [
            models.Index(fields=["owner", "status", "due_on"]),
            models.Index(fields=["company", "status", "due_on"]),
            models.Index(fields=["status", "due_on"]),
        ]
        constraints = [
            # The owner is on the side the action is on: one of ours, or a client contact.
            models.CheckConstraint(
                condition=Q(side="agency", owner__isnull=False, owner_contact__isnull=True)
                | Q(side="client", owner__isnull=True, owner_contact__isnull=False),
                name="action_owner_on_its_side",
            ),
            models.CheckConstraint(
                condition=Q(status__in=["done", "cancelled"], closed_at__isnull=False)
                | Q(status__in=["draft", "open"], closed_at__isnull=True),
                name="action_closed_when_done",
            ),
        ]

    def __str__(self) -> str:
        return self.text[:80]

    @property
    def owner_name(self) -> str:
        person = self.owner if self.side == Side.AGENCY else self.owner_contact
        return str(person) if person else ""
