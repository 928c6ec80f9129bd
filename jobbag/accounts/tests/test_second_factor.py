"""The second factor (TOTP): the code step, enrolment, removal, reuse, throttling and the
security policy that requires it."""

import re
import time
from urllib.parse import urlencode

import pyotp
import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from jobbag.accounts import security
from jobbag.accounts.models import (
    Department,
    LoginAttempt,
    Position,
    Role,
    SecurityPolicy,
    TotpDevice,
    User,
)
from jobbag.accounts.tests.factories import PASSWORD, UserFactory, staff
from jobbag.core.models import AuditEntry

# Argon2 costs most of a second per hash and these tests sign in often.
pytestmark = pytest.mark.usefixtures("quick_password_hashing")

HOME = reverse("core:home")
LOGIN = reverse("accounts:login")
VERIFY = reverse("accounts:otp_verify")
SETUP = reverse("accounts:otp_setup")
PROFILE = reverse("accounts:profile")


def enrol(user: User) -> pyotp.TOTP:
    device = TotpDevice.objects.create(
        user=user, secret=pyotp.random_base32(), confirmed_at=timezone.now()
    )
    return pyotp.TOTP(device.secret)


def next_code(totp: pyotp.TOTP) -> str:
    """The code of the next time step: valid now (one step of drift is allowed) and
    different from totp.now(), which may already have been used."""
    return totp.at(time.time() + totp.interval)


def signed_in_client(username: str, **extra) -> Client:
    client = Client()
    response = client.post(LOGIN, {"username": username, "password": PASSWORD, **extra})
    assert response.status_code == 302
    return client


def set_policy(**flags) -> None:
    SecurityPolicy.current()
    SecurityPolicy.objects.filter(pk=1).update(**flags)


def test_it_holds_a_user_with_a_device_at_the_code_step(db):
    user = UserFactory(username="ae")
    totp = enrol(user)
    client = signed_in_client("ae", next="/notifications/")

    held = client.get("/notifications/")
    assert held.status_code == 302
    assert held["Location"] == f"{VERIFY}?{urlencode({'next': '/notifications/'})}"
    assert client.get(PROFILE)["Location"].startswith(VERIFY)
    assert client.get(VERIFY).status_code == 200
    key_before = client.cookies["sessionid"].value

    response = client.post(VERIFY, {"code": totp.now(), "next": "/notifications/"})

    assert response.status_code == 302 and response["Location"] == "/notifications/"
    assert client.cookies["sessionid"].value != key_before
    assert client.get(HOME).status_code == 200
    assert TotpDevice.objects.get(user=user).last_counter > 0


def test_it_holds_a_session_made_without_the_login_page_at_the_code_step(client, db):
    user = UserFactory(username="ae")
    enrol(user)
    client.force_login(user)

    assert client.get(HOME)["Location"].startswith(VERIFY)


def test_it_refuses_the_api_to_a_session_still_owing_the_code(db):
    enrol(UserFactory(username="ae"))
    client = signed_in_client("ae")

    response = client.get("/api/v1/users/me")

    assert response.status_code == 401


def test_it_refuses_a_code_used_before(db):
    user = UserFactory(username="ae", language="en")
    totp = enrol(user)
    code = totp.now()
    first = signed_in_client("ae")
    assert first.post(VERIFY, {"code": code})["Location"] == HOME

    second = signed_in_client("ae")
    response = second.post(VERIFY, {"code": code})

    assert response.status_code == 400
    assert "already been used" in response.content.decode()
    assert second.get(HOME)["Location"].startswith(VERIFY)
    assert LoginAttempt.objects.filter(username="ae").count() == 1


def test_it_refuses_a_wrong_code_and_counts_it_toward_the_lock(db, settings):
    settings.LOGIN_FAILURE_LIMIT = 2
    user = UserFactory(username="ae", language="en")
    totp = enrol(user)
    client = signed_in_client("ae")
    wrong = str((int(totp.now()) + 1) % 1_000_000).zfill(6)

    for _attempt in range(2):
        assert client.post(VERIFY, {"code": wrong}).status_code == 400
    response = client.post(VERIFY, {"code": totp.now()})

    assert response.status_code == 400
    assert "Too many failed sign-in attempts" in response.content.decode()
    assert client.get(HOME)["Location"].startswith(VERIFY)
    assert TotpDevice.objects.get(user=user).last_counter == 0


def test_it_keeps_counting_wrong_codes_across_password_sign_ins(db, settings):
    settings.LOGIN_FAILURE_LIMIT = 3
    totp = enrol(UserFactory(username="ae", language="en"))
    wrong = str((int(totp.now()) + 1) % 1_000_000).zfill(6)
    client = signed_in_client("ae")
    client.post(VERIFY, {"code": wrong})
    client.post(VERIFY, {"code": wrong})

    client = signed_in_client("ae")
    client.post(VERIFY, {"code": wrong})
    response = client.post(VERIFY, {"code": totp.now()})

    assert "Too many failed sign-in attempts" in response.text
    assert LoginAttempt.objects.filter(username="ae").count() == 3


def test_it_clears_the_failures_once_the_code_is_right(db):
    totp = enrol(UserFactory(username="ae"))
    client = signed_in_client("ae")
    client.post(VERIFY, {"code": str((int(totp.now()) + 1) % 1_000_000).zfill(6)})
    assert LoginAttempt.objects.filter(username="ae").count() == 1

    client.post(VERIFY, {"code": totp.now()})

    assert not LoginAttempt.objects.filter(username="ae").exists()


def test_it_shows_a_field_error_for_a_malformed_code(db):
    enrol(UserFactory(username="ae"))
    client = signed_in_client("ae")

    response = client.post(VERIFY, {"code": "12ab"})

    assert response.status_code == 400
    assert 'class="field-error"' in response.content.decode()
    assert not LoginAttempt.objects.exists()


def test_it_sends_a_user_the_policy_requires_it_of_to_enrolment(db):
    set_policy(require_2fa_finance=True)
    user = staff("finance", Role.FINANCE, department="finance")
    client = signed_in_client("finance")

    assert client.get(HOME)["Location"] == f"{SETUP}?{urlencode({'next': HOME})}"
    assert client.get(PROFILE)["Location"].startswith(SETUP)
    page = client.get(SETUP)
    assert page.status_code == 200
    html = page.content.decode()
    assert "<svg" in html
    secret = re.search(r'data-testid="otp-secret">(\w+)<', html).group(1)
    totp = pyotp.TOTP(secret)

    wrong = client.post(SETUP, {"code": "000000" if totp.now() != "000000" else "111111"})
    assert wrong.status_code == 400
    assert TotpDevice.objects.get(user=user).confirmed_at is None

    response = client.post(f"{SETUP}?next=/notifications/", {"code": totp.now()})

    assert response.status_code == 302 and response["Location"] == "/notifications/"
    assert TotpDevice.objects.get(user=user).confirmed_at is not None
    assert client.get(HOME).status_code == 200
    entry = AuditEntry.objects.get(object_id=str(user.pk), note="second factor enrolled")
    assert entry.changes == {"second_factor": [False, True]}
    assert secret not in str(entry.changes)


def test_it_lets_a_user_enrol_from_the_profile_and_remove_it_with_a_code(db):
    user = UserFactory(username="ae")
    client = signed_in_client("ae")
    assert f'href="{SETUP}"' in client.get(PROFILE).content.decode()
    secret = re.search(r'data-testid="otp-secret">(\w+)<', client.get(SETUP).content.decode())[1]
    assert client.get(SETUP).content.decode().count(secret) >= 1  # same secret on reload
    totp = pyotp.TOTP(secret)
    enrolment_code = totp.now()
    assert client.post(SETUP, {"code": enrolment_code})["Location"] == PROFILE
    assert 'name="code"' in client.get(PROFILE).content.decode()

    # The code used to enrol cannot remove the device, even a second later.
    refused = client.post(reverse("accounts:otp_remove"), {"code": enrolment_code})
    assert refused.status_code == 400
    assert TotpDevice.objects.filter(user=user).exists()

    response = client.post(reverse("accounts:otp_remove"), {"code": next_code(totp)})

    assert response.status_code == 302 and response["Location"] == PROFILE
    assert not TotpDevice.objects.filter(user=user).exists()
    assert AuditEntry.objects.filter(object_id=str(user.pk), note="second factor removed").exists()
    assert client.get(HOME).status_code == 200


def test_it_counts_wrong_codes_at_enrolment_and_removal_toward_the_lock(db, settings):
    settings.LOGIN_FAILURE_LIMIT = 2
    user = UserFactory(username="ae", language="en")
    client = signed_in_client("ae")
    totp = pyotp.TOTP(re.search(r'data-testid="otp-secret">(\w+)<', client.get(SETUP).text)[1])
    wrong = str((int(totp.now()) + 1) % 1_000_000).zfill(6)

    assert client.post(SETUP, {"code": wrong}).status_code == 400
    assert client.post(SETUP, {"code": totp.now()}).status_code == 302
    assert client.post(reverse("accounts:otp_remove"), {"code": wrong}).status_code == 400
    response = client.post(reverse("accounts:otp_remove"), {"code": next_code(totp)})

    assert "Too many failed sign-in attempts" in response.text
    assert LoginAttempt.objects.filter(username="ae").count() == 2
    assert TotpDevice.objects.get(user=user).confirmed_at is not None


def test_it_sends_a_required_user_who_removes_the_factor_back_to_enrolment(db):
    set_policy(require_2fa_admins=True)
    admin = UserFactory(username="root", is_superuser=True)
    totp = enrol(admin)
    client = signed_in_client("root")
    client.post(VERIFY, {"code": totp.now()})

    client.post(reverse("accounts:otp_remove"), {"code": next_code(totp)})

    assert client.get(HOME)["Location"].startswith(SETUP)


def test_it_will_not_start_a_second_enrolment(db):
    user = UserFactory(username="ae")
    enrol(user)
    client = Client()
    client.force_login(user)
    session = client.session
    session[security.SESSION_SECOND_FACTOR] = security.SECOND_FACTOR_PASSED
    session.save()

    response = client.get(SETUP)

    assert response.status_code == 302 and response["Location"] == PROFILE
    assert TotpDevice.objects.count() == 1


def test_it_requires_the_factor_of_whom_the_policy_names(cast):
    approver_position = Position.objects.create(
        code="approver", role=Role.AD, name_zh="审批人", is_approver=True
    )
    approver = UserFactory(username="approver", position=approver_position)
    finance_department = Department.objects.get(code="finance")
    finance_department.kind = Department.Kind.FINANCE
    finance_department.save()
    clerk = staff("clerk", Role.STAFF, department="finance")
    people = [cast.ae, cast.admin, cast.finance, clerk, approver, cast.client]

    assert [security.second_factor_required(p) for p in people] == [False] * 6

    set_policy(require_2fa_admins=True)
    assert [p.username for p in people if security.second_factor_required(p)] == ["admin"]

    set_policy(require_2fa_admins=False, require_2fa_finance=True)
    assert [p.username for p in people if security.second_factor_required(p)] == [
        "finance",
        "clerk",
    ]

    set_policy(require_2fa_finance=False, require_2fa_approvers=True)
    assert [p.username for p in people if security.second_factor_required(p)] == ["approver"]


# --- The security policy page ---------------------------------------------------------------

POLICY = reverse("accounts:security_policy")


def test_it_lets_an_admin_change_the_policy_with_an_audit_entry(cast, login):
    client = login(cast.admin)
    version = SecurityPolicy.current().version
    assert client.get(POLICY).status_code == 200

    response = client.post(
        POLICY, {"require_2fa_finance": "on", "require_2fa_approvers": "on", "version": version}
    )

    assert response.status_code == 302
    policy = SecurityPolicy.current()
    assert (policy.require_2fa_admins, policy.require_2fa_finance) == (False, True)
    assert policy.require_2fa_approvers and policy.version == version + 1
    entry = AuditEntry.objects.get(object_id="1", action=AuditEntry.Action.CHANGE)
    assert entry.actor == cast.admin
    assert entry.changes["require_2fa_finance"] == [False, True]


def test_it_refuses_a_stale_policy_edit_and_writes_nothing(cast, login):
    client = login(cast.admin)
    version = SecurityPolicy.current().version
    SecurityPolicy.objects.filter(pk=1).update(version=version + 1)

    response = client.post(POLICY, {"require_2fa_admins": "on", "version": version})

    assert response.status_code == 400
    assert 'data-testid="form-errors"' in response.content.decode()
    assert not SecurityPolicy.current().require_2fa_admins
    assert not AuditEntry.objects.filter(action=AuditEntry.Action.CHANGE).exists()


def test_it_keeps_the_policy_page_to_admins(cast, login):
    # Client users meet 404 on every staff page: the portal isolates them.
    for person, refused in (
        (cast.ae, 403),
        (cast.gm, 403),
        (cast.finance, 403),
        (cast.client, 404),
    ):
        client = login(person)
        assert client.get(POLICY).status_code == refused
        assert (
            client.post(POLICY, {"require_2fa_admins": "on", "version": 1}).status_code == refused
        )
    assert not SecurityPolicy.current().require_2fa_admins
    assert Client().get(POLICY)["Location"].startswith(LOGIN)
