"""The daily reminder to log time: on a working day, everyone who logs time on jobs
(TIME_ROLES: the creative, copy, planning, media and production people and the account
ladder from AE to AD) and logged nothing for the working day before is told once. The
notice's link names that day, so a sweep run twice reminds nobody twice."""

from datetime import date, timedelta

from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jobbag.accounts.models import Role, User
from jobbag.calendar.services import is_working_day
from jobbag.core.models import Notification
from jobbag.core.notifications import notify
from jobbag.core.sweeps import daily
from jobbag.finance.models import TimeEntry
from jobbag.finance.selectors.time import monday_of

TIME_ROLES = {
    Role.CREATIVE_DIRECTOR,
    Role.DESIGNER,
    Role.COPYWRITER,
    Role.PLANNER,
    Role.MEDIA,
    Role.PRODUCER,
    Role.AE,
    Role.AM,
    Role.AD,
}
REMINDER = _("You have not logged your time for %(day)s yet.")


def remind_missing_time(today: date | None = None) -> list[User]:
    """Reminds those who logged nothing on the last working day before `today` (only
    when `today` is itself a working day); returns who was reminded."""
    today = today or timezone.localdate()
    if not is_working_day(today):
        return []
    day = today - timedelta(days=1)
    for _step in range(14):
        if is_working_day(day):
            break
        day -= timedelta(days=1)
    else:
        return []
    link = f"{reverse('finance:time_week_of', args=[monday_of(day).isoformat()])}?day={day}"
    logged = TimeEntry.objects.filter(user=OuterRef("pk"), day=day)
    told = Notification.objects.filter(recipient=OuterRef("pk"), link=link)
    people = list(
        User.objects.filter(kind=User.Kind.STAFF, is_active=True, position__role__in=TIME_ROLES)
        .exclude(Exists(logged))
        .exclude(Exists(told))
        .order_by("pk")
    )
    if people:
        notify(
            recipients=people,
            message=lambda: REMINDER % {"day": day.isoformat()},
            link=link,
        )
    return people


@daily("finance.time_reminders")
def time_reminders() -> None:
    remind_missing_time()
