"""Inviting a client's contact, accepting the link, and revoking portal access."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.test import Client
from django.utils import timezone, translation

from jobbag.accounts.models import ApiToken, User
from jobbag.accounts.tests.factories import UserFactory
from jobbag.accounts.tokens import token_create
from jobbag.clients.tests.factories import ContactFactory
from jobbag.core.errors import NotAllowed
from jobbag.core.models import AuditEntry
from jobbag.core.testing import Case, run_permission_matrix
from jobbag.portal import services
from jobbag.portal.models import PortalInvitation
from jobbag.portal.tests.conftest import LINK, token_in

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("quick_password_hashing")]

GOOD_PASSWORD = "Haier-portal-2026!"
# Session, user, the confidentiality checks (visible contact; may edit its company), the
# portal user, the newest invitation, the history, the unread count, the session save.
ACCESS_PAGE_QUERIES = 17


def invite_url(contact) -> str:
    return f"/portal/staff/contacts/{contact.pk}/invite/"


def access_url(contact) -> str:
    return f"/portal/staff/contacts/{contact.pk}/"


def accept_url(token: str) -> str:
    return f"/portal/invitations/{token}/"


def audit_notes(obj) -> list[str]:
    return list(
        AuditEntry.objects.filter(object_id=str(obj.pk), object_repr=str(obj)).values_list(
            "note", flat=True
        )
    )


def expire_all() -> None:
    now = timezone.now()
    PortalInvitation.objects.update(
        created_at=now - timedelta(days=8), expires_at=now - timedelta(days=1)
    )


def chinese(text: str) -> str:
    with translation.override("zh-hans"):
        return translation.gettext(text)


@pytest.fixture
def invited(cast, invitee, mailbox):
    """周敏 invited by the AE; returns the token from the e-mail."""
    services.portal_invitation_create(actor=cast.ae, contact=invitee)
    return token_in(mailbox[-1])


def test_it_invites_a_contact_with_a_bilingual_email(cast, login, invitee, mailbox):
    response = login(cast.ae).post(invite_url(invitee))

    assert response.status_code == 302
    assert response["Location"] == access_url(invitee)
    invitation = PortalInvitation.objects.get(contact=invitee)
    assert invitation.email == "zhou.min@haier.example"
    assert invitation.invited_by == cast.ae
    expected_expiry = invitation.created_at + timedelta(days=settings.PORTAL_INVITATION_DAYS)
    assert invitation.expires_at == expected_expiry
    [message] = mailbox
    assert message.to == ["zhou.min@haier.example"]
    link = LINK.search(message.body)
    assert link[0].startswith(settings.SITE_URL.rstrip("/") + "/portal/invitations/")
    # Only the token's SHA-256 is kept; the link alone carries the token.
    assert invitation.token_digest == PortalInvitation.digest_of(link["token"])
    assert link["token"] not in str(PortalInvitation.objects.values().get())
    # Chinese first, then English.
    chinese_part, english_part = message.body.split("----------")
    assert chinese("To set your password and sign in, open this link:") in chinese_part
    assert "To set your password and sign in, open this link:" in english_part
    assert message.subject.endswith("Invitation to the client portal for Haier Group")
    assert AuditEntry.objects.filter(
        action="create", object_id=str(invitation.pk), actor=cast.ae
    ).exists()


def test_it_uses_the_configured_number_of_days(cast, invitee, mailbox, settings):
    settings.PORTAL_INVITATION_DAYS = 2
    invitation, _token = services.portal_invitation_create(actor=cast.ae, contact=invitee)
    assert invitation.expires_at - invitation.created_at == timedelta(days=2)


def test_it_signs_the_contact_in_as_a_client_user_of_their_company(
    client, clientele, invitee, invited
):
    page = client.get(accept_url(invited))
    assert page.status_code == 200
    assert "zhou.min@haier.example" in page.content.decode()

    response = client.post(
        accept_url(invited), {"new_password1": GOOD_PASSWORD, "new_password2": GOOD_PASSWORD}
    )

    assert response.status_code == 302
    assert response["Location"] == "/portal/"
    user = User.objects.get(contact=invitee)
    assert (user.kind, user.company, user.username, user.email, user.full_name) == (
        User.Kind.CLIENT,
        clientele.company,
        "zhou.min@haier.example",
        "zhou.min@haier.example",
        "周敏",
    )
    assert user.check_password(GOOD_PASSWORD)
    assert client.session[SESSION_KEY] == str(user.pk)
    invitation = PortalInvitation.objects.get(contact=invitee)
    assert invitation.accepted_at is not None and invitation.accepted_user == user
    assert AuditEntry.objects.filter(action="create", object_id=str(user.pk), actor=user).exists()
    home = client.get("/portal/")
    assert home.status_code == 200
    assert "海尔集团" in home.content.decode()


def test_the_link_works_once(client, invitee, invited):
    client.post(
        accept_url(invited), {"new_password1": GOOD_PASSWORD, "new_password2": GOOD_PASSWORD}
    )
    client.logout()
    user = User.objects.get(contact=invitee)

    again = client.post(
        accept_url(invited),
        {"new_password1": "Another-pass-2026!", "new_password2": "Another-pass-2026!"},
    )

    assert again.status_code == 410
    assert str(services.LINK_USED) in again.content.decode()
    user.refresh_from_db()
    assert user.check_password(GOOD_PASSWORD)
    assert User.objects.filter(kind=User.Kind.CLIENT, contact=invitee).count() == 1
    assert SESSION_KEY not in client.session


def test_an_expired_link_changes_nothing(client, invitee, invited):
    expire_all()

    page = client.get(accept_url(invited))
    post = client.post(
        accept_url(invited), {"new_password1": GOOD_PASSWORD, "new_password2": GOOD_PASSWORD}
    )

    assert page.status_code == post.status_code == 410
    assert str(services.LINK_EXPIRED) in post.content.decode()
    assert not User.objects.filter(contact=invitee).exists()
    assert PortalInvitation.objects.get().accepted_at is None


def test_a_revoked_link_changes_nothing(cast, client, invitee, invited):
    services.portal_access_revoke(actor=cast.ae, contact=invitee)

    post = client.post(
        accept_url(invited), {"new_password1": GOOD_PASSWORD, "new_password2": GOOD_PASSWORD}
    )

    assert post.status_code == 410
    assert str(services.LINK_REVOKED) in post.content.decode()
    assert not User.objects.filter(contact=invitee).exists()
    assert "withdrawn" in audit_notes(PortalInvitation.objects.get())


def test_an_unknown_link_says_so(client, clientele):
    response = client.get(accept_url("no-such-token"))
    assert response.status_code == 410
    assert str(services.LINK_UNKNOWN) in response.content.decode()


def test_inviting_again_withdraws_the_earlier_link(cast, client, invitee, invited, mailbox):
    services.portal_invitation_create(actor=cast.ad, contact=invitee)
    second = token_in(mailbox[-1])

    first, latest = PortalInvitation.objects.order_by("pk")
    assert first.revoked_at is not None and latest.revoked_at is None
    assert "withdrawn by a new invitation" in audit_notes(first)
    assert client.get(accept_url(invited)).status_code == 410
    response = client.post(
        accept_url(second), {"new_password1": GOOD_PASSWORD, "new_password2": GOOD_PASSWORD}
    )
    assert response.status_code == 302
    assert User.objects.filter(contact=invitee, is_active=True).exists()


@pytest.mark.parametrize(
    "first, second, message",
    [
        ("short1!", "short1!", "This password is too short"),
        ("password123", "password123", "This password is too common"),
        ("2026031512345", "2026031512345", "This password is entirely numeric"),
        ("zhou.min@haier.example", "zhou.min@haier.example", "too similar"),
        (GOOD_PASSWORD, GOOD_PASSWORD + "x", "The two passwords do not match"),
        ("", "", "This field is required"),
    ],
)
def test_it_refuses_bad_passwords_and_creates_nothing(
    client, invitee, invited, first, second, message
):
    with translation.override("en"):
        response = client.post(
            accept_url(invited),
            {"new_password1": first, "new_password2": second},
            headers={"accept-language": "en"},
        )

    assert response.status_code == 400
    assert message in response.content.decode()
    assert not User.objects.filter(contact=invitee).exists()
    assert PortalInvitation.objects.get().accepted_at is None
    assert SESSION_KEY not in client.session


def test_a_designer_cannot_invite(cast, login, invitee, mailbox):
    response = login(cast.designer).post(invite_url(invitee))

    assert response.status_code == 404
    with pytest.raises(NotAllowed):
        services.portal_invitation_create(actor=cast.designer, contact=invitee)
    assert not PortalInvitation.objects.exists()
    assert mailbox == []


def test_it_needs_an_email_address(cast, login, clientele, mailbox):
    contact = ContactFactory(company=clientele.company, name="无邮箱", email="")

    response = login(cast.ae).post(invite_url(contact))

    assert response.status_code == 400
    assert str(services.NO_EMAIL) in response.content.decode()
    assert not PortalInvitation.objects.exists()
    assert mailbox == []


def test_it_refuses_an_address_another_user_signs_in_with(cast, login, invitee, mailbox):
    UserFactory(username="zhou", email="Zhou.Min@haier.example")

    response = login(cast.ae).post(invite_url(invitee))

    assert response.status_code == 400
    assert str(services.EMAIL_IN_USE) in response.content.decode()
    assert not PortalInvitation.objects.exists()


def test_it_refuses_to_invite_a_contact_who_already_has_access(cast, login, clientele, mailbox):
    # cast.client is 孙丽's portal user.
    response = login(cast.ae).post(invite_url(clientele.contact))

    assert response.status_code == 409
    assert str(services.ALREADY_ACTIVE) in response.content.decode()
    assert not PortalInvitation.objects.exists()


def test_revoking_access_ends_sessions_and_tokens(cast, clientele, login):
    _token, secret = token_create(actor=cast.client, name="reports")
    client_session = login(cast.client)
    assert client_session.get("/portal/").status_code == 200
    epoch = cast.client.session_epoch
    staff = Client()
    staff.force_login(cast.ae)
    response = staff.post(f"/portal/staff/contacts/{clientele.contact.pk}/revoke/")

    assert response.status_code == 302
    user = User.objects.get(pk=cast.client.pk)
    assert not user.is_active
    assert user.session_epoch == epoch + 1
    assert not ApiToken.objects.filter(user=user, revoked_at__isnull=True).exists()
    assert "portal access revoked" in audit_notes(user)
    assert client_session.get("/portal/").status_code == 302
    assert (
        Client().get("/api/v1/users/me", HTTP_AUTHORIZATION=f"Bearer {secret}").status_code == 401
    )
    page = staff.get(access_url(clientele.contact))
    assert 'data-state="deactivated"' in page.content.decode()


def test_revoking_when_there_is_nothing_to_revoke_says_so(cast, login, invitee):
    response = login(cast.ae).post(f"/portal/staff/contacts/{invitee.pk}/revoke/")
    assert response.status_code == 409
    assert str(services.NOTHING_TO_REVOKE) in response.content.decode()


def test_a_revoked_contact_invited_again_gets_their_account_back(cast, client, clientele, mailbox):
    services.portal_access_revoke(actor=cast.ae, contact=clientele.contact)
    User.objects.filter(pk=cast.client.pk).update(email="sun.li@haier.example")
    clientele.contact.email = "sun.li@haier.example"
    clientele.contact.save(update_fields=["email"])

    services.portal_invitation_create(actor=cast.ae, contact=clientele.contact)
    response = client.post(
        accept_url(token_in(mailbox[-1])),
        {"new_password1": GOOD_PASSWORD, "new_password2": GOOD_PASSWORD},
    )

    assert response.status_code == 302
    user = User.objects.get(pk=cast.client.pk)
    assert user.is_active and user.username == "sun.li@haier.example"
    assert User.objects.filter(contact=clientele.contact).count() == 1
    assert "portal access restored" in audit_notes(user)


def test_the_access_page_shows_each_state(cast, login, client, invitee, mailbox):
    staff = login(cast.ae)

    def state() -> str:
        body = staff.get(access_url(invitee)).content.decode()
        return body.split('data-state="')[1].split('"')[0]

    assert state() == "none"
    services.portal_invitation_create(actor=cast.ae, contact=invitee)
    assert state() == "invited"
    expire_all()
    assert state() == "expired"
    services.portal_invitation_create(actor=cast.ae, contact=invitee)
    services.portal_invitation_accept(token=token_in(mailbox[-1]), password=GOOD_PASSWORD)
    assert state() == "active"
    services.portal_access_revoke(actor=cast.ae, contact=invitee)
    assert state() == "deactivated"


@pytest.mark.parametrize("invitations", [1, 6])
def test_the_access_page_takes_a_fixed_number_of_queries(
    cast, login, invitee, mailbox, django_assert_num_queries, invitations
):
    staff = login(cast.ae)
    for _ in range(invitations):
        services.portal_invitation_create(actor=cast.ae, contact=invitee)
    # The first request of a session also settles the second-factor state.
    staff.get(access_url(invitee))
    with django_assert_num_queries(ACCESS_PAGE_QUERIES):
        response = staff.get(access_url(invitee))
    assert response.status_code == 200


def test_the_access_pages_permission_matrix(cast, clientele, invitee):
    class Roles:
        pass

    roles = Roles()
    for name in ("ae", "ad", "gm", "designer", "finance", "admin", "client", "outsider"):
        setattr(roles, name, getattr(cast, name))
    roles.other_ae = clientele.other_ae
    page = access_url(invitee)
    foreign = access_url(ContactFactory(company=clientele.other_company))
    cases = [
        Case("anonymous", "GET", page, 302),
        Case("client", "GET", page, 404),
        Case("outsider", "GET", page, 404),
        Case("designer", "GET", page, 404),
        Case("finance", "GET", page, 404),
        Case("other_ae", "GET", page, 404),
        Case("admin", "GET", page, 404),
        Case("ae", "GET", page, 200),
        Case("ad", "GET", page, 200),
        Case("gm", "GET", page, 200),
        Case("ae", "GET", foreign, 404),
        Case("other_ae", "GET", foreign, 200),
        Case("anonymous", "POST", invite_url(invitee), 302),
        Case("client", "POST", invite_url(invitee), 404),
        Case("designer", "POST", invite_url(invitee), 404),
        Case("other_ae", "POST", invite_url(invitee), 404),
        Case("ae", "GET", invite_url(invitee), 405),
        Case("client", "POST", f"/portal/staff/contacts/{invitee.pk}/revoke/", 404),
        Case("designer", "POST", f"/portal/staff/contacts/{invitee.pk}/revoke/", 404),
    ]
    run_permission_matrix(roles, cases)
