"""The account-health permission matrix: who sees the overview, which clients' health,
and who sets the thresholds."""

import pytest

from jobbag.accounts.models import Role
from jobbag.accounts.tests.factories import staff
from jobbag.core.permissions import can
from jobbag.service.health.permissions import health_company_ids

pytestmark = pytest.mark.django_db

# (user, sees the overview, sees HAIER, sees NIKE, sets the thresholds)
MATRIX = [
    ("ae", True, True, False, False),  # serves HAIER
    ("ad", True, True, False, False),  # serves HAIER
    ("other_ae", True, False, True, False),  # serves NIKE only
    ("dcs", True, True, True, False),  # every client
    ("gm", True, True, True, False),  # management: every client
    ("admin", True, True, True, True),  # admins: every client and the thresholds
    ("marketing_manager", True, False, False, False),  # account role, no clients
    ("designer", False, False, False, False),
    ("finance", False, False, False, False),
    ("client", False, False, False, False),  # a client user of HAIER
    ("outsider", False, False, False, False),  # a client user of NIKE
]


@pytest.fixture
def people(cast, service):
    return {
        **{name: getattr(cast, name) for name in vars(cast)},
        "other_ae": service.clientele.other_ae,
        "dcs": service.dcs,
        "marketing_manager": staff("mm", Role.MARKETING_MANAGER),
    }


@pytest.mark.parametrize("who, overview, haier, nike, settings", MATRIX)
def test_matrix(people, service, who, overview, haier, nike, settings):
    user = people[who]
    assert can(user, "service.health.view") is overview
    assert can(user, "service.health.company", service.company) is haier
    assert can(user, "service.health.company", service.clientele.other_company) is nike
    assert can(user, "service.health.settings") is settings


def test_the_scope_is_none_for_all_and_empty_for_nobody(people):
    assert health_company_ids(people["gm"]) is None
    assert health_company_ids(people["dcs"]) is None
    assert health_company_ids(people["designer"]) == set()
    assert health_company_ids(people["client"]) == set()
