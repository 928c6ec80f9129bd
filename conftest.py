"""The shared cast of named users and helpers every app's tests use."""

import os
from dataclasses import dataclass

import pytest

from jobbag.accounts.models import Role, User
from jobbag.accounts.tests.factories import PASSWORD, UserFactory, staff

# Playwright's sync API runs an event loop in the test thread; Django's ORM refuses to
# run under one unless told the code is not async.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@dataclass
class Cast:
    ae: User  # Account Executive: does the day-to-day work on their accounts.
    ad: User  # Account Director: signs work orders, supervises AMs and AEs.
    gm: User  # General Manager: sees everything, approves the largest amounts.
    designer: User  # Design department: receives work orders, sees no confidential files.
    finance: User  # Finance staff.
    admin: User  # System administrator: manages organisation and settings.
    client: User  # A client company's user: sees only their own company, in the portal.
    outsider: User  # A client user of another company: must never see the first one's data.


@pytest.fixture
def cast(db) -> Cast:
    return Cast(
        ae=staff("ae", Role.AE, full_name="王小明"),
        ad=staff("ad", Role.AD, full_name="李娜"),
        gm=staff("gm", Role.GM, department="management", full_name="张伟"),
        designer=staff("designer", Role.DESIGNER, department="design", full_name="陈静"),
        finance=staff("finance", Role.FINANCE, department="finance", full_name="刘洋"),
        admin=staff(
            "admin", Role.STAFF, department="administration", is_superuser=True, full_name="赵敏"
        ),
        client=UserFactory(username="client", kind=User.Kind.CLIENT, full_name="客户甲"),
        outsider=UserFactory(username="outsider", kind=User.Kind.CLIENT, full_name="客户乙"),
    )


@pytest.fixture
def login(client):
    """login(user) signs the Django test client in as `user` and returns the client."""

    def sign_in(user: User):
        client.force_login(user)
        return client

    return sign_in


@pytest.fixture
def password() -> str:
    return PASSWORD
