"""What the people-and-organisation services share: messages, checks, versioned saves."""

import re

from django.utils.translation import gettext_lazy as _

from jobbag.accounts.models import (
    Department,
    User,
)
from jobbag.core import audit
from jobbag.core.errors import DomainError
from jobbag.core.versioning import save_versioned

MANAGE = "accounts.organisation.manage"

# Messages shown to the user; constants so that every caller gets the same wording.
INVALID = _("Please correct the errors below.")
REQUIRED = _("This field is required.")
CODE_FORMAT = _("Use lower-case letters, digits and hyphens only.")
CODE_TAKEN = _("This code is already in use.")
USERNAME_TAKEN = _("This username is already in use.")
EMAIL_TAKEN = _("Another user already has this e-mail address.")
EMAIL_INVALID = _("Enter a valid e-mail address.")
LANGUAGE_INVALID = _("Choose one of the offered languages.")
ROLE_INVALID = _("Choose one of the offered roles.")
KIND_INVALID = _("Choose one of the offered kinds.")
NOT_ACTIVE_STAFF = _("Choose an active staff member.")
INACTIVE_DEPARTMENT = _("This department is no longer active.")
PARENT_CYCLE = _("A department cannot be part of itself or of one of its own teams.")
DEPARTMENT_HAS_MEMBERS = _("This department still has active members; move them first.")
REPORTS_TO_CYCLE = _("A person cannot report to themselves or to someone who reports to them.")
OWN_ADMIN_RIGHTS = _("You cannot take away your own administrator rights.")
SELF_DEACTIVATE = _("You cannot deactivate your own account.")
ALREADY_ACTIVE = _("This user is already active.")
DATES_ORDER = _("The end date cannot be before the start date.")
DEPUTY_SELF = _("You cannot be your own deputy.")
DEPUTY_OVERLAP = _("There is already a deputy for an overlapping period (%(start)s to %(end)s).")
DEPUTY_CLOSED = _("This deputy arrangement has already ended or been cancelled.")
TEAM_ROLE_INVALID = _("Choose AD, AM or AE (a role on the account ladder).")
TEAM_DUPLICATE = _("This person is already on the team.")
TEAM_ENDED = _("This membership has already ended.")
DOCUMENT_TYPE_FORMAT = _("Use lower-case letters, digits, hyphens and underscores only.")
CURRENCY_FORMAT = _("Enter a three-letter currency code such as CNY.")
AMOUNT_NEGATIVE = _("The amount cannot be negative.")
LIMIT_EXISTS = _("This position already has a limit for this document type and currency.")

CODE_RE = re.compile(r"^[a-z0-9][a-z0-9-]*$")
DOCUMENT_TYPE_RE = re.compile(r"^[a-z][a-z0-9_-]*$")
CURRENCY_RE = re.compile(r"^[A-Z]{3}$")


def raise_if(errors: dict) -> None:
    if errors:
        raise DomainError(INVALID, fields=errors)


def is_active_staff(user: User | None) -> bool:
    return user is not None and user.is_active and user.kind == User.Kind.STAFF


def newly_inactive(department: Department | None, current_id: int | None) -> bool:
    """An inactive department may stay where it was chosen before, but not be chosen anew."""
    return department is not None and not department.is_active and department.pk != current_id


def check_names(errors: dict, *, code: str, name_zh: str, model, instance=None) -> None:
    """The checks shared by departments, positions and client groups."""
    if not code:
        errors["code"] = REQUIRED
    elif not CODE_RE.match(code) or len(code) > 32:
        errors["code"] = CODE_FORMAT
    else:
        others = model.objects.filter(code=code)
        if instance is not None:
            others = others.exclude(pk=instance.pk)
        if others.exists():
            errors["code"] = CODE_TAKEN
    if not name_zh.strip():
        errors["name_zh"] = REQUIRED


def update_versioned(*, actor: User, obj, expected_version: int, values: dict, note: str = ""):
    """Applies `values` to `obj` if it is still at `expected_version`, and audits the change."""
    before = audit.snapshot(obj, list(values))
    for name, value in values.items():
        setattr(obj, name, value)
    save_versioned(obj, expected_version=expected_version, fields=list(values))
    audit.record_change(actor=actor, obj=obj, before=before, note=note)
    return obj


# Users ---------------------------------------------------------------------------------


def chain_reaches(start, target, *, up: str) -> bool:
    """Whether following the `up` link (parent, reports_to) from `start` reaches `target`,
    `start` itself included; a loop already in the data ends the walk."""
    seen = set()
    current = start
    while current is not None and current.pk not in seen:
        if current.pk == target.pk:
            return True
        seen.add(current.pk)
        current = getattr(current, up)
    return False
