"""Portal access: inviting a client's contact, accepting the invitation, revoking access.

Staff act through portal_invitation_create and portal_access_revoke (permission
portal.access.manage on the contact); the contact, not signed in, through
portal_invitation_accept with the token from the e-mail.
"""

import secrets
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import F, Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from jobbag.accounts.models import ApiToken, User
from jobbag.clients.models import Contact
from jobbag.core import audit
from jobbag.core.errors import Conflict, DomainError
from jobbag.core.permissions import require
from jobbag.portal.models import PortalInvitation

MANAGE = "portal.access.manage"

NO_EMAIL = _("This contact has no e-mail address. Add one to the contact first.")
CONTACT_INACTIVE = _("This contact is no longer active.")
ALREADY_ACTIVE = _("This contact already has portal access.")
EMAIL_IN_USE = _("Another user already signs in with this e-mail address.")
EMAIL_TOO_LONG = _("This e-mail address is too long to sign in with.")
NOTHING_TO_REVOKE = _("This contact has neither portal access nor an open invitation.")
LINK_UNKNOWN = _("This invitation link is not valid. Ask your agency contact for a new one.")
LINK_USED = _(
    "This invitation has already been used. Sign in with your e-mail address and password."
)
LINK_EXPIRED = _("This invitation has expired. Ask your agency contact for a new one.")
LINK_REVOKED = _("This invitation has been withdrawn. Ask your agency contact for a new one.")
PASSWORD_REQUIRED = _("This field is required.")

# The languages of the invitation e-mail, in order: we do not know the contact's, so it
# carries both, Chinese first.
MAIL_LANGUAGES = ("zh-hans", "en")


def _portal_user(contact: Contact) -> User | None:
    return User.objects.filter(contact=contact).first()


def _email_taken(email: str, *, except_user: User | None) -> bool:
    """Whether another user signs in with, or is known by, this address."""
    others = User.objects.filter(Q(username__iexact=email) | Q(email__iexact=email))
    if except_user is not None:
        others = others.exclude(pk=except_user.pk)
    return others.exists()


def _withdraw_open(contact: Contact, *, actor: User, now, note: str) -> int:
    open_ones = list(
        PortalInvitation.objects.select_for_update().filter(
            contact=contact, accepted_at__isnull=True, revoked_at__isnull=True
        )
    )
    for invitation in open_ones:
        before = audit.snapshot(invitation, ["revoked_at"])
        invitation.revoked_at = now
        invitation.save(update_fields=["revoked_at"])
        audit.record_change(actor=actor, obj=invitation, before=before, note=note)
    return len(open_ones)


def _invitation_mail(invitation: PortalInvitation, token: str) -> None:
    path = reverse("portal:accept", kwargs={"token": token})
    context = {
        "contact": invitation.contact,
        "company": invitation.contact.company,
        "invited_by": invitation.invited_by,
        "link": settings.SITE_URL.rstrip("/") + path,
        "valid_until": timezone.localtime(invitation.expires_at),
        "email": invitation.email,
    }
    subjects, bodies = [], []
    for language in MAIL_LANGUAGES:
        with translation.override(language):
            subject = render_to_string("portal/invitation_subject.txt", context)
            subjects.append(" ".join(subject.split()))
            bodies.append(render_to_string("portal/invitation_email.txt", context).strip())
    send_mail(
        " / ".join(subjects), "\n\n----------\n\n".join(bodies) + "\n", None, [invitation.email]
    )


@transaction.atomic
def portal_invitation_create(*, actor: User, contact: Contact) -> tuple[PortalInvitation, str]:
    """Invites `contact` to the portal by e-mail; earlier open invitations are withdrawn.

    Returns the invitation and its token (only its digest is stored; the token lives in
    the e-mailed link alone).
    """
    require(actor, MANAGE, contact)
    # Locks the contact so that two invitations sent at once cannot both stay open.
    contact = Contact.objects.select_for_update().select_related("company").get(pk=contact.pk)
    email = (contact.email or "").strip().lower()
    user = _portal_user(contact)
    errors: dict = {}
    if not contact.is_active:
        errors["contact"] = CONTACT_INACTIVE
    if not email:
        errors["email"] = NO_EMAIL
    elif len(email) > User._meta.get_field("username").max_length:
        errors["email"] = EMAIL_TOO_LONG
    elif _email_taken(email, except_user=user):
        errors["email"] = EMAIL_IN_USE
    if errors:
        raise DomainError(next(iter(errors.values())), fields=errors)
    if user is not None and user.is_active:
        raise Conflict(ALREADY_ACTIVE, code="already_active")
    now = timezone.now()
    _withdraw_open(contact, actor=actor, now=now, note="withdrawn by a new invitation")
    token = secrets.token_urlsafe(32)
    invitation = PortalInvitation.objects.create(
        contact=contact,
        email=email,
        token_digest=PortalInvitation.digest_of(token),
        invited_by=actor,
        created_at=now,
        expires_at=now + timedelta(days=settings.PORTAL_INVITATION_DAYS),
    )
    audit.record_create(actor=actor, obj=invitation, note="portal invitation sent")
    _invitation_mail(invitation, token)
    return invitation, token


def portal_invitation_check(invitation: PortalInvitation | None) -> None:
    """Raises DomainError (code "link") unless `invitation` can still be accepted."""
    if invitation is None:
        raise DomainError(LINK_UNKNOWN, code="link")
    state = invitation.state
    if state == PortalInvitation.State.ACCEPTED:
        raise DomainError(LINK_USED, code="link")
    if state == PortalInvitation.State.REVOKED:
        raise DomainError(LINK_REVOKED, code="link")
    if state == PortalInvitation.State.EXPIRED:
        raise DomainError(LINK_EXPIRED, code="link")


def portal_invitation_for_token(token: str) -> PortalInvitation | None:
    return (
        PortalInvitation.objects.select_related("contact__company")
        .filter(token_digest=PortalInvitation.digest_of(token or ""))
        .first()
    )


@transaction.atomic
def portal_invitation_accept(*, token: str, password: str, language: str = "") -> User:
    """Turns the invited contact into a client user of their company with `password`.

    The e-mail address is the username. A contact whose access was revoked gets their
    old user back, active again. Refuses (DomainError, nothing written) a used, expired,
    withdrawn or unknown link and a password the validators reject.
    """
    invitation = (
        PortalInvitation.objects.select_for_update()
        .filter(token_digest=PortalInvitation.digest_of(token or ""))
        .first()
    )
    portal_invitation_check(invitation)
    contact = Contact.objects.select_related("company").get(pk=invitation.contact_id)
    if not contact.is_active:
        raise DomainError(LINK_REVOKED, code="link")
    user = _portal_user(contact)
    if _email_taken(invitation.email, except_user=user):
        raise DomainError(EMAIL_IN_USE, fields={"new_password1": EMAIL_IN_USE}, code="taken")
    if language not in dict(settings.LANGUAGES):
        language = settings.LANGUAGE_CODE
    created = user is None
    if created:
        user = User(kind=User.Kind.CLIENT, language=language)
    before = None if created else audit.snapshot(user, ["username", "email", "is_active"])
    user.username = invitation.email
    user.email = invitation.email
    user.full_name = contact.name
    user.company = contact.company
    user.contact = contact
    user.is_active = True
    if not password:
        raise DomainError(PASSWORD_REQUIRED, fields={"new_password1": PASSWORD_REQUIRED})
    try:
        validate_password(password, user)
    except ValidationError as error:
        raise DomainError(
            error.messages[0], fields={"new_password1": error.messages}, code="password"
        ) from error
    user.set_password(password)
    now = timezone.now()
    if created:
        user.save()
        audit.record_create(actor=user, obj=user, note="portal invitation accepted")
    else:
        user.save()
        # Sessions of the old account, if any survived, end with the new password.
        User.objects.filter(pk=user.pk).update(session_epoch=F("session_epoch") + 1)
        user.refresh_from_db()
        audit.record_change(actor=user, obj=user, before=before, note="portal access restored")
    before = audit.snapshot(invitation, ["accepted_at"])
    invitation.accepted_at = now
    invitation.accepted_user = user
    invitation.save(update_fields=["accepted_at", "accepted_user"])
    audit.record_change(actor=user, obj=invitation, before=before, note="accepted")
    return user


@transaction.atomic
def portal_access_revoke(*, actor: User, contact: Contact) -> None:
    """Ends the contact's portal access: their user is deactivated (every session and API
    token stops at once) and any open invitation is withdrawn."""
    require(actor, MANAGE, contact)
    contact = Contact.objects.select_for_update().get(pk=contact.pk)
    now = timezone.now()
    withdrawn = _withdraw_open(contact, actor=actor, now=now, note="withdrawn")
    user = _portal_user(contact)
    if user is not None and user.is_active:
        before = audit.snapshot(user, ["is_active"])
        User.objects.filter(pk=user.pk).update(
            is_active=False, session_epoch=F("session_epoch") + 1, version=F("version") + 1
        )
        ApiToken.objects.filter(user=user, revoked_at__isnull=True).update(revoked_at=now)
        user.refresh_from_db()
        audit.record_change(actor=actor, obj=user, before=before, note="portal access revoked")
    elif not withdrawn:
        raise Conflict(NOTHING_TO_REVOKE, code="nothing_to_revoke")
