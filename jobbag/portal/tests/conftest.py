import re

import pytest
from django.core import mail

from jobbag.clients.tests.factories import ContactFactory

LINK = re.compile(r"https?://\S+/portal/invitations/(?P<token>[^/\s]+)/")


@pytest.fixture
def mailbox(settings):
    """Mail goes to django.core.mail.outbox instead of the task queue."""
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    mail.outbox.clear()
    return mail.outbox


@pytest.fixture
def invitee(clientele):
    """周敏, HAIER's brand manager: has an e-mail address and no portal account yet."""
    return ContactFactory(
        company=clientele.company, name="周敏", title="品牌经理", email="zhou.min@haier.example"
    )


def token_in(message) -> str:
    """The invitation token in the link of an e-mail."""
    return LINK.search(message.body)["token"]
