"""What the meetings services share: checking an action's owner, side and date."""

from datetime import date

from django.utils.translation import gettext_lazy as _

from jobbag.accounts.models import User
from jobbag.clients.models import Company, Contact
from jobbag.core.errors import DomainError
from jobbag.meetings.models import Side

ACTION_INVALID = _("The action is incomplete: correct the fields marked.")
REQUIRED = _("This field is required.")
SIDE_INVALID = _("Choose whether the agency or the client owns the action.")
OWNER_NOT_STAFF = _("Choose an active member of staff.")
OWNER_NOT_CLIENT = _("Choose one of this client's contacts.")


def clean_action(company: Company, values: dict) -> dict:
    """An action's text, side, owner (ours or the client's) and due date, checked; a
    DomainError with a field error for each problem."""
    text = (values.get("text") or "").strip()
    side = values.get("side")
    owner = values.get("owner")
    owner_contact = values.get("owner_contact")
    due_on = values.get("due_on")
    errors = {}
    if not text:
        errors["text"] = REQUIRED
    if not isinstance(due_on, date):
        errors["due_on"] = REQUIRED
    if side == Side.AGENCY:
        owner_contact = None
        if not isinstance(owner, User) or not owner.is_active or owner.kind != User.Kind.STAFF:
            errors["owner"] = OWNER_NOT_STAFF
    elif side == Side.CLIENT:
        owner = None
        if (
            not isinstance(owner_contact, Contact)
            or owner_contact.company_id != company.pk
            or not owner_contact.is_active
        ):
            errors["owner_contact"] = OWNER_NOT_CLIENT
    else:
        errors["side"] = SIDE_INVALID
    if errors:
        raise DomainError(ACTION_INVALID, fields=errors)
    return {
        "text": text,
        "side": side,
        "owner": owner,
        "owner_contact": owner_contact,
        "due_on": due_on,
    }
