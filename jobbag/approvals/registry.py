"""The kinds of document that go through sign-off. Each app registers its documents in
its own `signoffs` module (autodiscovered by core), so the engine never imports them:

    register(DocumentKind(
        document_type="quote", model=QuoteVersion, label=_("Quote"),
        describe=..., render=..., url=..., on_closed=..., may_submit=..., may_view=...,
    ))

The engine calls `describe` and `render` when a revision is submitted, and `on_closed`
inside the transaction that closes its approval (approved, rejected, returned or
withdrawn), so the document's own state changes with the decision or not at all.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import models


@dataclass(frozen=True)
class Subject:
    """What the policy is chosen by, and what the approval list shows."""

    title: str
    revision: int
    company: models.Model | None = None  # clients.Company
    department: models.Model | None = None  # accounts.Department
    amount: Decimal | None = None
    currency: str = "CNY"
    # A brand narrows the service team a TEAM_ROLE seat is filled from.
    brand: models.Model | None = None


@dataclass(frozen=True)
class Attachment:
    name: str
    content: bytes


@dataclass(frozen=True)
class Content:
    """Exactly what is signed: rendered HTML (shown on the evidence page), the data it
    was rendered from (JSON-safe) and the attached files."""

    html: str
    data: dict
    attachments: list[Attachment] = field(default_factory=list)


@dataclass(frozen=True)
class DocumentKind:
    document_type: str
    model: type[models.Model]
    label: str
    describe: Callable[[models.Model], Subject]
    render: Callable[[models.Model], Content]
    url: Callable[[models.Model], str]
    # on_closed(document, approval, actor): the approval's status says how it closed.
    on_closed: Callable[[models.Model, models.Model, models.Model], None]
    # may_submit(user, document) and may_view(user, document): the document's own rules.
    may_submit: Callable[[models.Model, models.Model], bool]
    may_view: Callable[[models.Model, models.Model], bool]
    # The portal address where a client user reads the document before signing, if any.
    portal_url: Callable[[models.Model], str] | None = None


_kinds: dict[str, DocumentKind] = {}
_by_model: dict[type[models.Model], DocumentKind] = {}


def register(kind: DocumentKind) -> DocumentKind:
    if kind.document_type in _kinds:
        raise ValueError(f"Document type {kind.document_type!r} registered twice")
    _kinds[kind.document_type] = kind
    _by_model[kind.model] = kind
    return kind


def kind_of(document: models.Model) -> DocumentKind:
    try:
        return _by_model[type(document)]
    except KeyError:
        raise LookupError(f"{type(document).__name__} is not a registered document") from None


def kind_named(document_type: str) -> DocumentKind:
    return _kinds[document_type]


def document_types() -> list[DocumentKind]:
    return sorted(_kinds.values(), key=lambda kind: kind.document_type)
