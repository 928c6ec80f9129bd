"""The daily sweep of the action register: an open action due today reminds whoever
answers for it once; one overdue by MeetingSettings.action_escalate_after_days working
days or more escalates once, to its owner, the owner's superior and the client's Account
Directors on the current service team.

Idempotent: what is due is re-derived from the database and each action is marked
(`reminded_on`, `escalated_on`) in the same transaction as its notices, so a second run,
or one redone after a dead worker, tells no one twice. A new owner or due date re-arms
both (meetings.services.actions.action_update).
"""

from datetime import date

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from jobbag.accounts.models import Role, User
from jobbag.calendar.services import working_days_between
from jobbag.clients.permissions import current_memberships
from jobbag.core.notifications import notify
from jobbag.core.sweeps import daily
from jobbag.meetings.models import Action, MeetingSettings
from jobbag.meetings.services.actions import action_url, responsible

DUE_TODAY = _("An action for %(client)s is due today: %(text)s")
ESCALATED = _("An action for %(client)s is overdue (due %(due)s, owner %(owner)s): %(text)s")


def _text(action: Action) -> str:
    return action.text if len(action.text) <= 80 else f"{action.text[:79]}…"


def _rows():
    return Action.objects.select_related(
        "company", "owner__reports_to", "owner_contact", "report__created_by", "created_by"
    ).select_for_update(of=("self",))


def account_directors(company, on: date) -> list[User]:
    """The client's ADs on its current service team: of the company, one of its brands
    or its client group."""
    served = Q(company=company) | Q(brand__company=company)
    if company.client_group_id:
        served |= Q(client_group_id=company.client_group_id)
    return list(
        User.objects.filter(
            pk__in=current_memberships(on).filter(served, team_role=Role.AD).values("user"),
            is_active=True,
        )
    )


def escalation_recipients(action: Action, on: date) -> list[User]:
    people: dict[int, User] = {}
    person = responsible(action)
    if person is not None:
        people[person.pk] = person
        boss = person.reports_to
        if boss is not None:
            people[boss.pk] = boss
    for director in account_directors(action.company, on):
        people[director.pk] = director
    return [user for user in people.values() if user.is_active]


def _overdue_enough(today: date, after_days: int) -> list[date]:
    """The due dates (before today) with open, unescalated actions that are at least
    `after_days` working days late; one calendar look-up per distinct date."""
    dates = (
        Action.objects.filter(
            status=Action.Status.OPEN, escalated_on__isnull=True, due_on__lt=today
        )
        .values_list("due_on", flat=True)
        .distinct()
    )
    return [day for day in dates if working_days_between(day, today) >= after_days]


@daily("meetings.actions_due")
def remind_actions_due(today: date | None = None) -> dict:
    """Escalates late actions, then reminds those due today; returns how many of each."""
    today = today or timezone.localdate()
    after_days = MeetingSettings.current().action_escalate_after_days
    escalated = 0
    late_dates = _overdue_enough(today, after_days)
    if late_dates:
        late = _rows().filter(
            status=Action.Status.OPEN, escalated_on__isnull=True, due_on__in=late_dates
        )
        for action in late:
            values = {
                "client": action.company.code,
                "due": action.due_on.isoformat(),
                "owner": action.owner_name,
                "text": _text(action),
            }
            notify(
                recipients=escalation_recipients(action, today),
                message=lambda values=values: gettext(ESCALATED) % values,
                link=action_url(action),
                email=True,
            )
            escalated += Action.objects.filter(pk=action.pk, escalated_on__isnull=True).update(
                escalated_on=today
            )

    reminded = 0
    due = _rows().filter(status=Action.Status.OPEN, reminded_on__isnull=True, due_on=today)
    for action in due:
        person = responsible(action)
        if person is not None and person.is_active:
            values = {"client": action.company.code, "text": _text(action)}
            notify(
                recipients=[person],
                message=lambda values=values: gettext(DUE_TODAY) % values,
                link=action_url(action),
                email=True,
            )
        reminded += Action.objects.filter(pk=action.pk, reminded_on__isnull=True).update(
            reminded_on=today
        )
    return {"reminded": reminded, "escalated": escalated}
