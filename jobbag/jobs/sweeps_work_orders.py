"""Daily sweeps of work orders and change notices: late acknowledgements."""

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jobbag.core.notifications import notify
from jobbag.core.sweeps import daily
from jobbag.jobs.models import Acknowledgement
from jobbag.jobs.selectors.work_orders import late_unreminded

LATE = _("%(department)s has not acknowledged %(document)s: it was due on %(due)s.")


@daily("jobs.late_acknowledgements")
def remind_late_acknowledgements() -> int:
    """Tells the receiving department's head and the job's owner, once per receipt, that
    it is late. Idempotent: a receipt is marked when told, and a second run skips it."""
    today = timezone.localdate()
    told = 0
    for row in late_unreminded(today).select_for_update(of=("self",)):
        recipients = {row.job.owner_id: row.job.owner}
        if row.department.head_id and row.department.head.is_active:
            recipients[row.department.head_id] = row.department.head
        document = row.work_order or row.change_notice
        values = {"department": row.department, "document": document, "due": row.due_on}
        notify(
            recipients=recipients.values(),
            message=lambda values=values: LATE % values,
            link=reverse("jobs:detail", args=[row.job_id]),
            email=True,
        )
        updated = Acknowledgement.objects.filter(pk=row.pk, reminded_on__isnull=True).update(
            reminded_on=today
        )
        told += updated
    return told
