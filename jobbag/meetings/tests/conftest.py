"""The meetings' cast, on top of the shared `cast` and `clientele` (conftest.py):

- `manager`, the Marketing Manager (sees every client's reports, as account management);
- `key_contact`, HAIER's decision maker 钱总 with an e-mail address (a "key client
  person": contact reports go to them even when they were not there);
- clientele.contact (孙丽, cast.client's contact) now has an e-mail address too;
- `job`, HAIER's job HAIER-2026-0001 owned by cast.ae.
"""

from dataclasses import dataclass

import pytest

from jobbag.accounts.models import Role, User
from jobbag.accounts.tests.factories import staff
from jobbag.clients.models import Contact
from jobbag.clients.tests.factories import ContactFactory
from jobbag.jobs.models import Job
from jobbag.jobs.tests.factories import JobFactory


@dataclass
class Loop:
    manager: User
    key_contact: Contact
    job: Job


@pytest.fixture
def loop(cast, clientele) -> Loop:
    manager = staff("manager", Role.MARKETING_MANAGER, department="marketing", full_name="郭强")
    Contact.objects.filter(pk=clientele.contact.pk).update(email="sunli@haier.example")
    clientele.contact.refresh_from_db()
    key_contact = ContactFactory(
        company=clientele.company,
        name="钱总",
        title="副总裁",
        email="qian@haier.example",
        is_decision_maker=True,
    )
    job = JobFactory(
        company=clientele.company, brand=clientele.brand, owner=cast.ae, number="HAIER-2026-0001"
    )
    return Loop(manager=manager, key_contact=key_contact, job=job)
