"""Every change to the pipeline goes through here.

Each service takes the acting user first, checks permission (core.permissions), validates
all fields at once (DomainError with per-field messages), writes in a transaction with an
audit entry. Stage changes lock the prospect row, check the version the user saw (so a
double submit or a race records one move, never two) and write a ProspectStageMove.
"""

import re
from datetime import date
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jobbag.accounts.models import ACCOUNT_LADDER, ClientGroup, ServiceTeamMembership, User
from jobbag.clients.models import Company
from jobbag.clients.services import company_create, contact_create
from jobbag.core import audit
from jobbag.core.errors import Conflict, DomainError
from jobbag.core.permissions import can, require
from jobbag.core.phones import PHONE_INVALID, is_phone
from jobbag.pipeline.models import (
    OPEN_STAGES,
    TRANSITIONS,
    Prospect,
    ProspectStageMove,
    Source,
    Stage,
    is_backward,
)
from jobbag.pipeline.permissions import people_behind, sees_every_prospect, works_pipeline

INVALID = _("Please correct the errors below.")
REQUIRED = _("This field is required.")
NEGATIVE = _("The expected value cannot be negative.")
NOT_A_NUMBER = _("Enter a number.")
PROBABILITY_RANGE = _("Enter a probability from 0 to 100.")
CURRENCY_FORMAT = _("Enter a three-letter currency code such as CNY.")
EMAIL_INVALID = _("Enter a valid e-mail address.")
SOURCE_INVALID = _("Choose one of the offered sources.")
STAGE_NOT_OPEN = _("A new prospect starts at one of the open stages.")
OWNER_INVALID = _("Choose yourself or someone in your team who works the pipeline.")
STAGE_UNKNOWN = _("Choose one of the offered stages.")
MOVE_ILLEGAL = _("A prospect at “%(old)s” cannot move to “%(new)s”.")
MOVE_SAME = _("The prospect is already at this stage.")
MOVE_BACK_REASON = _("Say why the prospect moves back.")
MOVE_USE_WIN = _("Use “Won” to record a win: it creates the client.")
MOVE_USE_LOSE = _("Use “Lost” to record a loss, with its reason.")
LOSS_REASON = _("Say why the prospect was lost.")
REOPEN_REASON = _("Say why the prospect is reopened.")
REOPEN_NOT_LOST = _("Only a lost prospect can be reopened.")
DATE_INVALID = _("Enter a valid date.")
WIN_NOT_ON_TEAM = _(
    "You would not be able to open the new client's file: choose a client group you "
    "belong to, or ask the owner or a director to record the win."
)
CLOSED_NO_EDIT = _("A lost prospect cannot be edited; reopen it first.")

CURRENCY_RE = re.compile(r"^[A-Z]{3}$")
MOBILE_RE = re.compile(r"^1[3-9][0-9]{9}$")

# The fields prospect_create/prospect_update may set.
PROSPECT_FIELDS = (
    "name",
    "industry",
    "source",
    "contact_name",
    "contact_title",
    "contact_phone",
    "contact_email",
    "notes",
    "owner",
    "expected_value",
    "currency",
    "probability",
    "expected_close_on",
)


def _raise_if(errors: dict) -> None:
    if errors:
        raise DomainError(INVALID, fields=errors)


def _clean(values: dict) -> dict:
    cleaned = {k: v.strip() if isinstance(v, str) else v for k, v in values.items()}
    for name in ("name", "industry", "source", "contact_name", "contact_title", "notes"):
        if name in cleaned and cleaned[name] is None:
            cleaned[name] = ""
    if "currency" in cleaned:
        cleaned["currency"] = (cleaned["currency"] or "").upper()
    return cleaned


def may_own(actor: User, owner: User) -> bool:
    """An owner is a pipeline person: the actor themselves, someone below them, or
    anyone when the actor sees every prospect."""
    if not owner.is_active or not works_pipeline(owner):
        return False
    return sees_every_prospect(actor) or owner.pk in people_behind(actor)


def _check(errors: dict, values: dict, *, actor: User) -> None:
    if "name" in values and not values["name"]:
        errors["name"] = REQUIRED
    if values.get("source") and values["source"] not in Source.values:
        errors["source"] = SOURCE_INVALID
    if values.get("contact_phone") and not is_phone(values["contact_phone"]):
        errors["contact_phone"] = PHONE_INVALID
    if values.get("contact_email"):
        try:
            validate_email(values["contact_email"])
        except ValidationError:
            errors["contact_email"] = EMAIL_INVALID
    if "expected_value" in values:
        try:
            value = Decimal(str(values["expected_value"] if values["expected_value"] else 0))
        except (InvalidOperation, ValueError):
            errors["expected_value"] = NOT_A_NUMBER
        else:
            if not value.is_finite():
                errors["expected_value"] = NOT_A_NUMBER
            elif value < 0:
                errors["expected_value"] = NEGATIVE
            else:
                values["expected_value"] = value.quantize(Decimal("0.01"))
    if "probability" in values:
        probability = values["probability"]
        if not isinstance(probability, int) or not 0 <= probability <= 100:
            errors["probability"] = PROBABILITY_RANGE
    if "currency" in values and not CURRENCY_RE.match(values["currency"]):
        errors["currency"] = CURRENCY_FORMAT
    close_on = values.get("expected_close_on")
    if close_on is not None and not isinstance(close_on, date):
        errors["expected_close_on"] = DATE_INVALID
    owner = values.get("owner")
    if "owner" in values and (owner is None or not may_own(actor, owner)):
        errors["owner"] = OWNER_INVALID


def _record_move(*, actor: User, prospect: Prospect, old: str, note: str) -> ProspectStageMove:
    move = ProspectStageMove.objects.create(
        prospect=prospect, from_stage=old, to_stage=prospect.stage, by=actor, note=note
    )
    audit.record_transition(actor=actor, obj=prospect, old=old, new=prospect.stage, note=note)
    return move


@transaction.atomic
def prospect_create(
    *, actor: User, name: str, stage: str = Stage.COLLECT_INFO, **fields
) -> Prospect:
    """Adds a prospect, owned by the actor unless `owner` names someone they may assign.
    The starting stage is recorded as the prospect's first move."""
    require(actor, "pipeline.prospect.create")
    unknown = set(fields) - set(PROSPECT_FIELDS)
    if unknown:
        raise TypeError(f"Unknown prospect fields: {sorted(unknown)}")
    values = _clean({"name": name, **fields})
    if values.get("owner") is None:
        values["owner"] = actor
    errors: dict = {}
    _check(errors, values, actor=actor)
    if stage not in OPEN_STAGES:
        errors["stage"] = STAGE_NOT_OPEN
    _raise_if(errors)
    prospect = Prospect.objects.create(created_by=actor, stage=stage, **values)
    audit.record_create(actor=actor, obj=prospect)
    ProspectStageMove.objects.create(
        prospect=prospect, from_stage="", to_stage=stage, by=actor, note=""
    )
    return prospect


def _lock(prospect: Prospect, expected_version: int) -> Prospect:
    """The prospect's row, locked until the transaction ends, as long as it is still at
    the version the user saw; otherwise someone (or an earlier click) changed it."""
    locked = Prospect.objects.select_for_update().select_related("owner").get(pk=prospect.pk)
    if locked.version != expected_version:
        raise Conflict()
    return locked


def _save(prospect: Prospect, fields: list[str]) -> None:
    prospect.version += 1
    prospect.save(update_fields=[*fields, "version"])


@transaction.atomic
def prospect_update(
    *, actor: User, prospect: Prospect, expected_version: int, **fields
) -> Prospect:
    """Changes the given fields (any of PROSPECT_FIELDS); the stage moves only through
    prospect_move, prospect_win, prospect_lose and prospect_reopen."""
    require(actor, "pipeline.prospect.edit", prospect)
    unknown = set(fields) - set(PROSPECT_FIELDS)
    if unknown:
        raise TypeError(f"Unknown prospect fields: {sorted(unknown)}")
    locked = _lock(prospect, expected_version)
    if locked.stage == Stage.LOST:
        raise DomainError(CLOSED_NO_EDIT)
    values = _clean(fields)
    errors: dict = {}
    _check(errors, values, actor=actor)
    _raise_if(errors)
    before = audit.snapshot(locked, list(values))
    for name, value in values.items():
        setattr(locked, name, value)
    _save(locked, list(values))
    audit.record_change(actor=actor, obj=locked, before=before)
    return locked


def _check_move(old: str, new: str) -> None:
    if new not in Stage.values:
        raise DomainError(INVALID, fields={"to": STAGE_UNKNOWN})
    if new == old:
        raise DomainError(MOVE_SAME, fields={"to": MOVE_SAME})
    if new not in TRANSITIONS[old]:
        message = MOVE_ILLEGAL % {"old": Stage(old).label, "new": Stage(new).label}
        raise DomainError(message, fields={"to": message})


@transaction.atomic
def prospect_move(
    *, actor: User, prospect: Prospect, expected_version: int, to: str, note: str = ""
) -> Prospect:
    """Moves a prospect forward one or more stages, or back with a reason; after the
    win, on to the contract, notarisation and hand-over."""
    require(actor, "pipeline.prospect.edit", prospect)
    note = (note or "").strip()
    if to == Stage.WON:
        raise DomainError(MOVE_USE_WIN, fields={"to": MOVE_USE_WIN})
    if to == Stage.LOST:
        raise DomainError(MOVE_USE_LOSE, fields={"to": MOVE_USE_LOSE})
    locked = _lock(prospect, expected_version)
    old = locked.stage
    _check_move(old, to)
    if is_backward(old, to) and not note:
        raise DomainError(MOVE_BACK_REASON, fields={"note": MOVE_BACK_REASON})
    locked.stage = to
    _save(locked, ["stage"])
    _record_move(actor=actor, prospect=locked, old=old, note=note)
    return locked


def _contact_numbers(phone: str) -> dict:
    """A mainland mobile number goes to the contact's mobile, any other to the phone."""
    if not phone:
        return {}
    return {"mobile": phone} if MOBILE_RE.match(phone.replace(" ", "")) else {"phone": phone}


@transaction.atomic
def prospect_win(
    *,
    actor: User,
    prospect: Prospect,
    expected_version: int,
    code: str,
    company_name: str = "",
    reason: str = "",
    client_group: ClientGroup | None = None,
) -> Company:
    """Records the pitch won: creates the client company (with the code the user gives),
    puts the prospect's owner on its service team, copies the contact person into the
    client's people and links the prospect, whose moves stay as the client's history."""
    require(actor, "pipeline.prospect.win", prospect)
    locked = _lock(prospect, expected_version)
    old = locked.stage
    if Stage.WON not in TRANSITIONS[old]:
        message = MOVE_ILLEGAL % {"old": Stage(old).label, "new": Stage.WON.label}
        raise DomainError(message, fields={"__all__": message})
    company = company_create(
        actor=actor,
        code=code,
        name=(company_name or "").strip() or locked.name,
        industry=locked.industry,
        currency=locked.currency,
        client_group=client_group,
    )
    # The owner serves the client they brought in (company_create has already put an
    # account-ladder actor on the team). The win itself is the authority for this, so it
    # is written here: team_member_add would ask for edit rights on a file that only the
    # new team can have (a Marketing Manager winning for their AE, say).
    owner = locked.owner
    if (
        owner.role in ACCOUNT_LADDER
        and not ServiceTeamMembership.objects.filter(company=company, user=owner).exists()
    ):
        membership = ServiceTeamMembership.objects.create(
            user=owner, team_role=owner.role, company=company
        )
        audit.record_create(actor=actor, obj=membership, note=str(company))
    if not can(actor, "clients.company.edit", company):
        raise DomainError(WIN_NOT_ON_TEAM, fields={"client_group": WIN_NOT_ON_TEAM})
    if locked.contact_name:
        contact_create(
            actor=actor,
            company=company,
            name=locked.contact_name,
            title=locked.contact_title,
            email=locked.contact_email,
            is_decision_maker=True,
            **_contact_numbers(locked.contact_phone),
        )
    locked.stage = Stage.WON
    locked.company = company
    locked.closed_at = timezone.now()
    locked.probability = 100
    locked.outcome_reason = (reason or "").strip()
    _save(locked, ["stage", "company", "closed_at", "probability", "outcome_reason"])
    _record_move(actor=actor, prospect=locked, old=old, note=locked.outcome_reason)
    return company


@transaction.atomic
def prospect_lose(
    *, actor: User, prospect: Prospect, expected_version: int, reason: str
) -> Prospect:
    """Records the prospect as lost, from any open stage; the reason is required."""
    require(actor, "pipeline.prospect.edit", prospect)
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(LOSS_REASON, fields={"reason": LOSS_REASON})
    locked = _lock(prospect, expected_version)
    old = locked.stage
    _check_move(old, Stage.LOST)
    locked.stage = Stage.LOST
    locked.closed_at = timezone.now()
    locked.probability = 0
    locked.outcome_reason = reason
    _save(locked, ["stage", "closed_at", "probability", "outcome_reason"])
    _record_move(actor=actor, prospect=locked, old=old, note=reason)
    return locked


@transaction.atomic
def prospect_reopen(
    *, actor: User, prospect: Prospect, expected_version: int, reason: str
) -> Prospect:
    """Takes a lost prospect back to the stage it was lost at. A won prospect is not
    reopened: it has become a client."""
    require(actor, "pipeline.prospect.edit", prospect)
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(REOPEN_REASON, fields={"reason": REOPEN_REASON})
    locked = _lock(prospect, expected_version)
    if locked.stage != Stage.LOST:
        raise DomainError(REOPEN_NOT_LOST)
    lost = locked.moves.filter(to_stage=Stage.LOST).order_by("-at", "-pk").first()
    back_to = lost.from_stage if lost and lost.from_stage in OPEN_STAGES else OPEN_STAGES[0]
    locked.stage = back_to
    locked.closed_at = None
    _save(locked, ["stage", "closed_at"])
    _record_move(actor=actor, prospect=locked, old=Stage.LOST, note=reason)
    return locked
