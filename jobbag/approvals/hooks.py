"""What other apps do when a sign-off closes approved (the archive files the document).

    from jobbag.approvals.hooks import on_approved

    @on_approved
    def file_it(approval, document, actor) -> None: ...

The engine calls `approved(approval, document, actor)` inside the transaction that
closes the approval, after the document's own `on_closed`, so a handler's rows are
written with the decision or not at all. Handlers must be idempotent.
"""

from collections.abc import Callable

Handler = Callable[..., None]

_handlers: list[Handler] = []


def on_approved(fn: Handler) -> Handler:
    """Registers `fn(approval, document, actor)` to run when an approval closes approved."""
    if fn not in _handlers:
        _handlers.append(fn)
    return fn


def approved(approval, document, actor) -> None:
    for fn in list(_handlers):
        fn(approval, document, actor)
