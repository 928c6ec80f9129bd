"""Work orders (工作单): filled completely, signed by the AD and the Account head,
dispatched to departments, each of which acknowledges receipt (签收)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from jobbag.approvals.models import SignedDocument


class WorkOrder(SignedDocument):
    job = models.ForeignKey("jobs.Job", on_delete=models.PROTECT, related_name="work_orders")
    number = models.PositiveSmallIntegerField(_("number"))
    # What the client asked for, complete (SPEC §4): the form refuses gaps.
    client_request = models.TextField(_("client's request"))
    specification = models.TextField(_("specification (size, material, quantity)"))
    quantity = models.CharField(_("quantity"), max_length=100)
    quality_standard = models.TextField(_("quality standard"))
    packaging = models.TextField(_("packaging"), blank=True)
    logistics = models.TextField(_("delivery and logistics"), blank=True)
    delivery_place = models.CharField(_("delivery or installation place"), max_length=200)
    delivery_due = models.DateField(_("delivery due"))
    budget = models.DecimalField(
        _("budget"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    notes = models.TextField(_("notes"), blank=True)
    departments = models.ManyToManyField(
        "accounts.Department", verbose_name=_("to departments"), related_name="+"
    )
    dispatched_at = models.DateTimeField(_("dispatched"), null=True, blank=True)
    dispatched_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["job", "number"]
        verbose_name = _("work order")
        verbose_name_plural = _("work orders")
        constraints = [
            models.UniqueConstraint(fields=["job", "number"], name="work_order_number_once"),
            models.CheckConstraint(
                condition=Q(budget__isnull=True) | Q(budget__gte=0),
                name="work_order_budget_non_negative",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.job} · WO-{self.number}"


class Acknowledgement(models.Model):
    """A department's receipt (签收) of a dispatched work order or of a change notice."""

    job = models.ForeignKey("jobs.Job", on_delete=models.CASCADE, related_name="acknowledgements")
    work_order = models.ForeignKey(
        WorkOrder, null=True, blank=True, on_delete=models.CASCADE, related_name="acknowledgements"
    )
    change_notice = models.ForeignKey(
        "jobs.ChangeNotice",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="acknowledgements",
    )
    department = models.ForeignKey(
        "accounts.Department", verbose_name=_("department"), on_delete=models.PROTECT
    )
    sent_at = models.DateTimeField(_("sent"))
    due_on = models.DateField(_("acknowledge by"))
    acknowledged_at = models.DateTimeField(_("acknowledged"), null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    note = models.CharField(_("note"), max_length=300, blank=True)
    # The day the department head and the job owner were told it is late (once only).
    reminded_on = models.DateField(_("late reminder sent"), null=True, blank=True)

    class Meta:
        ordering = ["job", "sent_at", "department__code"]
        indexes = [models.Index(fields=["department", "acknowledged_at", "due_on"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(work_order__isnull=False, change_notice__isnull=True)
                | Q(work_order__isnull=True, change_notice__isnull=False),
                name="acknowledgement_of_one_document",
            ),
            models.UniqueConstraint(
                fields=["work_order", "department"], name="acknowledgement_once_per_work_order"
            ),
            models.UniqueConstraint(
                fields=["change_notice", "department"], name="acknowledgement_once_per_change"
            ),
        ]
