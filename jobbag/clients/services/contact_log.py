"""The contact log: every visit made, call and visit received, with its next step.

An entry names our people (the author always among them, active staff only), the
client's people (of that company only), what was discussed and, optionally, a next step
with its due date. Its author or an admin may edit it, naming the version the edit was
made against; every change is audited. A daily sweep (clients.sweeps) reminds authors of
next steps that fall due.
"""

from datetime import datetime, timedelta

from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from jobbag.accounts.models import User
from jobbag.clients.models import Brand, ClientSettings, Company, Contact, ContactLogEntry
from jobbag.core import audit
from jobbag.core.errors import Conflict, DomainError, NotAllowed
from jobbag.core.models import AuditEntry
from jobbag.core.notifications import notify
from jobbag.core.permissions import require
from jobbag.core.versioning import save_versioned

INVALID = _("Please correct the errors below.")
REQUIRED = _("This field is required.")
KIND_INVALID = _("Choose visit made, phone call or visit received.")
IN_THE_FUTURE = _("A contact cannot be logged more than a day ahead.")
STAFF_INVALID = _("Choose active members of our staff.")
CONTACTS_OTHER_COMPANY = _("Choose people of this client only.")
BRAND_OTHER_COMPANY = _("Choose a brand of this client.")
DUE_BEFORE_CONTACT = _("The next step cannot be due before the contact took place.")
DUE_WITHOUT_STEP = _("Say what the next step is, or leave its date empty.")
NO_NEXT_STEP = _("This entry has no next step.")
ALREADY_DONE = _("This next step is already marked done.")
DAYS_RANGE = _("Enter a number of days from 1 to 365.")

# The fields an edit may change.
ENTRY_FIELDS = (
    "kind",
    "occurred_at",
    "brand",
    "staff",
    "contacts",
    "discussed",
    "next_step",
    "next_step_due",
)


def _people(entry: ContactLogEntry) -> dict:
    """The entry's people as names, for the audit trail (many-to-many fields are not
    part of a row snapshot)."""
    return {
        "staff": sorted(str(user) for user in entry.staff.all()),
        "contacts": sorted(str(contact) for contact in entry.contacts.all()),
    }


def _row(entry: ContactLogEntry, names: list[str]) -> dict:
    # snapshot() of no names means every field; an edit of only the people needs none.
    return audit.snapshot(entry, names) if names else {}


def _clean(values: dict, *, company: Company, author) -> dict:
    """Checks every field at once; returns the values to write or raises DomainError."""
    errors: dict = {}
    values = {k: v.strip() if isinstance(v, str) else v for k, v in values.items()}
    if values["kind"] not in ContactLogEntry.Kind.values:
        errors["kind"] = KIND_INVALID
    occurred_at: datetime | None = values["occurred_at"]
    if occurred_at is not None and timezone.is_naive(occurred_at):
        # A time without a zone (as an API client may send) is the office's local time.
        occurred_at = values["occurred_at"] = timezone.make_aware(occurred_at)
    if occurred_at is None:
        errors["occurred_at"] = REQUIRED
    elif occurred_at > timezone.now() + timedelta(days=1):
        errors["occurred_at"] = IN_THE_FUTURE
    if not values["discussed"]:
        errors["discussed"] = REQUIRED

    staff_ids = {author.pk, *(getattr(u, "pk", u) for u in values["staff"] or ())}
    staff = list(User.objects.filter(pk__in=staff_ids, kind=User.Kind.STAFF, is_active=True))
    if len(staff) != len(staff_ids):
        errors["staff"] = STAFF_INVALID
    contact_ids = {getattr(c, "pk", c) for c in values["contacts"] or ()}
    contacts = list(Contact.objects.filter(pk__in=contact_ids, company=company))
    if len(contacts) != len(contact_ids):
        errors["contacts"] = CONTACTS_OTHER_COMPANY
    brand = values["brand"]
    if brand is not None:
        brand_id = getattr(brand, "pk", brand)
        brand = Brand.objects.filter(pk=brand_id, company=company).first()
        if brand is None:
            errors["brand"] = BRAND_OTHER_COMPANY

    due = values["next_step_due"]
    if due is not None:
        if not values["next_step"]:
            errors["next_step"] = DUE_WITHOUT_STEP
        elif occurred_at is not None and due < timezone.localdate(occurred_at):
            errors["next_step_due"] = DUE_BEFORE_CONTACT
    if errors:
        raise DomainError(INVALID, fields=errors)
    return {**values, "staff": staff, "contacts": contacts, "brand": brand}


@transaction.atomic
def contact_log_add(
    *,
    actor,
    company: Company,
    kind: str,
    occurred_at: datetime | None,
    discussed: str,
    staff=(),
    contacts=(),
    brand: Brand | int | None = None,
    next_step: str = "",
    next_step_due=None,
) -> ContactLogEntry:
    """Logs a visit made, a call or a visit received at `company`. `staff` and `contacts`
    are users and client contacts (or their ids); the actor is always among the staff."""
    require(actor, "clients.contact_log.add", company)
    values = _clean(
        {
            "kind": kind,
            "occurred_at": occurred_at,
            "discussed": discussed or "",
            "staff": staff,
            "contacts": contacts,
            "brand": brand,
            "next_step": next_step or "",
            "next_step_due": next_step_due,
        },
        company=company,
        author=actor,
    )
    staff_rows, contact_rows = values.pop("staff"), values.pop("contacts")
    entry = ContactLogEntry.objects.create(company=company, created_by=actor, **values)
    entry.staff.set(staff_rows)
    entry.contacts.set(contact_rows)
    # One creation record with the people in it (a row snapshot has no many-to-many).
    created = {**audit.snapshot(entry), **_people(entry)}
    audit.record(
        actor=actor,
        obj=entry,
        action=AuditEntry.Action.CREATE,
        changes={k: [None, v] for k, v in created.items() if v not in (None, "", [])},
    )
    return entry


def may_edit(user, entry: ContactLogEntry) -> bool:
    return user.is_active and (entry.created_by_id == user.pk or user.is_admin)


@transaction.atomic
def contact_log_edit(
    *, actor, entry: ContactLogEntry, expected_version: int, **fields
) -> ContactLogEntry:
    """Changes the given fields (any of ENTRY_FIELDS) of an entry; only its author or an
    admin may, and only against the version they loaded."""
    unknown = set(fields) - set(ENTRY_FIELDS)
    if unknown:
        raise TypeError(f"Unknown contact log fields: {sorted(unknown)}")
    require(actor, "clients.contact_log.add", entry.company)
    if not may_edit(actor, entry):
        raise NotAllowed()
    current = {
        "kind": entry.kind,
        "occurred_at": entry.occurred_at,
        "brand": entry.brand_id,
        "staff": list(entry.staff.all()),
        "contacts": list(entry.contacts.all()),
        "discussed": entry.discussed,
        "next_step": entry.next_step,
        "next_step_due": entry.next_step_due,
    }
    values = _clean({**current, **fields}, company=entry.company, author=entry.created_by)
    staff_rows, contact_rows = values.pop("staff"), values.pop("contacts")
    changed = [name for name in fields if name not in ("staff", "contacts")]
    before = {**_row(entry, changed), **_people(entry)}
    for name in changed:
        setattr(entry, name, values[name])
    written = list(changed)
    # A changed next step or date is a new promise: remind of it afresh.
    if {"next_step", "next_step_due"} & set(fields):
        entry.next_step_reminded_on = None
        written.append("next_step_reminded_on")
    save_versioned(entry, expected_version=expected_version, fields=written)
    if "staff" in fields:
        entry.staff.set(staff_rows)
    if "contacts" in fields:
        entry.contacts.set(contact_rows)
    after = {**_row(entry, changed), **_people(entry)}
    changes = audit.diff(before, after)
    if changes:
        audit.record(actor=actor, obj=entry, action=AuditEntry.Action.CHANGE, changes=changes)
    return entry


@transaction.atomic
def contact_log_next_step_done(*, actor, entry: ContactLogEntry) -> ContactLogEntry:
    """Marks an entry's next step done: its author, anyone who took part, or an admin."""
    require(actor, "clients.contact_log.add", entry.company)
    entry = ContactLogEntry.objects.select_for_update().get(pk=entry.pk)
    if not (may_edit(actor, entry) or entry.staff.filter(pk=actor.pk).exists()):
        raise NotAllowed()
    if not entry.next_step:
        raise DomainError(NO_NEXT_STEP)
    if entry.next_step_done_at is not None:
        raise Conflict(ALREADY_DONE)
    before = audit.snapshot(entry, ["next_step_done_at"])
    entry.next_step_done_at = timezone.now()
    entry.save(update_fields=["next_step_done_at"])
    audit.record_change(actor=actor, obj=entry, before=before)
    return entry


@transaction.atomic
def client_settings_update(*, actor, expected_version: int, no_contact_days: int) -> ClientSettings:
    """Sets after how many days without contact a client is listed as not contacted."""
    # Settings of the whole installation are the administrators' (as the organisation is).
    require(actor, "accounts.organisation.manage")
    if not 1 <= no_contact_days <= 365:
        raise DomainError(INVALID, fields={"no_contact_days": DAYS_RANGE})
    row = ClientSettings.current()
    before = audit.snapshot(row, ["no_contact_days"])
    row.no_contact_days = no_contact_days
    save_versioned(row, expected_version=expected_version, fields=["no_contact_days"])
    audit.record_change(actor=actor, obj=row, before=before)
    return row


def remind_next_steps_due(*, today=None) -> int:
    """Tells each author about open next steps due today or overdue, once a day per entry.

    What is due is re-derived from the table each time; the reminder day recorded on the
    entry keeps a second run on the same day from repeating it. Returns how many were sent.
    """
    today = today or timezone.localdate()
    due = (
        ContactLogEntry.objects.select_for_update()
        .filter(next_step_due__lte=today, next_step_done_at__isnull=True)
        .exclude(next_step="")
        .exclude(next_step_reminded_on__gte=today)
        .select_related("company", "created_by")
    )
    sent = []
    for entry in due:
        author = entry.created_by
        if author.is_active:
            # Each author reads the reminder in their own language.
            with translation.override(author.language):
                if entry.next_step_due < today:
                    text = gettext("Overdue since %(due)s at %(client)s: %(step)s")
                else:
                    text = gettext("Due today at %(client)s: %(step)s")
                message = text % {
                    "due": entry.next_step_due.isoformat(),
                    "client": entry.company.display_name,
                    "step": entry.next_step,
                }
            link = reverse("clients:company_log", args=[entry.company_id]) + f"#entry-{entry.pk}"
            notify(recipients=[author], message=message, link=link)
        sent.append(entry.pk)
    ContactLogEntry.objects.filter(pk__in=sent).update(next_step_reminded_on=today)
    return len(sent)
