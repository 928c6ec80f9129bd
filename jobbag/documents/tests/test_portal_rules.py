"""Which archived documents a client user sees in the portal: their own company's, of a
type meant for the client, filed confidential; nothing for staff or other companies."""

import pytest

from jobbag.core.errors import NotFound
from jobbag.core.permissions import can
from jobbag.documents.models import AccessLog, ArchivedDocument, Level
from jobbag.documents.portal_rules import (
    CLIENT_TYPES,
    portal_document_open,
    portal_documents,
    shown_to_client,
)
from jobbag.documents.tests.factories import archived

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "document_type, level, shown",
    [
        ("quote", Level.CONFIDENTIAL, True),
        ("contract", Level.CONFIDENTIAL, True),
        ("contact_report", Level.CONFIDENTIAL, True),
        ("quote", Level.INTERNAL, False),
        ("quote", Level.SECRET, False),
        ("work_order", Level.CONFIDENTIAL, False),
        ("change_notice", Level.CONFIDENTIAL, False),
        ("review", Level.CONFIDENTIAL, False),
        ("acceptance", Level.CONFIDENTIAL, False),
        ("summary", Level.CONFIDENTIAL, False),
        ("borrowing", Level.CONFIDENTIAL, False),
        ("timesheet", Level.CONFIDENTIAL, False),
    ],
)
def test_by_type_and_level(cast, clientele, document_type, level, shown):
    document = archived(
        actor=cast.ae, company=clientele.company, document_type=document_type, level=level
    )
    assert shown_to_client(cast.client, document) is shown
    assert can(cast.client, "documents.portal.open", document) is shown
    rows = portal_documents(cast.client, ArchivedDocument.objects.all())
    assert list(rows) == ([document] if shown else [])


# (user, lists the portal archive, opens HAIER's signed quote)
MATRIX = [
    ("client", True, True),  # HAIER's client user
    ("outsider", True, False),  # NIKE's client user
    ("ae", False, False),  # staff use the archive, not the portal
    ("gm", False, False),
    ("admin", False, False),
]


@pytest.mark.parametrize("who, lists, opens", MATRIX)
def test_matrix(cast, clientele, who, lists, opens):
    quote = archived(
        actor=cast.ae, company=clientele.company, document_type="quote", level=Level.CONFIDENTIAL
    )
    user = getattr(cast, who)
    assert can(user, "documents.portal.list") is lists
    assert can(user, "documents.portal.open", quote) is opens
    assert list(portal_documents(user, ArchivedDocument.objects.all())) == (
        [quote] if opens else []
    )


def test_a_client_user_without_a_company_sees_nothing(cast, clientele):
    archived(actor=cast.ae, company=clientele.company, document_type="quote", level="confidential")
    cast.client.company = None
    assert not can(cast.client, "documents.portal.list")
    assert not portal_documents(cast.client, ArchivedDocument.objects.all()).exists()


def test_every_opening_is_logged_and_a_refusal_too(cast, clientele):
    quote = archived(
        actor=cast.ae, company=clientele.company, document_type="quote", level=Level.CONFIDENTIAL
    )
    log = portal_document_open(actor=cast.client, document=quote, ip="10.0.0.8")
    assert (log.user, log.outcome, log.action, log.via) == (
        cast.client,
        "allowed",
        "view",
        "portal",
    )
    with pytest.raises(NotFound):
        portal_document_open(actor=cast.outsider, document=quote, action="download")
    refused = AccessLog.objects.get(user=cast.outsider)
    assert (refused.outcome, refused.action) == ("refused", "download")


def test_the_client_types_are_all_named_in_the_docstring():
    from jobbag.documents import portal_rules

    for name in CLIENT_TYPES:
        assert f"| {name} " in portal_rules.__doc__
